using System.Globalization;
using SlaGrains.Application.Reports;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Application.Tests.Reports;

/// <summary>
/// The manager report's per-month series (what the charts on /reports draw): the same closed months, incidents and
/// breaches as the totals, split by month, so a chart and the figures beside it cannot disagree.
/// </summary>
public sealed class ManagerReportSeriesTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private ManagerReports Reports => world.Get<ManagerReports>();

    private static string Name(YearMonth month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_per_month_series_splits_the_totals_by_month_and_adds_up_to_them()
    {
        var group = $"g-{Guid.NewGuid():N}";
        var last = ContractScenario.LastMonth;
        var months = new[] { last.PlusMonths(-2), last.PlusMonths(-1), last };
        var breaching = await ContractScenario.CustomerAsync(world, group);
        var steady = await ContractScenario.CustomerAsync(world, group);
        var unmeasured = await ContractScenario.CustomerAsync(world, group);

        // Two hours down in the first two months (99.9 % allows about 44 minutes); the unmeasured one's monitor never had a result.
        await ContractScenario.MonitorAsync(world, breaching, ContractScenario.Outage(months[0], 120), ContractScenario.Outage(months[1], 120));
        await ContractScenario.MonitorAsync(world, steady);
        await UnmeasuredAsync(unmeasured);
        await ContractScenario.CloseAsync(world, breaching, months);
        await ContractScenario.CloseAsync(world, steady, months);
        await ContractScenario.CloseAsync(world, unmeasured, months);

        var r = (await Reports.Build(world.Manager, new ManagerReportInput(Name(months[0]), Name(last), Group: group))).Value!;

        Assert.Equal(months, r.PerMonth.Select(m => m.Month));
        Assert.Equal(
            [(3, 1, 1, 1, 50m, 1), (3, 1, 1, 1, 50m, 1), (3, 2, 0, 1, 100m, 0)],
            r.PerMonth.Select(m => (m.Closed, m.Met, m.Missed, m.InsufficientData, m.CompliancePercent!.Value, m.Incidents)));
        Assert.Equal(r.Months, r.PerMonth.Sum(m => m.Closed));
        Assert.Equal(r.MonthsMet, r.PerMonth.Sum(m => m.Met));
        Assert.Equal(r.MonthsInsufficientData, r.PerMonth.Sum(m => m.InsufficientData));
        Assert.Equal(r.Customers.Sum(c => c.Months - c.MonthsMet) - r.MonthsInsufficientData, r.PerMonth.Sum(m => m.Missed));
        Assert.Equal(r.RootCauses.Sum(c => c.Incidents), r.PerMonth.Sum(m => m.Incidents));
        Assert.Equal(r.Customers.Sum(c => c.Incidents), r.PerMonth.Sum(m => m.Incidents));
        Assert.Equal(r.TicketBreaches, r.PerMonth.Sum(m => m.TicketBreaches));
        Assert.All(r.PerMonth, m => Assert.Equal(m.Closed, m.Met + m.Missed + m.InsufficientData));
    }

    [Fact]
    public async Task Months_with_insufficient_data_are_neither_met_nor_missed_and_claim_no_compliance()
    {
        var group = $"g-{Guid.NewGuid():N}";
        var last = ContractScenario.LastMonth;
        var months = new[] { last.PlusMonths(-1), last };
        var unmeasured = await ContractScenario.CustomerAsync(world, group);
        await UnmeasuredAsync(unmeasured);
        await ContractScenario.CloseAsync(world, unmeasured, months);

        var r = (await Reports.Build(world.Manager, new ManagerReportInput(Name(months[0]), Name(last), Group: group))).Value!;
        var row = Assert.Single(r.Customers);

        Assert.Equal((2, 0, 2), (r.Months, r.MonthsMet, r.MonthsInsufficientData));
        Assert.Equal(0, row.MonthsMet);
        Assert.Null(r.CompliancePercent);
        Assert.All(r.PerMonth, m => Assert.Equal((1, 0, 0, 1, (decimal?)null), (m.Closed, m.Met, m.Missed, m.InsufficientData, m.CompliancePercent)));
    }

    [Fact]
    public async Task A_range_without_a_closed_month_claims_no_compliance_overall_or_in_any_month()
    {
        var group = $"g-{Guid.NewGuid():N}";
        var customer = await ContractScenario.CustomerAsync(world, group);
        await ContractScenario.MonitorAsync(world, customer);
        var open = ContractScenario.LastMonth.PlusMonths(1);

        var r = (await Reports.Build(world.Manager, new ManagerReportInput(Name(open), Name(open), Group: group))).Value!;

        var month = Assert.Single(r.PerMonth);
        Assert.Equal((open, 0, 0, 0, 0), (month.Month, month.Closed, month.Met, month.Missed, month.InsufficientData));
        Assert.Null(month.CompliancePercent);
        Assert.Null(r.CompliancePercent);
        Assert.Equal(0, r.Months);
    }

    /// <summary>A critical monitor that never had a result: every month of the customer closes as insufficient data.</summary>
    private async Task UnmeasuredAsync(string customerId)
    {
        var monitorId = $"m-{customerId}";
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(monitorId).Configure(new MonitorSettings(customerId, "API", IsCritical: true, ConsecutiveFailures: 1, SloPercent: ContractScenario.Commitment))).Accepted);
        Assert.True((await world.Grains.GetGrain<ICustomerGrain>(customerId).SetComponents([new CustomerComponent(monitorId, true)])).Accepted);
    }
}
