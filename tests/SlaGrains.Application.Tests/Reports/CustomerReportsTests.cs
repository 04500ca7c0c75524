using System.Globalization;
using SlaGrains.Application.Reports;

namespace SlaGrains.Application.Tests.Reports;

/// <summary>A customer's reports: who may see them, which periods and formats there are, and what a closed month leaves behind.</summary>
public sealed class CustomerReportsTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private CustomerReports Reports => world.Get<CustomerReports>();

    [Fact]
    public async Task A_closed_month_is_archived_with_its_report_named_as_the_directory_names_the_customer_and_counted_for_renewal()
    {
        var customer = await ContractScenario.CustomerAsync(world);
        var month = ContractScenario.LastMonth;
        await ContractScenario.MonitorAsync(world, customer, ContractScenario.Outage(month, 90));
        await ContractScenario.CloseAsync(world, customer, month);
        var name = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var archived = await Reports.Archived(world.Manager, customer);
        var report = await Reports.Report(world.Manager, customer, new ReportInput(name, Format: "pdf"));
        var renewal = await Reports.Renewal(world.Manager, customer);

        var entry = Assert.Single(archived.Value);
        Assert.Equal(name, entry.Period);
        Assert.False(entry.CommitmentMet);
        Assert.Equal($"Customer {customer}", report.Value!.CustomerName);
        Assert.Equal(90, report.Value.DowntimeMinutes);
        Assert.Equal(entry.UptimePercent, report.Value.UptimePercent);
        Assert.Equal(1, renewal.Value!.Months);
        Assert.Equal(0, renewal.Value.MonthsMet);
    }

    [Fact]
    public async Task The_chart_history_lists_the_closed_months_up_to_the_month_asked_oldest_first_and_another_customers_look_unknown()
    {
        var customer = await ContractScenario.CustomerAsync(world);
        var last = ContractScenario.LastMonth;
        await ContractScenario.MonitorAsync(world, customer, ContractScenario.Outage(last.PlusMonths(-1), 90));
        await ContractScenario.CloseAsync(world, customer, last, last.PlusMonths(-2), last.PlusMonths(-1));
        var other = await ContractScenario.CustomerAsync(world);

        var year = await Reports.History(world.Manager, customer, last);
        var earlier = await Reports.History(world.Manager, customer, last.PlusMonths(-1), months: 1);
        var foreign = await Reports.History(ApplicationWorld.CustomerUser(other), customer, last);

        Assert.Equal([last.PlusMonths(-2), last.PlusMonths(-1), last], year.Value.Select(h => h.Month));
        Assert.False(year.Value[1].SlaMet);
        Assert.Equal([last.PlusMonths(-1)], earlier.Value.Select(h => h.Month));
        Assert.Equal(FailureKind.NotFound, foreign.Failure!.Kind);
    }

    [Fact]
    public async Task A_customer_user_reads_its_own_reports_and_another_customers_look_unknown()
    {
        var mine = await ContractScenario.CustomerAsync(world);
        var theirs = await ContractScenario.CustomerAsync(world);
        var user = ApplicationWorld.CustomerUser(mine);
        var name = ContractScenario.LastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var own = await Reports.Archived(user, mine);
        var archived = await Reports.Archived(user, theirs);
        var renewal = await Reports.Renewal(user, theirs);

        // Checked before the input, so a bad period on another customer's id still says nothing about that customer.
        var report = await Reports.Report(user, theirs, new ReportInput("October"));

        Assert.True(own.Succeeded);
        Assert.Equal(FailureKind.NotFound, archived.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, renewal.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, report.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, (await Reports.Report(user, theirs, new ReportInput(name))).Failure!.Kind);
    }

    [Theory]
    [InlineData("October", null, null, "period")]
    [InlineData("2026-Q3", null, null, "period")]
    [InlineData(null, "2026-Q5", null, "quarter")]
    [InlineData(null, "2026-07", null, "quarter")]
    [InlineData(null, null, null, "period")]
    [InlineData("2026-07", null, "xml", "format")]
    public async Task A_period_quarter_or_format_that_is_not_one_is_invalid_naming_the_field(string? period, string? quarter, string? format, string field)
    {
        var customer = await ContractScenario.CustomerAsync(world);

        var result = await Reports.Report(world.Manager, customer, new ReportInput(period, quarter, format));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal([field], result.Failure.Errors!.Keys);
    }

    [Fact]
    public async Task A_month_not_yet_begun_has_no_report_the_running_one_a_provisional_one_and_a_customer_without_a_contract_no_renewal_summary()
    {
        var customer = await ContractScenario.CustomerAsync(world);
        var uncontracted = await ContractScenario.CustomerAsync(world, contract: false);
        var thisMonth = ContractScenario.LastMonth.PlusMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var nextMonth = ContractScenario.LastMonth.PlusMonths(2).ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var report = await Reports.Report(world.Manager, customer, new ReportInput(nextMonth));
        var running = await Reports.Report(world.Manager, customer, new ReportInput(thisMonth));
        var renewal = await Reports.Renewal(world.Manager, uncontracted);

        Assert.Equal(FailureKind.Conflict, report.Failure!.Kind);
        Assert.True(running.Value!.Provisional);
        Assert.NotNull(running.Value.AsOf);
        Assert.Equal(FailureKind.Conflict, renewal.Failure!.Kind);
        Assert.Contains("contract", renewal.Failure.Message, StringComparison.Ordinal);
    }
}
