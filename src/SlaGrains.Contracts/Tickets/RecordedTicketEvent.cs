using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Tickets;

/// <summary>
/// One event of a ticket's history as stored: the typed event (an SLA event or a desk event, exactly one of the two),
/// when the ticket recorded it and who caused it. The audit sentence is derived from the event
/// (<see cref="TicketSlaEvent.Describe"/>, <see cref="TicketDeskEvent.Describe"/>), and the clocks can be replayed to
/// any instant (<see cref="TicketReplay"/>).
/// </summary>
/// <param name="Sla">The SLA event, or null for a desk event.</param>
/// <param name="Desk">The desk event (reassigned, escalated to management), or null for an SLA event.</param>
/// <param name="RecordedAt">When the ticket recorded it; later than its instant for a deadline noticed late.</param>
/// <param name="By">Who or what caused it: a user name, <c>key:{id}</c>, <c>sla-clock</c> or <c>escalation-rule</c>.</param>
[GenerateSerializer]
[Alias("slagrains.recorded-ticket-event")]
[Immutable]
public sealed record RecordedTicketEvent(
    [property: Id(0)] TicketSlaEvent? Sla,
    [property: Id(1)] TicketDeskEvent? Desk,
    [property: Id(2)] Instant RecordedAt,
    [property: Id(3)] string? By)
{
    /// <summary>When it happened (a warning or breach: when it fell due).</summary>
    public Instant At => Sla?.At ?? Desk?.At ?? RecordedAt;

    /// <summary>The audit entry people see: kind, clock, threshold and the sentence, all derived from the event.</summary>
    public AuditEntry ToAuditEntry()
    {
        if (Desk is not null)
        {
            var kind = Desk switch
            {
                TicketEscalatedToManagement => "EscalatedToManagement",
                TicketReassigned => "Reassigned",
                TicketIncidentLinked { IncidentId: null } => "IncidentUnlinked",
                TicketIncidentLinked => "IncidentLinked",
                _ => Desk.GetType().Name,
            };
            return new AuditEntry(Desk.At, kind, null, Desk.Describe(), RecordedAt, By: By);
        }

        var e = Sla ?? throw new InvalidOperationException("A recorded ticket event holds an SLA or a desk event.");
        var metric = e switch
        {
            ClockStarted c => c.Metric,
            ClockPaused c => c.Metric,
            ClockResumed c => c.Metric,
            ClockRetargeted c => c.Metric,
            ClockWarned c => c.Metric,
            ClockBreached c => c.Metric,
            ClockStopped c => c.Metric,
            _ => (SlaMetric?)null,
        };
        var threshold = e switch
        {
            ClockWarned w => w.Percent,
            ClockBreached => 100,
            _ => (int?)null,
        };
        return new AuditEntry(e.At, e.GetType().Name, metric, e.Describe(), RecordedAt, threshold, By);
    }
}
