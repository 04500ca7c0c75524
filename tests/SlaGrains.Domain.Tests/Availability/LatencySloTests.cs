using System.Collections.Immutable;
using FsCheck.Xunit;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Domain.Tests.Availability;

public class LatencySloTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 6, 15, 12, 0);

    private static readonly LatencyObjective Slo = new(500, 99m);

    private static CheckResult Up(Instant at, int ms) => new(at, CheckOutcome.Up, null, Duration.FromMilliseconds(ms));

    [Fact]
    public void The_budget_is_the_bad_checks_the_objective_allows_and_what_is_left_of_it()
    {
        // 990 good of 1,000 against 99 %: 10 bad allowed, 10 used, nothing left, exactly met.
        var exact = EventRatioBudget.Of(990, 1_000, 99m);
        Assert.Equal(10m, exact.Budget);
        Assert.Equal(10, exact.Used);
        Assert.Equal(0m, exact.Remaining);
        Assert.Equal(0m, exact.RemainingPercent);
        Assert.Equal(99m, exact.SliPercent);
        Assert.True(exact.Met);
        Assert.Equal(1m, exact.BurnRate);

        // 996 good of 1,000: 4 of 10 used, 60 % left, burning at 0.4×.
        var good = EventRatioBudget.Of(996, 1_000, 99m);
        Assert.Equal(6m, good.Remaining);
        Assert.Equal(60m, good.RemainingPercent);
        Assert.Equal(0.4m, good.BurnRate);

        // 970 good of 1,000: 30 used of 10, 200 % over, burning at 3×, missed.
        var bad = EventRatioBudget.Of(970, 1_000, 99m);
        Assert.Equal(-20m, bad.Remaining);
        Assert.Equal(-200m, bad.RemainingPercent);
        Assert.Equal(3m, bad.BurnRate);
        Assert.False(bad.Met);
    }

    [Fact]
    public void Figures_are_exact_fractions_rounded_toward_zero_and_decisions_are_exact()
    {
        // 2 good of 3: 66.6666… % shown as 66.6666; against 99.9 %: budget 0.003 checks, burn rate (1/3) / 0.001 = 333.333….
        var b = EventRatioBudget.Of(2, 3, 99.9m);
        Assert.Equal(66.6666m, b.SliPercent);
        Assert.Equal(0.003m, b.Budget);
        Assert.Equal(333.3333m, b.BurnRate);
        Assert.True(b.IsBurningAtLeast(333.3333m));
        Assert.False(b.IsBurningAtLeast(333.3334m));

        // 14.4× exactly: 144 bad of 10,000 against 99.9 % → 1.44 % ÷ 0.1 %; the alert's ≥ holds on the exact figure.
        var edge = EventRatioBudget.Of(10_000 - 144, 10_000, 99.9m);
        Assert.Equal(14.4m, edge.BurnRate);
        Assert.True(edge.IsBurningAtLeast(14.4m));
        Assert.False(EventRatioBudget.Of(10_000 - 143, 10_000, 99.9m).IsBurningAtLeast(14.4m));
    }

    [Fact]
    public void Without_events_nothing_is_measured_and_nothing_burns()
    {
        var none = EventRatioBudget.Of(0, 0, 99m);
        Assert.Null(none.SliPercent);
        Assert.Null(none.Met);
        Assert.Null(none.RemainingPercent);
        Assert.Equal(0m, none.BurnRate);
        Assert.False(none.IsBurningAtLeast(0.0001m));
    }

    [Theory]
    [InlineData(-1, 0, 99)]
    [InlineData(2, 1, 99)]
    [InlineData(1, 1, 0)]
    [InlineData(1, 1, 100)]
    public void Counts_out_of_order_or_an_objective_outside_0_to_100_are_refused(long good, long total, int objective)
        => Assert.Throws<ArgumentOutOfRangeException>(() => EventRatioBudget.Of(good, total, objective));

    [Property]
    public bool Used_plus_remaining_is_the_budget_and_burn_rate_1_means_exactly_spent(ushort goodPart, ushort badPart, byte objectiveTenths)
    {
        var objective = 90m + (objectiveTenths % 100 / 10m); // 90.0 – 99.9
        var b = EventRatioBudget.Of(goodPart, goodPart + (long)badPart, objective);
        var consistent = b.Used + b.Remaining == b.Budget && b.Used == badPart;
        var budgetLeftMeansBurningSlowerThanSustainable = (b.Remaining > 0m) == (b.Total > 0 && !b.IsBurningAtLeast(1m));
        return consistent && budgetLeftMeansBurningSlowerThanSustainable;
    }

    [Property]
    public bool Another_bad_check_never_lowers_the_burn_rate_nor_raises_the_sli(ushort good, ushort bad)
    {
        var before = EventRatioBudget.Of(good, good + (long)bad, 99.5m);
        var after = EventRatioBudget.Of(good, good + (long)bad + 1, 99.5m);
        return after.BurnRate >= before.BurnRate && (before.SliPercent is null || after.SliPercent <= before.SliPercent);
    }

    [Fact]
    public void A_check_is_good_when_up_and_answered_within_the_threshold_and_failures_count_as_not_good()
    {
        Assert.True(Slo.IsGood(Up(Now, 500)));
        Assert.False(Slo.IsGood(Up(Now, 501)));
        Assert.True(LatencyObjective.Counts(CheckResult.Down(Now)));
        Assert.False(Slo.IsGood(new CheckResult(Now, CheckOutcome.Down, null, Duration.FromMilliseconds(10))));

        // A pushed up result that did not say how long it took measured no latency: left out of both counts.
        Assert.False(LatencyObjective.Counts(CheckResult.Up(Now)));
        var counts = LatencyCounts.From([Up(Now, 100), Up(Now, 900), CheckResult.Down(Now), CheckResult.Up(Now)], Slo);
        var window = counts.In(Now + Duration.FromMinutes(1), Duration.FromMinutes(5), Slo.ObjectivePercent);
        Assert.Equal((1L, 3L), (window.Good, window.Total));
    }

    [Theory]
    [InlineData(0, 99, "thresholdMs")]
    [InlineData(60_001, 99, "thresholdMs")]
    [InlineData(500, 0, "objectivePercent")]
    [InlineData(500, 100, "objectivePercent")]
    public void An_objective_out_of_bounds_names_its_field(int thresholdMs, int objective, string field)
        => Assert.Equal(field, new LatencyObjective(thresholdMs, objective).Problem()?.Field);

    [Fact]
    public void Counts_are_kept_per_minute_for_the_longest_window_and_no_longer()
    {
        var old = Up(Now - Duration.FromDays(3) - Duration.FromMinutes(2), 100);
        var counts = LatencyCounts.From([old, Up(Now, 100), Up(Now + Duration.FromSeconds(30), 100)], Slo);

        var bucket = Assert.Single(counts.Buckets);
        Assert.Equal(new EventBucket(Now, 2, 2), bucket);
    }

    [Fact]
    public void Latency_page_fast_fires_when_the_hour_and_the_last_five_minutes_both_burn_14_4_times()
    {
        // A check a minute for the hour before now; the last 10 minutes are all slow. Against 99 %:
        // short window 5/5 bad = 100×, long window 10/60 bad = 16.6666× — both ≥ 14.4.
        var results = Enumerable.Range(1, 60).Select(m => Up(Now - Duration.FromMinutes(m), m <= 10 ? 2_000 : 100));
        var counts = LatencyCounts.From(results, Slo);

        var statuses = LatencyBurnRate.Evaluate(counts, Slo, Now);

        var fast = Assert.Single(statuses, s => s.Alert.Name == "latency-page-fast");
        Assert.True(fast.IsFiring);
        Assert.Equal(100m, fast.ShortWindowBurnRate);
        Assert.Equal(16.6666m, fast.LongWindowBurnRate);
        Assert.Equal(AlertSeverity.Page, fast.Alert.Severity);
        Assert.True(LatencyBurnRate.IsLatency(fast.Alert.Name));
        Assert.False(LatencyBurnRate.IsLatency(BurnRateAlert.PageFast.Name));
    }

    [Fact]
    public void Latency_alerts_stay_quiet_on_a_short_spike_the_hour_absorbs()
    {
        // 2 slow checks of 60: 20× over the last 5 minutes but 3.3333× over the hour.
        var results = Enumerable.Range(1, 60).Select(m => Up(Now - Duration.FromMinutes(m), m <= 2 ? 2_000 : 100));

        var fast = Assert.Single(LatencyBurnRate.Evaluate(LatencyCounts.From(results, Slo), Slo, Now), s => s.Alert.Name == "latency-page-fast");

        Assert.Equal(40m, fast.ShortWindowBurnRate);
        Assert.Equal(3.3333m, fast.LongWindowBurnRate);
        Assert.False(fast.IsFiring);
    }

    [Fact]
    public void A_monitor_with_a_latency_slo_starts_and_stops_its_latency_alerts_beside_the_availability_ones()
    {
        var policy = new MonitorPolicy(2, 99.9m, Duration.FromHours(48), [], Latency: Slo);
        var configured = MonitorRules.Decide(null, new ConfigureMonitor("m", policy), Now - Duration.FromHours(2)).State!;

        // An hour of slow (but up) checks: no incident, but every latency check is bad.
        var slow = Enumerable.Range(0, 60).Select(m => Up(Now - Duration.FromMinutes(60 - m), 3_000)).ToImmutableArray();
        var decided = MonitorRules.Decide(configured, new RecordResults(slow), Now);

        Assert.True(decided.IsAccepted);
        var started = decided.Events.OfType<BurnRateAlertStarted>().Select(e => e.Status.Alert.Name).ToList();
        Assert.Contains("latency-page-fast", started);
        Assert.DoesNotContain("page-fast", started);
        Assert.Empty(decided.State!.Incidents);

        // Fast answers again: the short window clears and the page stops.
        var fast = Enumerable.Range(1, 10).Select(m => Up(Now + Duration.FromMinutes(m), 100)).ToImmutableArray();
        var later = MonitorRules.Decide(decided.State, new RecordResults(fast), Now + Duration.FromMinutes(11));
        Assert.Contains(later.Events.OfType<BurnRateAlertStopped>(), e => e.Status.Alert.Name == "latency-page-fast");
    }

    [Fact]
    public void Removing_the_latency_slo_stops_its_firing_alerts_and_a_new_threshold_judges_the_kept_results_again()
    {
        var policy = new MonitorPolicy(2, 99.9m, Duration.FromHours(48), [], Latency: Slo);
        var configured = MonitorRules.Decide(null, new ConfigureMonitor("m", policy), Now - Duration.FromHours(2)).State!;
        var slow = Enumerable.Range(0, 60).Select(m => Up(Now - Duration.FromMinutes(60 - m), 3_000)).ToImmutableArray();
        var firing = MonitorRules.Decide(configured, new RecordResults(slow), Now).State!;
        Assert.Contains(firing.FiringAlerts, a => a.Name == "latency-page-fast");

        var lenient = MonitorRules.Decide(firing, new ConfigureMonitor("m", policy with { Latency = new LatencyObjective(5_000, 99m) }), Now);
        Assert.Contains(lenient.Events.OfType<BurnRateAlertStopped>(), e => e.Status.Alert.Name == "latency-page-fast");
        Assert.Equal(60, lenient.State!.LatencyCounts.Buckets.Sum(b => b.Good));

        var refired = MonitorRules.Decide(firing, new ConfigureMonitor("m", policy with { Latency = null }), Now);
        Assert.DoesNotContain(refired.State!.FiringAlerts, a => LatencyBurnRate.IsLatency(a.Name));
        Assert.Empty(refired.State.LatencyCounts.Buckets);
    }
}
