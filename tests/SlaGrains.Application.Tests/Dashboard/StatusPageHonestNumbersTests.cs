using System.Collections.Immutable;
using SlaGrains.Application.Dashboard;
using SlaGrains.Application.Reports;
using SlaGrains.Application.Tests.Reports;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;
using SlaGrains.Testing;

namespace SlaGrains.Application.Tests.Dashboard;

/// <summary>Issue 16 items 5 and 7 on the status page: no figure without data, one figure per period, response times for the chart.</summary>
public sealed class StatusPageHonestNumbersTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private StatusPage StatusPage => world.Get<StatusPage>();

    private StatusPageResponseTimes ResponseTimes => world.Get<StatusPageResponseTimes>();

    [Fact]
    public async Task A_customer_without_monitors_shows_no_monitors_yet_and_claims_no_status_month_figure_or_availability_compliance()
    {
        var customer = await ContractScenario.CustomerAsync(world);

        var page = (await StatusPage.Get(ApplicationWorld.CustomerUser(customer), customer)).Value!;

        Assert.Equal((StatusPage.NoMonitors, "No monitors yet"), (page.CurrentStatus.Status, page.CurrentStatus.Message));
        Assert.Null(page.CurrentMonth);
        Assert.Empty(page.Components);
        Assert.DoesNotContain(page.Historical, h => h.InProgress);
        Assert.DoesNotContain(page.SlaCompliance, c => c.Dimension is "availability" or "internal_slo");
    }

    [Fact]
    public async Task Response_times_list_each_http_monitors_checks_oldest_first_with_median_and_p95_and_leave_out_push_monitors()
    {
        var customer = await ContractScenario.CustomerAsync(world);
        var http = $"h-{customer}";
        var push = $"p-{customer}";
        // An hour between probes: the test's own results are what the chart reads (a probe of port 9 measures no response time anyway).
        var settings = new MonitorSettings(customer, "Web shop", IsCritical: true, ConsecutiveFailures: 1, SloPercent: ContractScenario.Commitment, Regions: [],
            Http: new HttpProbeSettings(new Uri("http://127.0.0.1:9/"), Duration.FromHours(1), Duration.FromSeconds(5)));
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(http).Configure(settings)).Accepted);
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(push).Configure(new MonitorSettings(customer, "Mail", IsCritical: false, ConsecutiveFailures: 1, SloPercent: 99m, Regions: []))).Accepted);
        Assert.True((await world.Grains.GetGrain<ICustomerGrain>(customer).SetComponents([new CustomerComponent(http, true), new CustomerComponent(push, false)])).Accepted);
        var now = SystemClock.Instance.GetCurrentInstant();
        int[] millis = [120, 80, 300, 100, 90];
        var checks = millis.Select((ms, i) => new CheckResult(now - Duration.FromMinutes(50 - (10 * i)), CheckOutcome.Up, null, Duration.FromMilliseconds(ms)));
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(http).IngestBatch([.. checks])).Accepted);
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(push).IngestBatch([CheckResult.Up(now - Duration.FromMinutes(5))])).Accepted);

        var charts = (await ResponseTimes.Get(ApplicationWorld.CustomerUser(customer), customer)).Value;

        var chart = Assert.Single(charts);
        Assert.Equal((http, "Web shop"), (chart.MonitorId, chart.Component));
        var measured = chart.Points.Where(p => p.At >= now - Duration.FromMinutes(51)).ToList();
        Assert.Equal(millis.Select(m => (double)m), measured.Select(p => p.Milliseconds));
        Assert.Equal((100.0, 300.0), (chart.MedianMs, chart.P95Ms));
    }

    [Fact]
    public async Task Another_customers_response_times_look_unknown_and_a_customer_without_http_monitors_has_none()
    {
        var mine = await ContractScenario.CustomerAsync(world);
        var theirs = await ContractScenario.CustomerAsync(world);
        await ContractScenario.MonitorAsync(world, mine);

        var own = await ResponseTimes.Get(ApplicationWorld.CustomerUser(mine), mine);
        var other = await ResponseTimes.Get(ApplicationWorld.CustomerUser(mine), theirs);

        Assert.Empty(own.Value);
        Assert.Equal(FailureKind.NotFound, other.Failure!.Kind);
    }

    [Fact]
    public void Percentiles_are_nearest_rank_and_absent_without_points()
    {
        var points = new[] { 5.0, 1.0, 4.0, 2.0, 3.0 }.Select(ms => new ResponseTimePoint(Instant.FromUnixTimeSeconds(0), string.Empty, ms)).ToImmutableArray();

        Assert.Equal(3.0, StatusPageResponseTimes.Percentile(points, 50));
        Assert.Equal(5.0, StatusPageResponseTimes.Percentile(points, 95));
        Assert.Null(StatusPageResponseTimes.Percentile([], 50));
    }

    /// <summary>
    /// The issue saw one quarter with two figures on one page: the renewal summary named a quarter cut by its 12-month
    /// window (only its last month counted) as the best, with that month's figure, beside the quarter's own report.
    /// </summary>
    [Fact]
    public async Task The_renewal_summarys_best_quarter_is_a_whole_quarter_with_the_figure_of_that_quarters_report()
    {
        var customer = await ContractScenario.CustomerAsync(world);
        var last = ContractScenario.LastMonth;
        var quarterEnd = last.PlusMonths(-(last.Month % 3));
        var quarter = $"{quarterEnd.Year:0000}-Q{quarterEnd.Month / 3}";
        // The month before the quarter is clean (100 %), the quarter has an outage: counted as a "quarter", that lone month would win.
        await MonitorSinceAsync(customer, quarterEnd.PlusMonths(-4), ContractScenario.Outage(quarterEnd.PlusMonths(-2), 30));
        await ContractScenario.CloseAsync(world, customer, quarterEnd.PlusMonths(-3), quarterEnd.PlusMonths(-2), quarterEnd.PlusMonths(-1), quarterEnd);
        var reports = world.Get<CustomerReports>();

        var renewal = (await reports.Renewal(world.Manager, customer)).Value!;
        var report = (await reports.Report(world.Manager, customer, new ReportInput(null, quarter))).Value!;

        Assert.Equal(4, renewal.Months);
        Assert.Equal(quarter, renewal.BestQuarter);
        Assert.Equal(report.UptimePercent, renewal.BestQuarterPercent);
        Assert.True(report.UptimePercent < 100m);
    }

    /// <summary>The customer's critical monitor measured every 12 hours from the first of <paramref name="since"/> until now, with the outages.</summary>
    private async Task MonitorSinceAsync(string customerId, YearMonth since, params Interval[] outages)
    {
        var monitorId = $"m-{customerId}";
        var monitor = world.Grains.GetGrain<IMonitorGrain>(monitorId);
        Assert.True((await monitor.Configure(new MonitorSettings(customerId, "API", IsCritical: true, ConsecutiveFailures: 1, SloPercent: ContractScenario.Commitment, Regions: [], StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
        Assert.True((await world.Grains.GetGrain<ICustomerGrain>(customerId).SetComponents([new CustomerComponent(monitorId, true)])).Accepted);
        var from = since.OnDayOfMonth(1).AtMidnight().InUtc().ToInstant();
        Assert.True((await monitor.IngestBatch([.. MeasuredHistory.Between(from, SystemClock.Instance.GetCurrentInstant(), outages)])).Accepted);
    }
}
