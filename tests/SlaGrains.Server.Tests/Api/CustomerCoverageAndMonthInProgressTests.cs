using System.Net.Http.Json;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Issue 15 through the API: missing data is not uptime (a period without measurements is "insufficient data", not
/// 99.98 %), a component without data is never "Operational", and the month in progress is projected, never "not met"
/// while its allowance is not used up. Today a monitor with no result at all is the honest case of no data: its whole
/// period counts as unknown (once monitors report unknown intervals themselves, the time before a monitor's first
/// result counts as no data too).
/// </summary>
public sealed class CustomerCoverageAndMonthInProgressTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task Quarter_without_measurements_reports_insufficient_data_not_99_point_98()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Europe/Berlin");
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"api-{customer}", customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var lastQuarterEnd = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.ToYearMonth();
        lastQuarterEnd = lastQuarterEnd.PlusMonths(-(((lastQuarterEnd.Month - 1) % 3) + 1));
        var quarter = $"{lastQuarterEnd.Year}-Q{(lastQuarterEnd.Month + 2) / 3}";

        var report = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?quarter={quarter}"))).JsonAsync();
        var csv = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?quarter={quarter}&format=csv"))).Content.ReadAsStringAsync();

        Assert.True(report.GetProperty("insufficientData").GetBoolean());
        Assert.Equal(0m, report.GetProperty("coveragePercent").GetDecimal());
        Assert.False(report.GetProperty("commitmentMet").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, report.GetProperty("credit").ValueKind);
        Assert.StartsWith("insufficient data", report.GetProperty("resultText").GetString(), StringComparison.Ordinal);
        Assert.Contains("insufficient data", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("commitment met", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_critical_component_without_any_result_shows_status_unknown_in_words_not_operational()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"api-{customer}", customerId = customer, name = "Public API", critical = true, consecutiveFailures = 1 }));

        var dashboard = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();

        var status = dashboard.GetProperty("current_status");
        Assert.Equal("unknown", status.GetProperty("status").GetString());
        Assert.Equal("Status unknown: no data from Public API", status.GetProperty("message").GetString());
        Assert.Equal("unknown", status.GetProperty("components")[0].GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, dashboard.GetProperty("components")[0].GetProperty("availability_pct").ValueKind);
        var month = dashboard.GetProperty("current_month");
        Assert.True(month.GetProperty("insufficient_data").GetBoolean());
        Assert.Equal(0m, month.GetProperty("coverage_pct").GetDecimal());
    }

    [Fact]
    public async Task Month_in_progress_is_not_marked_not_met_while_the_budget_is_not_used_up()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "UTC");
        var api = $"api-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = api, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        var now = SystemClock.Instance.GetCurrentInstant();
        var down = now - Duration.FromMinutes(15);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{api}/checks/batch",
            new[] { new { up = true, at = now - Duration.FromMinutes(20) }, new { up = false, at = down }, new { up = true, at = down + Duration.FromMinutes(10) } }, SlaGrainsServerFixture.Json));

        var dashboard = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();

        // 10 of about 44 budget minutes: the month can still meet 99.9 %, whatever day it is.
        var month = dashboard.GetProperty("current_month");
        Assert.True(month.GetProperty("meeting_sla").GetBoolean());
        Assert.Contains(month.GetProperty("outlook").GetString(), new[] { "on_track", "at_risk" });
        Assert.NotEqual("not met", month.GetProperty("outlook_text").GetString());
        var projection = month.GetProperty("projection");
        Assert.True(projection.GetProperty("if_nothing_else_fails").GetProperty("availability_pct").GetDecimal() >= 99.9m);
        Assert.Equal(0m, projection.GetProperty("if_nothing_else_fails").GetProperty("credit_amount").GetDecimal());
        Assert.Equal(0m, dashboard.GetProperty("credits").GetProperty("projected_amount").GetDecimal());
        var availability = Assert.Single(dashboard.GetProperty("sla_compliance").EnumerateArray(), c => c.GetProperty("dimension").GetString() == "availability");
        Assert.True(availability.GetProperty("met").GetBoolean());
    }

    [SkippableFact]
    public async Task Month_in_progress_is_not_met_once_the_downtime_so_far_exceeds_the_whole_months_allowance()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "UTC");
        var api = $"api-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = api, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        var now = SystemClock.Instance.GetCurrentInstant();
        var monthStart = ReportingPeriod.Month(now.InUtc().Date.ToYearMonth(), DateTimeZone.Utc).Start;
        var down = Instant.Max(monthStart, now - Duration.FromMinutes(70));
        Skip.If(now - Duration.FromMinutes(5) - down <= Duration.FromMinutes(45), "The month began less than 50 minutes ago: not enough of it for an outage over the allowance.");
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{api}/checks/batch",
            new[] { new { up = false, at = down }, new { up = true, at = now - Duration.FromMinutes(5) } }, SlaGrainsServerFixture.Json));

        var dashboard = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();

        var month = dashboard.GetProperty("current_month");
        Assert.False(month.GetProperty("meeting_sla").GetBoolean());
        Assert.Equal("not_met", month.GetProperty("outlook").GetString());
        Assert.True(dashboard.GetProperty("credits").GetProperty("projected_amount").GetDecimal() > 0m);
        Assert.True(dashboard.GetProperty("credits").GetProperty("at_burn_rate_amount").GetDecimal() >= dashboard.GetProperty("credits").GetProperty("projected_amount").GetDecimal());
    }
}
