using SlaGrains.Domain;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using static SlaGrains.Contracts.Tests.Serialization.OrleansRoundTrip;

namespace SlaGrains.Contracts.Tests.Serialization;

public sealed class TicketSurrogateTests
{
    private static readonly BusinessCalendar Berlin = CalendarSurrogateTests.Berlin();

    private static readonly PriorityTargets P3 = new(Duration.FromHours(4), Duration.FromHours(16), Duration.FromHours(2));

    private static readonly PriorityTargets P2 = new(Duration.FromHours(2), Duration.FromHours(8), Duration.FromMinutes(90));

    private static readonly SlaClockOptions Options = new(
        pauseStatuses: [TicketStatus.WaitingOnCustomer, TicketStatus.OnHold],
        reopen: ReopenBehavior.NewCycle,
        warningPercents: [50, 75, 90]);

    private static Instant BerlinTime(int month, int day, int hour, int minute)
        => Berlin.Zone.AtStrictly(new LocalDateTime(2025, month, day, hour, minute)).ToInstant();

    /// <summary>
    /// A P3 ticket run through <see cref="TicketSla.Decide"/>: answered, waiting on the customer (paused),
    /// the customer replies (resumed, next reply starts), raised to P2 (re-targeted), moved to a 24×7
    /// calendar, left until its clocks warn and breach, then put on hold (breached and paused). Returns
    /// every state along the way with the events that produced it.
    /// </summary>
    internal static (IReadOnlyList<TicketSla> States, IReadOnlyList<TicketSlaEvent> Events) MidFlightTicket()
    {
        var script = new (TicketSlaCommand Command, Instant At)[]
        {
            (new OpenTicket(TicketPriority.P3, P3.For(Berlin), TicketStatus.New, Options), BerlinTime(12, 15, 8, 30)),
            (new RecordAgentReply(), BerlinTime(12, 15, 10, 0)),
            (new ChangeStatus(TicketStatus.WaitingOnCustomer), BerlinTime(12, 15, 11, 0)),
            (new RecordCustomerReply(), BerlinTime(12, 16, 9, 0)),
            (new ChangePriority(TicketPriority.P2, P2.For(Berlin)), BerlinTime(12, 16, 9, 30)),
            (new ChangeTargets(P2.For(BusinessCalendar.AlwaysOpen), "customer upgraded to 24×7 support"), BerlinTime(12, 16, 10, 0)),
            (new CheckDeadlines(), BerlinTime(12, 16, 15, 0)),
            (new ChangeStatus(TicketStatus.OnHold), BerlinTime(12, 16, 16, 0)),
            (new ChangeStatus(TicketStatus.InProgress), BerlinTime(12, 17, 9, 0)),
            (new RecordAgentReply(), BerlinTime(12, 17, 9, 5)),
            (new ResolveTicket(), BerlinTime(12, 17, 10, 0)),
            (new ReopenTicket(), BerlinTime(12, 18, 10, 0)),
            (new ChangeStatus(TicketStatus.OnHold), BerlinTime(12, 18, 11, 0)),
        };

        TicketSla? state = null;
        var states = new List<TicketSla>();
        var events = new List<TicketSlaEvent>();
        foreach (var (command, at) in script)
        {
            var decision = TicketSla.Decide(state, command, at);
            Assert.True(decision.IsAccepted, $"{command} at {at}: {decision.Rejection}");
            events.AddRange(decision.Events);
            state = TicketSla.Fold(state, decision.Events)!;
            Assert.Equal(decision.State!.Clocks.Length, state.Clocks.Length);
            states.Add(state);
        }

        return (states, events);
    }

    internal static void AssertSameSla(TicketSla expected, TicketSla actual, string because)
    {
        Assert.True(expected.Priority == actual.Priority, because);
        Assert.True(expected.Status == actual.Status, because);
        Assert.True(expected.Targets == actual.Targets, because);
        Assert.True(expected.Options == actual.Options, because);
        Assert.True(expected.OpenedAt == actual.OpenedAt, because);
        Assert.True(expected.LastEventAt == actual.LastEventAt, because);
        Assert.True(expected.Clocks.Length == actual.Clocks.Length, because);
        for (var i = 0; i < expected.Clocks.Length; i++)
        {
            AssertSameClock(expected.Clocks[i], actual.Clocks[i], $"{because}, clock {expected.Clocks[i].Metric}");
        }

        Assert.True(expected.NextDeadline() == actual.NextDeadline(), $"{because}: next deadline {expected.NextDeadline()} vs {actual.NextDeadline()}");
        foreach (var probe in Probes(expected))
        {
            foreach (var clock in expected.Clocks)
            {
                Assert.True(clock.ElapsedAt(probe) == actual.Clock(clock.Metric)!.ElapsedAt(probe), $"{because}: {clock.Metric} elapsed at {probe}");
            }
        }
    }

    private static void AssertSameClock(MetricClock expected, MetricClock actual, string because)
    {
        Assert.True(expected.Metric == actual.Metric, because);
        Assert.True(expected.Cycle == actual.Cycle, because);
        Assert.True(expected.Target == actual.Target, because);
        Assert.True(expected.Calendar.Equals(actual.Calendar), because);
        Assert.True(expected.Calendar.IsAlwaysOpen == actual.Calendar.IsAlwaysOpen, because);
        Assert.True(expected.Thresholds.SequenceEqual(actual.Thresholds), $"{because}: thresholds {string.Join("/", actual.Thresholds)}");
        Assert.True(expected.ThresholdsFired == actual.ThresholdsFired, because);
        Assert.True(expected.ElapsedBeforeRun == actual.ElapsedBeforeRun, because);
        Assert.True(expected.RunningSince == actual.RunningSince, because);
        Assert.True(expected.Stopped == actual.Stopped, because);
        Assert.True(expected.StartedAt == actual.StartedAt, because);
        Assert.True(expected.ChangedAt == actual.ChangedAt, because);
        Assert.True(expected.State == actual.State, because);
        Assert.True(expected.BreachAt() == actual.BreachAt(), because);
        Assert.True(expected.NextThreshold() == actual.NextThreshold(), because);
    }

    private static IEnumerable<Instant> Probes(TicketSla sla)
        => Enumerable.Range(0, 12).Select(i => sla.LastEventAt + Duration.FromMinutes(i * 397));

    [Fact]
    public void The_scripted_ticket_really_is_paused_retargeted_and_breached()
    {
        var (states, _) = MidFlightTicket();
        var last = states[^1];
        Assert.Contains(states, s => s.Clocks.Any(c => c.State == ClockState.BreachedPaused));
        Assert.Contains(states, s => s.Clocks.Any(c => c.State == ClockState.Running && c.Calendar.IsAlwaysOpen));
        Assert.Contains(states, s => s.Clocks.Any(c => c.Cycle == 2));
        Assert.Equal(TicketStatus.OnHold, last.Status);
    }

    [Fact]
    public void Ticket_sla_at_every_step_of_its_life_round_trips_with_the_same_clocks_and_deadlines()
    {
        var (states, _) = MidFlightTicket();
        for (var step = 0; step < states.Count; step++)
        {
            foreach (var (way, copy) in BothWays(states[step]))
            {
                AssertSameSla(states[step], copy, $"step {step} via {way}");
            }
        }
    }

    [Fact]
    public void A_read_back_ticket_decides_the_next_command_exactly_as_the_original()
    {
        var (states, _) = MidFlightTicket();
        var original = states[6];
        var copy = ThroughBytes(original);
        var at = original.LastEventAt + Duration.FromDays(2);

        var expected = TicketSla.Decide(original, new ChangeStatus(TicketStatus.InProgress), at);
        var actual = TicketSla.Decide(copy, new ChangeStatus(TicketStatus.InProgress), at);

        Assert.Equal(expected.Events, actual.Events);
        AssertSameSla(expected.State!, actual.State!, "after deciding on the copy");
    }

    [Fact]
    public void Metric_clock_keeps_its_own_thresholds_even_when_the_options_differ()
    {
        var clock = new MetricClock
        {
            Metric = SlaMetric.NextReply,
            Cycle = 3,
            Target = Duration.FromMinutes(90),
            Calendar = Berlin,
            Thresholds = [25, 100],
            ThresholdsFired = 1,
            ElapsedBeforeRun = Duration.FromMinutes(30) + Duration.FromNanoseconds(1),
            RunningSince = BerlinTime(12, 16, 9, 30),
            StartedAt = BerlinTime(12, 16, 9, 0),
            ChangedAt = BerlinTime(12, 16, 9, 30),
        };

        foreach (var (way, copy) in BothWays(clock))
        {
            AssertSameClock(clock, copy, way);
        }
    }

    [Fact]
    public void Clock_options_round_trip_and_new_clocks_derive_the_same_thresholds_from_them()
    {
        foreach (var options in new[] { SlaClockOptions.Default, Options, new SlaClockOptions(pauseStatuses: [], warningPercents: []) })
        {
            foreach (var (way, copy) in BothWays(options))
            {
                Assert.True(options == copy, way);
                Assert.Equal(options.Reopen, copy.Reopen);
                Assert.Equal(options.PauseStatuses, copy.PauseStatuses);
                Assert.Equal<int>(options.WarningPercents, copy.WarningPercents);
                Assert.Equal<int>(ThresholdsOfANewClock(options), ThresholdsOfANewClock(copy));
            }
        }
    }

    private static IEnumerable<int> ThresholdsOfANewClock(SlaClockOptions options)
        => TicketSla.Decide(null, new OpenTicket(TicketPriority.P3, P3.For(Berlin), Options: options), BerlinTime(12, 15, 8, 0)).State!.Clocks[0].Thresholds;

    [Fact]
    public void Targets_round_trip_with_and_without_next_reply_and_around_the_clock()
    {
        var withoutNextReply = new PriorityTargets(Duration.FromMinutes(15), Duration.FromHours(4), coverage: CoverageHours.AroundTheClock);
        foreach (var priorityTargets in new[] { P3, P2, withoutNextReply })
        {
            foreach (var (way, copy) in BothWays(priorityTargets))
            {
                Assert.True(priorityTargets == copy, way);
                Assert.Equal(priorityTargets.NextReply, copy.NextReply);
                Assert.Equal(priorityTargets.Coverage, copy.Coverage);
            }

            var ticketTargets = priorityTargets.For(Berlin);
            foreach (var (way, copy) in BothWays(ticketTargets))
            {
                Assert.True(ticketTargets == copy, way);
                Assert.Equal(ticketTargets.NextReply is null, copy.NextReply is null);
            }

            Assert.Equal(ticketTargets.Resolution, ThroughCopier(ticketTargets.Resolution));
        }

        Assert.Same(BusinessCalendar.AlwaysOpen, ThroughBytes(withoutNextReply.For(Berlin)).FirstResponse.Calendar);
    }

    [Fact]
    public void Sla_policy_round_trips_with_every_priority_and_a_bespoke_override()
    {
        var gold = new SlaPolicy("Gold", new Dictionary<TicketPriority, PriorityTargets>
        {
            [TicketPriority.P1] = new(Duration.FromMinutes(15), Duration.FromHours(4), Duration.FromMinutes(30), CoverageHours.AroundTheClock),
            [TicketPriority.P2] = P2,
            [TicketPriority.P3] = P3,
            [TicketPriority.P4] = new(Duration.FromHours(8), Duration.FromDays(5)),
        });
        var custom = gold.WithOverride(TicketPriority.P4, P3);

        foreach (var policy in new[] { gold, custom })
        {
            foreach (var (way, copy) in BothWays(policy))
            {
                Assert.True(policy == copy, way);
                Assert.Equal(policy.Name, copy.Name);
                Assert.Equal(policy.Targets.Keys, copy.Targets.Keys);
            }
        }
    }

    [Fact]
    public void Deadline_and_rejection_round_trip()
    {
        var deadline = new SlaDeadline(SlaMetric.Resolution, 100, BerlinTime(12, 19, 16, 45) + Duration.FromNanoseconds(3));
        var rejection = new Rejection("ticket-closed", "The ticket is already closed.");
        foreach (var (way, copy) in BothWays((deadline, rejection)))
        {
            Assert.True(copy == (deadline, rejection), way);
            Assert.True(copy.deadline.IsBreach, way);
        }
    }
}
