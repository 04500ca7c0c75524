using System.Net;
using System.Net.Http.Json;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// A monitor's latency SLO over real HTTP: checks with response times in, the latency SLI, its error budget in checks
/// and a latency burn-rate alert out (inbox, <c>budget.burn</c> webhook), and the dashboard's <c>latency</c> row.
/// </summary>
public sealed class LatencySloApiTests(MonitorAlertsApiTests.World world) : IClassFixture<MonitorAlertsApiTests.World>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private Instant Now => Instant.FromDateTimeOffset(world.Clock.GetUtcNow());

    [Fact]
    public async Task Slow_checks_show_in_the_latency_sli_and_budget_and_fire_a_latency_burn_rate_alert_and_the_dashboard_row()
    {
        // The hour of checks below must lie in this month (in Berlin): move past a month that began less than 2 hours ago.
        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        if (Now - ReportingPeriod.Month(ReportingPeriod.MonthContaining(Now, berlin), berlin).Start < Duration.FromHours(2))
        {
            world.Clock.Advance(TimeSpan.FromHours(2));
        }

        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var path = $"hooks/{Guid.NewGuid():N}";
        var hook = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = world.Receiver.Url(path), eventTypes = new[] { "budget.burn" } }))).JsonAsync();
        world.Receiver.Expect(path, hook.GetProperty("secret").GetString()!);
        var monitor = $"m-{Guid.NewGuid():N}"[..14];
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 2,
            latency = new { thresholdMs = 500, objectivePercent = 99 },
        }))).JsonAsync();

        // One check a minute for the last hour, all up; the last 10 took 2 s. Against 99 %: 10 bad of 60 over the hour
        // (16.6666×) and 5 of 5 over the last 5 minutes (100×): latency-page-fast fires, no outage.
        // The monitor counts per minute (window edges are whole minutes): with now at second 30 of a minute and the checks
        // on whole minutes, the hour holds all 60 and the last 5 minutes exactly the last 5.
        var intoMinute = Now.ToUnixTimeTicks() % NodaConstants.TicksPerMinute;
        world.Clock.Advance(TimeSpan.FromTicks(NodaConstants.TicksPerMinute - intoMinute + (30 * NodaConstants.TicksPerSecond)));
        var start = Now - Duration.FromSeconds(30) - Duration.FromMinutes(59);
        var checks = Enumerable.Range(0, 60).Select(i => new { up = true, at = start + Duration.FromMinutes(i), responseTimeMs = i >= 50 ? 2_000.0 : 120.0 }).ToArray();
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch", checks, SlaGrainsServerFixture.Json));
        var fired = await world.Receiver.WaitFor(r => r.Path == path && r.Json.GetProperty("data").GetProperty("alert").GetString() == "latency-page-fast", Bound);

        var latency = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}/latency"))).JsonAsync();
        var view = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}"))).JsonAsync();
        var inbox = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/budget-alerts?customer={customer}&firing=true"))).JsonAsync();
        var dashboard = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();

        Assert.Equal(500, created.GetProperty("latency").GetProperty("thresholdMs").GetInt32());
        var data = fired.Json.GetProperty("data");
        Assert.True(fired.SignatureValid);
        Assert.Equal("latency", data.GetProperty("sli").GetString());
        Assert.Equal("started", data.GetProperty("state").GetString());
        Assert.Equal(100m, data.GetProperty("shortWindowBurnRate").GetDecimal());
        Assert.Equal(16.6666m, data.GetProperty("longWindowBurnRate").GetDecimal());

        // The month so far: 50 good of 60; budget (1 − 0.99) × 60 = 0.6 checks, 10 used.
        var expected = EventRatioBudget.Of(50, 60, 99m);
        Assert.Equal(50, latency.GetProperty("goodChecks").GetInt64());
        Assert.Equal(60, latency.GetProperty("totalChecks").GetInt64());
        Assert.Equal(83.3333m, latency.GetProperty("sliPercent").GetDecimal());
        Assert.False(latency.GetProperty("met").GetBoolean());
        Assert.Equal(0.6m, latency.GetProperty("budgetChecks").GetDecimal());
        Assert.Equal(10, latency.GetProperty("usedChecks").GetInt64());
        Assert.Equal(-9.4m, latency.GetProperty("remainingChecks").GetDecimal());
        Assert.Equal(expected.RemainingPercent, latency.GetProperty("remainingPercent").GetDecimal());
        Assert.Contains(latency.GetProperty("burnRates").EnumerateArray(), b => b.GetProperty("name").GetString() == "latency-page-fast" && b.GetProperty("isFiring").GetBoolean());
        Assert.Contains(view.GetProperty("firingAlerts").EnumerateArray(), a => a.GetString() == "latency-page-fast");
        Assert.DoesNotContain(view.GetProperty("firingAlerts").EnumerateArray(), a => a.GetString() == "page-fast");
        Assert.False(view.GetProperty("isDown").GetBoolean());
        Assert.Contains(inbox.EnumerateArray(), a => a.GetProperty("name").GetString() == "latency-page-fast" && a.GetProperty("sli").GetString() == "latency");

        var row = Assert.Single(dashboard.GetProperty("sla_compliance").EnumerateArray(), c => c.GetProperty("dimension").GetString() == "latency");
        Assert.Equal(99m, row.GetProperty("target_pct").GetDecimal());
        Assert.Equal(83.3333m, row.GetProperty("actual_pct").GetDecimal());
        Assert.False(row.GetProperty("met").GetBoolean());
        Assert.Equal(60, row.GetProperty("measured").GetInt32());
        Assert.Equal(10, row.GetProperty("breached").GetInt32());
    }

    [Fact]
    public async Task Latency_settings_and_response_times_out_of_bounds_are_400_naming_the_field()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        async Task<string?> Field(object body, string url = "api/v1/monitors")
        {
            var response = await admin.Http.PostAsJsonAsync(url, body, SlaGrainsServerFixture.Json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.JsonAsync();
            return Assert.Single(problem.GetProperty("errors").EnumerateObject()).Name;
        }

        Assert.Equal("latency.thresholdMs", await Field(new { id = "lat-a", customerId = customer, name = "API", latency = new { thresholdMs = 0, objectivePercent = 99 } }));
        Assert.Equal("latency.thresholdMs", await Field(new { id = "lat-a", customerId = customer, name = "API", latency = new { thresholdMs = 60_001 } }));
        Assert.Equal("latency.thresholdMs", await Field(new { id = "lat-a", customerId = customer, name = "API", latency = new { objectivePercent = 99 } }));
        Assert.Equal("latency.objectivePercent", await Field(new { id = "lat-a", customerId = customer, name = "API", latency = new { thresholdMs = 500, objectivePercent = 100 } }));
        Assert.Equal("latency.objectivePercent", await Field(new { id = "lat-a", customerId = customer, name = "API", latency = new { thresholdMs = 500, objectivePercent = 0 } }));

        var monitor = $"m-{Guid.NewGuid():N}"[..14];
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API" }));
        Assert.Equal("responseTimeMs", await Field(new { up = true, responseTimeMs = -1 }, $"api/v1/monitors/{monitor}/checks"));
        Assert.Equal("$[0].responseTimeMs", await Field(new[] { new { up = true, responseTimeMs = 600_001.0 } }, $"api/v1/monitors/{monitor}/checks/batch"));
        var noSlo = await admin.Http.GetAsync($"api/v1/monitors/{monitor}/latency");
        Assert.Equal(HttpStatusCode.BadRequest, noSlo.StatusCode);
    }

    [Fact]
    public async Task Contract_latency_commitment_is_validated_and_shown()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        var bad = await admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", latencyCommitmentPercent = 100 });
        var good = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", latencyCommitmentPercent = 95 }))).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("latencyCommitmentPercent", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"latencyCommitmentPercent\":95", good, StringComparison.Ordinal);
    }
}
