using System.Net;
using System.Net.Http.Json;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Server.Tests.Api;

/// <summary>The monthly SLA report through the API, against the domain's arithmetic on the same checks.</summary>
public sealed class ReportsTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task Last_months_report_has_the_domains_uptime_the_incident_and_the_credit_for_the_missed_commitment_as_json_and_csv()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Europe/Berlin");
        var monitor = $"api-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 2 }));

        // Last month in Berlin: an hour-long outage on its 10th, more than 99.9 % allows (about 43 minutes).
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var lastMonth = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.ToYearMonth().PlusMonths(-1);
        var period = ReportingPeriod.Month(lastMonth, zone);
        var down = period.Start + Duration.FromDays(9) + Duration.FromHours(10);
        var checks = new[] { CheckResult.Up(down - Duration.FromMinutes(5)), CheckResult.Down(down), CheckResult.Down(down + Duration.FromMinutes(1)), CheckResult.Up(down + Duration.FromMinutes(60)) };
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch", checks.Select(c => new { up = !c.IsDown, at = c.At }), SlaGrainsServerFixture.Json));
        var name = lastMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var report = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}"))).JsonAsync();
        var again = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}"))).JsonAsync();
        var csv = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}&format=csv"))).Content.ReadAsStringAsync();

        var expected = AvailabilityReport.Compute(period, OutageTimeline.DownIntervals(checks, consecutiveFailures: 2));
        Assert.Equal(expected.UptimePercent, report.GetProperty("uptimePercent").GetDecimal());
        Assert.False(report.GetProperty("commitmentMet").GetBoolean());
        Assert.Equal(60, report.GetProperty("downtimeMinutes").GetDouble());
        Assert.Equal(expected.UptimePercent, report.GetProperty("services")[0].GetProperty("uptimePercent").GetDecimal());
        var incident = Assert.Single(report.GetProperty("incidents").EnumerateArray());
        Assert.Equal(60, incident.GetProperty("durationMinutes").GetDouble());
        Assert.Equal(100m, report.GetProperty("credit").GetProperty("amount").GetDecimal());
        Assert.Equal(report.GetProperty("uptimePercent").GetDecimal(), again.GetProperty("uptimePercent").GetDecimal());
        Assert.Contains($"{customer},{name},Europe/Berlin", csv, StringComparison.Ordinal);
        Assert.Contains(expected.UptimePercent.ToString(System.Globalization.CultureInfo.InvariantCulture), csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_needs_an_ended_period_a_valid_name_and_the_callers_own_customer()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var other = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.UserAsync(admin.Http, $"r-{customer}", "customer", customerId: customer);
        using var user = await server.SignInAsync($"r-{customer}", ServerScenario.Password($"r-{customer}"));
        var thisMonth = SystemClock.Instance.GetCurrentInstant().InUtc().Date.ToYearMonth().PlusMonths(1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var future = await user.Http.GetAsync($"api/v1/customers/{customer}/reports?period={thisMonth}");
        var badName = await user.Http.GetAsync($"api/v1/customers/{customer}/reports?period=October");
        var badQuarter = await user.Http.GetAsync($"api/v1/customers/{customer}/reports?quarter=2026-Q5");
        var foreign = await user.Http.GetAsync($"api/v1/customers/{other}/reports?period=2026-01");

        Assert.Equal(HttpStatusCode.Conflict, future.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badQuarter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}
