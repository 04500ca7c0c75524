using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// Outbound targets refused at save time on a server that allows no private range (the product's default): a
/// customer user cannot point a webhook, an HTTP monitor or an escalation webhook at loopback in any notation. Only
/// loopback forms are sent to the server (a receiver listens there to prove nothing arrives): were the check broken,
/// the server would try the address. The other ranges (link-local, private, …) go through the same check and are
/// pinned without a server, address by address, in <c>SlaGrains.Contracts.Tests</c>' <c>OutboundTargetsTests</c>.
/// </summary>
public sealed class OutboundTargetsTests(OutboundTargetsTests.World world) : IClassFixture<OutboundTargetsTests.World>
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("0x7f000001")]
    [InlineData("2130706433")]
    [InlineData("localhost")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("127.1")]
    [InlineData("0177.0.0.1")]
    public async Task Webhook_to_loopback_is_refused_at_save(string host)
    {
        var response = await world.Customer.Http.PostAsJsonAsync($"api/v1/customers/{world.CustomerId}/webhooks", new { url = $"http://{host}:{world.Receiver.Port}/hook", eventTypes = new[] { "maintenance.announced" } });

        await AssertRefused(response, "url", "loopback");
        await AssertNoWebhooks();
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("0x7f000001", "loopback")]
    [InlineData("[::1]", "loopback")]
    [InlineData("[::ffff:127.0.0.1]", "loopback")]
    public async Task Http_monitor_to_a_refused_address_is_refused_at_save(string host, string reason)
    {
        var id = $"m-{Guid.NewGuid():N}"[..14];
        var response = await world.Admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id,
            customerId = world.CustomerId,
            name = "Shop",
            critical = true,
            kind = "http",
            http = new { url = $"http://{host}:{world.Receiver.Port}/health", intervalSeconds = 60 },
        });

        await AssertRefused(response, "http.url", reason);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.Http.GetAsync($"api/v1/monitors/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("2130706433", "loopback")]
    public async Task Escalation_webhook_rule_to_a_refused_address_is_refused_at_save(string host, string reason)
    {
        var rule = new { id = "hook", metric = "resolution", percent = 100, action = "webhook", target = $"http://{host}:{world.Receiver.Port}/escalate" };

        await AssertRefused(await world.Admin.Http.PostAsJsonAsync($"api/v1/customers/{world.CustomerId}/escalation-rules", rule), "$.target", reason);
        await AssertRefused(await world.Admin.Http.PutAsJsonAsync($"api/v1/customers/{world.CustomerId}/escalation-rules", new[] { rule }), "$[0].target", reason);
        var rules = await (await world.Admin.Http.GetAsync($"api/v1/customers/{world.CustomerId}/escalation-rules")).JsonAsync();
        Assert.DoesNotContain(rules.EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "hook");
    }

    [Fact]
    public async Task A_bad_allowed_private_target_fails_the_start_naming_it()
    {
        var server = new BadAllowList();
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(server.InitializeAsync);

            var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
            Assert.Contains(Chain(error), e => e is InvalidOperationException);
            Assert.Contains("Network:AllowedPrivateTargets:1", messages, StringComparison.Ordinal);
            Assert.Contains("'127.0.0.1/8'", messages, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static async Task AssertRefused(HttpResponseMessage response, string field, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        var named = errors.EnumerateObject().Where(e => e.Name == field || e.Name == $"$.{field}").ToList();
        Assert.True(named.Count == 1, body);
        Assert.Contains(reason, named[0].Value.ToString(), StringComparison.Ordinal);
    }

    private async Task AssertNoWebhooks()
    {
        Assert.Equal(0, (await (await world.Customer.Http.GetAsync($"api/v1/customers/{world.CustomerId}/webhooks")).JsonAsync()).GetArrayLength());
        Assert.Empty(world.Receiver.Requests);
    }

    /// <summary>A server whose second allowed range is not a CIDR (host bits set beyond the prefix).</summary>
    private sealed class BadAllowList : SlaGrainsServerFixture
    {
        protected override IReadOnlyList<string> AllowedPrivateTargets => ["::1/128", "127.0.0.1/8"];
    }

    /// <summary>The server with no private range allowed, a customer with one of its users, and a receiver on loopback that must hear nothing.</summary>
    public sealed class World : SlaGrainsServerFixture
    {
        public Session Admin { get; private set; } = null!;

        public Session Customer { get; private set; } = null!;

        public string CustomerId { get; private set; } = "";

        public LoopbackReceiver Receiver { get; private set; } = null!;

        protected override IReadOnlyList<string> AllowedPrivateTargets => [];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Admin = await AdminAsync();
            CustomerId = await ServerScenario.CustomerAsync(Admin.Http);
            await ServerScenario.UserAsync(Admin.Http, "carol", "customer", customerId: CustomerId);
            Customer = await SignInAsync("carol", ServerScenario.Password("carol"));
            Receiver = await LoopbackReceiver.StartAsync();
        }

        public override async Task DisposeAsync()
        {
            Admin?.Dispose();
            Customer?.Dispose();
            await Receiver.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
