using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>Manager reports across customers and the month's invoice lines, through the API, on months closed by the customers' grains.</summary>
public sealed class ManagerReportsTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly YearMonth July = new(2026, 7), August = new(2026, 8), September = new(2026, 9);

    [Fact]
    public async Task Manager_report_counts_compliance_credits_against_revenue_and_names_who_to_renegotiate_within_the_group()
    {
        using var admin = await server.AdminAsync();
        var group = $"g-{Guid.NewGuid():N}";
        var breaching = await ServerScenario.CustomerAsync(admin.Http, group: group);
        var steady = await ServerScenario.CustomerAsync(admin.Http, group: group);
        var outsider = await ServerScenario.CustomerAsync(admin.Http);
        // Two hours down in July and in August (99.9 % allows about 44 minutes); the steady one never down.
        var credits = await CloseAsync(admin.Http, breaching, [Outage(July, 5, 120), Outage(August, 12, 120)]);
        await CloseAsync(admin.Http, steady, []);
        await CloseAsync(admin.Http, outsider, [Outage(July, 5, 600)]);

        var report = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/reports/managers?from=2026-07&to=2026-09&group={group}"))).JsonAsync();
        var breachedOnly = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/reports/managers?from=2026-07&to=2026-09&group={group}&outcome=breached"))).JsonAsync();
        var csv = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/reports/managers?from=2026-07&to=2026-09&group={group}&format=csv"))).Content.ReadAsStringAsync();

        Assert.Equal(2, report.GetProperty("customers").GetArrayLength());
        Assert.Equal(6, report.GetProperty("months").GetInt32());
        Assert.Equal(4, report.GetProperty("monthsMet").GetInt32());
        Assert.Equal(66.67m, report.GetProperty("compliancePercent").GetDecimal());
        var eur = Assert.Single(report.GetProperty("credits").EnumerateArray());
        Assert.Equal(credits, eur.GetProperty("issued").GetDecimal());
        Assert.Equal(6000m, eur.GetProperty("recurringRevenue").GetDecimal());
        Assert.Equal(Math.Round(100m * credits / 6000m, 2), eur.GetProperty("issuanceRatePercent").GetDecimal());
        Assert.Equal(1, eur.GetProperty("accountsWithCredits").GetInt32());
        var causes = Assert.Single(report.GetProperty("rootCauses").EnumerateArray());
        Assert.Equal(2, causes.GetProperty("incidents").GetInt32());
        Assert.Equal(240, causes.GetProperty("downtimeMinutes").GetDouble());
        var candidates = report.GetProperty("renegotiationCandidates").EnumerateArray().ToDictionary(c => c.GetProperty("customerId").GetString()!, c => c.GetProperty("kind").GetString());
        Assert.Equal("breaching-repeatedly", candidates[breaching]);
        Assert.Equal("could-tighten", candidates[steady]);
        Assert.Equal(breaching, Assert.Single(breachedOnly.GetProperty("customers").EnumerateArray()).GetProperty("customerId").GetString());
        Assert.Equal(3, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(outsider, csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_to_detect_runs_from_the_first_failed_check_to_the_incident_being_opened()
    {
        using var admin = await server.AdminAsync();
        var group = $"g-{Guid.NewGuid():N}";
        var customer = await ServerScenario.CustomerAsync(admin.Http, group: group);
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 2 }));
        var now = SystemClock.Instance.GetCurrentInstant();
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch",
            new[] { new { up = false, at = now - Duration.FromMinutes(3) }, new { up = false, at = now - Duration.FromMinutes(2) } }, SlaGrainsServerFixture.Json));
        var month = now.InZone(Berlin).Date.ToYearMonth().ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var report = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/reports/managers?from={month}&to={month}&group={group}"))).JsonAsync();

        var detect = report.GetProperty("timeToDetect");
        Assert.Equal(1, detect.GetProperty("incidents").GetInt32());
        // From the first failed check to the second, which confirmed the outage: not to when the results were posted.
        Assert.Equal(1, detect.GetProperty("meanMinutes").GetDouble());
        Assert.Equal(detect.GetProperty("meanMinutes").GetDouble(), detect.GetProperty("maxMinutes").GetDouble());
    }

    [Fact]
    public async Task Invoice_lines_give_each_customer_with_a_closed_month_its_compliance_and_credit_line()
    {
        using var admin = await server.AdminAsync();
        var missed = await ServerScenario.CustomerAsync(admin.Http);
        var met = await ServerScenario.CustomerAsync(admin.Http);
        var credit = await CloseAsync(admin.Http, missed, [Outage(July, 9, 180)]);
        await CloseAsync(admin.Http, met, []);

        var csv = await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/invoice-lines?month=2026-07"))).Content.ReadAsStringAsync();
        var json = await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/invoice-lines?month=2026-07&format=json"))).JsonAsync();

        var lines = json.EnumerateArray().ToDictionary(l => l.GetProperty("customerId").GetString()!);
        Assert.Equal(credit, lines[missed].GetProperty("creditAmount").GetDecimal());
        Assert.False(lines[missed].GetProperty("met").GetBoolean());
        Assert.Equal($"sla-credit-{missed}-2026-07", lines[missed].GetProperty("creditKey").GetString());
        Assert.Equal(0m, lines[met].GetProperty("creditAmount").GetDecimal());
        Assert.True(lines[met].GetProperty("met").GetBoolean());
        var row = csv.Split('\n').Single(l => l.StartsWith(missed + ",", StringComparison.Ordinal));
        Assert.Contains($",2026-07,", row, StringComparison.Ordinal);
        Assert.Contains(credit.ToString(CultureInfo.InvariantCulture) + ",EUR,", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manager_reports_and_invoice_lines_are_refused_to_technicians_and_customers_and_bad_months_are_problems()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.UserAsync(admin.Http, $"t-{customer}", "technician");
        await ServerScenario.UserAsync(admin.Http, $"u-{customer}", "customer", customerId: customer);
        using var technician = await server.SignInAsync($"t-{customer}", ServerScenario.Password($"t-{customer}"));
        using var user = await server.SignInAsync($"u-{customer}", ServerScenario.Password($"u-{customer}"));

        Assert.Equal(HttpStatusCode.Forbidden, (await technician.Http.GetAsync("api/v1/reports/managers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Http.GetAsync("api/v1/invoice-lines?month=2026-07")).StatusCode);
        var badRange = await admin.Http.GetAsync("api/v1/reports/managers?from=2026-09&to=2026-07");
        var badMonth = await admin.Http.GetAsync("api/v1/invoice-lines?month=July");
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.Contains("from", (await badRange.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.BadRequest, badMonth.StatusCode);
        Assert.Contains("month", (await badMonth.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    private static (YearMonth Month, Interval Down) Outage(YearMonth month, int day, int minutes)
    {
        var start = ReportingPeriod.Month(month, Berlin).Start + Duration.FromDays(day - 1) + Duration.FromHours(10);
        return (month, new Interval(start, start + Duration.FromMinutes(minutes)));
    }

    /// <summary>Gives the customer a monitor with the outages, closes July to September; returns the credits issued.</summary>
    private async Task<decimal> CloseAsync(HttpClient admin, string customer, (YearMonth Month, Interval Down)[] outages)
    {
        var monitor = $"m-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin, monitor, customer);
        // Months past the API's window for check results (90 days back): history is loaded on the monitor grain,
        // as the demo seeder loads it. Every customer is measured from July on (a monitor without a result for its
        // stale-after time is unknown, and a month under 90 % coverage closes as "insufficient data", neither met nor missed).
        var measured = MeasuredHistory.Between(ReportingPeriod.Month(July, Berlin).Start, SystemClock.Instance.GetCurrentInstant(), [.. outages.Select(o => o.Down)]);
        var loaded = await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IMonitorGrain>(monitor).IngestBatch([.. measured]);
        Assert.True(loaded.Accepted, loaded.Rejection?.Message);

        var grain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer);
        var total = 0m;
        foreach (var month in new[] { July, August, September })
        {
            var closed = await grain.CloseMonth(month);
            Assert.True(closed.Accepted, closed.Rejection?.Message);
            total += closed.Credit!.Amount;
        }

        return total;
    }
}
