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
    [property: Id(7)] SlaClockOptions? Options = null);

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
    [property: Id(8)] int? NextThresholdPercent);

/// <summary>One entry of a ticket's audit trail of clock transitions.</summary>
/// <param name="At">When it happened (a warning or breach: when it fell due).</param>
/// <param name="Kind">The transition, e.g. <c>ClockBreached</c>.</param>
/// <param name="Metric">The clock concerned, if any.</param>
/// <param name="Description">A sentence for people.</param>
/// <param name="RecordedAt">When the ticket recorded it; later than <paramref name="At"/> for a deadline noticed late.</param>
[GenerateSerializer]
[Alias("slagrains.audit-entry")]
[Immutable]
public sealed record AuditEntry(
    [property: Id(0)] Instant At,
    [property: Id(1)] string Kind,
    [property: Id(2)] SlaMetric? Metric,
    [property: Id(3)] string Description,
    [property: Id(4)] Instant RecordedAt)
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
    [property: Id(12)] Instant AsOf);

/// <summary>The answer to a ticket command: the ticket after it, or why nothing changed.</summary>
[GenerateSerializer]
[Alias("slagrains.ticket-result")]
[Immutable]
public sealed record TicketResult([property: Id(0)] TicketView? Ticket, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when the command was accepted (and is durable).</summary>
    public bool Accepted => Rejection is null;
}
