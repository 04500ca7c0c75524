using System.Globalization;
using SlaGrains.Application.Reports;

namespace SlaGrains.Application.Tests.Reports;

/// <summary>Reports across customers and a month's invoice lines: for managers and admins only, with checked months and filters.</summary>
public sealed class ManagerReportsTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private ManagerReports Reports => world.Get<ManagerReports>();

    private static string Name(YearMonth month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_manager_report_counts_the_groups_closed_months_credits_and_renegotiation_candidates()
    {
        var group = $"g-{Guid.NewGuid():N}";
        var last = ContractScenario.LastMonth;
        var months = new[] { last.PlusMonths(-2), last.PlusMonths(-1), last };
        var breaching = await ContractScenario.CustomerAsync(world, group);
        var steady = await ContractScenario.CustomerAsync(world, group);
        var outsider = await ContractScenario.CustomerAsync(world);

        // Two hours down in two of the three months (99.9 % allows about 44 minutes); the steady one never down.
        await ContractScenario.MonitorAsync(world, breaching, ContractScenario.Outage(months[0], 120), ContractScenario.Outage(months[1], 120));
        await ContractScenario.MonitorAsync(world, steady);
        await ContractScenario.MonitorAsync(world, outsider, ContractScenario.Outage(months[0], 600));
        var credits = await ContractScenario.CloseAsync(world, breaching, months);
        await ContractScenario.CloseAsync(world, steady, months);
        await ContractScenario.CloseAsync(world, outsider, months);

        var report = await Reports.Build(world.Manager, new ManagerReportInput(Name(months[0]), Name(last), Group: group.ToUpperInvariant()));
        var breachedOnly = await Reports.Build(world.Manager, new ManagerReportInput(Name(months[0]), Name(last), Group: group, Outcome: "breached"));

        var r = report.Value!;
        Assert.Equal(new[] { breaching, steady }.Order(StringComparer.Ordinal), r.Customers.Select(c => c.CustomerId).Order(StringComparer.Ordinal));
        Assert.Equal(6, r.Months);
        Assert.Equal(4, r.MonthsMet);
        Assert.Equal(66.67m, r.CompliancePercent);
        var eur = Assert.Single(r.Credits);
        Assert.Equal(credits, eur.Issued);
        Assert.Equal(6000m, eur.RecurringRevenue);
        Assert.Equal(2, Assert.Single(r.RootCauses).Incidents);
        var candidates = r.RenegotiationCandidates.ToDictionary(c => c.CustomerId, c => c.Kind);
        Assert.Equal("breaching-repeatedly", candidates[breaching]);
        Assert.Equal("could-tighten", candidates[steady]);
        Assert.Equal(breaching, Assert.Single(breachedOnly.Value!.Customers).CustomerId);
    }

    [Fact]
    public async Task Invoice_lines_give_each_customer_with_the_month_closed_its_credit_line()
    {
        var month = ContractScenario.LastMonth;
        var missed = await ContractScenario.CustomerAsync(world);
        var met = await ContractScenario.CustomerAsync(world);
        var open = await ContractScenario.CustomerAsync(world);
        await ContractScenario.MonitorAsync(world, missed, ContractScenario.Outage(month, 180));
        await ContractScenario.MonitorAsync(world, met);
        var credit = await ContractScenario.CloseAsync(world, missed, month);
        await ContractScenario.CloseAsync(world, met, month);

        var lines = (await Reports.InvoiceLines(world.Manager, Name(month))).Value!.ToDictionary(l => l.CustomerId);

        Assert.True(credit > 0m);
        Assert.Equal(credit, lines[missed].CreditAmount);
        Assert.False(lines[missed].Met);
        Assert.Equal($"sla-credit-{missed}-{Name(month)}", lines[missed].CreditKey);
        Assert.StartsWith($"SLA credit {Name(month)}", lines[missed].Description, StringComparison.Ordinal);
        Assert.Equal(0m, lines[met].CreditAmount);
        Assert.True(lines[met].Met);
        Assert.DoesNotContain(open, lines.Keys);
    }

    [Fact]
    public async Task Technicians_and_customer_users_are_refused_manager_reports_and_invoice_lines()
    {
        var customer = await ContractScenario.CustomerAsync(world);
        var user = ApplicationWorld.CustomerUser(customer);
        var month = Name(ContractScenario.LastMonth);

        Assert.Equal(FailureKind.Forbidden, (await Reports.Build(world.Technician, new ManagerReportInput())).Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, (await Reports.Build(user, new ManagerReportInput(Customer: customer))).Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, (await Reports.InvoiceLines(world.Technician, month)).Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, (await Reports.InvoiceLines(user, month)).Failure!.Kind);
        Assert.False(ManagerReports.MayRead(user));
        Assert.True(ManagerReports.MayRead(world.Manager));
    }

    [Theory]
    [InlineData("July", null, null, null, null, "from")]
    [InlineData("2026-09", "2026-07", null, null, null, "from")]
    [InlineData(null, "Sept", null, null, null, "to")]
    [InlineData(null, null, "no spaces", null, null, "customer")]
    [InlineData(null, null, null, "maybe", null, "outcome")]
    [InlineData(null, null, null, null, "pdf", "format")]
    public async Task A_month_range_filter_or_format_that_is_not_one_is_invalid_naming_the_field(string? from, string? to, string? customer, string? outcome, string? format, string field)
    {
        var result = await Reports.Build(world.Manager, new ManagerReportInput(from, to, customer, Outcome: outcome, Format: format));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal([field], result.Failure.Errors!.Keys);
    }

    [Fact]
    public async Task A_group_with_control_characters_or_an_invoice_without_a_month_is_invalid_naming_the_field()
    {
        var group = await Reports.Build(world.Manager, new ManagerReportInput(Group: "EMEA\r\nX-Injected: 1"));
        var noMonth = await Reports.InvoiceLines(world.Manager, null);
        var badMonth = await Reports.InvoiceLines(world.Manager, "July", "xml");

        Assert.Equal(["group"], group.Failure!.Errors!.Keys);
        Assert.Equal(["month"], noMonth.Failure!.Errors!.Keys);
        Assert.Equal(["month", "format"], badMonth.Failure!.Errors!.Keys);
    }

    [Fact]
    public async Task Without_months_the_report_covers_the_twelve_months_up_to_the_last_closed_one()
    {
        var report = await Reports.Build(world.Manager, new ManagerReportInput(Customer: "nobody-at-all"));

        Assert.Equal(Reports.DefaultRange(), (report.Value!.Filter.From, report.Value.Filter.To));
        Assert.Equal(report.Value.Filter.To.PlusMonths(-11), report.Value.Filter.From);
        Assert.Empty(report.Value.Customers);
    }
}
