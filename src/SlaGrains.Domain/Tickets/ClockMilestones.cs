using NodaTime;

namespace SlaGrains.Domain.Tickets;

/// <summary>When a clock's target runs out, and when it was met or breached, read from the ticket's history.</summary>
/// <param name="DueAt">When the target runs out (running); when it would have (met); when it did (breached); null while paused.</param>
/// <param name="MetAt">When it was stopped within target; else null.</param>
/// <param name="BreachedAt">When its breach fell due; else null.</param>
public sealed record ClockMilestones(Instant? DueAt, Instant? MetAt, Instant? BreachedAt)
{
    /// <summary>
    /// The milestones of <paramref name="clock"/> (as it stands after <paramref name="history"/>), from the SLA events
    /// of its metric and cycle in <paramref name="history"/>.
    /// </summary>
    public static ClockMilestones Of(MetricClock clock, IEnumerable<TicketSlaEvent> history)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(history);
        Instant? breachedAt = null;
        Instant? stoppedAt = null;
        foreach (var e in history)
        {
            switch (e)
            {
                case ClockBreached b when b.Metric == clock.Metric && b.Cycle == clock.Cycle:
                    breachedAt = b.At;
                    break;
                case ClockStopped s when s.Metric == clock.Metric && s.Cycle == clock.Cycle:
                    stoppedAt = s.At;
                    break;
            }
        }

        return clock.State switch
        {
            ClockState.Running => new(clock.BreachAt(), null, null),
            ClockState.Paused => new(null, null, null),
            // Met: when the target would have run out had the clock kept counting from its stop.
            ClockState.Met => new(
                stoppedAt is { } at && clock.Calendar.TryAdd(at, clock.Target - clock.ElapsedBeforeRun, out var due) ? due : null,
                stoppedAt,
                null),
            _ => new(breachedAt, null, breachedAt),
        };
    }
}
