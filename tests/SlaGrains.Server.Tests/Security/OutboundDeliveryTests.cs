using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// Outbound requests on a server whose operator allows exactly 127.0.0.1/32 (<c>Network:AllowedPrivateTargets</c>):
/// what is allowed is delivered; credentials are refused; the connect-time check refuses what DNS rebinding slips
/// past the save-time check; webhooks never follow redirects, monitors follow at most five and never to a refused
/// address; and the delivery log a customer reads shows outcome classes, never socket error text. The receiver also
/// listens on [::1] — refused here — so "never contacted" is observable: something is listening there.
/// </summary>
public sealed class OutboundDeliveryTests(OutboundDeliveryTests.World world) : IClassFixture<OutboundDeliveryTests.World>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private LoopbackReceiver Receiver => world.Receiver;

    [Fact]
    public async Task Allowed_private_target_is_delivered()
    {
        var (customer, user) = await world.CustomerWithUserAsync();
        using var _ = user;
        var path = $"hooks/{Guid.NewGuid():N}";
        await ServerScenario.Ok(user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = Receiver.Url(path), eventTypes = new[] { "maintenance.announced" } }));

        await world.AnnounceMaintenanceAsync(customer);
        var attempt = await world.OnlyAttemptAsync(user, customer);

        Assert.Equal(("delivered", 204), (attempt.GetProperty("outcome").GetString(), attempt.GetProperty("statusCode").GetInt32()));
        Assert.Equal([(IPAddress.Loopback, "POST")], Receiver.Requests.Where(r => r.Path == $"/{path}").Select(r => (r.Local, r.Method)));
    }

    [Theory]
    [InlineData("user:pass@")]
    [InlineData("token@")]
    public async Task Webhook_url_with_credentials_is_refused(string credentials)
    {
        var (customer, user) = await world.CustomerWithUserAsync();
        using var _ = user;

        // 127.0.0.1 is allowed here: the credentials are the only reason to refuse.
        var response = await user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = $"http://{credentials}127.0.0.1:{Receiver.Port}/hook", eventTypes = new[] { "maintenance.announced" } });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("credentials", JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateObject().Single(e => e.Name is "url" or "$.url").Value.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, (await (await user.Http.GetAsync($"api/v1/customers/{customer}/webhooks")).JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Connect_time_check_refuses_an_address_the_save_time_check_passed()
    {
        // DNS rebinding: the name answers 127.0.0.1 (allowed) when the webhook is saved, then [::1] (refused, and the
        // receiver listens there) when the delivery connects.
        var (customer, user) = await world.CustomerWithUserAsync();
        using var _ = user;
        var name = $"rebind-{Guid.NewGuid():N}.test";
        world.Dns.Answer(name, IPAddress.Loopback, IPAddress.IPv6Loopback);
        var path = $"hooks/{Guid.NewGuid():N}";

        await ServerScenario.Ok(user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = $"http://{name}:{Receiver.Port}/{path}", eventTypes = new[] { "maintenance.announced" } }));
        await world.AnnounceMaintenanceAsync(customer);
        var attempt = await world.OnlyAttemptAsync(user, customer);

        Assert.Equal("refusedAddress", attempt.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("statusCode").ValueKind);
        Assert.True(world.Dns.Asked(name) >= 2, "the connection resolved the name again");
        Assert.Equal(0, Receiver.Count($"/{path}"));
    }

    [Fact]
    public async Task Webhook_does_not_follow_redirects()
    {
        var (customer, user) = await world.CustomerWithUserAsync();
        using var _ = user;
        var landing = $"/landing/{Guid.NewGuid():N}";
        var url = Receiver.Url($"to?location={Uri.EscapeDataString(Receiver.Url(landing))}");
        await ServerScenario.Ok(user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url, eventTypes = new[] { "maintenance.announced" } }));

        await world.AnnounceMaintenanceAsync(customer);
        var attempt = await world.OnlyAttemptAsync(user, customer);

        Assert.Equal(("redirectNotFollowed", 302, "deadLettered"), (attempt.GetProperty("outcome").GetString(), attempt.GetProperty("statusCode").GetInt32(), attempt.GetProperty("result").GetString()));
        Assert.Equal(0, Receiver.Count(landing));
    }

    [Fact]
    public async Task Monitor_follows_at_most_five_redirects()
    {
        var five = Guid.NewGuid().ToString("N");
        var six = Guid.NewGuid().ToString("N");
        var fiveHops = await world.HttpMonitorAsync(Receiver.Url($"chain/{five}/5"));
        var sixHops = await world.HttpMonitorAsync(Receiver.Url($"chain/{six}/6"));

        var followed = await world.ProbeNowAsync(fiveHops);
        var tooMany = await world.ProbeNowAsync(sixHops);

        Assert.Equal((true, 200), (followed.Up, followed.StatusCode));
        Assert.Equal((false, 302), (tooMany.Up, tooMany.StatusCode));
        Assert.Contains("more than 5 redirects", tooMany.Detail, StringComparison.Ordinal);
        Assert.True(Receiver.Count($"/chain/{five}/0") >= 1);
        Assert.True(Receiver.Count($"/chain/{six}/1") >= 1, "the fifth redirect was followed");
        Assert.Equal(0, Receiver.Count($"/chain/{six}/0"));
    }

    [Theory]
    [InlineData("http://[::1]:{port}/landing/{id}")]
    [InlineData("http://localhost:{port}/landing/{id}")]
    [InlineData("http://127.0.0.1.nip.io.localhost:{port}/landing/{id}")]
    [InlineData("http://user:pass@127.0.0.1:{port}/landing/{id}")]
    [InlineData("ftp://127.0.0.1:{port}/landing/{id}")]
    public async Task Monitor_redirect_to_refused_address_is_down(string location)
    {
        var id = Guid.NewGuid().ToString("N");
        var hop = location.Replace("{port}", Receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("{id}", id, StringComparison.Ordinal);
        var monitor = await world.HttpMonitorAsync(Receiver.Url($"to?location={Uri.EscapeDataString(hop)}"));

        var probe = await world.ProbeNowAsync(monitor);

        Assert.False(probe.Up);
        Assert.Contains("refusedAddress", probe.Detail, StringComparison.Ordinal);
        Assert.Equal(0, Receiver.Count($"/landing/{id}"));
        Assert.DoesNotContain(Receiver.Requests, r => r.Local.Equals(IPAddress.IPv6Loopback));
    }

    [Fact]
    public async Task Monitor_redirect_to_a_name_that_rebinds_to_a_refused_address_is_down()
    {
        var name = $"hop-{Guid.NewGuid():N}.test";
        world.Dns.Answer(name, IPAddress.IPv6Loopback, IPAddress.IPv6Loopback);
        var id = Guid.NewGuid().ToString("N");
        var monitor = await world.HttpMonitorAsync(Receiver.Url($"to?location={Uri.EscapeDataString($"http://{name}:{Receiver.Port}/landing/{id}")}"));

        var probe = await world.ProbeNowAsync(monitor);

        Assert.False(probe.Up);
        Assert.Equal("no answer after 1 redirect: refusedAddress", probe.Detail);
        Assert.Equal(0, Receiver.Count($"/landing/{id}"));
    }

    [Fact]
    public async Task Customer_delivery_log_shows_outcome_classes_not_socket_errors()
    {
        var (customer, user) = await world.CustomerWithUserAsync();
        using var _ = user;
        var closedPort = FreePort.Next();
        var rebinding = $"rebind-{Guid.NewGuid():N}.test";
        world.Dns.Answer(rebinding, IPAddress.Loopback, IPAddress.IPv6Loopback);
        var targets = new Dictionary<string, string>
        {
            ["HTTP 503"] = Receiver.Url("status/503"),
            ["connectionFailed"] = $"http://127.0.0.1:{closedPort}/hook",
            ["tlsError"] = $"https://127.0.0.1:{Receiver.Port}/tls",
            ["timeout"] = Receiver.Url("hang"),
            ["redirectNotFollowed"] = Receiver.Url($"to?location={Uri.EscapeDataString(Receiver.Url("landing"))}"),
            ["refusedAddress"] = $"http://{rebinding}:{Receiver.Port}/rebound",
            ["delivered"] = Receiver.Url("ok"),
        };
        var hooks = new Dictionary<string, string>();
        foreach (var (expected, url) in targets)
        {
            var created = await (await ServerScenario.Ok(user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url, eventTypes = new[] { "maintenance.announced" } }))).JsonAsync();
            hooks[created.GetProperty("webhook").GetProperty("webhookId").GetString()!] = expected;
        }

        await world.AnnounceMaintenanceAsync(customer);
        var log = await world.AttemptsAsync(user, customer, targets.Count);

        var shown = log.GetProperty("items").EnumerateArray().ToDictionary(a => hooks[a.GetProperty("webhookId").GetString()!], a => a.GetProperty("outcome").GetString()!);
        Assert.Equal(targets.Keys.Order(StringComparer.Ordinal), shown.Keys.Order(StringComparer.Ordinal));
        Assert.All(shown, s => Assert.Equal(s.Key, s.Value));
        var text = log.GetRawText() + (await (await user.Http.GetAsync($"api/v1/customers/{customer}/webhooks/dead-letters")).Content.ReadAsStringAsync());
        foreach (var socketText in new[] { "refused (", "Connection refused", "SSL", "actively refused", "No such host", "Name or service", closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")", "::1", "resolves to" })
        {
            Assert.DoesNotContain(socketText, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// The server allowing only 127.0.0.1/32, one attempt per delivery (a failure is at once a dead letter), a
    /// one-second attempt timeout, the receiver on 127.0.0.1 and [::1], and <see cref="Dns"/> as its resolver.
    /// </summary>
    public sealed class World : SlaGrainsServerFixture
    {
        private const string Region = "default";

        public Session Admin { get; private set; } = null!;

        public LoopbackReceiver Receiver { get; private set; } = null!;

        public RebindingDns Dns { get; } = new();

        protected override IReadOnlyList<string> AllowedPrivateTargets => ["127.0.0.1/32"];

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Webhooks:MaxAttempts", "1"),
            new("Webhooks:Timeout", "00:00:01"),
        ];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Admin = await AdminAsync();
            Receiver = await LoopbackReceiver.StartAsync();
        }

        public override async Task DisposeAsync()
        {
            Admin?.Dispose();
            await Receiver.DisposeAsync();
            await base.DisposeAsync();
        }

        /// <summary>A new customer and one of its users, signed in.</summary>
        public async Task<(string Customer, Session User)> CustomerWithUserAsync()
        {
            var customer = await ServerScenario.CustomerAsync(Admin.Http);
            var userName = $"u{Guid.NewGuid():N}"[..12];
            await ServerScenario.UserAsync(Admin.Http, userName, "customer", customerId: customer);
            return (customer, await SignInAsync(userName, ServerScenario.Password(userName)));
        }

        /// <summary>Announces maintenance on a new monitor of <paramref name="customer"/>: one <c>maintenance.announced</c> to each of its webhooks.</summary>
        public async Task AnnounceMaintenanceAsync(string customer)
        {
            var monitor = $"m-{Guid.NewGuid():N}"[..14];
            await ServerScenario.Ok(Admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true }));
            await ServerScenario.Ok(Admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start = "2030-03-01T22:00:00Z", end = "2030-03-01T23:00:00Z" }));
        }

        /// <summary>The one attempt in the customer's delivery log, as its user sees it, once it is there.</summary>
        public async Task<JsonElement> OnlyAttemptAsync(Session user, string customer)
            => Assert.Single((await AttemptsAsync(user, customer, 1)).GetProperty("items").EnumerateArray());

        /// <summary>
        /// The delivery log as the customer's user sees it once it has <paramref name="count"/> attempts. Refused and
        /// failed attempts reach no receiver to wait on, so this reads the log until they are there (bounded).
        /// </summary>
        public async Task<JsonElement> AttemptsAsync(Session user, string customer, int count)
        {
            var until = DateTimeOffset.UtcNow + Bound;
            while (true)
            {
                var log = await (await ServerScenario.Ok(user.Http.GetAsync($"api/v1/customers/{customer}/webhooks/deliveries?pageSize=50"))).JsonAsync();
                if (log.GetProperty("total").GetInt32() >= count)
                {
                    return log;
                }

                Assert.True(DateTimeOffset.UtcNow < until, $"{count} attempts within {Bound}: {log}");
                await Task.Delay(50);
            }
        }

        /// <summary>An http monitor (a minute's interval) of a new customer probing <paramref name="url"/>; its id.</summary>
        public async Task<string> HttpMonitorAsync(string url)
        {
            var customer = await ServerScenario.CustomerAsync(Admin.Http);
            var id = $"m-{Guid.NewGuid():N}"[..14];
            await ServerScenario.Ok(Admin.Http.PostAsJsonAsync("api/v1/monitors", new
            {
                id,
                customerId = customer,
                name = "Shop",
                critical = true,
                consecutiveFailures = 1,
                kind = "http",
                http = new { url, intervalSeconds = 60, timeoutSeconds = 5 },
            }));
            return id;
        }

        /// <summary>One probe now (real HTTP), as the monitor's prober makes them.</summary>
        public async Task<ProbeReport> ProbeNowAsync(string monitorId)
            => await Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, Region)).ProbeNow()
                ?? throw new InvalidOperationException($"The prober of {monitorId} is not started.");

        protected override void ConfigureServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<IHostResolver>(Dns));
    }

    /// <summary>
    /// The DNS the server asks (the seam it resolves through, <see cref="IHostResolver"/>), answering the names a test
    /// registers like a rebinding attacker's DNS server would — the first answer for the first question, the second for
    /// every later one — and sending any other name to the system resolver.
    /// </summary>
    public sealed class RebindingDns : IHostResolver
    {
        private readonly ConcurrentDictionary<string, (IPAddress First, IPAddress Then)> _answers = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.OrdinalIgnoreCase);
        private readonly SystemHostResolver _system = new();

        public void Answer(string name, IPAddress first, IPAddress then) => _answers[name] = (first, then);

        public int Asked(string name) => _asked.TryGetValue(name, out var count) ? count : 0;

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            if (!_answers.TryGetValue(host, out var answer))
            {
                return _system.ResolveAsync(host, cancellationToken);
            }

            return Task.FromResult<IPAddress[]>([_asked.AddOrUpdate(host, 1, (_, n) => n + 1) == 1 ? answer.First : answer.Then]);
        }
    }
}
