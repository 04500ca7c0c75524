using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Server.Tests.Security;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Acknowledging a burn-rate (error-budget) alert through <c>POST /api/v1/budget-alerts/{id}/acknowledge</c>, like an
/// escalation: staff only, once (a repeat keeps the first), carried by the list and the live feed; a customer's user
/// is refused for any customer's alert and changes nothing.
/// </summary>
public sealed class BudgetAlertAcknowledgeApiTests(MovableClockServer world) : IClassFixture<MovableClockServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private Instant Now => Instant.FromDateTimeOffset(world.Clock.GetUtcNow());

    [Fact]
    public async Task A_manager_acknowledges_a_firing_budget_alert_and_the_list_and_the_live_feed_say_who_and_when()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var managerName = $"m-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, managerName, "manager");
        using var manager = await world.SignInAsync(managerName, ServerScenario.Password(managerName));
        var alertId = await FiringAlertAsync(admin.Http, customer);
        await using var hub = manager.Hub();
        var live = new TaskCompletionSource<BudgetAlertView>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<BudgetAlertView>(nameof(Server.Live.ISlaClient.BudgetAlertChanged), a =>
        {
            if (a.AlertId == alertId && a.AcknowledgedBy is not null)
            {
                live.TrySetResult(a);
            }
        });
        await hub.StartAsync();

        var before = Now;
        var answer = await (await ServerScenario.Ok(manager.Http.PostAsync($"api/v1/budget-alerts/{alertId}/acknowledge", null))).JsonAsync();
        var after = Now;
        var pushed = await live.Task.WaitAsync(Bound);
        var listed = Assert.Single(
            (await (await ServerScenario.Ok(manager.Http.GetAsync($"api/v1/budget-alerts?customer={customer}"))).JsonAsync()).EnumerateArray(),
            a => a.GetProperty("alertId").GetString() == alertId);

        Assert.Equal(managerName, answer.GetProperty("acknowledgedBy").GetString());
        var acknowledgedAt = answer.GetProperty("acknowledgedAt").Deserialize<Instant>(SlaGrainsServerFixture.Json);
        Assert.InRange(acknowledgedAt, before, after);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("stoppedAt").ValueKind);
        Assert.Equal(managerName, pushed.AcknowledgedBy);
        Assert.Equal(acknowledgedAt, pushed.AcknowledgedAt);
        Assert.Equal(managerName, listed.GetProperty("acknowledgedBy").GetString());
        Assert.Equal(acknowledgedAt, listed.GetProperty("acknowledgedAt").Deserialize<Instant>(SlaGrainsServerFixture.Json));
    }

    [Fact]
    public async Task Acknowledging_a_budget_alert_again_keeps_the_first_acknowledgement()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var technicianName = $"t-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, technicianName, "technician", team: "ops");
        using var technician = await world.SignInAsync(technicianName, ServerScenario.Password(technicianName));
        var alertId = await FiringAlertAsync(admin.Http, customer);

        var first = await (await ServerScenario.Ok(technician.Http.PostAsync($"api/v1/budget-alerts/{alertId}/acknowledge", null))).JsonAsync();
        var again = await (await ServerScenario.Ok(admin.Http.PostAsync($"api/v1/budget-alerts/{alertId}/acknowledge", null))).JsonAsync();
        var listed = Assert.Single(
            (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/budget-alerts?customer={customer}"))).JsonAsync()).EnumerateArray(),
            a => a.GetProperty("alertId").GetString() == alertId);

        Assert.Equal(technicianName, first.GetProperty("acknowledgedBy").GetString());
        Assert.Equal(technicianName, again.GetProperty("acknowledgedBy").GetString());
        Assert.Equal(first.GetProperty("acknowledgedAt").GetString(), again.GetProperty("acknowledgedAt").GetString());
        Assert.Equal(technicianName, listed.GetProperty("acknowledgedBy").GetString());
        Assert.Equal(first.GetProperty("acknowledgedAt").GetString(), listed.GetProperty("acknowledgedAt").GetString());
    }

    [Fact]
    public async Task A_customer_user_cannot_acknowledge_a_budget_alert_of_another_customer_or_their_own_and_nothing_changes()
    {
        using var admin = await world.AdminAsync();
        var a = await ServerScenario.CustomerAsync(admin.Http);
        var b = await ServerScenario.CustomerAsync(admin.Http);
        var userName = $"c-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, userName, "customer", customerId: a);
        using var customerUserOfA = await world.SignInAsync(userName, ServerScenario.Password(userName));
        var alertOfA = await FiringAlertAsync(admin.Http, a);
        var alertOfB = await FiringAlertAsync(admin.Http, b);

        using var foreign = await customerUserOfA.Http.PostAsync($"api/v1/budget-alerts/{alertOfB}/acknowledge", null);
        using var own = await customerUserOfA.Http.PostAsync($"api/v1/budget-alerts/{alertOfA}/acknowledge", null);
        var alerts = (await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/budget-alerts?limit=500"))).JsonAsync()).EnumerateArray()
            .Where(x => x.GetProperty("alertId").GetString() is var id && (id == alertOfA || id == alertOfB)).ToList();

        Assert.True(foreign.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{(int)foreign.StatusCode}");
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Equal("application/problem+json", own.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, x => Assert.Equal(JsonValueKind.Null, x.GetProperty("acknowledgedBy").ValueKind));
    }

    [Theory]
    [InlineData("no-dots-here")]
    [InlineData("monitor.page-fast.not-ticks")]
    [InlineData("monitor..123")]
    [InlineData("mon%20itor.page-fast.123")]
    public async Task A_malformed_budget_alert_id_is_a_400_naming_alertId(string alertId)
    {
        using var admin = await world.AdminAsync();

        using var refused = await admin.Http.PostAsync($"api/v1/budget-alerts/{alertId}/acknowledge", null);
        var problem = await refused.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("alertId", out _), problem.ToString());
    }

    [Fact]
    public async Task A_budget_alert_id_of_no_monitor_or_of_a_firing_that_never_was_is_404()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var alertId = await FiringAlertAsync(admin.Http, customer);
        BudgetAlertView.TryParseId(alertId, out var monitor, out var name, out var startedAt);

        using var noMonitor = await admin.Http.PostAsync($"api/v1/budget-alerts/{BudgetAlertView.IdOf($"m-{Guid.NewGuid():N}"[..14], name!, startedAt)}/acknowledge", null);
        using var neverFired = await admin.Http.PostAsync($"api/v1/budget-alerts/{BudgetAlertView.IdOf(monitor!, name!, startedAt - Duration.FromSeconds(1))}/acknowledge", null);

        Assert.Equal(HttpStatusCode.NotFound, noMonitor.StatusCode);
        Assert.Equal("application/problem+json", noMonitor.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, neverFired.StatusCode);
        Assert.Equal("application/problem+json", neverFired.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A monitor of <paramref name="customer"/> down for the last 10 minutes: its page-fast alert fires; its id.</summary>
    private async Task<string> FiringAlertAsync(HttpClient admin, string customer)
    {
        var monitor = $"m-{Guid.NewGuid():N}"[..14];
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        var checks = new[] { new { up = true, at = Now - Duration.FromMinutes(11) }, new { up = false, at = Now - Duration.FromMinutes(10) } };
        await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch", checks, SlaGrainsServerFixture.Json));
        // The monitor writes the alert's row before the check batch is answered.
        var alerts = await (await ServerScenario.Ok(admin.GetAsync($"api/v1/budget-alerts?customer={customer}&firing=true"))).JsonAsync();
        return alerts.EnumerateArray().Single(x => x.GetProperty("monitorId").GetString() == monitor && x.GetProperty("name").GetString() == "page-fast")
            .GetProperty("alertId").GetString()!;
    }
}
