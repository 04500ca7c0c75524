using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// tcp, dns and ping monitors through the API on the real server over HTTP: what is created reads back with its kind
/// and sub-object, and input outside the rules is a 400 problem naming the field within the kind's sub-object.
/// Targets are on 127.0.0.1 (allowed by the test server), and nothing listens on the ports named.
/// </summary>
public sealed class ProbeKindsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task A_tcp_monitor_reads_back_with_its_kind_and_tcp_settings_in_the_monitor_and_the_list()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var id = $"relay-{customer}";

        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id,
            customerId = customer,
            name = "Mail relay",
            critical = true,
            kind = "tcp",
            tcp = new { host = "127.0.0.1", port = 2525, intervalSeconds = 30, timeoutSeconds = 3 },
        }))).JsonAsync();
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{id}"))).JsonAsync();

        foreach (var monitor in new[] { created, read })
        {
            Assert.Equal("tcp", monitor.GetProperty("kind").GetString());
            var tcp = monitor.GetProperty("tcp");
            Assert.Equal(("127.0.0.1", 2525, 30.0, 3.0), (tcp.GetProperty("host").GetString(), tcp.GetProperty("port").GetInt32(),
                tcp.GetProperty("intervalSeconds").GetDouble(), tcp.GetProperty("timeoutSeconds").GetDouble()));
            Assert.Equal(JsonValueKind.Null, monitor.GetProperty("http").ValueKind);
        }
    }

    [Fact]
    public async Task A_dns_monitor_and_a_ping_monitor_read_back_with_their_settings_and_defaults()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        var dns = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id = $"ns-{customer}",
            customerId = customer,
            name = "Name servers",
            kind = "dns",
            dns = new { name = "probe.test.", recordType = "mx", server = "127.0.0.1:5353", expected = new[] { "10 mail.probe.test" } },
        }))).JsonAsync();
        var ping = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id = $"gw-{customer}",
            customerId = customer,
            name = "Gateway",
            kind = "ping",
            ping = new { host = "localhost" },
        }))).JsonAsync();

        var d = dns.GetProperty("dns");
        Assert.Equal(("dns", "probe.test", "MX", "127.0.0.1:5353", 60.0, 10.0), (dns.GetProperty("kind").GetString(), d.GetProperty("name").GetString(),
            d.GetProperty("recordType").GetString(), d.GetProperty("server").GetString(), d.GetProperty("intervalSeconds").GetDouble(), d.GetProperty("timeoutSeconds").GetDouble()));
        Assert.Equal(["10 mail.probe.test"], d.GetProperty("expected").EnumerateArray().Select(e => e.GetString()));
        var p = ping.GetProperty("ping");
        Assert.Equal(("ping", "localhost", 60.0), (ping.GetProperty("kind").GetString(), p.GetProperty("host").GetString(), p.GetProperty("intervalSeconds").GetDouble()));
    }

    [Theory]
    [InlineData("tcp", """{ "host": "127.0.0.1", "port": 0 }""", "tcp.port")]
    [InlineData("tcp", """{ "host": "127.0.0.1", "port": 65536 }""", "tcp.port")]
    [InlineData("tcp", """{ "host": "127.0.0.1", "port": 25, "intervalSeconds": 5, "timeoutSeconds": 1 }""", "tcp.intervalSeconds")]
    [InlineData("tcp", """{ "host": "not a host", "port": 25 }""", "tcp.host")]
    [InlineData("dns", """{ "name": "probe.test", "recordType": "XYZ" }""", "dns.recordType")]
    [InlineData("dns", """{ "name": "probe.test", "recordType": "A", "server": "127.0.0.1:99999" }""", "dns.server")]
    [InlineData("dns", """{ "name": "127.0.0.1", "recordType": "A" }""", "dns.name")]
    [InlineData("ping", """{ "host": "127.0.0.1", "intervalSeconds": 60, "timeoutSeconds": 60 }""", "ping.timeoutSeconds")]
    [InlineData("ping", """{ "host": "127.0.0.1", "intervalSeconds": 30, "timeoutSeconds": 0 }""", "ping.timeoutSeconds")]
    public async Task Probe_settings_outside_the_rules_are_a_400_naming_the_field_and_create_nothing(string kind, string settings, string field)
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var id = $"bad-{customer}";

        var response = await PostAsync(admin, $$"""{ "id": "{{id}}", "customerId": "{{customer}}", "name": "Relay", "kind": "{{kind}}", "{{kind}}": {{settings}} }""");

        await AssertProblemAsync(response, field);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/v1/monitors/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("""{ "kind": "tcp" }""", "tcp")]
    [InlineData("""{ "kind": "dns" }""", "dns")]
    [InlineData("""{ "kind": "ping" }""", "ping")]
    [InlineData("""{ "kind": "tcp", "tcp": { "host": "127.0.0.1", "port": 25 }, "ping": { "host": "127.0.0.1" } }""", "ping")]
    [InlineData("""{ "kind": "ping", "ping": { "host": "127.0.0.1" }, "dns": { "name": "probe.test", "recordType": "A" } }""", "dns")]
    [InlineData("""{ "tcp": { "host": "127.0.0.1", "port": 25 } }""", "tcp")]
    [InlineData("""{ "kind": "ping", "ping": { "host": "127.0.0.1" }, "heartbeatGraceSeconds": 60 }""", "heartbeatGraceSeconds")]
    public async Task A_missing_sub_object_or_settings_of_another_kind_are_a_400_naming_them(string body, string field)
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var id = $"bad-{customer}";

        var response = await PostAsync(admin, $$"""{ "id": "{{id}}", "customerId": "{{customer}}", "name": "Relay", {{body.Trim()[1..^1]}} }""");

        await AssertProblemAsync(response, field);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/v1/monitors/{id}")).StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(SlaGrainsServerFixture.Session admin, string json)
        => admin.Http.PostAsync("api/v1/monitors", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    private static async Task AssertProblemAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.True(errors.Contains(field), body);
    }
}
