using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class ErrorBudgetTests
{
    private static readonly Interval June2026 = ReportingPeriod.Month(new YearMonth(2026, 6), DateTimeZone.Utc); // 30 days

    private static Interval Down(int day, int hour, Duration length)
    {
        var start = Instant.FromUtc(2026, 6, day, hour, 0);
        return new Interval(start, start + length);
    }

    [Fact]
    public void An_untouched_budget_is_the_whole_allowance_with_100_percent_remaining()
    {
        var budget = ErrorBudget.Of(AvailabilityReport.Compute(June2026, []), 99.9m);

        Assert.Equal(Duration.FromSeconds(2_592), budget.Budget);
        Assert.Equal(Duration.Zero, budget.Used);
        Assert.Equal(budget.Budget, budget.Remaining);
        Assert.Equal(100m, budget.PercentRemaining);
        Assert.False(budget.IsOverspent);
    }

    [Fact]
    public void Half_the_allowance_down_leaves_50_percent_of_the_budget()
    {
        var budget = ErrorBudget.Of(AvailabilityReport.Compute(June2026, [Down(3, 10, Duration.FromSeconds(1_296))]), 99.9m);

        Assert.Equal(Duration.FromSeconds(1_296), budget.Remaining);
        Assert.Equal(50m, budget.PercentRemaining);
    }

    [Fact]
    public void Error_budget_remaining_goes_negative_once_downtime_exceeds_the_allowance()
    {
        // One hour down against 43 min 12 s allowed: 16 min 48 s over, −38.8888…% remaining.
        var budget = ErrorBudget.Of(AvailabilityReport.Compute(June2026, [Down(3, 10, Duration.FromHours(1))]), 99.9m);

        Assert.Equal(Duration.FromHours(1), budget.Used);
        Assert.Equal(-(Duration.FromMinutes(16) + Duration.FromSeconds(48)), budget.Remaining);
        Assert.Equal(-38.8888m, budget.PercentRemaining);
        Assert.True(budget.IsOverspent);
    }

    [Fact]
    public void Excluded_maintenance_shrinks_the_budget_and_does_not_use_it()
    {
        var maintenance = new MaintenanceWindow(Instant.FromUtc(2026, 6, 20, 0, 0), Instant.FromUtc(2026, 6, 21, 0, 0), announcedAt: null);
        var report = AvailabilityReport.Compute(June2026, [Down(20, 1, Duration.FromHours(1))], [maintenance]);

        var budget = ErrorBudget.Of(report, 99.9m);

        Assert.Equal(Duration.FromMilliseconds(2_505_600), budget.Budget); // 0.1 % of 29 days
        Assert.Equal(Duration.Zero, budget.Used);
    }

    [Fact]
    public void A_100_percent_target_has_no_budget_and_no_percentage_remaining()
    {
        var clean = ErrorBudget.Of(AvailabilityReport.Compute(June2026, []), 100m);
        var hit = ErrorBudget.Of(AvailabilityReport.Compute(June2026, [Down(3, 10, Duration.FromSeconds(1))]), 100m);

        Assert.Equal(Duration.Zero, clean.Budget);
        Assert.Null(clean.PercentRemaining);
        Assert.False(clean.IsOverspent);
        Assert.Null(hit.PercentRemaining);
        Assert.True(hit.IsOverspent);
    }

    [Fact]
    public void A_target_of_zero_is_rejected_naming_the_field()
    {
        var report = AvailabilityReport.Compute(June2026, []);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ErrorBudget.Of(report, 0m));

        Assert.Equal("targetPercent", error.ParamName);
    }
}
