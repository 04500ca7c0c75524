using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Server.Tests.Security;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// A monitor's alerts people can trust, end to end: burn-rate alerts in the inbox, on the live feed and as
/// <c>budget.burn</c> once per start and stop; no customer-visible incident inside announced, in-time maintenance; a
/// silent push monitor unknown, not operational; time to detect of back-filled history from the first failed check.
/// </summary>
public sealed class MonitorAlertsApiTests(MonitorAlertsApiTests.World world) : IClassFixture<MonitorAlertsApiTests.World>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private WebhookReceiver Receiver => world.Receiver;

    private Instant Now => Instant.FromDateTimeOffset(world.Clock.GetUtcNow());

    [Fact]
    public async Task Burn_rate_alert_reaches_inbox_live_feed_and_budget_burn_webhook_once()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var path = await Subscribe(admin.Http, customer, "budget.burn");
        var monitor = await Monitor(admin.Http, customer, consecutiveFailures: 1);
        await using var hub = admin.Hub();
        var live = new List<BudgetAlertView>();
        var started = new TaskCompletionSource<BudgetAlertView>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource<BudgetAlertView>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<BudgetAlertView>(nameof(Server.Live.ISlaClient.BudgetAlertChanged), alert =>
        {
            if (alert.MonitorId != monitor || alert.Name != "page-fast")
            {
                return;
            }

            lock (live)
            {
                live.Add(alert);
            }

            (alert.IsFiring ? started : stopped).TrySetResult(alert);
        });
        await hub.StartAsync();

        // Down for the last 10 minutes: every window burns far faster than 14.4×.
        await Checks(admin.Http, monitor, (Now - Duration.FromMinutes(11), true), (Now - Duration.FromMinutes(10), false));
        var startedHook = await Receiver.WaitFor(r => r.Path == path && r.Json.GetProperty("data").GetProperty("alert").GetString() == "page-fast", Bound);
        var startedLive = await started.Task.WaitAsync(Bound);
        var inbox = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/budget-alerts?customer={customer}&firing=true"))).JsonAsync();

        // Back up, and 10 minutes later the 5-minute window is clean: page-fast stops (the slower alerts keep firing).
        await Checks(admin.Http, monitor, (Now, true));
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await Checks(admin.Http, monitor, (Now, true));
        await Checks(admin.Http, monitor, (Now, true));
        var stoppedHook = await Receiver.WaitFor(r => r.Path == path && r.Json.GetProperty("data").GetProperty("alert").GetString() == "page-fast" && r.Json.GetProperty("data").GetProperty("state").GetString() == "stopped", Bound);
        var stoppedLive = await stopped.Task.WaitAsync(Bound);
        var after = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/budget-alerts?customer={customer}"))).JsonAsync();
        var log = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/webhooks/deliveries"))).JsonAsync();

        Assert.True(startedHook.SignatureValid);
        Assert.Equal("budget.burn", startedHook.Event);
        var data = startedHook.Json.GetProperty("data");
        Assert.Equal(monitor, data.GetProperty("monitorId").GetString());
        Assert.Equal(customer, data.GetProperty("customerId").GetString());
        Assert.Equal("page", data.GetProperty("severity").GetString());
        Assert.Equal("started", data.GetProperty("state").GetString());
        Assert.True(data.GetProperty("shortWindowBurnRate").GetDecimal() >= 14.4m);
        Assert.Equal(startedLive.AlertId, data.GetProperty("alertId").GetString());
        Assert.Contains(inbox.EnumerateArray(), a => a.GetProperty("alertId").GetString() == startedLive.AlertId && a.GetProperty("stoppedAt").ValueKind == JsonValueKind.Null);
        Assert.Equal(startedLive.AlertId, stoppedLive.AlertId);
        Assert.Equal(startedLive.AlertId, stoppedHook.Json.GetProperty("data").GetProperty("alertId").GetString());
        var row = Assert.Single(after.EnumerateArray(), a => a.GetProperty("alertId").GetString() == startedLive.AlertId);
        Assert.Equal(JsonValueKind.String, row.GetProperty("stoppedAt").ValueKind);
        // Exactly once per start and per stop: on the receiver, in the delivery log and on the live feed.
        Assert.Equal(2, Receiver.Received.Count(r => r.Path == path && r.Json.GetProperty("data").GetProperty("alertId").GetString() == startedLive.AlertId));
        Assert.Equal(2, log.GetProperty("items").EnumerateArray().Count(d => d.GetProperty("eventId").GetString()!.Contains(startedLive.AlertId, StringComparison.Ordinal)));
        lock (live)
        {
            Assert.Equal(2, live.Count);
        }
    }

    [Fact]
    public async Task Outage_inside_announced_maintenance_opens_no_customer_visible_incident_and_sends_no_webhook()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var path = await Subscribe(admin.Http, customer, "incident.opened", "incident.resolved", "maintenance.announced");
        var monitor = await Monitor(admin.Http, customer, consecutiveFailures: 1);
        var userName = $"c-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, userName, "customer", customerId: customer);
        // Announced 49 hours ahead: the default notice is 48.
        var start = Now + Duration.FromHours(49);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start, end = start + Duration.FromHours(1), description = "database upgrade" }, SlaGrainsServerFixture.Json));
        await Receiver.WaitFor(r => r.Path == path && r.Event == "maintenance.announced", Bound);

        world.Clock.Advance(TimeSpan.FromHours(49) + TimeSpan.FromMinutes(5));
        using var staff = await world.AdminAsync();
        await Checks(staff.Http, monitor, (Now, false));
        var during = await (await ServerScenario.Ok(staff.Http.GetAsync($"api/v1/monitors/{monitor}"))).JsonAsync();
        await Checks(staff.Http, monitor, (Now + Duration.FromSeconds(1), true));
        // A later event on the same path: the monitor's outbox hands events over in order, so an incident webhook
        // would have been queued before it.
        var later = Now + Duration.FromHours(72);
        await ServerScenario.Ok(staff.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start = later, end = later + Duration.FromHours(1), description = "second" }, SlaGrainsServerFixture.Json));
        await Receiver.WaitFor(r => r.Path == path && r.Event == "maintenance.announced" && r.Json.GetProperty("data").GetProperty("description").GetString() == "second", Bound);
        using var customerUser = await world.SignInAsync(userName, ServerScenario.Password(userName));
        var customerIncidents = await (await ServerScenario.Ok(customerUser.Http.GetAsync($"api/v1/monitors/{monitor}/incidents"))).JsonAsync();
        var staffIncidents = await (await ServerScenario.Ok(staff.Http.GetAsync($"api/v1/monitors/{monitor}/incidents"))).JsonAsync();

        Assert.Equal("maintenance", during.GetProperty("health").GetString());
        Assert.Equal("Under maintenance", during.GetProperty("statusText").GetString());
        Assert.False(during.GetProperty("isDown").GetBoolean());
        Assert.DoesNotContain(Receiver.Received, r => r.Path == path && r.Event.StartsWith("incident.", StringComparison.Ordinal));
        Assert.Equal(0, customerIncidents.GetArrayLength());
        var internalIncident = Assert.Single(staffIncidents.EnumerateArray());
        Assert.Equal(JsonValueKind.String, internalIncident.GetProperty("maintenanceId").ValueKind);
    }

    [Fact]
    public async Task Outage_inside_maintenance_announced_too_late_counts_as_downtime_and_says_why()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var path = await Subscribe(admin.Http, customer, "incident.opened");
        var monitor = await Monitor(admin.Http, customer, consecutiveFailures: 1);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start = Now + Duration.FromMinutes(10), end = Now + Duration.FromHours(2), description = "hotfix" }, SlaGrainsServerFixture.Json));

        world.Clock.Advance(TimeSpan.FromMinutes(15));
        using var staff = await world.AdminAsync();
        await Checks(staff.Http, monitor, (Now, false));
        var opened = await Receiver.WaitFor(r => r.Path == path && r.Event == "incident.opened", Bound);
        var incident = Assert.Single((await (await ServerScenario.Ok(staff.Http.GetAsync($"api/v1/monitors/{monitor}/incidents"))).JsonAsync()).EnumerateArray());
        var view = await (await ServerScenario.Ok(staff.Http.GetAsync($"api/v1/monitors/{monitor}"))).JsonAsync();

        Assert.Equal(monitor, opened.Json.GetProperty("data").GetProperty("monitorId").GetString());
        Assert.Equal("down", view.GetProperty("health").GetString());
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("maintenanceId").ValueKind);
        Assert.Matches("announced (9|10) min before it started; the contract needs 48 h notice", incident.GetProperty("note").GetString()!);
    }

    [Fact]
    public async Task Push_monitor_silent_for_twice_its_interval_is_unknown_not_operational()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = await Monitor(admin.Http, customer, consecutiveFailures: 2);
        var lastResult = Now - Duration.FromMinutes(16);

        await Checks(admin.Http, monitor, (lastResult, true));
        var silent = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}"))).JsonAsync();
        await Checks(admin.Http, monitor, (Now, true));
        var resumed = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}"))).JsonAsync();

        Assert.Equal("unknown", silent.GetProperty("health").GetString());
        Assert.False(silent.GetProperty("isDown").GetBoolean());
        Assert.Equal(lastResult + Duration.FromMinutes(10), silent.GetProperty("unknownSince").Deserialize<Instant>(SlaGrainsServerFixture.Json));
        Assert.StartsWith("No data since ", silent.GetProperty("statusText").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(" — status unknown", silent.GetProperty("statusText").GetString(), StringComparison.Ordinal);
        Assert.Equal(600, silent.GetProperty("staleAfter").Deserialize<Duration>(SlaGrainsServerFixture.Json).TotalSeconds);
        Assert.Equal("up", resumed.GetProperty("health").GetString());
        Assert.Equal("Operational", resumed.GetProperty("statusText").GetString());
    }

    [Fact]
    public async Task A_monitor_going_silent_and_resuming_reaches_open_status_pages_as_unknown_then_up()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = await Monitor(admin.Http, customer, consecutiveFailures: 2);
        await using var hub = admin.Hub();
        var unknown = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var up = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>(nameof(Server.Live.ISlaClient.MonitorStatusChanged), change =>
        {
            if (change.GetProperty("monitorId").GetString() == monitor)
            {
                (change.GetProperty("health").GetString() == "unknown" ? unknown : up).TrySetResult(change);
            }
        });
        await hub.StartAsync();
        var lastResult = Now - Duration.FromMinutes(16);

        await Checks(admin.Http, monitor, (lastResult, true));
        var silent = await unknown.Task.WaitAsync(Bound);
        await Checks(admin.Http, monitor, (Now, true));
        var resumed = await up.Task.WaitAsync(Bound);

        Assert.False(silent.GetProperty("isDown").GetBoolean());
        Assert.Equal(lastResult + Duration.FromMinutes(10), silent.GetProperty("at").Deserialize<Instant>(SlaGrainsServerFixture.Json));
        Assert.Equal("up", resumed.GetProperty("health").GetString());
    }

    [Fact]
    public async Task Time_to_detect_of_backfilled_history_counts_from_the_first_failed_check()
    {
        using var admin = await world.AdminAsync();
        var group = $"g-{Guid.NewGuid():N}";
        var customer = await ServerScenario.CustomerAsync(admin.Http, group: group, timeZone: "UTC");
        var monitor = await Monitor(admin.Http, customer, consecutiveFailures: 3);
        // History loaded now, of an outage a day ago: failures at +1, +2, +3 minutes (the third confirms it).
        var start = Now - Duration.FromDays(1);
        await Checks(admin.Http, monitor, (start, true), (start + Duration.FromMinutes(1), false), (start + Duration.FromMinutes(2), false), (start + Duration.FromMinutes(3), false), (start + Duration.FromMinutes(9), true));
        var month = start.InUtc().Date.ToYearMonth().ToString("yyyy-MM", null);
        var thisMonth = Now.InUtc().Date.ToYearMonth().ToString("yyyy-MM", null);

        var report = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/reports/managers?from={month}&to={thisMonth}&group={group}"))).JsonAsync();
        var incident = Assert.Single((await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}/incidents"))).JsonAsync()).EnumerateArray());

        var detect = report.GetProperty("timeToDetect");
        Assert.Equal(1, detect.GetProperty("incidents").GetInt32());
        Assert.Equal(2, detect.GetProperty("meanMinutes").GetDouble());
        Assert.Equal(start + Duration.FromMinutes(3), incident.GetProperty("openedAt").Deserialize<Instant>(SlaGrainsServerFixture.Json));
    }

    [Fact]
    public async Task Budget_alerts_are_for_staff_and_a_customer_user_is_refused()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var userName = $"c-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, userName, "customer", customerId: customer);
        using var customerUser = await world.SignInAsync(userName, ServerScenario.Password(userName));

        var refused = await customerUser.Http.GetAsync($"api/v1/budget-alerts?customer={customer}");

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(86_401)]
    public async Task A_stale_after_outside_a_minute_to_a_day_is_a_problem_naming_the_field_and_creates_nothing(int seconds)
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = $"m-{Guid.NewGuid():N}"[..14];

        var refused = await admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, staleAfterSeconds = seconds });
        var problem = await refused.JsonAsync();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("staleAfterSeconds", out _));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/v1/monitors/{monitor}")).StatusCode);
    }

    private static async Task Checks(HttpClient admin, string monitor, params (Instant At, bool Up)[] checks)
        => await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch", checks.Select(c => new { up = c.Up, at = c.At }).ToArray(), SlaGrainsServerFixture.Json));

    private static async Task<string> Monitor(HttpClient admin, string customer, int consecutiveFailures)
    {
        var monitor = $"m-{Guid.NewGuid():N}"[..14];
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures }));
        return monitor;
    }

    /// <summary>A subscription to a fresh path of the receiver, its secret handed to the receiver to verify with.</summary>
    private async Task<string> Subscribe(HttpClient admin, string customer, params string[] eventTypes)
    {
        var path = $"hooks/{Guid.NewGuid():N}";
        var created = await (await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = Receiver.Url(path), eventTypes }))).JsonAsync();
        Receiver.Expect(path, created.GetProperty("secret").GetString()!);
        return path;
    }

    /// <summary>The server on a clock the tests move forward, webhook retries in milliseconds, a receiver on loopback; a failing webhook gives up after 3 attempts.</summary>
    public sealed class World : WebhookReceiverServer
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [.. base.Settings, new("Webhooks:MaxAttempts", "3")];
    }
}
