using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Customers;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>
/// The month in progress from the customer grain with the cluster's clock on May 3rd: the demo's "not met" and
/// "Credit if the month ended now: 1,480 USD" after 10 of 44.6 budget minutes, fixed. The monitor is measured from
/// April 1st until now, so none of May so far is unknown time.
/// </summary>
public sealed class MonthInProgressTests(ShiftedClockClusterFixture fixture) : IClassFixture<ShiftedClockClusterFixture>
{
    private readonly string _database = fixture.DatabasePath;
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Ten_of_44_point_6_budget_minutes_is_at_risk_not_not_met_and_credits_nothing_if_nothing_else_fails()
    {
        ShiftedClock.For(_database).Set(Instant.FromUtc(2026, 5, 3, 12, 0));
        var id = $"customer-{Guid.NewGuid():N}";
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var down = Instant.FromUtc(2026, 5, 2, 10, 0);
        var grain = _cluster.Grains.GetGrain<IMonitorGrain>(monitor);
        Assert.True((await grain.Configure(new MonitorSettings(id, monitor, true, 1, 99.98m, StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
        var history = MeasuredHistory.Between(Instant.FromUtc(2026, 4, 1, 0, 0), Instant.FromUtc(2026, 5, 3, 12, 0), new Interval(down, down + Duration.FromMinutes(10)));
        Assert.True((await grain.IngestBatch([.. history])).Accepted);
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetAgreement(new ServiceAgreement(id, 99.9m, 14_800m, "USD"))).Accepted);
        Assert.True((await customer.SetCalendar(BusinessCalendar.Create("UTC", WeeklySchedule.Weekdays("09:00", "17:00")))).Accepted);
        Assert.True((await customer.SetComponents([new CustomerComponent(monitor, true)])).Accepted);

        var month = (await customer.GetMonthToDate())!;

        Assert.True(month.SlaMet);
        Assert.Equal(MonthOutlook.AtRisk, month.Outlook);
        Assert.Equal("at risk", month.OutlookText);
        Assert.Equal(Duration.FromMinutes(10), month.Downtime);
        Assert.Equal(Duration.FromMinutes(44) + Duration.FromMilliseconds(38_400), month.Budget);
        Assert.Equal(month.Budget - Duration.FromMinutes(10), month.BudgetRemaining);
        Assert.Equal(0m, month.ProjectedCreditAmount);
        Assert.True(month.ProjectedUptimePercent >= 99.9m);
        Assert.True(month.CreditAmountAtBurnRate > 0m);
        Assert.True(month.ProjectedDowntimeAtBurnRate > month.Budget);
        Assert.Equal(100m, month.CoveragePercent);
        Assert.False(month.InsufficientDataSoFar);
    }
}
