using System.Collections.Immutable;

namespace SlaGrains.Contracts.Webhooks;

/// <summary>The event types a webhook subscription can ask for (the <c>X-SlaGrains-Event</c> header, the body's <c>type</c>).</summary>
public static class WebhookEventTypes
{
    /// <summary>A ticket's SLA alert matched an escalation rule (internal to the service provider).</summary>
    public const string EscalationRaised = "escalation.raised";

    /// <summary>A monitor confirmed an outage.</summary>
    public const string IncidentOpened = "incident.opened";

    /// <summary>An outage ended.</summary>
    public const string IncidentResolved = "incident.resolved";

    /// <summary>Staff posted an update to an incident (a monitor's or a manual one; opening a manual incident is its first update).</summary>
    public const string IncidentUpdated = "incident.updated";

    /// <summary>Maintenance was announced for a monitor.</summary>
    public const string MaintenanceAnnounced = "maintenance.announced";

    /// <summary>A closed month earned an SLA credit, announced before the invoice.</summary>
    public const string CreditNotice = "credit.notice";

    /// <summary>Billing applied a month's SLA credit to an invoice (where the credit went).</summary>
    public const string CreditApplied = "credit.applied";

    /// <summary>
    /// A monitor's burn-rate (error-budget) alert started or stopped firing (internal to the service provider: it
    /// measures the internal SLO).
    /// </summary>
    public const string BudgetBurn = "budget.burn";

    /// <summary>A tls monitor saw a certificate that expires within its warning days (once per certificate, by its expiry).</summary>
    public const string CertificateExpiring = "certificate.expiring";

    // Issue 20 — term and renewal
    /// <summary>A renewing contract's notice deadline is near: 30 days and 1 day before it, once each per deadline (internal).</summary>
    public const string ContractNoticeDue = "contract.notice-due";

    /// <summary>Every known type.</summary>
    public static ImmutableArray<string> All { get; } = [EscalationRaised, IncidentOpened, IncidentResolved, MaintenanceAnnounced, CreditNotice, BudgetBurn, IncidentUpdated, CertificateExpiring, CreditApplied, ContractNoticeDue];

    /// <summary>
    /// Types only the service provider's staff may subscribe to, see and redeliver: escalations (like the rules that
    /// raise them) say how the provider works internally.
    /// </summary>
    public static ImmutableArray<string> Internal { get; } = [EscalationRaised, BudgetBurn, ContractNoticeDue];

    /// <summary>Whether <paramref name="type"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? type) => type is not null && All.Contains(type);

    /// <summary>Whether <paramref name="type"/> is one of <see cref="Internal"/>.</summary>
    public static bool IsInternal(string? type) => type is not null && Internal.Contains(type);
}

/// <summary>
/// Something a customer's webhooks are told about. <see cref="EventId"/> makes publishing idempotent: the webhook
/// grain queues an event id once, however often it is published (a publisher retries until it is acknowledged).
/// </summary>
/// <param name="EventId">Stable id, e.g. <c>incident.opened/api-3</c>; the body's <c>id</c>.</param>
/// <param name="Type">One of <see cref="WebhookEventTypes.All"/>.</param>
/// <param name="CustomerId">The customer whose webhooks receive it.</param>
/// <param name="OccurredAt">When it happened (recorded), on the SLA clock.</param>
/// <param name="Data">The body's <c>data</c>: a JSON object, rendered by the publisher (its fields depend on the type).</param>
[GenerateSerializer]
[Alias("slagrains.webhook-event")]
[Immutable]
public sealed record WebhookEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] Instant OccurredAt,
    [property: Id(4)] string Data);
