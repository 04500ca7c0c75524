using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SlaGrains.Server.Tests.Security;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Incidents with update timelines, end to end over HTTP: staff post updates to a monitor's incident and open, update
/// and resolve manual incidents; the timeline is durable, newest first, on the incident, in the customer's list and on
/// the dashboard; an open manual incident shows in the status words (never in the figures); bad input is a 400 naming
/// the field; customer users read their own and never post; other tenants find nothing; <c>incident.updated</c> reaches
/// the customer's webhooks.
/// </summary>
public sealed class IncidentsApiTests(IncidentsApiTests.World world) : IClassFixture<IncidentsApiTests.World>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private Instant Now => Instant.FromDateTimeOffset(world.Clock.GetUtcNow());

    [Fact]
    public async Task Staff_post_updates_to_a_monitor_incident_and_readers_get_the_timeline_newest_first_with_who_and_when()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = await DownMonitorAsync(admin.Http, customer);
        var incident = $"{monitor}-1";
        var technician = $"tech-{customer}";
        await ServerScenario.UserAsync(admin.Http, technician, "technician", team: "red");
        using var tech = await world.SignInAsync(technician, ServerScenario.Password(technician));

        var before = Now;
        var identified = await tech.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "identified", message = "A full disk on the database host." });
        var resolved = await tech.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "resolved", message = "Space freed; watching." });
        var after = Now;
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/incidents/{incident}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, identified.StatusCode);
        Assert.Equal(HttpStatusCode.Created, resolved.StatusCode);
        Assert.Equal("monitor", read.GetProperty("kind").GetString());
        Assert.Equal(monitor, read.GetProperty("monitorId").GetString());
        var updates = read.GetProperty("updates").EnumerateArray().ToList();
        Assert.Equal(["resolved", "identified"], updates.Select(u => u.GetProperty("status").GetString()));
        Assert.Equal([2, 1], updates.Select(u => u.GetProperty("sequence").GetInt32()));
        Assert.All(updates, u => Assert.Equal(technician, u.GetProperty("by").GetString()));
        Assert.All(updates, u => Assert.InRange(At(u.GetProperty("at")), before, after));
        Assert.Equal("resolved", read.GetProperty("status").GetString());

        // The monitor's checks decide when its outage ends: a resolved update is recorded, the incident is still ongoing.
        Assert.False(read.GetProperty("resolved").GetBoolean());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("end").ValueKind);

        var listed = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/incidents"))).JsonAsync();
        Assert.Equal(2, Assert.Single(listed.EnumerateArray()).GetProperty("updates").GetArrayLength());
        var dashboard = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();
        var row = Assert.Single(dashboard.GetProperty("incidents").EnumerateArray());
        Assert.Equal("A full disk on the database host.", row.GetProperty("updates")[1].GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_manual_incident_shows_in_the_status_words_until_a_resolved_update_ends_it_and_nothing_is_posted_after()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "Payments", critical = true }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = true }));

        var opened = await admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/incidents", new
        {
            title = "Card payments failing",
            components = new[] { monitor },
            impact = "majorOutage",
            message = "Card payments fail at the provider; we are in contact.",
        });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var incident = await opened.JsonAsync();
        var id = incident.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/incidents/{id}", opened.Headers.Location?.OriginalString);
        Assert.Equal("manual", incident.GetProperty("kind").GetString());
        Assert.Equal(["Payments"], incident.GetProperty("components").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("investigating", incident.GetProperty("status").GetString());

        var during = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();
        Assert.Equal("outage", during.GetProperty("current_status").GetProperty("status").GetString());
        Assert.Contains("Card payments failing", during.GetProperty("current_status").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("down", Assert.Single(during.GetProperty("components").EnumerateArray()).GetProperty("status").GetString());
        // Communication, not measurement: the month's availability is untouched.
        Assert.Equal(100m, during.GetProperty("current_month").GetProperty("availability_pct").GetDecimal());
        Assert.Equal("manual", Assert.Single(during.GetProperty("incidents").EnumerateArray()).GetProperty("kind").GetString());

        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/incidents/{id}/updates", new { status = "resolved", message = "Payments work again." }));
        var again = await admin.Http.PostAsJsonAsync($"api/v1/incidents/{id}/updates", new { status = "monitoring", message = "Still fine." });
        var after = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/incidents/{id}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("incident-resolved", (await again.JsonAsync()).GetProperty("title").GetString());
        Assert.Equal("operational", after.GetProperty("current_status").GetProperty("status").GetString());
        Assert.Equal("up", Assert.Single(after.GetProperty("components").EnumerateArray()).GetProperty("status").GetString());
        Assert.True(read.GetProperty("resolved").GetBoolean());
        Assert.Equal(2, read.GetProperty("updates").GetArrayLength());
    }

    [Fact]
    public async Task Bad_updates_and_manual_incidents_are_400s_naming_the_field_and_change_nothing()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = await DownMonitorAsync(admin.Http, customer);
        var incident = $"{monitor}-1";

        var noMessage = await admin.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "identified", message = "  " });
        var badStatus = await admin.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "fixed", message = "Done." });
        var tooLong = await admin.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "identified", message = new string('x', 10_001) });
        var control = await admin.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "identified", message = "bell\u0007" });
        var unknownComponent = await admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/incidents", new { title = "Slow", components = new[] { "not-ours" }, impact = "degraded", message = "Slow." });
        var badImpact = await admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/incidents", new { title = "Slow", components = new[] { monitor }, impact = "catastrophic", message = "Slow." });
        var noTitle = await admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/incidents", new { components = new[] { monitor }, impact = "degraded", message = "Slow." });
        var openedResolved = await admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/incidents", new { title = "Slow", components = new[] { monitor }, impact = "degraded", message = "Slow.", status = "resolved" });

        await AssertField(noMessage, "message");
        await AssertField(badStatus, "status");
        await AssertField(tooLong, "message");
        await AssertField(control, "message");
        await AssertField(unknownComponent, "components[0]");
        await AssertField(badImpact, "impact");
        await AssertField(noTitle, "title");
        await AssertField(openedResolved, "status");
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/incidents/{incident}"))).JsonAsync();
        Assert.Equal(0, read.GetProperty("updates").GetArrayLength());
        var listed = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/incidents"))).JsonAsync();
        Assert.Equal("monitor", Assert.Single(listed.EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Customer_users_read_their_own_incidents_never_post_and_other_tenants_find_nothing()
    {
        using var admin = await world.AdminAsync();
        var a = await ServerScenario.CustomerAsync(admin.Http);
        var b = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = await DownMonitorAsync(admin.Http, a);
        var incident = $"{monitor}-1";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "investigating", message = "Looking into it." }));
        var manual = (await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/customers/{a}/incidents",
            new { title = "Slow logins", components = new[] { monitor }, impact = "degraded", message = "Logins are slow." }))).JsonAsync()).GetProperty("id").GetString()!;
        await ServerScenario.UserAsync(admin.Http, $"user-{a}", "customer", a);
        await ServerScenario.UserAsync(admin.Http, $"user-{b}", "customer", b);
        using var ofA = await world.SignInAsync($"user-{a}", ServerScenario.Password($"user-{a}"));
        using var ofB = await world.SignInAsync($"user-{b}", ServerScenario.Password($"user-{b}"));

        var own = await (await ServerScenario.Ok(ofA.Http.GetAsync($"api/v1/incidents/{incident}"))).JsonAsync();
        var ownList = await (await ServerScenario.Ok(ofA.Http.GetAsync($"api/v1/customers/{a}/incidents"))).JsonAsync();
        var post = await ofA.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "resolved", message = "We think it is fine." });
        var open = await ofA.Http.PostAsJsonAsync($"api/v1/customers/{a}/incidents", new { title = "Ours", components = new[] { monitor }, impact = "degraded", message = "x" });

        // A customer's users see no staff names.
        Assert.Equal(JsonValueKind.Null, Assert.Single(own.GetProperty("updates").EnumerateArray()).GetProperty("by").ValueKind);
        Assert.Equal(2, ownList.GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, open.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await ofB.Http.GetAsync($"api/v1/incidents/{incident}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ofB.Http.GetAsync($"api/v1/incidents/{manual}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ofB.Http.GetAsync($"api/v1/customers/{a}/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ofB.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "resolved", message = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ofB.Http.PostAsJsonAsync($"api/v1/incidents/{manual}/updates", new { status = "resolved", message = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ofB.Http.PostAsJsonAsync($"api/v1/customers/{a}/incidents", new { title = "x", components = new[] { monitor }, impact = "degraded", message = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/v1/incidents/{monitor}-99")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/v1/incidents/{a}.mnothing")).StatusCode);

        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/incidents/{incident}"))).JsonAsync();
        Assert.Equal(1, read.GetProperty("updates").GetArrayLength());
    }

    [Fact]
    public async Task A_posted_update_reaches_the_hub_live_with_its_author_for_staff_without_it_for_the_customer_and_not_at_all_for_another_tenant()
    {
        using var admin = await world.AdminAsync();
        var a = await ServerScenario.CustomerAsync(admin.Http);
        var b = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = await DownMonitorAsync(admin.Http, a);
        await ServerScenario.UserAsync(admin.Http, $"user-{a}", "customer", a);
        await ServerScenario.UserAsync(admin.Http, $"user-{b}", "customer", b);
        using var ofA = await world.SignInAsync($"user-{a}", ServerScenario.Password($"user-{a}"));
        using var ofB = await world.SignInAsync($"user-{b}", ServerScenario.Password($"user-{b}"));
        await using var staffHub = admin.Hub();
        await using var hubOfA = ofA.Hub();
        await using var hubOfB = ofB.Hub();
        var toStaff = Listen(staffHub, a);
        var toA = Listen(hubOfA, a);
        var toB = Listen(hubOfB, a);
        await Task.WhenAll(staffHub.StartAsync(), hubOfA.StartAsync(), hubOfB.StartAsync());

        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/incidents/{monitor}-1/updates", new { status = "monitoring", message = "A fix is out; watching." }));
        var staff = await toStaff.Task.WaitAsync(Bound);
        var customer = await toA.Task.WaitAsync(Bound);

        Assert.Equal($"{monitor}-1", customer.GetProperty("incidentId").GetString());
        Assert.Equal("monitoring", customer.GetProperty("status").GetString());
        Assert.Equal("A fix is out; watching.", customer.GetProperty("message").GetString());
        Assert.False(customer.GetProperty("manual").GetBoolean());
        Assert.Equal(JsonValueKind.Null, customer.GetProperty("by").ValueKind);
        Assert.Equal("admin", staff.GetProperty("by").GetString());

        // The hub sends in order per connection: once B's own customer's update arrives, A's would have arrived before it.
        var own = Listen(hubOfB, b);
        var monitorOfB = await DownMonitorAsync(admin.Http, b);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/incidents/{monitorOfB}-1/updates", new { status = "identified", message = "Ours." }));
        await own.Task.WaitAsync(Bound);
        Assert.False(toB.Task.IsCompleted);
    }

    private static TaskCompletionSource<JsonElement> Listen(HubConnection hub, string customerId)
    {
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>(nameof(Server.Live.ISlaClient.IncidentUpdated), u =>
        {
            if (u.GetProperty("customerId").GetString() == customerId)
            {
                received.TrySetResult(u);
            }
        });
        return received;
    }

    [Fact]
    public async Task A_posted_update_reaches_the_customers_webhooks_as_incident_updated_once()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var path = $"hooks/{Guid.NewGuid():N}";
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync(
            $"api/v1/customers/{customer}/webhooks", new { url = world.Receiver.Url(path), eventTypes = new[] { "incident.updated" } }))).JsonAsync();
        world.Receiver.Expect(path, created.GetProperty("secret").GetString()!);
        var monitor = await DownMonitorAsync(admin.Http, customer);

        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/incidents/{monitor}-1/updates", new { status = "identified", message = "A bad deploy; rolling back." }));
        var hook = await world.Receiver.WaitFor(r => r.Path == path, Bound);

        Assert.True(hook.SignatureValid);
        Assert.Equal("incident.updated", hook.Event);
        var data = hook.Json.GetProperty("data");
        Assert.Equal($"{monitor}-1", data.GetProperty("incidentId").GetString());
        Assert.Equal("identified", data.GetProperty("status").GetString());
        Assert.Equal("A bad deploy; rolling back.", data.GetProperty("message").GetString());
        Assert.Equal(1, data.GetProperty("sequence").GetInt32());
    }

    /// <summary>A critical monitor of the customer that has confirmed an outage: its incident is <c>{monitor}-1</c>.</summary>
    private async Task<string> DownMonitorAsync(HttpClient admin, string customer)
    {
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = false, at = Now - Duration.FromMinutes(5) }, SlaGrainsServerFixture.Json));
        return monitor;
    }

    private static async Task AssertField(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    private static Instant At(JsonElement at) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(at.GetString()!).Value;

    /// <summary>The server on a clock the tests read, webhook retries in milliseconds, a receiver on loopback.</summary>
    public sealed class World : WebhookReceiverServer;
}
