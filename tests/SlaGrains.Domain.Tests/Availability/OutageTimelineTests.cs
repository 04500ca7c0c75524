using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class OutageTimelineTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 10, 12, 0);

    private static Instant Minute(int m) => T0 + Duration.FromMinutes(m);

    [Fact]
    public void No_results_means_no_outage()
    {
        Assert.Empty(OutageTimeline.DownIntervals([]));
    }

    [Fact]
    public void By_default_one_failure_confirms_an_outage_that_ends_at_the_next_success()
    {
        var down = OutageTimeline.DownIntervals(
        [
            CheckResult.Up(Minute(0)),
            CheckResult.Down(Minute(1)),
            CheckResult.Down(Minute(2)),
            CheckResult.Up(Minute(3)),
            CheckResult.Up(Minute(4)),
        ]);

        Assert.Equal([new Interval(Minute(1), Minute(3))], down);
    }

    [Fact]
    public void With_three_consecutive_failures_required_two_failures_then_a_success_are_no_outage()
    {
        var down = OutageTimeline.DownIntervals(
            [CheckResult.Down(Minute(0)), CheckResult.Down(Minute(1)), CheckResult.Up(Minute(2))],
            consecutiveFailures: 3);

        Assert.Empty(down);
    }

    [Fact]
    public void A_confirmed_outage_starts_at_the_first_failure_of_the_run_not_at_the_confirming_one()
    {
        var down = OutageTimeline.DownIntervals(
        [
            CheckResult.Up(Minute(0)),
            CheckResult.Down(Minute(1)),
            CheckResult.Down(Minute(2)),
            CheckResult.Down(Minute(3)),
            CheckResult.Down(Minute(4)),
            CheckResult.Up(Minute(5)),
        ],
            consecutiveFailures: 3);

        Assert.Equal([new Interval(Minute(1), Minute(5))], down);
    }

    [Fact]
    public void A_success_resets_the_count_of_consecutive_failures()
    {
        var down = OutageTimeline.DownIntervals(
        [
            CheckResult.Down(Minute(0)),
            CheckResult.Down(Minute(1)),
            CheckResult.Up(Minute(2)),
            CheckResult.Down(Minute(3)),
            CheckResult.Up(Minute(4)),
        ],
            consecutiveFailures: 3);

        Assert.Empty(down);
    }

    [Fact]
    public void An_outage_still_failing_at_the_end_of_the_input_is_open_ended()
    {
        var down = OutageTimeline.DownIntervals([CheckResult.Up(Minute(0)), CheckResult.Down(Minute(7)), CheckResult.Down(Minute(8))]);

        var outage = Assert.Single(down);
        Assert.Equal(Minute(7), outage.Start);
        Assert.False(outage.HasEnd);
    }

    [Fact]
    public void A_run_not_yet_confirmed_at_the_end_of_the_input_is_not_an_outage()
    {
        var down = OutageTimeline.DownIntervals([CheckResult.Down(Minute(0)), CheckResult.Down(Minute(1))], consecutiveFailures: 3);

        Assert.Empty(down);
    }

    [Fact]
    public void Results_arriving_out_of_order_are_sorted_by_instant()
    {
        var down = OutageTimeline.DownIntervals(
            [CheckResult.Up(Minute(3)), CheckResult.Down(Minute(1)), CheckResult.Up(Minute(0)), CheckResult.Down(Minute(2))],
            consecutiveFailures: 2);

        Assert.Equal([new Interval(Minute(1), Minute(3))], down);
    }

    [Fact]
    public void Fewer_than_one_consecutive_failure_is_rejected_naming_the_field()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OutageTimeline.DownIntervals([], consecutiveFailures: 0));

        Assert.Equal("consecutiveFailures", error.ParamName);
    }

    [Fact]
    public void One_of_three_regions_down_leaves_the_monitor_up()
    {
        var down = OutageTimeline.DownIntervals(
        [
            CheckResult.Up(Minute(0), "eu"), CheckResult.Up(Minute(0), "us"), CheckResult.Up(Minute(0), "ap"),
            CheckResult.Down(Minute(1), "eu"), CheckResult.Up(Minute(1), "us"), CheckResult.Up(Minute(1), "ap"),
            CheckResult.Down(Minute(2), "eu"), CheckResult.Up(Minute(2), "us"), CheckResult.Up(Minute(2), "ap"),
        ]);

        Assert.Empty(down);
    }

    [Fact]
    public void Two_of_three_regions_down_take_the_monitor_down_while_both_are_down()
    {
        var down = OutageTimeline.DownIntervals(
        [
            CheckResult.Up(Minute(0), "eu"), CheckResult.Up(Minute(0), "us"), CheckResult.Up(Minute(0), "ap"),
            CheckResult.Down(Minute(1), "eu"), CheckResult.Up(Minute(1), "us"), CheckResult.Up(Minute(1), "ap"),
            CheckResult.Down(Minute(2), "eu"), CheckResult.Down(Minute(2), "us"), CheckResult.Up(Minute(2), "ap"),
            CheckResult.Down(Minute(3), "eu"), CheckResult.Up(Minute(3), "us"), CheckResult.Up(Minute(3), "ap"),
            CheckResult.Up(Minute(4), "eu"), CheckResult.Up(Minute(4), "us"), CheckResult.Up(Minute(4), "ap"),
        ]);

        Assert.Equal([new Interval(Minute(2), Minute(3))], down);
    }

    [Fact]
    public void One_of_two_regions_down_is_not_a_strict_majority()
    {
        var down = OutageTimeline.DownIntervals(
            [CheckResult.Down(Minute(0), "eu"), CheckResult.Up(Minute(0), "us"), CheckResult.Up(Minute(1), "eu")]);

        Assert.Empty(down);
    }

    [Fact]
    public void Each_region_applies_the_consecutive_failure_rule_before_it_counts_toward_the_majority()
    {
        // eu fails 3 times in a row (confirmed from minute 1); us fails twice then recovers (a blip, never confirmed).
        var down = OutageTimeline.DownIntervals(
        [
            CheckResult.Down(Minute(1), "eu"), CheckResult.Down(Minute(1), "us"), CheckResult.Up(Minute(1), "ap"),
            CheckResult.Down(Minute(2), "eu"), CheckResult.Down(Minute(2), "us"), CheckResult.Up(Minute(2), "ap"),
            CheckResult.Down(Minute(3), "eu"), CheckResult.Up(Minute(3), "us"), CheckResult.Up(Minute(3), "ap"),
            CheckResult.Up(Minute(4), "eu"), CheckResult.Up(Minute(4), "us"), CheckResult.Up(Minute(4), "ap"),
        ],
            consecutiveFailures: 3);

        Assert.Empty(down);
    }

    [Fact]
    public void A_majority_still_down_at_the_end_of_the_input_is_an_open_ended_outage()
    {
        var down = OutageTimeline.DownIntervals(
        [
            CheckResult.Up(Minute(0), "eu"), CheckResult.Up(Minute(0), "us"), CheckResult.Up(Minute(0), "ap"),
            CheckResult.Down(Minute(1), "eu"), CheckResult.Up(Minute(1), "us"), CheckResult.Down(Minute(1), "ap"),
        ]);

        var outage = Assert.Single(down);
        Assert.Equal(Minute(1), outage.Start);
        Assert.False(outage.HasEnd);
    }

    [Fact]
    public void A_month_of_minute_checks_yields_one_interval_per_failure_run()
    {
        // 10,080 results: one per minute for a week, failing for 3 minutes at the top of every hour.
        var results = Enumerable.Range(0, 7 * 24 * 60)
            .Select(m => m % 60 < 3 ? CheckResult.Down(Minute(m)) : CheckResult.Up(Minute(m)))
            .Reverse()
            .ToList();

        var down = OutageTimeline.DownIntervals(results, consecutiveFailures: 2);

        Assert.Equal(7 * 24, down.Count);
        Assert.All(down, d => Assert.Equal(Duration.FromMinutes(3), d.Duration));
    }
}
