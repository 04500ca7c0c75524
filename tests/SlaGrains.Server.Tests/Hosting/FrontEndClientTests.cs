using System.Net;
using System.Net.Http.Json;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>
/// A web front-end that hosts no silo (<c>Orleans:Role=client</c>) beside one real silo process on a throwaway
/// PostgreSQL, as the compose file's <c>frontend</c> profile runs it: it joins the cluster as an Orleans client, accepts
/// sign-in, serves the API, and its SignalR hub carries a breach that a grain on the silo fired, exactly once.
/// </summary>
public sealed class FrontEndClientTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private const string AdminPassword = "front-end-admin-password";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_front_end_joined_as_an_Orleans_client_serves_sign_in_the_API_and_a_breach_on_its_live_feed_once()
    {
        Skip.If(postgres.Unavailable is not null, postgres.Unavailable);
        var database = await postgres.CreateDatabaseAsync($"front_end_{Guid.NewGuid():N}"[..24]);
        var clusterId = $"fe-{Guid.NewGuid():N}"[..16];
        string[] settings =
        [
            "--Storage:Provider=postgresql", $"--Storage:ConnectionString={database}",
            $"--Orleans:ClusterId={clusterId}", "--Orleans:ServiceId=slagrains-front-end",
            $"--Admin:Password={AdminPassword}", "--Logging:LogLevel:Default=Warning",
        ];

        await using var silo = ServerProcess.Start("silo", settings);
        await silo.WaitReadyAsync(StartBound);
        await using var frontEnd = ServerProcess.Start("front-end", [.. settings, "--Orleans:Role=client"]);
        string Tails() => silo.Tail() + "\n" + frontEnd.Tail();
        await frontEnd.WaitReadyAsync(StartBound);

        // The front-end is not a member: one silo in the membership table, and the silo created the admin.
        Assert.Equal(1L, await ClusterChecks.ActiveSilosAsync(database, clusterId));
        Assert.Contains(silo.Output, line => line.Contains("first run: created admin", StringComparison.Ordinal));
        Assert.DoesNotContain(frontEnd.Output, line => line.Contains("first run: created admin", StringComparison.Ordinal));

        var cookies = new CookieContainer();
        using var handler = new AntiforgeryHandler(new HttpClientHandler { CookieContainer = cookies });
        using var admin = new HttpClient(handler, disposeHandler: false) { BaseAddress = frontEnd.BaseAddress };
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = AdminPassword }));
        var customer = await ServerScenario.CustomerAsync(admin, firstResponse: "PT5S");
        await ServerScenario.UserAsync(admin, "maria", "manager");

        await using var feed = await ManagerFeed.ConnectAsync(frontEnd.BaseAddress, "maria");
        var (breaches, changed) = (feed.Breaches, feed.Changed);

        var response = await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Printer on fire", requester = "it@example.com" }));
        var created = (await response.Content.ReadFromJsonAsync<TicketView>(SlaGrainsServerFixture.Json))!;
        var read = (await (await ServerScenario.Ok(admin.GetAsync($"api/v1/tickets/{created.TicketId}"))).Content.ReadFromJsonAsync<TicketView>(SlaGrainsServerFixture.Json))!;
        Assert.Equal("Printer on fire", read.Subject);
        Assert.Equal(customer, read.CustomerId);

        await WaitForAsync(() => breaches.Any(b => b.TicketId == created.TicketId && b.Metric == SlaMetric.FirstResponse), "TicketBreached on the front-end's live feed", Tails);

        // A duplicate would travel right behind the first: a later change of the ticket, seen on the feed, is the barrier.
        changed.Clear();
        await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/tickets/{created.TicketId}/status", new { status = "inProgress" }));
        await WaitForAsync(() => changed.Contains(created.TicketId), "the ticket's later change on the front-end's live feed", Tails);
        Assert.Single(breaches, b => b.TicketId == created.TicketId);

        var view = (await (await ServerScenario.Ok(admin.GetAsync($"api/v1/tickets/{created.TicketId}"))).Content.ReadFromJsonAsync<TicketView>(SlaGrainsServerFixture.Json))!;
        Assert.Single(view.Audit, a => a.Kind == nameof(ClockBreached) && a.Metric == SlaMetric.FirstResponse);
    }

    private static Task WaitForAsync(Func<bool> condition, string what, Func<string> diagnostics)
        => ClusterChecks.WaitForAsync(() => Task.FromResult(condition()), what, diagnostics, Bound);
}
