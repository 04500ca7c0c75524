using FsCheck.Xunit;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using static SlaGrains.Domain.Tests.Calendars.CalendarFixtures;

namespace SlaGrains.Domain.Tests.Tickets;

/// <summary>Warning thresholds per priority: carried from the policy into each ticket's clocks, and re-armed when they change.</summary>
public class WarningThresholdTests
{
    private static readonly Instant Monday9 = Utc("2026-11-23T14:00:00Z");

    /// <summary>24×7 targets in hours with the given warnings (none given: the policy default, 75 %).</summary>
    private static TicketTargets Targets(double firstResponseHours, double resolutionHours, params int[] warnings)
        => new PriorityTargets(
            Duration.FromMinutes(firstResponseHours * 60),
            Duration.FromMinutes(resolutionHours * 60),
            coverage: CoverageHours.AroundTheClock,
            warnings: warnings.Length == 0 ? null : new WarningThresholds(warnings)).For(BusinessCalendar.AlwaysOpen);

    [Fact]
    public void Warnings_are_kept_ascending_and_distinct_between_1_and_99()
    {
        Assert.Equal<int>([50, 75, 90], new WarningThresholds([90, 50, 75]).Percents);
        Assert.Equal(new WarningThresholds([75, 50]), new WarningThresholds([50, 75]));
        Assert.Equal("50, 75 and 90 %", new WarningThresholds([90, 50, 75]).ToString());
        Assert.Equal<int>([75], new PriorityTargets(Duration.FromHours(1), Duration.FromHours(4)).Warnings.Percents);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarningThresholds([0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarningThresholds([100]));
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new WarningThresholds([50, 50])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ticket_warns_at_its_priority_s_percents_then_breaches()
    {
        var ticket = new TicketScenario(Monday9, Targets(10, 100, 50, 90));

        var fired = ticket.AfterHours(10).Do(new CheckDeadlines());

        Assert.Equal([50, 90], fired.OfType<ClockWarned>().Select(w => w.Percent));
        Assert.Equal([5.0, 9.0, 10.0], fired.Select(e => (e.At - Monday9).TotalHours));
        Assert.IsType<ClockBreached>(fired[^1]);
    }

    [Fact]
    public void Targets_stored_without_warnings_fall_back_to_the_ticket_s_options()
    {
        var legacy = Targets(10, 100) with { Warnings = null };
        var ticket = new TicketScenario(Monday9, legacy, options: new SlaClockOptions(warningPercents: [60]));

        var fired = ticket.AfterHours(10).Do(new CheckDeadlines());

        Assert.Equal([60], fired.OfType<ClockWarned>().Select(w => w.Percent));
    }

    [Fact]
    public void A_priority_with_no_warnings_only_breaches()
    {
        var ticket = new TicketScenario(Monday9, Targets(10, 100) with { Warnings = new WarningThresholds([]) });

        var fired = ticket.AfterHours(10).Do(new CheckDeadlines());

        Assert.IsType<ClockBreached>(Assert.Single(fired));
    }

    [Fact]
    public void New_warnings_arm_the_thresholds_ahead_and_never_fire_those_already_passed()
    {
        var ticket = new TicketScenario(Monday9, Targets(4, 8));
        ticket.Do(new RecordAgentReply());

        // 5 h of 8 h = 62.5 %: 50 and 60 are behind the clock, 75 and 90 ahead.
        var changed = ticket.AfterHours(5).Do(new ChangeTargets(Targets(4, 8, 50, 60, 75, 90), "warnings 75 → 50/60/75/90 %"));

        Assert.Empty(changed.OfType<ClockWarned>());
        var retargeted = Assert.Single(changed.OfType<ClockRetargeted>());
        Assert.Equal("Resolution target 8:00:00 kept at 5:00:00 elapsed, re-armed: warnings 75 → 50/60/75/90 %", retargeted.Describe());
        Assert.Equal(new SlaDeadline(SlaMetric.Resolution, 75, Monday9 + Duration.FromHours(6)), ticket.State.NextDeadline());
        var later = ticket.AfterHours(3).Do(new CheckDeadlines());
        Assert.Equal([75, 90], later.OfType<ClockWarned>().Select(w => w.Percent));
        Assert.Single(later.OfType<ClockBreached>());
    }

    [Fact]
    public void A_warning_already_fired_stays_fired_when_the_warnings_change()
    {
        var ticket = new TicketScenario(Monday9, Targets(4, 8));
        ticket.Do(new RecordAgentReply());
        Assert.Single(ticket.AfterHours(6.5).Do(new CheckDeadlines()).OfType<ClockWarned>()); // 75 % at 6 h

        var changed = ticket.Do(new ChangeTargets(Targets(4, 8, 75, 90), "warnings 75 → 75/90 %"));

        Assert.Empty(changed.OfType<ClockWarned>());
        Assert.Equal(new SlaDeadline(SlaMetric.Resolution, 90, Monday9 + Duration.FromMinutes(432)), ticket.State.NextDeadline());
    }

    [Fact]
    public void A_breached_clock_stays_breached_when_the_warnings_change()
    {
        var ticket = new TicketScenario(Monday9, Targets(4, 8));
        ticket.AfterHours(9).Do(new CheckDeadlines());

        var changed = ticket.Do(new ChangeTargets(Targets(4, 8, 50, 90), "warnings 75 → 50/90 %"));

        Assert.Empty(changed.OfType<ClockWarned>());
        Assert.Empty(changed.OfType<ClockBreached>());
        Assert.Equal(ClockState.BreachedRunning, ticket.Clock(SlaMetric.Resolution).State);
        Assert.Null(ticket.State.NextDeadline());
    }

    [Fact]
    public void A_threshold_only_the_shorter_target_puts_behind_the_clock_fires_at_the_change()
    {
        var ticket = new TicketScenario(Monday9, Targets(4, 8, 50));
        ticket.Do(new RecordAgentReply());

        // 3 h of 8 h is 37.5 %; of a 4 h target it is 75 %: 50 is crossed by the change itself, so it fires.
        var changed = ticket.AfterHours(3).Do(new ChangeTargets(Targets(2, 4, 50, 90), "moved to Gold"));

        Assert.Equal([50], changed.OfType<ClockWarned>().Select(w => w.Percent));
        Assert.Equal(ticket.Now, changed.OfType<ClockWarned>().Single().At);
        Assert.Equal(new SlaDeadline(SlaMetric.Resolution, 90, ticket.Now + Duration.FromMinutes(36)), ticket.State.NextDeadline());
    }

    [Fact]
    public void Replaying_the_events_of_a_warnings_change_gives_the_same_clocks()
    {
        var ticket = new TicketScenario(Monday9, Targets(4, 8));
        ticket.AfterHours(5).Do(new ChangeTargets(Targets(4, 8, 50, 60, 90), "warnings changed"));
        ticket.AfterHours(1).Do(new CheckDeadlines());

        var replayed = TicketSla.Fold(null, ticket.Trail)!;

        Assert.Equal(ticket.State.Clocks.ToArray(), replayed.Clocks.ToArray());
    }

    /// <summary>
    /// Whatever the warnings before and after, and however far the clock has run, changing only the warnings emits
    /// no warning at the change; afterwards exactly the new percents still ahead of the clock fire, once each, in order.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Changing_warnings_never_emits_a_warning_for_a_percent_already_elapsed(int[] before, int[] after, int elapsedMinutes)
    {
        var target = Duration.FromHours(8);
        var oldWarnings = Percents(before);
        var newWarnings = Percents(after);
        var elapsed = Duration.FromMinutes(Math.Abs(elapsedMinutes % (8 * 60)));
        var ticket = new TicketScenario(Monday9, Targets(8, 8) with { Warnings = new WarningThresholds(oldWarnings) });
        ticket.Do(new RecordAgentReply());
        ticket.After(elapsed).Do(new CheckDeadlines());

        var atChange = ticket.Do(new ChangeTargets(Targets(8, 8) with { Warnings = new WarningThresholds(newWarnings) }, "warnings changed"));
        var afterwards = ticket.AfterHours(9).Do(new CheckDeadlines());

        var ahead = newWarnings.Where(p => MetricClock.Share(target, p) > elapsed).ToArray();
        return !atChange.OfType<ClockWarned>().Any()
            && afterwards.OfType<ClockWarned>().Select(w => w.Percent).SequenceEqual(ahead)
            && afterwards.OfType<ClockBreached>().Count() == 1;
    }

    private static int[] Percents(int[]? raw) => [.. (raw ?? []).Select(p => 1 + Math.Abs(p % 99)).Distinct().Take(5).Order()];
}
