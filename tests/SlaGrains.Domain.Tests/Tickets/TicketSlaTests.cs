using SlaGrains.Domain.Tickets;
using static SlaGrains.Domain.Tests.Calendars.CalendarFixtures;

namespace SlaGrains.Domain.Tests.Tickets;

public class TicketSlaTests
{
    private static readonly Instant Monday9 = Utc("2026-11-23T14:00:00Z"); // 09:00 in New York

    [Fact]
    public void Opening_a_ticket_starts_first_response_and_resolution_and_arms_the_first_warning()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 24));

        Assert.Equal(ClockState.Running, ticket.Clock(SlaMetric.FirstResponse).State);
        Assert.Equal(ClockState.Running, ticket.Clock(SlaMetric.Resolution).State);
        Assert.Null(ticket.State.Clock(SlaMetric.NextReply));
        Assert.Equal(new SlaDeadline(SlaMetric.FirstResponse, 75, Monday9 + Duration.FromHours(3)), ticket.State.NextDeadline());
    }

    [Fact]
    public void Resolution_clock_pauses_while_waiting_on_customer()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 24));
        ticket.Do(new RecordAgentReply());
        ticket.AfterHours(1).Do(new ChangeStatus(TicketStatus.WaitingOnCustomer));

        ticket.AfterHours(30);
        Assert.Equal(ClockState.Paused, ticket.Clock(SlaMetric.Resolution).State);
        Assert.Equal(Duration.FromHours(1), ticket.Clock(SlaMetric.Resolution).ElapsedAt(ticket.Now));
        Assert.Null(ticket.State.NextDeadline());

        ticket.Do(new ChangeStatus(TicketStatus.InProgress));
        ticket.AfterHours(2);
        Assert.Equal(Duration.FromHours(3), ticket.Clock(SlaMetric.Resolution).ElapsedAt(ticket.Now));
        Assert.Equal(Duration.FromHours(21), ticket.Clock(SlaMetric.Resolution).RemainingAt(ticket.Now));
    }

    [Fact]
    public void On_hold_pauses_too_and_other_statuses_do_not()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 24));
        ticket.AfterHours(1).Do(new ChangeStatus(TicketStatus.InProgress));
        Assert.Equal(ClockState.Running, ticket.Clock(SlaMetric.Resolution).State);

        ticket.Do(new ChangeStatus(TicketStatus.OnHold));
        Assert.Equal(ClockState.Paused, ticket.Clock(SlaMetric.Resolution).State);
        Assert.Equal(ClockState.Paused, ticket.Clock(SlaMetric.FirstResponse).State);
    }

    [Fact]
    public void Pause_statuses_are_configurable()
    {
        var options = new SlaClockOptions(pauseStatuses: [TicketStatus.OnHold]);
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 24), options: options);

        ticket.AfterHours(1).Do(new ChangeStatus(TicketStatus.WaitingOnCustomer));

        Assert.Equal(ClockState.Running, ticket.Clock(SlaMetric.Resolution).State);
    }

    [Fact]
    public void A_warning_then_a_breach_then_a_late_reply_are_each_recorded_at_the_instant_they_happened()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 24));

        var fired = ticket.AfterHours(5).Do(new CheckDeadlines());

        Assert.Equal(
            [
                new ClockWarned(Monday9 + Duration.FromHours(3), SlaMetric.FirstResponse, 1, 75),
                new ClockBreached(Monday9 + Duration.FromHours(4), SlaMetric.FirstResponse, 1, Duration.FromHours(4)),
            ],
            fired);
        Assert.Equal(ClockState.BreachedRunning, ticket.Clock(SlaMetric.FirstResponse).State);
        Assert.Equal(Duration.FromHours(1), ticket.Clock(SlaMetric.FirstResponse).OverTargetAt(ticket.Now));

        var reply = Assert.Single(ticket.Do(new RecordAgentReply()));
        var stopped = Assert.IsType<ClockStopped>(reply);
        Assert.False(stopped.Met);
        Assert.Equal(Duration.FromHours(1), stopped.OverTarget);
        Assert.Equal(ClockState.BreachedStopped, ticket.Clock(SlaMetric.FirstResponse).State);
    }

    [Fact]
    public void Each_threshold_fires_once_even_when_checked_again()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 24));
        ticket.AfterHours(3.5).Do(new CheckDeadlines());

        Assert.Empty(ticket.AfterHours(0.1).Do(new CheckDeadlines()));
        Assert.Single(ticket.Trail.OfType<ClockWarned>());
    }

    [Fact]
    public void Several_warning_thresholds_fire_in_order_before_the_breach()
    {
        // The percents come from the priority's targets (the policy), not from the ticket's options.
        var targets = TicketScenario.AroundTheClock(10, 100) with { Warnings = new WarningThresholds([50, 75, 90]) };
        var ticket = new TicketScenario(Monday9, targets);

        var fired = ticket.AfterHours(10).Do(new CheckDeadlines());

        Assert.Equal([5.0, 7.5, 9.0, 10.0], fired.Select(e => (e.At - Monday9).TotalHours));
        Assert.Equal([50, 75, 90], fired.OfType<ClockWarned>().Select(w => w.Percent));
        Assert.IsType<ClockBreached>(fired[^1]);
    }

    [Fact]
    public void Priority_change_mid_flight_retargets_the_running_clock_keeping_elapsed_time()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8), TicketPriority.P3);
        ticket.Do(new RecordAgentReply());

        ticket.AfterHours(2).Do(new ChangePriority(TicketPriority.P1, TicketScenario.AroundTheClock(1, 4)));

        var resolution = ticket.Clock(SlaMetric.Resolution);
        Assert.Equal(TicketPriority.P1, ticket.State.Priority);
        Assert.Equal(Duration.FromHours(4), resolution.Target);
        Assert.Equal(Duration.FromHours(2), resolution.ElapsedAt(ticket.Now));
        Assert.Equal(new SlaDeadline(SlaMetric.Resolution, 75, ticket.Now + Duration.FromHours(1)), ticket.State.NextDeadline());
        Assert.Equal(ClockState.Met, ticket.Clock(SlaMetric.FirstResponse).State);
    }

    [Fact]
    public void A_new_target_already_exceeded_fires_its_warning_and_breach_at_the_change()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8), TicketPriority.P3);
        ticket.Do(new RecordAgentReply());

        var events = ticket.AfterHours(3).Do(new ChangePriority(TicketPriority.P1, TicketScenario.AroundTheClock(1, 2)));

        Assert.Equal(ticket.Now, events.OfType<ClockWarned>().Single().At);
        Assert.Equal(ticket.Now, events.OfType<ClockBreached>().Single().At);
        Assert.Equal(Duration.FromHours(1), ticket.Clock(SlaMetric.Resolution).OverTargetAt(ticket.Now));
    }

    [Fact]
    public void Fired_thresholds_stay_fired_when_the_target_grows()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8), TicketPriority.P1);
        ticket.AfterHours(3.5).Do(new CheckDeadlines()); // first response warned at 3 h

        ticket.Do(new ChangePriority(TicketPriority.P4, TicketScenario.AroundTheClock(40, 80)));

        Assert.Equal(1, ticket.Clock(SlaMetric.FirstResponse).ThresholdsFired);
        Assert.Equal(new SlaDeadline(SlaMetric.FirstResponse, 100, Monday9 + Duration.FromHours(40)), ticket.State.NextDeadline());
    }

    [Fact]
    public void Policy_change_while_paused_keeps_the_clock_paused_with_its_elapsed_time()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8));
        ticket.Do(new RecordAgentReply());
        ticket.AfterHours(2).Do(new ChangeStatus(TicketStatus.WaitingOnCustomer));

        ticket.AfterHours(5).Do(new ChangeTargets(TicketScenario.AroundTheClock(2, 4), "customer moved to Gold"));

        var resolution = ticket.Clock(SlaMetric.Resolution);
        Assert.Equal(ClockState.Paused, resolution.State);
        Assert.Equal(Duration.FromHours(2), resolution.ElapsedAt(ticket.Now));
        Assert.Equal(Duration.FromHours(4), resolution.Target);

        ticket.AfterHours(1).Do(new ChangeStatus(TicketStatus.Open));
        Assert.Equal(new SlaDeadline(SlaMetric.Resolution, 75, ticket.Now + Duration.FromHours(1)), ticket.State.NextDeadline());
    }

    [Fact]
    public void Reopen_resumes_resolution_with_its_elapsed_time_by_default()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8));
        ticket.AfterHours(1).Do(new RecordAgentReply());
        ticket.AfterHours(2).Do(new ResolveTicket());
        Assert.Equal(ClockState.Met, ticket.Clock(SlaMetric.Resolution).State);

        ticket.AfterHours(24).Do(new ReopenTicket());
        ticket.AfterHours(1);

        var resolution = ticket.Clock(SlaMetric.Resolution);
        Assert.Equal(ClockState.Running, resolution.State);
        Assert.Equal(1, resolution.Cycle);
        Assert.Equal(Duration.FromHours(4), resolution.ElapsedAt(ticket.Now));
        Assert.Equal(ClockState.Met, ticket.Clock(SlaMetric.FirstResponse).State);
        Assert.Equal(TicketStatus.Open, ticket.State.Status);
    }

    [Fact]
    public void Reopen_can_start_a_new_resolution_cycle_instead()
    {
        var options = new SlaClockOptions(reopen: ReopenBehavior.NewCycle);
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8), options: options);
        ticket.AfterHours(7).Do(new CheckDeadlines()); // resolution warned at 6 h
        ticket.Do(new ResolveTicket());

        ticket.AfterHours(24).Do(new ReopenTicket());

        var resolution = ticket.Clock(SlaMetric.Resolution);
        Assert.Equal(2, resolution.Cycle);
        Assert.Equal(Duration.Zero, resolution.ElapsedAt(ticket.Now));
        Assert.Equal(0, resolution.ThresholdsFired);
        Assert.Equal(new SlaDeadline(SlaMetric.Resolution, 75, ticket.Now + Duration.FromHours(6)), ticket.State.NextDeadline());
    }

    [Fact]
    public void A_ticket_created_outside_business_hours_starts_counting_at_the_next_opening()
    {
        var calendar = NewYorkNineToFive;
        var friday18 = calendar.Local("2026-11-20T18:00");
        var targets = new PriorityTargets(Duration.FromHours(1), Duration.FromHours(8)).For(calendar);

        var ticket = new TicketScenario(friday18, targets);

        Assert.Equal(new SlaDeadline(SlaMetric.FirstResponse, 75, calendar.Local("2026-11-23T09:45")), ticket.State.NextDeadline());
        Assert.Equal(calendar.Local("2026-11-23T10:00"), ticket.Clock(SlaMetric.FirstResponse).BreachAt());
        Assert.Equal(Duration.Zero, ticket.Clock(SlaMetric.FirstResponse).ElapsedAt(calendar.Local("2026-11-23T08:59")));
    }

    [Fact]
    public void A_breach_noticed_late_is_dated_when_it_fell_due()
    {
        var calendar = NewYorkNineToFive;
        var start = calendar.Local("2026-11-20T16:00");
        var ticket = new TicketScenario(start, new PriorityTargets(Duration.FromHours(2), Duration.FromHours(8)).For(calendar));

        var fired = ticket.At(calendar.Local("2026-11-25T12:00")).Do(new CheckDeadlines());

        Assert.Equal(calendar.Local("2026-11-23T10:00"), fired.OfType<ClockBreached>().Single(b => b.Metric == SlaMetric.FirstResponse).At);
        Assert.Equal(calendar.Local("2026-11-23T16:00"), fired.OfType<ClockBreached>().Single(b => b.Metric == SlaMetric.Resolution).At);
    }

    [Fact]
    public void A_met_metric_stays_met_whatever_happens_later()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8));
        ticket.AfterHours(1).Do(new RecordAgentReply());

        ticket.AfterHours(1).Do(new ChangePriority(TicketPriority.P1, TicketScenario.AroundTheClock(0.5, 4)));
        ticket.Do(new ChangeStatus(TicketStatus.OnHold));
        ticket.AfterHours(10).Do(new RecordAgentReply());

        var firstResponse = ticket.Clock(SlaMetric.FirstResponse);
        Assert.Equal(ClockState.Met, firstResponse.State);
        Assert.Equal(Duration.FromHours(4), firstResponse.Target);
        Assert.Equal(Duration.FromHours(1), firstResponse.ElapsedAt(ticket.Now));
    }

    [Fact]
    public void Next_reply_runs_from_each_customer_message_to_the_next_agent_reply()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(1, 24, nextReplyHours: 2));
        ticket.AfterHours(0.5).Do(new RecordAgentReply());

        ticket.AfterHours(1).Do(new RecordCustomerReply());
        Assert.Equal(1, ticket.Clock(SlaMetric.NextReply).Cycle);
        ticket.AfterHours(1).Do(new RecordAgentReply());
        Assert.Equal(ClockState.Met, ticket.Clock(SlaMetric.NextReply).State);

        ticket.AfterHours(1).Do(new RecordCustomerReply());
        ticket.Do(new RecordCustomerReply()); // a second message does not restart the wait
        var second = ticket.Clock(SlaMetric.NextReply);
        Assert.Equal(2, second.Cycle);
        Assert.Equal(ClockState.Running, second.State);
        Assert.Equal(new SlaDeadline(SlaMetric.NextReply, 75, ticket.Now + Duration.FromHours(1.5)), ticket.State.NextDeadline());
    }

    [Fact]
    public void A_customer_message_before_the_first_response_starts_no_next_reply_clock()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(1, 24, nextReplyHours: 2));

        ticket.AfterHours(0.2).Do(new RecordCustomerReply());

        Assert.Null(ticket.State.Clock(SlaMetric.NextReply));
    }

    [Fact]
    public void A_customer_reply_ends_a_wait_on_the_customer()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(1, 24));
        ticket.Do(new RecordAgentReply());
        ticket.AfterHours(1).Do(new ChangeStatus(TicketStatus.WaitingOnCustomer));

        var events = ticket.AfterHours(5).Do(new RecordCustomerReply());

        Assert.Contains(events, e => e is StatusChanged { To: TicketStatus.Open });
        Assert.Equal(ClockState.Running, ticket.Clock(SlaMetric.Resolution).State);
        Assert.Equal(Duration.FromHours(1), ticket.Clock(SlaMetric.Resolution).ElapsedAt(ticket.Now));
    }

    [Fact]
    public void Resolving_without_a_reply_meets_first_response_and_stops_every_clock()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8));

        ticket.AfterHours(2).Do(new ResolveTicket());

        Assert.All(ticket.State.Clocks, c => Assert.Equal(ClockState.Met, c.State));
        Assert.Null(ticket.State.NextDeadline());
    }

    [Fact]
    public void A_ticket_opened_in_a_pause_status_starts_paused()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8), status: TicketStatus.OnHold);

        Assert.All(ticket.State.Clocks, c => Assert.Equal(ClockState.Paused, c.State));
        Assert.Null(ticket.State.NextDeadline());
    }

    [Fact]
    public void Commands_on_a_closed_ticket_are_rejected_and_change_nothing()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8));
        ticket.AfterHours(1).Do(new CloseTicket());

        Assert.Equal("ticket-closed", ticket.Rejected(new RecordAgentReply()).Code);
        Assert.Equal("ticket-closed", ticket.Rejected(new CloseTicket()).Code);
        Assert.Equal("ticket-not-resolved", ticket.Rejected(new ReopenTicket()).Code);
        Assert.Equal("ticket-not-active", ticket.Rejected(new ChangeStatus(TicketStatus.Open)).Code);
        Assert.Equal("ticket-closed", ticket.Rejected(new ChangePriority(TicketPriority.P1, TicketScenario.AroundTheClock(1, 2))).Code);
    }

    [Fact]
    public void Nonsense_commands_are_rejected()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8));

        Assert.Equal("ticket-exists", ticket.Rejected(new OpenTicket(TicketPriority.P1, TicketScenario.AroundTheClock(1, 2))).Code);
        Assert.Equal("use-resolve-or-close", ticket.Rejected(new ChangeStatus(TicketStatus.Resolved)).Code);
        Assert.Equal("ticket-not-resolved", ticket.Rejected(new ReopenTicket()).Code);
        Assert.Equal("time-before-last-event", ticket.At(Monday9 - Duration.FromMinutes(1)).Rejected(new CheckDeadlines()).Code);
        Assert.Equal("ticket-not-found", TicketSla.Decide(null, new ResolveTicket(), Monday9).Rejection!.Code);
    }

    [Fact]
    public void Invalid_targets_and_options_are_rejected_with_a_message()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityTargets(Duration.Zero, Duration.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlaClockOptions(warningPercents: [100]));
        var descending = Assert.Throws<ArgumentException>(() => new SlaClockOptions(warningPercents: [90, 50]));
        Assert.Contains("ascending", descending.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() => new SlaPolicy("Gold", new Dictionary<TicketPriority, PriorityTargets>
        {
            [TicketPriority.P1] = new(Duration.FromHours(1), Duration.FromHours(4)),
        }));
        Assert.Contains("P2, P3, P4", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_gives_targets_per_priority_and_a_bespoke_override_replaces_one()
    {
        var gold = new SlaPolicy("Gold", new Dictionary<TicketPriority, PriorityTargets>
        {
            [TicketPriority.P1] = new(Duration.FromMinutes(15), Duration.FromHours(4), coverage: CoverageHours.AroundTheClock),
            [TicketPriority.P2] = new(Duration.FromHours(1), Duration.FromHours(8)),
            [TicketPriority.P3] = new(Duration.FromHours(4), Duration.FromHours(24)),
            [TicketPriority.P4] = new(Duration.FromHours(8), Duration.FromHours(72)),
        });
        var bespoke = gold.WithOverride(TicketPriority.P2, new PriorityTargets(Duration.FromMinutes(30), Duration.FromHours(6)));

        var p1 = gold.For(TicketPriority.P1).For(NewYorkNineToFive);
        Assert.True(p1.Resolution.Calendar.IsAlwaysOpen);
        Assert.Same(NewYorkNineToFive, gold.For(TicketPriority.P2).For(NewYorkNineToFive).FirstResponse.Calendar);
        Assert.Equal(Duration.FromMinutes(30), bespoke.For(TicketPriority.P2).FirstResponse);
        Assert.Equal(Duration.FromHours(1), gold.For(TicketPriority.P2).FirstResponse);
    }

    [Fact]
    public void Every_event_of_the_audit_trail_says_when_and_why()
    {
        var ticket = new TicketScenario(Monday9, TicketScenario.AroundTheClock(4, 8));
        ticket.AfterHours(1).Do(new ChangeStatus(TicketStatus.WaitingOnCustomer));
        ticket.AfterHours(1).Do(new ChangeStatus(TicketStatus.Open));
        ticket.AfterHours(5).Do(new RecordAgentReply());

        Assert.Equal(ticket.Trail.OrderBy(e => e.At).Select(e => e.At), ticket.Trail.Select(e => e.At));
        Assert.All(ticket.Trail, e => Assert.False(string.IsNullOrWhiteSpace(e.Describe())));
        Assert.Contains(ticket.Trail, e => e.Describe().Contains("paused", StringComparison.Ordinal));
        Assert.Contains(ticket.Trail, e => e.Describe().Contains("met late", StringComparison.Ordinal));
    }
}
