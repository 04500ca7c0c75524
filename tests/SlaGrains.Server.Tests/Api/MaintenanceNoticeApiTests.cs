using System.Net.Http.Json;
using System.Text.Json;
using SlaGrains.Server.Tests.Security;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Whether maintenance was announced in time is judged with the notice of the customer's contract — the one availability,
/// credits and reports use — not with a notice of the monitor's own: a window with less notice than the contract needs is
/// downtime (a customer-visible incident that says why), one with enough is maintenance (no customer-visible incident),
/// and changing the contract changes the monitor's judgment from then on.
/// </summary>
public sealed class MaintenanceNoticeApiTests(MovableClockServer world) : IClassFixture<MovableClockServer>
{
    private Instant Now => Instant.FromDateTimeOffset(world.Clock.GetUtcNow());

    [Fact]
    public async Task With_a_72_hour_contract_an_outage_in_maintenance_announced_50_hours_ahead_is_downtime_that_says_the_notice_was_too_short()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        // The monitor exists before the contract asks for 72 hours: saving the contract carries its notice to it.
        var monitor = await Monitor(admin.Http, customer);
        await Contract(admin.Http, customer, noticeHours: 72);
        var start = Now + Duration.FromHours(50);
        await Announce(admin.Http, monitor, start);

        world.Clock.Advance(TimeSpan.FromHours(50) + TimeSpan.FromMinutes(5));
        using var staff = await world.AdminAsync();
        await Checks(staff.Http, monitor, (Now, false));
        var view = await Get(staff.Http, $"api/v1/monitors/{monitor}");
        var status = await Get(staff.Http, $"api/v1/customers/{customer}/dashboard");
        var incidents = await Get(staff.Http, $"api/v1/monitors/{monitor}/incidents");

        Assert.Equal("down", view.GetProperty("health").GetString());
        Assert.True(view.GetProperty("isDown").GetBoolean());
        Assert.Equal("outage", status.GetProperty("current_status").GetProperty("status").GetString());
        var incident = Assert.Single(incidents.EnumerateArray());
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("maintenanceId").ValueKind);
        Assert.Matches("announced (49 h 59 min|50 h) before it started; the contract needs 72 h notice", incident.GetProperty("note").GetString()!);
    }

    [Fact]
    public async Task With_a_24_hour_contract_an_outage_in_maintenance_announced_30_hours_ahead_is_maintenance_with_no_customer_visible_incident()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        // The contract comes first: the monitor is created with its notice.
        await Contract(admin.Http, customer, noticeHours: 24);
        var monitor = await Monitor(admin.Http, customer);
        var start = Now + Duration.FromHours(30);
        await Announce(admin.Http, monitor, start);

        world.Clock.Advance(TimeSpan.FromHours(30) + TimeSpan.FromMinutes(5));
        using var staff = await world.AdminAsync();
        await Checks(staff.Http, monitor, (Now, false));
        var view = await Get(staff.Http, $"api/v1/monitors/{monitor}");
        var status = await Get(staff.Http, $"api/v1/customers/{customer}/dashboard");
        var incidents = await Get(staff.Http, $"api/v1/monitors/{monitor}/incidents");

        Assert.Equal("maintenance", view.GetProperty("health").GetString());
        Assert.Equal("Under maintenance", view.GetProperty("statusText").GetString());
        Assert.False(view.GetProperty("isDown").GetBoolean());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("openIncident").ValueKind);
        // Staff see the internal record of the outage, tied to its maintenance; it is no customer-visible incident.
        var internalIncident = Assert.Single(incidents.EnumerateArray());
        Assert.Equal(JsonValueKind.String, internalIncident.GetProperty("maintenanceId").ValueKind);
        Assert.Equal("maintenance", status.GetProperty("current_status").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Raising_the_contracts_notice_makes_an_outage_afterwards_in_a_window_announced_before_downtime()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await Contract(admin.Http, customer, noticeHours: 48);
        var monitor = await Monitor(admin.Http, customer);
        // 50 hours ahead: in time under the 48-hour contract it was announced under...
        var start = Now + Duration.FromHours(50);
        await Announce(admin.Http, monitor, start);
        // ...but the contract now needs 72, so when the outage comes, the window had too little notice.
        await Contract(admin.Http, customer, noticeHours: 72);

        world.Clock.Advance(TimeSpan.FromHours(50) + TimeSpan.FromMinutes(5));
        using var staff = await world.AdminAsync();
        await Checks(staff.Http, monitor, (Now, false));
        var view = await Get(staff.Http, $"api/v1/monitors/{monitor}");
        var incidents = await Get(staff.Http, $"api/v1/monitors/{monitor}/incidents");

        Assert.Equal("down", view.GetProperty("health").GetString());
        var incident = Assert.Single(incidents.EnumerateArray());
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("maintenanceId").ValueKind);
        Assert.Matches("the contract needs 72 h notice", incident.GetProperty("note").GetString()!);
    }

    [Fact]
    public async Task Lowering_the_contracts_notice_makes_a_window_announced_afterwards_with_less_than_the_old_notice_maintenance()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = await Monitor(admin.Http, customer);
        await Contract(admin.Http, customer, noticeHours: 72);
        await Contract(admin.Http, customer, noticeHours: 24);
        var start = Now + Duration.FromHours(30);
        await Announce(admin.Http, monitor, start);

        world.Clock.Advance(TimeSpan.FromHours(30) + TimeSpan.FromMinutes(5));
        using var staff = await world.AdminAsync();
        await Checks(staff.Http, monitor, (Now, false));
        var view = await Get(staff.Http, $"api/v1/monitors/{monitor}");

        Assert.Equal("maintenance", view.GetProperty("health").GetString());
        Assert.False(view.GetProperty("isDown").GetBoolean());
    }

    private static async Task Contract(HttpClient admin, string customer, int noticeHours)
        => await ServerScenario.Ok(admin.PutAsJsonAsync(
            $"api/v1/customers/{customer}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", maintenanceNoticeHours = noticeHours }));

    private static async Task Announce(HttpClient admin, string monitor, Instant start)
        => await ServerScenario.Ok(admin.PostAsJsonAsync(
            $"api/v1/monitors/{monitor}/maintenance", new { start, end = start + Duration.FromHours(1), description = "database upgrade" }, SlaGrainsServerFixture.Json));

    private static async Task Checks(HttpClient admin, string monitor, params (Instant At, bool Up)[] checks)
        => await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch", checks.Select(c => new { up = c.Up, at = c.At }).ToArray(), SlaGrainsServerFixture.Json));

    private static async Task<JsonElement> Get(HttpClient http, string path) => await (await ServerScenario.Ok(http.GetAsync(path))).JsonAsync();

    private static async Task<string> Monitor(HttpClient admin, string customer)
    {
        var monitor = $"m-{Guid.NewGuid():N}"[..14];
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        return monitor;
    }
}
