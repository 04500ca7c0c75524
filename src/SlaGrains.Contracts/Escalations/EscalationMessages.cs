using System.Collections.Immutable;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Escalations;

/// <summary>
/// A ticket clock crossed a threshold: the ticket wrote it into its state and now tells the escalation grain.
/// <see cref="Key"/> identifies it: the same alert delivered twice (retry, reactivation, silo failure) is one alert.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.sla-alert")]
[Immutable]
public sealed record SlaAlert(
    [property: Id(0)] string TicketId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] SlaMetric Metric,
    [property: Id(3)] int Percent,
    [property: Id(4)] int Cycle,
    [property: Id(5)] Instant DueAt,
    [property: Id(6)] Instant RecordedAt,
    [property: Id(7)] TicketPriority Priority,
    [property: Id(8)] string? Team,
    [property: Id(9)] string? Assignee)
{
    /// <summary>True for the breach (100 % of the target).</summary>
    public bool IsBreach => Percent >= 100;

    /// <summary>How late the alert was recorded after it fell due.</summary>
    public Duration Lateness => RecordedAt - DueAt;

    /// <summary>The de-duplication key: ticket, metric, threshold, cycle.</summary>
    public string Key => $"{TicketId}/{Metric}/{Percent}/{Cycle}";
}

/// <summary>What an escalation rule does when it matches.</summary>
public enum EscalationActionKind
{
    /// <summary>Notify a role (e.g. manager) or a user.</summary>
    Notify,

    /// <summary>Reassign the ticket to a user and/or team.</summary>
    Reassign,

    /// <summary>Flag the ticket as escalated to management and notify managers.</summary>
    EscalateToManagement,

    /// <summary>Call a webhook (delivered by the host).</summary>
    Webhook,
}

/// <summary>
/// On <see cref="Metric"/> reaching <see cref="Percent"/> % of its target (a warning threshold, or 100 for the
/// breach), do <see cref="Action"/>. <see cref="Target"/> is the role, user, team or URL the action addresses.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.escalation-rule")]
[Immutable]
public sealed record EscalationRule(
    [property: Id(0)] string RuleId,
    [property: Id(1)] SlaMetric Metric,
    [property: Id(2)] int Percent,
    [property: Id(3)] EscalationActionKind Action,
    [property: Id(4)] string Target,
    [property: Id(5)] TicketPriority? OnlyPriority = null);

/// <summary>One escalation in the log: an alert, the rules it matched and their outcome, and its acknowledgement.</summary>
[GenerateSerializer]
[Alias("slagrains.escalation")]
[Immutable]
public sealed record EscalationView(
    [property: Id(0)] string EscalationId,
    [property: Id(1)] SlaAlert Alert,
    [property: Id(2)] ImmutableArray<string> Actions,
    [property: Id(3)] Instant RaisedAt,
    [property: Id(4)] string? AcknowledgedBy,
    [property: Id(5)] Instant? AcknowledgedAt);
