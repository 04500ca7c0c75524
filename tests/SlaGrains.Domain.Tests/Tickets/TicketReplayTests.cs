using FsCheck.Xunit;
using SlaGrains.Domain.Tickets;
using static SlaGrains.Domain.Tests.Calendars.CalendarFixtures;

namespace SlaGrains.Domain.Tests.Tickets;

public class TicketReplayTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 23, 9, 0);

    /// <summary>
    /// Drive a ticket through random commands at increasing instants, keeping every event; at any instant between two
    /// commands (the live ticket then is its state after the earlier command, with the deadlines due by then fired),
    /// replaying the events gives the same clocks.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Replaying_the_events_to_any_instant_gives_the_clocks_the_live_ticket_had_then(int calendar, int[] steps, int probe)
    {
        var cal = All[Math.Abs(calendar % All.Length)];
        var targets = new PriorityTargets(Duration.FromHours(2), Duration.FromHours(9), Duration.FromHours(1)).For(cal);
        var opened = TicketSla.Decide(null, new OpenTicket(TicketPriority.P3, targets, Options: new SlaClockOptions(warningPercents: [50, 75, 90])), Start);
        var events = new List<TicketSlaEvent>(opened.Events);
        var live = new List<(Instant At, TicketSla State)> { (Start, opened.State!) };
        var now = Start;
        foreach (var step in steps ?? [])
        {
            now += Duration.FromMinutes(1 + Math.Abs(step % 400));
            TicketSlaCommand command = Math.Abs(step % 8) switch
            {
                0 => new ChangeStatus(TicketStatus.WaitingOnCustomer),
                1 => new ChangeStatus(TicketStatus.InProgress),
                2 => new ChangePriority((TicketPriority)(1 + Math.Abs(step % 4)), new PriorityTargets(Duration.FromMinutes(30 + Math.Abs(step % 300)), Duration.FromMinutes(60 + Math.Abs(step % 900))).For(cal)),
                3 => new RecordCustomerReply(),
                4 => new RecordAgentReply(),
                5 => new ResolveTicket(),
                6 => new ReopenTicket(),
                _ => new CheckDeadlines(),
            };
            var decision = TicketSla.Decide(live[^1].State, command, now);
            if (decision.IsAccepted)
            {
                events.AddRange(decision.Events);
                live.Add((now, decision.State!));
            }
        }

        // Every step's instant, and one instant between steps (or after the last), chosen by the probe.
        var instants = live.Select(l => l.At).ToList();
        instants.Add(Start + Duration.FromMinutes(Math.Abs(probe % (int)Math.Max(1, (now - Start).TotalMinutes + 600))));
        foreach (var at in instants)
        {
            var before = live.Last(l => l.At <= at).State;
            var expected = TicketSla.Decide(before, new CheckDeadlines(), at).State!;
            var replayed = TicketReplay.SlaAt(events, at);
            if (replayed is null || !SameClocks(expected, replayed, at))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void Before_the_ticket_was_opened_there_is_nothing_to_replay()
    {
        var targets = new PriorityTargets(Duration.FromHours(2), Duration.FromHours(9)).For(All[0]);
        var opened = TicketSla.Decide(null, new OpenTicket(TicketPriority.P3, targets), Start);

        Assert.Null(TicketReplay.SlaAt(opened.Events, Start - Duration.FromSeconds(1)));
    }

    [Fact]
    public void A_breach_that_fell_due_before_the_instant_shows_as_breached_even_if_recorded_later()
    {
        var targets = new PriorityTargets(Duration.FromHours(2), Duration.FromHours(4), coverage: CoverageHours.AroundTheClock).For(SlaGrains.Domain.Calendars.BusinessCalendar.AlwaysOpen);
        var opened = TicketSla.Decide(null, new OpenTicket(TicketPriority.P3, targets), Start);

        var replayed = TicketReplay.SlaAt(opened.Events, Start + Duration.FromHours(3))!;

        Assert.Equal(ClockState.BreachedRunning, replayed.Clock(SlaMetric.FirstResponse)!.State);
        Assert.Equal(Start + Duration.FromHours(2), replayed.Clock(SlaMetric.FirstResponse)!.BreachAt());
    }

    private static bool SameClocks(TicketSla expected, TicketSla replayed, Instant at)
        => expected.Status == replayed.Status
            && expected.Priority == replayed.Priority
            && expected.Clocks.Length == replayed.Clocks.Length
            && expected.Clocks.Zip(replayed.Clocks).All(p =>
                p.First.Metric == p.Second.Metric
                && p.First.Cycle == p.Second.Cycle
                && p.First.State == p.Second.State
                && p.First.Target == p.Second.Target
                && p.First.ElapsedAt(at) == p.Second.ElapsedAt(at)
                && p.First.BreachAt() == p.Second.BreachAt()
                && p.First.NextThreshold() == p.Second.NextThreshold());
}
