using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// On a server that allows no private range (the product's default), a tcp, ping or tls monitor's host and a dns
/// monitor's server are refused at save time when they are loopback in any notation — the same rule as webhook and
/// http monitor URLs (<see cref="OutboundTargetsTests"/>). A dns monitor without a server asks the operator's own
/// resolvers, which are not checked.
/// </summary>
public sealed class ProbeHostTargetsTests(OutboundTargetsTests.World world) : IClassFixture<OutboundTargetsTests.World>
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("::1")]
    [InlineData("0x7f000001")]
    [InlineData("localhost")]
    public async Task A_probing_monitors_loopback_host_is_refused_at_save_naming_the_field(string host)
    {
        var port = world.Receiver.Port;
        var server = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";
        (string Kind, object Settings, string Field)[] monitors =
        [
            ("tcp", new { host, port }, "tcp.host"),
            ("ping", new { host }, "ping.host"),
            ("tls", new { host, port }, "tls.host"),
            ("dns", new { name = "probe.test", recordType = "A", server }, "dns.server"),
        ];

        foreach (var (kind, settings, field) in monitors)
        {
            var id = $"m-{Guid.NewGuid():N}"[..14];
            var body = new Dictionary<string, object> { ["id"] = id, ["customerId"] = world.CustomerId, ["name"] = "Relay", ["kind"] = kind, [kind] = settings };

            var response = await world.Admin.Http.PostAsJsonAsync("api/v1/monitors", body);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind} {host}: {(int)response.StatusCode} {text}");
            var named = JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Where(e => e.Name == field).ToList();
            Assert.True(named.Count == 1, text);
            Assert.Contains("loopback", named[0].Value.ToString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.Http.GetAsync($"api/v1/monitors/{id}")).StatusCode);
        }

        Assert.Empty(world.Receiver.Requests);
    }
}
