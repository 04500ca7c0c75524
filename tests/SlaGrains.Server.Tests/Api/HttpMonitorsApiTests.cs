using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// HTTP monitors through the API on the real server (one silo, no probe location: probes run as region
/// <c>default</c>), probing a real Kestrel target on 127.0.0.1. The interval is a minute, so the test drives the
/// probes with the prober's <c>ProbeNow</c> (real HTTP each time) instead of waiting for the timer.
/// </summary>
public sealed class HttpMonitorsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private const string Region = "default";
    private ProbeTarget _target = null!;

    public async Task InitializeAsync() => _target = await ProbeTarget.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task Http_monitor_opens_incident_after_three_failed_probes_and_availability_budget_and_status_follow()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var id = $"shop-{customer}";
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id,
            customerId = customer,
            name = "Web shop",
            critical = true,
            consecutiveFailures = 3,
            kind = "http",
            http = new { url = _target.Url, intervalSeconds = 60, timeoutSeconds = 5, expectedStatusCodes = new object[] { "200-299", 304 }, keyword = "status: ok" },
        }))).JsonAsync();
        Assert.Equal("http", created.GetProperty("kind").GetString());
        Assert.Equal(["200-299", "304"], created.GetProperty("http").GetProperty("expectedStatusCodes").EnumerateArray().Select(c => c.GetString()));
        var probe = Probe(id);

        // The prober probes once when it starts (up); then the target fails.
        await _target.WaitForRequestsAsync(Region, 1, Bound);
        _target.Answer(500, "upstream error");
        await probe.ProbeNow();
        await probe.ProbeNow();
        Assert.False((await MonitorAsync(admin, id)).GetProperty("isDown").GetBoolean());

        await probe.ProbeNow();
        var down = await MonitorAsync(admin, id);
        Assert.True(down.GetProperty("isDown").GetBoolean());
        var latest = Assert.Single(down.GetProperty("latestProbes").EnumerateArray());
        Assert.Equal((Region, false, 500), (latest.GetProperty("region").GetString(), latest.GetProperty("up").GetBoolean(), latest.GetProperty("statusCode").GetInt32()));
        Assert.Equal("outage", (await DashboardAsync(admin, customer)).GetProperty("current_status").GetProperty("status").GetString());

        _target.Answer(200, "status: ok");
        await probe.ProbeNow();
        var up = await MonitorAsync(admin, id);
        Assert.False(up.GetProperty("isDown").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, up.GetProperty("lastResponseTime").ValueKind);

        var incident = Assert.Single((await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{id}/incidents"))).JsonAsync()).EnumerateArray());
        var outage = Instant(incident.GetProperty("end")) - Instant(incident.GetProperty("start"));
        var dashboard = await DashboardAsync(admin, customer);
        var month = dashboard.GetProperty("current_month");
        Assert.Equal("operational", dashboard.GetProperty("current_status").GetProperty("status").GetString());
        Assert.Equal(Math.Round(outage.TotalMinutes, 2), month.GetProperty("downtime_minutes").GetDouble());
        Assert.True(month.GetProperty("availability_pct").GetDecimal() < 100m);
        var budget = month.GetProperty("error_budget");
        Assert.Equal(Math.Round(budget.GetProperty("total_minutes").GetDouble() - outage.TotalMinutes, 2), budget.GetProperty("remaining_minutes").GetDouble(), precision: 2);
    }

    [Fact]
    public async Task Http_monitor_input_outside_the_rules_is_a_problem_naming_each_field_and_creates_nothing()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var id = $"bad-{customer}";

        var response = await admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id,
            customerId = customer,
            name = "Web shop",
            kind = "http",
            http = new { url = "ftp://127.0.0.1/", intervalSeconds = 5, timeoutSeconds = 0, expectedStatusCodes = new object[] { 200, "600-700" } },
        });
        var noSettings = await admin.Http.PostAsJsonAsync("api/v1/monitors", new { id, customerId = customer, name = "Web shop", kind = "http" });
        var unknownKind = await admin.Http.PostAsJsonAsync("api/v1/monitors", new { id, customerId = customer, name = "Web shop", kind = "smtp" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray();
        Assert.Equal(["http.expectedStatusCodes[1]", "http.intervalSeconds", "http.timeoutSeconds", "http.url"], errors);
        Assert.True((await noSettings.JsonAsync()).GetProperty("errors").TryGetProperty("http", out _));
        Assert.True((await unknownKind.JsonAsync()).GetProperty("errors").TryGetProperty("kind", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/v1/monitors/{id}")).StatusCode);
    }

    [Fact]
    public async Task Http_monitor_request_options_are_shown_back_without_the_password_and_the_json_assertion_decides_the_probe()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var id = $"json-{customer}";
        const string Password = "pw-never-shown-9f2c";
        _target.Answer(200, """{"status":"ok","db":{"up":true}}""");

        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id,
            customerId = customer,
            name = "API health",
            consecutiveFailures = 1,
            kind = "http",
            http = new
            {
                url = _target.Url,
                intervalSeconds = 60,
                timeoutSeconds = 5,
                method = "get",
                headers = new[] { new { name = "Accept", value = "application/json" }, new { name = "Cookie", value = "session=abc" } },
                basicAuth = new { username = "probe", password = Password },
                keyword = "maintenance",
                keywordAbsent = true,
                json = new { pointer = "/db/up", expected = true },
            },
        }))).JsonAsync();
        var http = created.GetProperty("http");
        Assert.Equal("GET", http.GetProperty("method").GetString());
        Assert.Equal(("probe", "set"), (http.GetProperty("basicAuth").GetProperty("username").GetString(), http.GetProperty("basicAuth").GetProperty("password").GetString()));
        Assert.Equal([("Accept", "application/json"), ("Cookie", "set")], http.GetProperty("headers").EnumerateArray().Select(h => (h.GetProperty("name").GetString(), h.GetProperty("value").GetString())));
        Assert.Equal(("/db/up", "true", true), (http.GetProperty("json").GetProperty("pointer").GetString(), http.GetProperty("json").GetProperty("expected").GetString(), http.GetProperty("keywordAbsent").GetBoolean()));

        await _target.WaitForRequestsAsync(Region, 1, Bound);
        var up = await Probe(id).ProbeNow();
        _target.Answer(200, """{"status":"ok","db":{"up":false}}""");
        var down = await Probe(id).ProbeNow();

        Assert.True(up!.Up, up.Detail);
        Assert.Equal((false, "HTTP 200, JSON /db/up is false, expected 'true'"), (down!.Up, down.Detail));
        var shown = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{id}"))).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Password, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("session=abc", shown, StringComparison.Ordinal);
        Assert.Contains("\"isDown\":true", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_request_options_outside_the_rules_are_a_problem_naming_each_field()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var id = $"badreq-{customer}";

        var response = await admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id,
            customerId = customer,
            name = "API",
            kind = "http",
            http = new
            {
                url = _target.Url,
                method = "TRACE",
                headers = new[] { new { name = "X-Ok", value = "1" }, new { name = "Host", value = "example.org" }, new { name = "X-Evil", value = "a\r\nInjected: yes" } },
                basicAuth = new { username = "a:b", password = "pw" },
                keywordAbsent = true,
                json = new { pointer = "status", expected = new { nested = 1 } },
            },
        });
        var getWithBody = await admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id,
            customerId = customer,
            name = "API",
            kind = "http",
            http = new { url = _target.Url, body = new string('x', 70_000) },
        });
        var postTooBig = await admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id,
            customerId = customer,
            name = "API",
            kind = "http",
            http = new { url = _target.Url, method = "POST", body = new string('x', 70_000), contentType = "no type" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["http.basicAuth.username", "http.headers[1]", "http.headers[2]", "http.json.expected", "http.json.pointer", "http.keywordAbsent", "http.method"],
            (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["http.body"], (await getWithBody.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(["http.body", "http.contentType"], (await postTooBig.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/v1/monitors/{id}")).StatusCode);
    }

    [Fact]
    public async Task An_incident_review_sets_root_cause_and_resolution_shown_in_incidents_and_on_the_dashboard()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var id = $"api-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{id}/checks", new { up = false }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{id}/checks", new { up = true }));
        var incidentId = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{id}/incidents"))).JsonAsync())[0].GetProperty("incidentId").GetString();

        var reviewed = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync(
            $"api/v1/monitors/{id}/incidents/{incidentId}/review", new { rootCause = "deploy", resolution = "Release 4.2 rolled back." }))).JsonAsync();
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/monitors/{id}/incidents/{incidentId}/postmortem", new { url = "https://wiki.example/pm/1" }));
        var badCause = await admin.Http.PutAsJsonAsync($"api/v1/monitors/{id}/incidents/{incidentId}/review", new { rootCause = "cosmicRays", resolution = "?" });

        Assert.Equal(("deploy", "Release 4.2 rolled back."), (reviewed.GetProperty("rootCause").GetString(), reviewed.GetProperty("resolution").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, badCause.StatusCode);
        Assert.Contains((await badCause.JsonAsync()).GetProperty("errors").EnumerateObject(), e => e.Name.Contains("rootCause", StringComparison.Ordinal));
        var incident = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{id}/incidents"))).JsonAsync())[0];
        Assert.Equal(("deploy", "Release 4.2 rolled back.", "https://wiki.example/pm/1"),
            (incident.GetProperty("rootCause").GetString(), incident.GetProperty("resolution").GetString(), incident.GetProperty("postmortem").GetString()));
        var onDashboard = Assert.Single((await DashboardAsync(admin, customer)).GetProperty("incidents").EnumerateArray());
        Assert.Equal(("deploy", "Release 4.2 rolled back."), (onDashboard.GetProperty("root_cause").GetString(), onDashboard.GetProperty("resolution").GetString()));
    }

    private IProbeGrain Probe(string monitorId) => server.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, Region));

    private static async Task<JsonElement> MonitorAsync(SlaGrainsServerFixture.Session admin, string id)
        => await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{id}"))).JsonAsync();

    private static async Task<JsonElement> DashboardAsync(SlaGrainsServerFixture.Session admin, string customer)
        => await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();

    private static Instant Instant(JsonElement value) => value.Deserialize<Instant>(SlaGrainsServerFixture.Json);
}
