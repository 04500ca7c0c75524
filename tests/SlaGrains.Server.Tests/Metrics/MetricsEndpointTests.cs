using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Tests.Security;

namespace SlaGrains.Server.Tests.Metrics;

/// <summary>
/// <c>/metrics</c> on the real server, read over HTTP as Prometheus would: promtool accepts it, our counters move with
/// what happens (a breach on a clock the test moves, a check result), Orleans' meters are there, and only a metrics
/// key or an admin may read it. The server's meters are shared by every server in the test process, so the tests
/// compare a scrape before and after, never absolute values.
/// </summary>
public sealed class MetricsEndpointTests(MovableClockServer server) : IClassFixture<MovableClockServer>
{
    [SkippableFact]
    public async Task A_metrics_key_reads_prometheus_text_that_promtool_accepts()
    {
        Skip.If(Promtool.Unavailable is not null, Promtool.Unavailable);
        using var metrics = await MetricsKeyAsync(server);
        using var admin = await server.AdminAsync();
        // Something of each kind first, so the families with samples are in the check too.
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Printer" }));

        var scrape = await Exposition.ScrapeAsync(metrics);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(scrape.Text);

        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}:\n{output}\n--- exposition ---\n{scrape.Text}");
        Assert.Contains("slagrains_open_clocks", scrape.Families);
        Assert.Contains("slagrains_storage_write_duration_seconds", scrape.Families);
        Assert.Contains(scrape.Families, f => f.StartsWith("orleans_", StringComparison.Ordinal) && f.EndsWith("_seconds", StringComparison.Ordinal));
        Assert.DoesNotContain(scrape.Families, f => f.EndsWith("_milliseconds", StringComparison.Ordinal) || f.EndsWith("_megabytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_breach_found_an_hour_late_counts_as_a_breach_and_in_the_lateness_histogram()
    {
        using var metrics = await MetricsKeyAsync(server);
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1H");
        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Down" }))).JsonAsync();
        var id = ticket.GetProperty("ticketId").GetString();
        (string, string)[] p1FirstResponse = [("priority", "p1"), ("metric", "firstResponse")];
        var before = await Exposition.ScrapeAsync(metrics);

        // Two hours on the SLA clock: the first response fell due an hour ago; the next command records it, an hour late.
        server.Clock.Advance(TimeSpan.FromHours(2));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{id}/status", new { status = "open" }));
        var after = await Exposition.ScrapeAsync(metrics);

        Assert.True(after.Sum("slagrains_ticket_breaches_total", p1FirstResponse) >= before.Sum("slagrains_ticket_breaches_total", p1FirstResponse) + 1);
        Assert.True(after.Sum("slagrains_ticket_warnings_total", p1FirstResponse) >= before.Sum("slagrains_ticket_warnings_total", p1FirstResponse) + 1);
        Assert.True(after.Sum("slagrains_ticket_breach_lateness_seconds_count", p1FirstResponse) >= before.Sum("slagrains_ticket_breach_lateness_seconds_count", p1FirstResponse) + 1);
        Assert.True(after.Sum("slagrains_ticket_breach_lateness_seconds_sum", p1FirstResponse) >= before.Sum("slagrains_ticket_breach_lateness_seconds_sum", p1FirstResponse) + 3500);
        // An hour late is past the 15-minute bucket's bound and within the 4-hour one.
        var lateBuckets = (Before: Late(before), After: Late(after));
        Assert.True(lateBuckets.After >= lateBuckets.Before + 1, $"{lateBuckets}");

        double Late(Exposition e) => e.Sum("slagrains_ticket_breach_lateness_seconds_bucket", [.. p1FirstResponse, ("le", "14400")])
            - e.Sum("slagrains_ticket_breach_lateness_seconds_bucket", [.. p1FirstResponse, ("le", "900")]);
    }

    [Fact]
    public async Task A_check_result_pushed_with_an_ingestion_key_counts_as_ingested()
    {
        using var metrics = await MetricsKeyAsync(server);
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"{customer}-api", customerId = customer, name = "API" }));
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "probe", scope = "ingestion", customerId = customer }))).JsonAsync();
        using var probe = server.WithApiKey(created.GetProperty("key").GetString()!);
        var before = await Exposition.ScrapeAsync(metrics);

        await ServerScenario.Ok(probe.PostAsJsonAsync($"api/v1/monitors/{customer}-api/checks", new { up = false }));
        var after = await Exposition.ScrapeAsync(metrics);

        Assert.True(after.Sum("slagrains_checks_ingested_total", ("source", "push"), ("outcome", "down"))
            >= before.Sum("slagrains_checks_ingested_total", ("source", "push"), ("outcome", "down")) + 1);
    }

    [Fact]
    public async Task A_new_ticket_shows_among_the_open_running_clocks()
    {
        using var metrics = await MetricsKeyAsync(server);
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p3", subject = "Slow" }));

        // The gauge counts the rows at most every 10 s: within a few seconds more it shows the ticket's two running clocks.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        double running;
        do
        {
            running = (await Exposition.ScrapeAsync(metrics)).Sum("slagrains_open_clocks", ("metric", "resolution"), ("state", "running"));
        }
        while (running < 1 && DateTime.UtcNow < deadline && await Delay());

        Assert.True(running >= 1, $"running resolution clocks: {running}");
    }

    [Fact]
    public async Task Orleans_meters_for_activations_and_messages_are_exported()
    {
        using var metrics = await MetricsKeyAsync(server);

        var families = (await Exposition.ScrapeAsync(metrics)).Families;

        Assert.Contains(families, f => f.StartsWith("orleans_", StringComparison.Ordinal) && f.Contains("activation", StringComparison.Ordinal));
        Assert.Contains(families, f => f.StartsWith("orleans_", StringComparison.Ordinal) && f.Contains("messag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_a_metrics_key_or_an_admin_may_read_it()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "portal", scope = "customer", customerId = customer }))).JsonAsync();
        using var customerKey = server.WithApiKey(created.GetProperty("key").GetString()!);
        var technician = $"t-{customer}";
        await ServerScenario.UserAsync(admin.Http, technician, "technician");
        using var person = await server.SignInAsync(technician, ServerScenario.Password(technician));
        using var anonymous = server.Anonymous();
        using var badKey = server.WithApiKey("not-a-key");
        using var metrics = await MetricsKeyAsync(server);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await badKey.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customerKey.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await person.Http.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await metrics.GetAsync("metrics")).StatusCode);
    }

    [Fact]
    public async Task A_metrics_key_is_also_read_from_a_bearer_authorization_as_prometheus_sends_it()
    {
        var (record, key) = ApiKeys.Create("prometheus bearer", ApiKeyScope.Metrics, null, SystemClock.Instance.GetCurrentInstant());
        Assert.True(await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountsGrain>(IAccountsGrain.Key).AddApiKey(record));
        using var bearer = server.Anonymous();
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var wrongBearer = server.Anonymous();
        wrongBearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key[..^2] + "xx");

        Assert.Contains("slagrains_open_clocks", (await Exposition.ScrapeAsync(bearer)).Families);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongBearer.GetAsync("metrics")).StatusCode);
    }

    [Fact]
    public async Task Every_expression_of_the_grafana_dashboard_reads_metrics_the_server_exports()
    {
        using var metrics = await MetricsKeyAsync(server);
        using var admin = await server.AdminAsync();
        // A breach, so the lateness histogram has its series (the counters' series start at zero with the server).
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1H");
        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Down" }))).JsonAsync();
        server.Clock.Advance(TimeSpan.FromHours(2));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{ticket.GetProperty("ticketId").GetString()}/status", new { status = "open" }));
        var families = (await Exposition.ScrapeAsync(metrics)).Families;
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "grafana-dashboard.json")));

        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Panel: p.GetProperty("title").GetString(), Expr: t.GetProperty("expr").GetString()!)))
            .ToList();

        Assert.True(expressions.Count >= 8, $"{expressions.Count} expressions");
        Assert.All(expressions, e =>
        {
            var names = Regex.Matches(e.Expr, @"\b(?:slagrains|orleans)_[a-z0-9_]+").Select(m => m.Value).ToList();
            Assert.True(names.Count > 0, $"{e.Panel}: '{e.Expr}' reads none of our metrics");
            Assert.All(names, name => Assert.True(
                families.Contains(name) || families.Contains(Regex.Replace(name, "_(bucket|sum|count)$", string.Empty)),
                $"{e.Panel}: '{name}' is not exported"));
        });
    }

    /// <summary>A client with a new metrics-scoped key (added as the accounts grain stores keys).</summary>
    internal static async Task<HttpClient> MetricsKeyAsync(SlaGrainsServerFixture server)
    {
        var (record, key) = ApiKeys.Create($"prometheus {Guid.NewGuid():N}"[..20], ApiKeyScope.Metrics, null, SystemClock.Instance.GetCurrentInstant());
        Assert.True(await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountsGrain>(IAccountsGrain.Key).AddApiKey(record));
        return server.WithApiKey(key);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(500);
        return true;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
    }
}

/// <summary>With <c>Metrics:AllowAnonymous=true</c> anyone who can reach the server reads <c>/metrics</c>.</summary>
public sealed class AnonymousMetricsTests(AnonymousMetricsTests.Server server) : IClassFixture<AnonymousMetricsTests.Server>
{
    [Fact]
    public async Task Anonymous_scrapes_get_the_metrics_when_allowed()
    {
        using var anonymous = server.Anonymous();

        var scrape = await Exposition.ScrapeAsync(anonymous);

        Assert.Contains("slagrains_open_clocks", scrape.Families);
    }

    /// <summary>The server with anonymous metrics.</summary>
    public sealed class Server : SlaGrainsServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Metrics:AllowAnonymous", "true")];
    }
}
