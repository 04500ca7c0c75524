namespace SlaGrains.Server.Tests.Api;

/// <summary>Issue 16 item 7 through the API: a customer without monitors claims no status, month figure or budget.</summary>
public sealed class StatusPageNoMonitorsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task A_customer_without_monitors_has_no_monitors_yet_and_no_month_in_progress_instead_of_all_systems_operational_at_100_percent()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        var dashboard = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();

        var status = dashboard.GetProperty("current_status");
        Assert.Equal(("no_monitors", "No monitors yet"), (status.GetProperty("status").GetString(), status.GetProperty("message").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, dashboard.GetProperty("current_month").ValueKind);
        Assert.DoesNotContain(dashboard.GetProperty("historical").EnumerateArray(), h => h.GetProperty("in_progress").GetBoolean());
        Assert.DoesNotContain(dashboard.GetProperty("sla_compliance").EnumerateArray(), c => c.GetProperty("dimension").GetString() == "availability");
    }
}
