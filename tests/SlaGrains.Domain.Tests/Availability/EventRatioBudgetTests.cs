using FsCheck.Xunit;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class EventRatioBudgetTests
{
    [Fact]
    public void A_million_requests_at_99_9_allow_a_thousand_bad_ones()
    {
        var budget = EventRatioBudget.Of(good: 999_600, total: 1_000_000, objectivePercent: 99.9m);

        Assert.Equal(1_000m, budget.Budget);
        Assert.Equal(400, budget.Used);
        Assert.Equal(600m, budget.Remaining);
        Assert.Equal(60m, budget.RemainingPercent);
        Assert.Equal(99.96m, budget.SliPercent);
        Assert.Equal(0.4m, budget.BurnRate);
        Assert.False(budget.IsOverspent);
    }

    [Fact]
    public void Overspending_makes_remaining_negative_and_the_burn_rate_above_one()
    {
        // 30 bad of 10,000 at 99.9 %: 10 allowed, 20 over, −200 % remaining, burning 3× the sustainable rate.
        var budget = EventRatioBudget.Of(9_970, 10_000, 99.9m);

        Assert.Equal(10m, budget.Budget);
        Assert.Equal(-20m, budget.Remaining);
        Assert.Equal(-200m, budget.RemainingPercent);
        Assert.Equal(3m, budget.BurnRate);
        Assert.True(budget.IsOverspent);
        Assert.True(budget.IsBurningAtLeast(3m));
        Assert.False(budget.IsBurningAtLeast(3.0001m));
    }

    [Fact]
    public void Ratios_are_rounded_toward_zero_to_4_decimals_but_budgets_stay_exact()
    {
        // 1 bad of 3 at 99.95 %: budget 0.0015 events, SLI 66.6666…%, burn rate 666.6666…
        var budget = EventRatioBudget.Of(2, 3, 99.95m);

        Assert.Equal(0.0015m, budget.Budget);
        Assert.Equal(-0.9985m, budget.Remaining);
        Assert.Equal(66.6666m, budget.SliPercent);
        Assert.Equal(666.6666m, budget.BurnRate);
        Assert.Equal(-66566.6666m, budget.RemainingPercent);
    }

    [Fact]
    public void Without_events_there_is_no_SLI_no_budget_and_no_burn()
    {
        var budget = EventRatioBudget.Of(0, 0, 99m);

        Assert.Null(budget.SliPercent);
        Assert.Null(budget.RemainingPercent);
        Assert.Equal(0m, budget.Budget);
        Assert.Equal(0m, budget.BurnRate);
        Assert.False(budget.IsBurningAtLeast(1m));
    }

    [Fact]
    public void The_fast_burn_threshold_is_met_exactly_at_14_4_times()
    {
        // At 99.9 %, 14.4× is a bad fraction of 1.44 %: 144 of 10,000.
        Assert.True(EventRatioBudget.Of(10_000 - 144, 10_000, 99.9m).IsBurningAtLeast(14.4m));
        Assert.False(EventRatioBudget.Of(10_000 - 143, 10_000, 99.9m).IsBurningAtLeast(14.4m));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(-1)]
    public void An_objective_outside_0_to_100_is_refused(decimal objective)
        => Assert.Throws<ArgumentOutOfRangeException>(() => EventRatioBudget.Of(1, 1, objective));

    [Fact]
    public void Good_above_total_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => EventRatioBudget.Of(2, 1, 99m));

    [Property]
    public bool The_budget_is_never_negative_and_used_plus_remaining_is_the_budget(long good, long bad, byte objectiveTenths)
    {
        var (g, b) = (Math.Abs(good % 1_000_000_000_000), Math.Abs(bad % 1_000_000_000_000));
        var objective = 90m + ((objectiveTenths % 99) / 10m) + 0.05m;
        var budget = EventRatioBudget.Of(g, g + b, objective);

        return budget.Budget >= 0m && budget.Used + budget.Remaining == budget.Budget && budget.Used == b;
    }

    [Property]
    public bool The_burn_rate_is_the_exact_bad_fraction_over_the_allowance_truncated(long good, long bad, byte objectiveTenths)
    {
        var (g, b) = (Math.Abs(good % 1_000_000), Math.Abs(bad % 1_000_000) + 1);
        var objective = 90m + ((objectiveTenths % 99) / 10m) + 0.05m;
        var budget = EventRatioBudget.Of(g, g + b, objective);

        // burnRate ≤ exact < burnRate + 0.0001, checked by cross-multiplying with the exact fraction.
        var exactNumerator = (System.Numerics.BigInteger)b * 100 * 10_000;
        var exactDenominator = (System.Numerics.BigInteger)(g + b) * (long)((100m - objective) * 10_000m);
        var scaled = new System.Numerics.BigInteger(budget.BurnRate * 10_000m);
        return scaled * exactDenominator <= exactNumerator * 10_000 && exactNumerator * 10_000 < (scaled + 1) * exactDenominator;
    }

    [Property]
    public bool Of_the_same_events_more_bad_ones_never_leave_more_budget(long good, long bad, long turnedBad)
    {
        var (g, b) = (Math.Abs(good % 1_000_000_000), Math.Abs(bad % 1_000_000_000));
        var t = g == 0 ? 0 : Math.Abs(turnedBad % (g + 1));
        var before = EventRatioBudget.Of(g, g + b, 99.9m);
        var after = EventRatioBudget.Of(g - t, g + b, 99.9m);

        return after.Remaining <= before.Remaining && after.BurnRate >= before.BurnRate
            && (after.RemainingPercent is not { } a || before.RemainingPercent is not { } p || a <= p);
    }
}
