using NodaTime;

namespace SlaGrains.Domain.Tickets;

/// <summary>
/// A ticket as it stood at an instant, from its recorded events: the events dated at or before the instant are folded
/// in recording order, then the deadlines that fell due by the instant fire (dated when they fell due), exactly as a
/// live ticket asked at that instant would have them. Pure: the instant is a parameter.
/// </summary>
public static class TicketReplay
{
    /// <summary>
    /// The SLA at <paramref name="at"/> from <paramref name="events"/> (in recording order); null when the ticket was
    /// not yet opened at <paramref name="at"/>.
    /// </summary>
    public static TicketSla? SlaAt(IEnumerable<TicketSlaEvent> events, Instant at)
    {
        ArgumentNullException.ThrowIfNull(events);
        TicketSla? state = null;
        foreach (var e in events)
        {
            if (e.At <= at && (state is not null || e is TicketOpened))
            {
                state = TicketSla.Apply(state, e);
            }
        }

        if (state is null)
        {
            return null;
        }

        var due = TicketSla.Decide(state, new CheckDeadlines(), at);
        return due.IsAccepted ? due.State : state;
    }

    /// <summary>
    /// The desk at <paramref name="at"/>: <paramref name="events"/> dated at or before it folded into the desk the ticket
    /// was opened with (the first reassignment's "from", or the current desk's team and assignee when none was ever made;
    /// the first incident link's "from", or the current incident when none was ever made).
    /// </summary>
    public static TicketDesk DeskAt(TicketDesk current, IReadOnlyList<TicketDeskEvent> events, Instant at)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(events);
        var first = events.OfType<TicketReassigned>().FirstOrDefault();
        var firstLink = events.OfType<TicketIncidentLinked>().FirstOrDefault();
        var desk = new TicketDesk(
            first is null ? current.Team : first.FromTeam, first is null ? current.Assignee : first.FromAssignee, false,
            firstLink is null ? current.IncidentId : firstLink.FromIncidentId);
        return events.Where(e => e.At <= at).Aggregate(desk, TicketDesk.Apply);
    }
}
