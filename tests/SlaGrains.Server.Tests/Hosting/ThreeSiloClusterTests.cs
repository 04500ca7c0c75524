using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;
using SlaGrains.Testing;
using Xunit.Abstractions;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>
/// Three real server processes (silo + web host each) on one throwaway PostgreSQL, as <c>scripts/cluster.sh</c> and
/// the compose file run them: they form one cluster, create the first admin once, accept each other's sign-in cookies
/// and anti-forgery tokens, and when one is killed with SIGKILL no acknowledged ticket is lost and every deadline —
/// including those of tickets that lived on the dead silo — breaches exactly once, in the audit and on a live feed.
/// </summary>
public sealed class ThreeSiloClusterTests(ThrowawayPostgres postgres, ITestOutputHelper output) : IClassFixture<ThrowawayPostgres>
{
    private const int Tickets = 45;
    private const int MaxCreationRounds = 4;
    private const string AdminPassword = "cluster-admin-password";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    // PT40S in the customer's policy. Long enough for the kill and the death declaration to happen well before any deadline, so the deadlines of the
    // dead silo's tickets must be fired by a survivor.
    private static readonly Duration FirstResponse = Duration.FromSeconds(40);

    // A killed silo is declared dead in seconds instead of Orleans' default of about a minute (documented keys).
    private static readonly string[] FastFailureDetection =
    [
        "--Orleans:Membership:ProbeTimeout=00:00:01",
        "--Orleans:Membership:NumMissedProbesLimit=2",
        "--Orleans:Membership:NumVotesForDeathDeclaration=1",
        "--Orleans:Membership:TableRefreshTimeout=00:00:01",
    ];

    [SkippableFact]
    public async Task Three_servers_on_one_PostgreSQL_share_sign_in_and_a_killed_one_loses_no_ticket_and_no_breach()
    {
        Skip.If(postgres.Unavailable is not null, postgres.Unavailable);
        var database = await postgres.CreateDatabaseAsync($"three_silos_{Guid.NewGuid():N}"[..24]);
        var (clusterId, serviceId) = ($"three-{Guid.NewGuid():N}"[..16], "slagrains-three");
        string[] settings =
        [
            "--Storage:Provider=postgresql", $"--Storage:ConnectionString={database}",
            $"--Orleans:ClusterId={clusterId}", $"--Orleans:ServiceId={serviceId}",
            $"--Admin:Password={AdminPassword}", "--Logging:LogLevel:Default=Warning",
            .. FastFailureDetection,
        ];

        await using var silo1 = ServerProcess.Start("silo 1", settings);
        await using var silo2 = ServerProcess.Start("silo 2", settings);
        await using var silo3 = ServerProcess.Start("silo 3", settings);
        ServerProcess[] silos = [silo1, silo2, silo3];
        string Tails() => string.Join('\n', silos.Select(s => s.Tail()));
        await Task.WhenAll(silos.Select(s => s.WaitReadyAsync(StartBound)));
        await WaitForAsync(async () => await ClusterChecks.ActiveSilosAsync(database, clusterId) == 3, "three active silos in the membership table", Tails);
        Assert.True(
            silos.Sum(s => s.Output.Count(line => line.Contains("first run: created admin", StringComparison.Ordinal))) == 1,
            $"the first admin must be created exactly once\n{Tails()}");

        // One cookie jar and one anti-forgery token for the admin, used against silo 1 and silo 3: cookies are per host,
        // not per port, so silo 3 receives exactly what silo 1 issued.
        var cookies = new CookieContainer();
        using var handler = new AntiforgeryHandler(new HttpClientHandler { CookieContainer = cookies });
        using var adminOn1 = new HttpClient(handler, disposeHandler: false) { BaseAddress = silo1.BaseAddress };
        using var adminOn3 = new HttpClient(handler, disposeHandler: false) { BaseAddress = silo3.BaseAddress };
        await ServerScenario.Ok(adminOn1.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = AdminPassword }));
        var customer = await ServerScenario.CustomerAsync(adminOn1, firstResponse: "PT40S");

        // A change on silo 3 with silo 1's cookie and token: both decrypt only with the shared key ring.
        await ServerScenario.UserAsync(adminOn3, "maria", "manager");
        var me = await (await ServerScenario.Ok(adminOn3.GetAsync("api/v1/auth/me"))).JsonAsync();
        Assert.Equal("admin", me.GetProperty("name").GetString());

        await using var feed = await ManagerFeed.ConnectAsync(silo3.BaseAddress, "maria");
        var (breaches, changed) = (feed.Breaches, feed.Changed);

        // Placement is the product's own (resource-optimized), which may keep a silo that looks busy out of one batch; so
        // tickets are created in rounds, through silo 1, until some live on silo 2, bounded well inside the first deadline.
        var created = new List<TicketView>();
        HashSet<string> onSilo2;
        await using (var probe = await OrleansProbe.ConnectAsync(settings, CancellationToken.None))
        {
            await WaitForAsync(async () => (await probe.Management.GetHosts(onlyActive: true)).Count == 3, "three active silos in the cluster's own view", Tails);
            for (var round = 0; ; round++)
            {
                created.AddRange(await Task.WhenAll(Enumerable.Range(created.Count, round == 0 ? Tickets : Tickets / 3).Select(async i =>
                {
                    var response = await ServerScenario.Ok(adminOn1.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = $"Subject {i}", requester = "it@example.com" }));
                    return (await response.Content.ReadFromJsonAsync<TicketView>(SlaGrainsServerFixture.Json))!;
                })));
                onSilo2 = (await probe.TicketsBySiloAsync()).GetValueOrDefault(silo2.SiloPort, []);
                onSilo2.IntersectWith(created.Select(t => t.TicketId));
                output.WriteLine($"round {round + 1}: tickets whose grains are on silo 2: {onSilo2.Count} of {created.Count}");
                if (onSilo2.Count > 0 || round == MaxCreationRounds - 1)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        Assert.True(onSilo2.Count > 0, $"no ticket grain was placed on silo 2 in {MaxCreationRounds} rounds, so killing it proves nothing\n{Tails()}");
        var ids = created.Select(t => t.TicketId).ToHashSet();

        var killedAt = Stopwatch.StartNew();
        silo2.Process.Kill();
        await WaitForAsync(async () => await ClusterChecks.SiloStatusAsync(database, clusterId, silo2.SiloPort) == (int)SiloStatus.Dead, "silo 2 declared dead", Tails);
        output.WriteLine($"silo 2 declared dead {killedAt.Elapsed.TotalSeconds:F1} s after SIGKILL");
        var earliestDue = created.Min(t => t.CreatedAt) + FirstResponse;
        Assert.True(SystemClock.Instance.GetCurrentInstant() < earliestDue, "silo 2 was declared dead only after the first deadline: the test proves less than it claims");

        await WaitForAsync(
            () => Task.FromResult(ids.All(id => breaches.Any(b => b.TicketId == id && b.Metric == SlaMetric.FirstResponse))),
            "a TicketBreached on silo 3's live feed for every ticket",
            () => $"missing: {string.Join(", ", ids.Where(id => !breaches.Any(b => b.TicketId == id)))}\n{Tails()}",
            FirstResponse.ToTimeSpan() + Bound);

        // Everything acknowledged is readable through both survivors, and each clock breached once.
        foreach (var client in new[] { adminOn1, adminOn3 })
        {
            foreach (var ticket in created)
            {
                var view = (await (await ServerScenario.Ok(client.GetAsync($"api/v1/tickets/{ticket.TicketId}"))).Content.ReadFromJsonAsync<TicketView>(SlaGrainsServerFixture.Json))!;
                Assert.Equal(ticket.Subject, view.Subject);
                var breach = Assert.Single(view.Audit, a => a.Kind == nameof(ClockBreached) && a.Metric == SlaMetric.FirstResponse);
                Assert.Equal(ticket.CreatedAt + FirstResponse, breach.At);
                Assert.DoesNotContain(view.Audit, a => a.Kind == nameof(ClockBreached) && a.Metric != SlaMetric.FirstResponse);
            }
        }

        // A duplicate would travel the same path right behind the first: a later change of every ticket, seen on the
        // feed, is the barrier before counting.
        changed.Clear();
        foreach (var ticket in created)
        {
            await ServerScenario.Ok(adminOn1.PostAsJsonAsync($"api/v1/tickets/{ticket.TicketId}/status", new { status = "inProgress" }));
        }

        await WaitForAsync(() => Task.FromResult(ids.All(changed.Contains)), "every ticket's later change on the live feed", Tails);
        foreach (var id in ids)
        {
            Assert.Single(breaches, b => b.TicketId == id && b.Metric == SlaMetric.FirstResponse);
        }

        var late = breaches.Where(b => onSilo2.Contains(b.TicketId)).Select(b => b.Lateness.TotalSeconds).DefaultIfEmpty().Max();
        output.WriteLine($"breaches of silo 2's tickets recorded at most {late:F1} s after their deadline; others at most {breaches.Where(b => !onSilo2.Contains(b.TicketId)).Select(b => b.Lateness.TotalSeconds).DefaultIfEmpty().Max():F1} s");
    }

    private static Task WaitForAsync(Func<Task<bool>> condition, string what, Func<string> diagnostics, TimeSpan? bound = null)
        => ClusterChecks.WaitForAsync(condition, what, diagnostics, bound ?? Bound);
}
