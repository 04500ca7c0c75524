using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Tests.Credits;

public class CreditTrendsTests
{
    private static readonly YearMonth January = new(2026, 1);

    /// <summary>Consecutive months from January with these totals (one customer each).</summary>
    private static IReadOnlyList<MonthCreditSummary> Months(params decimal[] totals)
        => CreditTrends.PerMonth(totals.Select((t, i) => new CreditPoint("acme", January.PlusMonths(i), t)), January, January.PlusMonths(Math.Max(totals.Length, 1) - 1))
            .Take(totals.Length).ToList();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Fewer_than_six_months_is_not_enough_data_and_divides_nothing(int count)
    {
        var trend = CreditTrends.Trend(Months([.. Enumerable.Repeat(0m, count)]));

        Assert.Equal(CreditTrendDirection.NotEnoughData, trend.Direction);
        Assert.Null(trend.ChangePercent);
        Assert.Contains("Not enough data", trend.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Six_months_with_more_than_ten_percent_more_in_the_last_three_is_increasing()
    {
        var trend = CreditTrends.Trend(Months(100m, 100m, 100m, 100m, 150m, 100m));

        Assert.Equal(CreditTrendDirection.Increasing, trend.Direction);
        Assert.Equal(350m, trend.LastThreeMonths);
        Assert.Equal(300m, trend.PreviousThreeMonths);
        Assert.Equal(16.7m, trend.ChangePercent);
    }

    [Fact]
    public void More_than_ten_percent_less_is_improving()
        => Assert.Equal(CreditTrendDirection.Improving, CreditTrends.Trend(Months(100m, 100m, 100m, 100m, 50m, 100m)).Direction);

    [Theory]
    [InlineData(330)]
    [InlineData(270)]
    [InlineData(300)]
    public void Exactly_ten_percent_either_way_or_less_is_stable(int lastThree)
        => Assert.Equal(CreditTrendDirection.Stable, CreditTrends.Trend(Months(100m, 100m, 100m, lastThree, 0m, 0m)).Direction);

    [Fact]
    public void Only_the_last_six_of_more_months_count()
    {
        // A huge first month does not make the later, rising months look like an improvement.
        var trend = CreditTrends.Trend(Months(10_000m, 10m, 10m, 10m, 20m, 20m, 20m));

        Assert.Equal(CreditTrendDirection.Increasing, trend.Direction);
        Assert.Equal(30m, trend.PreviousThreeMonths);
    }

    [Fact]
    public void Credits_after_three_months_without_any_are_increasing_without_a_ratio()
    {
        var trend = CreditTrends.Trend(Months(0m, 0m, 0m, 0m, 0m, 50m));

        Assert.Equal(CreditTrendDirection.Increasing, trend.Direction);
        Assert.Null(trend.ChangePercent);
    }

    [Fact]
    public void No_credits_at_all_in_six_months_is_stable()
        => Assert.Equal(CreditTrendDirection.Stable, CreditTrends.Trend(Months(0m, 0m, 0m, 0m, 0m, 0m)).Direction);

    [Fact]
    public void Per_month_counts_accounts_with_credits_and_the_largest_and_fills_empty_months_with_zero()
    {
        var months = CreditTrends.PerMonth(
            [new CreditPoint("acme", January, 100m), new CreditPoint("globex", January, 250m), new CreditPoint("initech", January, 0m), new CreditPoint("acme", January.PlusMonths(2), 40m)],
            January,
            January.PlusMonths(2));

        Assert.Equal(new MonthCreditSummary(January, 350m, 2, 250m), months[0]);
        Assert.Equal(new MonthCreditSummary(January.PlusMonths(1), 0m, 0, 0m), months[1]);
        Assert.Equal(new MonthCreditSummary(January.PlusMonths(2), 40m, 1, 40m), months[2]);
    }
}
