using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime.Text;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Agreements;

namespace SlaGrains.Grains.Webhooks;

/// <summary>
/// The events the grains publish, with their <c>data</c> in the API's JSON conventions (camelCase names and enum
/// values, instants in ISO 8601 UTC). Event ids are derived from what happened, so a publisher that retries
/// publishes the same id and the webhook grain queues it once.
/// </summary>
public static class WebhookPayloads
{
    /// <summary>An instant as the API writes it: <c>2026-11-23T10:00:00Z</c>.</summary>
    public static string Time(Instant at) => InstantPattern.ExtendedIso.Format(at);

    /// <summary><c>escalation.raised</c>: an alert that matched escalation rules.</summary>
    public static WebhookEvent EscalationRaised(EscalationView escalation)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var alert = escalation.Alert;
        return Event(WebhookEventTypes.EscalationRaised, escalation.EscalationId, alert.CustomerId, escalation.RaisedAt, new JsonObject
        {
            ["escalationId"] = escalation.EscalationId,
            ["kind"] = alert.IsBreach ? "breach" : "warning",
            ["ticketId"] = alert.TicketId,
            ["metric"] = Name(alert.Metric),
            ["percent"] = alert.Percent,
            ["cycle"] = alert.Cycle,
            ["priority"] = Name(alert.Priority),
            ["team"] = alert.Team,
            ["assignee"] = alert.Assignee,
            ["dueAt"] = Time(alert.DueAt),
            ["recordedAt"] = Time(alert.RecordedAt),
            ["actions"] = new JsonArray([.. escalation.Actions.Select(a => (JsonNode?)JsonValue.Create(a))]),
        });
    }

    /// <summary><c>incident.opened</c> or <c>incident.resolved</c> (when <paramref name="incident"/> has ended).</summary>
    public static WebhookEvent Incident(IncidentView incident, string component, bool resolved)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var type = resolved ? WebhookEventTypes.IncidentResolved : WebhookEventTypes.IncidentOpened;
        return Event(type, incident.IncidentId, incident.CustomerId, resolved ? incident.ResolvedAt ?? incident.OpenedAt : incident.OpenedAt, new JsonObject
        {
            ["incidentId"] = incident.IncidentId,
            ["monitorId"] = incident.MonitorId,
            ["component"] = component,
            ["start"] = Time(incident.Start),
            ["end"] = incident.End is { } end ? Time(end) : null,
            ["durationSeconds"] = incident.End is { } e ? (e - incident.Start).TotalSeconds : null,
        });
    }

    /// <summary>
    /// <c>budget.burn</c>: a burn-rate alert started or stopped. The event id is (monitor, alert name, started at) and
    /// the state, so a retry or a reactivation queues each start and each stop once.
    /// </summary>
    public static WebhookEvent BudgetBurn(BudgetAlertView alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Event(WebhookEventTypes.BudgetBurn, $"{alert.AlertId}.{alert.State}", alert.CustomerId, alert.ChangedAt, new JsonObject
        {
            ["alertId"] = alert.AlertId,
            ["monitorId"] = alert.MonitorId,
            ["customerId"] = alert.CustomerId,
            ["component"] = alert.ComponentName,
            ["alert"] = alert.Name,
            ["sli"] = alert.Sli,
            ["severity"] = Name(alert.Severity),
            ["state"] = alert.State,
            ["factor"] = alert.Factor,
            ["longWindowSeconds"] = alert.LongWindow.TotalSeconds,
            ["shortWindowSeconds"] = alert.ShortWindow.TotalSeconds,
            ["longWindowBurnRate"] = alert.LongWindowBurnRate,
            ["shortWindowBurnRate"] = alert.ShortWindowBurnRate,
            ["startedAt"] = Time(alert.StartedAt),
            ["stoppedAt"] = alert.StoppedAt is { } stopped ? Time(stopped) : null,
            ["at"] = Time(alert.ChangedAt),
        });
    }

    /// <summary>
    /// <c>certificate.expiring</c>: a tls monitor's certificate expires within its warning days. The event id is the
    /// monitor and the certificate's expiry, so each certificate is announced once (a renewed one, expiring later, again).
    /// </summary>
    public static WebhookEvent CertificateExpiring(string monitorId, string customerId, string component, string host, int port, Instant expiresAt, Instant seenAt)
    {
        return Event(WebhookEventTypes.CertificateExpiring, $"{monitorId}.certificate.{expiresAt.ToUnixTimeTicks()}", customerId, seenAt, new JsonObject
        {
            ["monitorId"] = monitorId,
            ["customerId"] = customerId,
            ["component"] = component,
            ["host"] = host,
            ["port"] = port,
            ["expiresAt"] = Time(expiresAt),
            ["daysLeft"] = Math.Max(0, (int)Math.Floor((expiresAt - seenAt).TotalDays)),
            ["at"] = Time(seenAt),
        });
    }

    /// <summary><c>maintenance.announced</c>.</summary>
    public static WebhookEvent MaintenanceAnnounced(MaintenanceView window, string monitorId, string customerId, string component)
    {
        ArgumentNullException.ThrowIfNull(window);
        return Event(WebhookEventTypes.MaintenanceAnnounced, window.MaintenanceId, customerId, window.AnnouncedAt, new JsonObject
        {
            ["maintenanceId"] = window.MaintenanceId,
            ["monitorId"] = monitorId,
            ["component"] = component,
            ["start"] = Time(window.Start),
            ["end"] = Time(window.End),
            ["description"] = window.Description,
        });
    }

    /// <summary>
    /// <c>credit.applied</c>: billing applied a month's credit to an invoice. The event id is the credit's key, so telling
    /// us twice notifies once.
    /// </summary>
    public static WebhookEvent CreditApplied(string customerId, CreditEntry credit)
    {
        ArgumentNullException.ThrowIfNull(credit);
        var applied = credit.Applied ?? throw new ArgumentException($"Credit {credit.Key} is not applied.", nameof(credit));
        return Event(WebhookEventTypes.CreditApplied, credit.Key, customerId, applied.AppliedAt, new JsonObject
        {
            ["creditKey"] = credit.Key,
            ["month"] = YearMonthPattern.Iso.Format(credit.Month),
            ["creditAmount"] = credit.EffectiveAmount,
            ["currency"] = credit.Currency,
            ["invoiceReference"] = applied.InvoiceReference,
            ["invoiceDate"] = LocalDatePattern.Iso.Format(applied.InvoiceDate),
            ["appliedAt"] = Time(applied.AppliedAt),
        });
    }

    /// <summary>
    /// <c>credit.notice</c>: a closed month's SLA credit, announced before the invoice. The event id follows the
    /// credit's idempotency key (<c>sla-credit-{customer}-{yyyy-MM}</c>), so closing a month twice notifies once.
    /// </summary>
    public static WebhookEvent CreditNotice(CreditNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return Event(WebhookEventTypes.CreditNotice, notice.CreditKey, notice.CustomerId, notice.CreatedAt, new JsonObject
        {
            ["noticeId"] = notice.NoticeId,
            ["month"] = YearMonthPattern.Iso.Format(notice.Month),
            ["summary"] = notice.Summary,
            ["availabilityPercent"] = notice.AvailabilityPercent,
            ["slaTargetPercent"] = notice.TargetPercent,
            ["downtimeMinutes"] = Math.Round(notice.Downtime.TotalMinutes, 2),
            ["creditPercent"] = notice.CreditPercent,
            ["creditAmount"] = notice.Amount,
            ["currency"] = notice.Currency,
            ["monthlyFee"] = notice.MonthlyFee,
            ["incidents"] = new JsonArray([.. notice.Incidents.Select(i => (JsonNode?)new JsonObject
            {
                ["incidentId"] = i.IncidentId,
                ["monitorId"] = i.MonitorId,
                ["start"] = Time(i.Start),
                ["end"] = i.End is { } end ? Time(end) : null,
                ["statusPage"] = i.StatusPage,
                ["postmortem"] = i.Postmortem?.ToString(),
            })]),
            // Issue 20 — remedies over rolling windows: what fired beyond the month's credit.
            ["extraCreditAmount"] = RemedyAwarded.ExtraCredit(notice.RemediesFired),
            ["remedies"] = new JsonArray([.. notice.RemediesFired.Select(r => (JsonNode?)new JsonObject
            {
                ["kind"] = r.IsTerminationRight ? "terminationRight" : "extraCredit",
                ["misses"] = r.Misses,
                ["windowMonths"] = r.WindowMonths,
                ["countedMonths"] = new JsonArray([.. r.CountedMonths.Select(m => (JsonNode?)YearMonthPattern.Iso.Format(m))]),
                ["extraCreditPercent"] = r.ExtraCreditPercent,
                ["extraCreditAmount"] = r.ExtraCreditAmount,
                ["text"] = r.Text,
            })]),
        });
    }

    // Issue 20 — term and renewal
    /// <summary>
    /// <c>contract.notice-due</c>: a renewing contract's notice deadline is near (a reminder to managers). The event id is
    /// the reminder's key (deadline and which reminder), so each reminder is announced once per term cycle.
    /// </summary>
    public static WebhookEvent ContractNoticeDue(string customerId, TermReminder reminder, string text, Instant at)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        return Event(WebhookEventTypes.ContractNoticeDue, reminder.Key, customerId, at, new JsonObject
        {
            ["customerId"] = customerId,
            ["renewsOn"] = LocalDatePattern.Iso.Format(reminder.RenewsOn),
            ["noticeDueBy"] = LocalDatePattern.Iso.Format(reminder.NoticeDueBy),
            ["daysBefore"] = reminder.DaysBefore,
            ["daysLeft"] = reminder.DaysLeft,
            ["summary"] = text,
            ["at"] = Time(at),
        });
    }

    private static WebhookEvent Event(string type, string subject, string customerId, Instant at, JsonObject data)
        => new($"{type}/{subject}", type, customerId, at, data.ToJsonString());

    private static string Name<T>(T value)
        where T : struct, Enum
        => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
