using System.Net.Http.Json;
using System.Text.Json;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Server.Tests.Api;

/// <summary>The customer dashboard through the API, against the domain's own arithmetic on the same checks.</summary>
public sealed class DashboardTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task The_dashboard_month_equals_the_domains_availability_for_the_same_checks()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "America/New_York");
        var api = $"api-{customer}";
        var web = $"web-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, api, customer, consecutiveFailures: 2);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = web, customerId = customer, name = "Website", critical = false, consecutiveFailures = 1 }));

        // The API measured since the month began (a success every 12 hours; it goes unknown only after a day without a
        // result), then checks in the past few minutes: two failures open an outage of the critical API, a success ends it.
        var now = SystemClock.Instance.GetCurrentInstant();
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var monthStart = ReportingPeriod.Month(now.InZone(zone).Date.ToYearMonth(), zone).Start;
        CheckResult[] checks =
        [
            .. SlaGrains.Testing.MeasuredHistory.Between(monthStart, now - Duration.FromMinutes(50)),
            CheckResult.Up(now - Duration.FromMinutes(50)),
            CheckResult.Down(now - Duration.FromMinutes(40)),
            CheckResult.Down(now - Duration.FromMinutes(39)),
            CheckResult.Up(now - Duration.FromMinutes(20)),
        ];
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{api}/checks/batch", checks.Select(c => new { up = !c.IsDown, at = c.At }), SlaGrainsServerFixture.Json));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{web}/checks", new { up = false }));

        var dashboard = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();

        var asOf = Instant(dashboard.GetProperty("as_of"));
        var month = ReportingPeriod.Month(asOf.InZone(zone).Date.ToYearMonth(), zone);
        var expected = AvailabilityReport.Compute(new Interval(month.Start, asOf), OutageTimeline.DownIntervals(checks, consecutiveFailures: 2));
        var current = dashboard.GetProperty("current_month");
        Assert.Equal(expected.UptimePercent, current.GetProperty("availability_pct").GetDecimal());
        Assert.Equal(Math.Round(expected.Downtime.TotalMinutes, 2), current.GetProperty("downtime_minutes").GetDouble());
        Assert.Equal(99.9m, current.GetProperty("sla_target_pct").GetDecimal());
        var budgetMinutes = month.Duration.TotalMinutes * 0.001;
        Assert.Equal(Math.Round(budgetMinutes, 2), current.GetProperty("error_budget").GetProperty("total_minutes").GetDouble(), precision: 2);
        Assert.Equal(Math.Round(budgetMinutes - expected.Downtime.TotalMinutes, 2), current.GetProperty("error_budget").GetProperty("remaining_minutes").GetDouble(), precision: 2);

        // Now: the website (not critical) is down, so the service is degraded, not out.
        var status = dashboard.GetProperty("current_status");
        Assert.Equal("degraded", status.GetProperty("status").GetString());
        Assert.Equal(["up", "down"], status.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("status").GetString()!).ToArray());
        var incident = Assert.Single(dashboard.GetProperty("incidents").EnumerateArray(), i => i.GetProperty("monitor_id").GetString() == api);
        Assert.True(incident.GetProperty("resolved").GetBoolean());
        Assert.Equal(now - Duration.FromMinutes(40), Instant(incident.GetProperty("start")));
        var history = dashboard.GetProperty("historical").EnumerateArray().ToList();
        Assert.True(history[^1].GetProperty("in_progress").GetBoolean());
        Assert.Contains(dashboard.GetProperty("sla_compliance").EnumerateArray(), c => c.GetProperty("dimension").GetString() == "first_response");
    }

    [Fact]
    public async Task The_status_page_exports_its_months_as_csv_for_its_own_customer_only()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var other = await ServerScenario.CustomerAsync(admin.Http);
        // A monitor, so the month in progress is measured and listed (without one, no month is claimed).
        await ServerScenario.MeasuredMonitorAsync(admin.Http, $"m-{customer}", customer);
        await ServerScenario.UserAsync(admin.Http, $"csv-{customer}", "customer", customerId: customer);
        using var user = await server.SignInAsync($"csv-{customer}", ServerScenario.Password($"csv-{customer}"));

        var csv = await (await ServerScenario.Ok(user.Http.GetAsync($"api/v1/customers/{customer}/dashboard.csv"))).Content.ReadAsStringAsync();
        var refused = await user.Http.GetAsync($"api/v1/customers/{other}/dashboard.csv");
        var lines = csv.TrimEnd().Split('\n');

        Assert.Equal("month,availability_pct,sla_target_pct,met_sla,downtime_minutes,incident_count,credit_amount,in_progress,verdict,coverage_pct", lines[0]);
        Assert.Contains(",true,", lines[^1], StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, refused.StatusCode);
    }

    private static Instant Instant(JsonElement value) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(value.GetString()!).Value;
}
