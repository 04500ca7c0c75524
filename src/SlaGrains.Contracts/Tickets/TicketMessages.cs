using System.Collections.Immutable;
using SlaGrains.Domain;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Tickets;

/// <summary>What a person gives to open a ticket. The SLA targets come resolved from the customer's policy.</summary>
[GenerateSerializer]
[Alias("slagrains.new-ticket")]
[Immutable]
public sealed record NewTicket(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] TicketPriority Priority,
    [property: Id(2)] string Subject,
    [property: Id(3)] string Requester,
    [property: Id(4)] string? Team,
    [property: Id(5)] string? Assignee,
    [property: Id(6)] TicketTargets Targets,
    [property: Id(7)] SlaClockOptions? Options = null,
    // Issue 20 — incidents linked to tickets: the incident the ticket is opened for (checked by the caller); null for none.
    [property: Id(140)] string? IncidentId = null);

/// <summary>One SLA clock of a ticket as seen at <see cref="TicketView.AsOf"/>.</summary>
/// <param name="Metric">Which metric.</param>
/// <param name="Cycle">Its cycle (reopen with a new cycle, each customer message for next reply).</param>
/// <param name="State">Running, paused, met, breached.</param>
/// <param name="Target">Business time allowed.</param>
/// <param name="Elapsed">Business time used at <see cref="TicketView.AsOf"/>.</param>
/// <param name="Remaining">Target minus elapsed; negative once breached (time over target).</param>
/// <param name="BreachAt">When the target runs out if the clock keeps running; null while paused or stopped.</param>
/// <param name="NextThresholdAt">The next warning or breach instant; null when none is pending.</param>
/// <param name="NextThresholdPercent">That threshold in percent of the target (100 is the breach).</param>
/// <param name="AtRiskAt">When a running clock reaches the policy's first warning threshold (in the past once reached); null when not running or without warnings.</param>
/// <param name="DueAt">When its target runs out: kept once the clock is met (when it would have run out) or breached (when it did); null while paused.</param>
/// <param name="MetAt">When it was met (stopped within target); else null.</param>
/// <param name="BreachedAt">When its breach fell due; else null.</param>
[GenerateSerializer]
[Alias("slagrains.clock-view")]
[Immutable]
public sealed record ClockView(
    [property: Id(0)] SlaMetric Metric,
    [property: Id(1)] int Cycle,
    [property: Id(2)] ClockState State,
    [property: Id(3)] Duration Target,
    [property: Id(4)] Duration Elapsed,
    [property: Id(5)] Duration Remaining,
    [property: Id(6)] Instant? BreachAt,
    [property: Id(7)] Instant? NextThresholdAt,
    [property: Id(8)] int? NextThresholdPercent,
    [property: Id(9)] Instant? AtRiskAt = null,
    [property: Id(10)] Instant? DueAt = null,
    [property: Id(11)] Instant? MetAt = null,
    [property: Id(12)] Instant? BreachedAt = null)
{
    /// <summary>The standing at <paramref name="now"/> (on track, at risk, breached, paused, met): the domain's one rule.</summary>
    public ClockStanding StandingAt(Instant now) => ClockStandings.At(State, AtRiskAt, BreachAt, now);

    /// <summary>The deadline a running clock counts down to; null when it is not counting.</summary>
    public Instant? CountingDownTo => State is ClockState.Running or ClockState.BreachedRunning ? BreachAt : null;
}

/// <summary>One entry of a ticket's audit trail of clock transitions.</summary>
/// <param name="At">When it happened (a warning or breach: when it fell due).</param>
/// <param name="Kind">The transition, e.g. <c>ClockBreached</c>.</param>
/// <param name="Metric">The clock concerned, if any.</param>
/// <param name="Description">A sentence for people.</param>
/// <param name="RecordedAt">When the ticket recorded it; later than <paramref name="At"/> for a deadline noticed late.</param>
/// <param name="Threshold">For a warning or breach: the threshold in percent of the target (100 is the breach).</param>
/// <param name="By">Who or what caused it: a user name, <c>key:{id}</c>, or <c>sla-clock</c> for a deadline.</param>
[GenerateSerializer]
[Alias("slagrains.audit-entry")]
[Immutable]
public sealed record AuditEntry(
    [property: Id(0)] Instant At,
    [property: Id(1)] string Kind,
    [property: Id(2)] SlaMetric? Metric,
    [property: Id(3)] string Description,
    [property: Id(4)] Instant RecordedAt,
    [property: Id(5)] int? Threshold = null,
    [property: Id(6)] string? By = null)
{
    /// <summary>How late the transition was recorded: zero unless a deadline passed while nobody was looking.</summary>
    public Duration Lateness => RecordedAt - At;
}

/// <summary>A ticket with its clocks at <see cref="AsOf"/> and its audit trail.</summary>
[GenerateSerializer]
[Alias("slagrains.ticket-view")]
[Immutable]
public sealed record TicketView(
    [property: Id(0)] string TicketId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] TicketPriority Priority,
    [property: Id(3)] TicketStatus Status,
    [property: Id(4)] string Subject,
    [property: Id(5)] string Requester,
    [property: Id(6)] string? Team,
    [property: Id(7)] string? Assignee,
    [property: Id(8)] bool EscalatedToManagement,
    [property: Id(9)] Instant CreatedAt,
    [property: Id(10)] ImmutableArray<ClockView> Clocks,
    [property: Id(11)] ImmutableArray<AuditEntry> Audit,
    [property: Id(12)] Instant AsOf,
    // Issue 20 — incidents linked to tickets: the incident the ticket is linked to; null for none.
    [property: Id(140)] string? IncidentId = null);

/// <summary>
/// A ticket as lists show it — one row of the <c>tickets</c> read model and what live pushes carry: its fields and
/// clocks as of <see cref="AsOf"/>, never its audit trail. <see cref="Version"/> is the version of the ticket's
/// durable state it was made from, so a row never goes back to an older one.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.ticket-summary")]
[Immutable]
public sealed record TicketSummary(
    [property: Id(0)] string TicketId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] TicketPriority Priority,
    [property: Id(3)] TicketStatus Status,
    [property: Id(4)] string Subject,
    [property: Id(5)] string Requester,
    [property: Id(6)] string? Team,
    [property: Id(7)] string? Assignee,
    [property: Id(8)] bool EscalatedToManagement,
    [property: Id(9)] Instant CreatedAt,
    [property: Id(10)] Instant? ResolvedAt,
    [property: Id(11)] Instant? ClosedAt,
    [property: Id(12)] ImmutableArray<ClockView> Clocks,
    [property: Id(13)] Instant AsOf,
    [property: Id(14)] long Version,
    // Issue 20 — incidents linked to tickets: the incident the ticket is linked to (the row's incident_id); null for none.
    [property: Id(140)] string? IncidentId = null)
{
    /// <summary>The next instant a running clock warns or breaches; null when nothing is pending. Lists sort by it.</summary>
    public Instant? NextDeadline => Clocks
        .Where(c => c.State is ClockState.Running or ClockState.BreachedRunning)
        .Select(c => c.NextThresholdAt ?? c.BreachAt)
        .Where(at => at is not null)
        .Min();

    /// <summary>Neither resolved nor closed.</summary>
    public bool IsOpen => Status is not (TicketStatus.Resolved or TicketStatus.Closed);

    /// <summary>The clock of <paramref name="metric"/>, if the ticket has one.</summary>
    public ClockView? Clock(SlaMetric metric) => Clocks.FirstOrDefault(c => c.Metric == metric);
}

/// <summary>The answer to a ticket command: the ticket after it, or why nothing changed.</summary>
[GenerateSerializer]
[Alias("slagrains.ticket-result")]
[Immutable]
public sealed record TicketResult([property: Id(0)] TicketView? Ticket, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when the command was accepted (and is durable).</summary>
    public bool Accepted => Rejection is null;
}
