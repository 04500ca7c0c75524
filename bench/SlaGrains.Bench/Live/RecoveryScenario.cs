using System.Diagnostics;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>recovery</c>: a server process on SQLite holding N open tickets, 10 % due 20 s after they were opened, is killed
/// with SIGKILL at once and restarted after those deadlines have passed. Cycle 1: nothing reads a ticket; time from
/// the restart until every passed deadline has fired (the breach's record in each ticket's audit trail, watched on
/// the live feed). Cycle 2: killed again and restarted; time until every one of the N tickets answers
/// <c>GET tickets/{id}</c>. Options: <c>--tickets N</c> (20,000), <c>--clients K</c> (64).
/// </summary>
internal static class RecoveryScenario
{
    public static int Run(string[] args) => new LiveRun("recovery", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var tickets = run.Int("--tickets", 20_000);
        var clients = run.Int("--clients", 64);
        var due = Math.Max(1, tickets / 10);
        var far = tickets - due;
        var target = TimeSpan.FromSeconds(20);
        var cancel = Cancelled;
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-recovery-").FullName;
        try
        {
            run.Configure("server", "1 process: `dotnet SlaGrains.Server.dll`, SQLite synchronous=FULL, 127.0.0.1; killed with SIGKILL");
            run.Configure("tickets", Invariant($"{tickets:N0}: {far:N0} due in 8 h, {due:N0} due {target.TotalSeconds:0} s after opening (24x7); the kill comes right after the last is opened"));
            run.Configure("concurrent HTTP clients", clients);
            await using var server = await ServerProcess.StartAsync("server", directory, ClocksScenario.Settings(directory), cancel);
            string dueKey;
            DateTimeOffset lastDeadline;
            using (var admin = await SlaApi.AdminAsync(server, cancel))
            {
                for (var c = 0; c < 100; c++)
                {
                    await admin.CreateCustomerAsync($"far{c}", cancel);
                    await admin.SetTargetsAsync($"far{c}", TimeSpan.FromHours(8), TimeSpan.FromHours(24), cancel);
                }

                await admin.CreateCustomerAsync("due", cancel);
                await admin.SetTargetsAsync("due", target, TimeSpan.FromHours(24), cancel);
                dueKey = await admin.CreateApiKeyAsync("recovery watcher", "customer", "due", cancel);
                var (elapsed, _) = await Load.OpenTicketsAsync(admin, "far-", 0, far, i => $"far{i % 100}", clients, cancel);
                Console.WriteLine(Invariant($"  {far:N0} distant tickets opened ({far / elapsed.TotalSeconds:N0}/s)"));
                await Load.OpenTicketsAsync(admin, "due-", 0, due, _ => "due", clients, cancel);
                lastDeadline = Now() + target;
            }

            await server.KillAsync();
            Console.WriteLine(Invariant($"  killed (SIGKILL) with {tickets:N0} open tickets; waiting for the {due:N0} deadlines to pass"));
            var wait = lastDeadline - Now() + TimeSpan.FromSeconds(2);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancel);
            }

            // Cycle 1: deadlines only. The watcher connects as soon as the restarted server accepts it.
            server.Spawn();
            var restartedAt = Now();
            using var watcherApi = SlaApi.WithKey(server.BaseAddress, dueKey);
            var readyTask = server.WaitReadyAsync(TimeSpan.FromMinutes(3), cancel);
            await using var watcher = await BreachWatcher.ConnectAsync(watcherApi, t => t.StartsWith("due-", StringComparison.Ordinal), due, TimeSpan.FromMinutes(3), cancel);
            var ready = await readyTask;
            run.Figure("restart 1: process start → ready (/health/ready)", Invariant($"{ready.TotalSeconds:0.0} s"));
            try
            {
                await watcher.All.WaitAsync(TimeSpan.FromMinutes(4), cancel);
            }
            catch (TimeoutException)
            {
                Console.WriteLine(Invariant($"  after 4 min the live feed had carried {watcher.Breaches.Count:N0} of {due:N0} breaches"));
            }

            var checkedAt = Now();
            var recorded = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();
            using (var admin = await SlaApi.AdminAsync(server, cancel))
            {
                await Load.CountAsync(due, clients, async i =>
                {
                    using var response = await admin.Http.GetAsync($"api/v1/tickets/due-{i}", cancel);
                    var ticket = await SlaApi.EnsureAsync(response, "ticket", cancel);
                    if (Load.Breach(ticket) is { } breach)
                    {
                        recorded.Add(breach.RecordedAt);
                    }
                }, cancel);
            }

            var onTheirOwn = recorded.Where(r => r < checkedAt).ToList();
            run.Figure("restart 1: passed deadlines fired before any ticket was read", Invariant($"{onTheirOwn.Count:N0} of {due:N0} (live feed carried {watcher.Breaches.Count:N0})"));
            if (onTheirOwn.Count > 0)
            {
                run.Figure("restart 1: process start → first / last passed deadline fired",
                    Invariant($"{(onTheirOwn.Min() - restartedAt).TotalSeconds:0.0} / {(onTheirOwn.Max() - restartedAt).TotalSeconds:0.0} s"));
            }

            // Cycle 2: every ticket read back.
            await server.KillAsync();
            server.Spawn();
            var spawned = Stopwatch.StartNew();
            var ready2 = await server.WaitReadyAsync(TimeSpan.FromMinutes(3), cancel);
            using (var admin = await SlaApi.AdminAsync(server, cancel))
            {
                var (elapsed, latencies) = await Load.CountAsync(tickets, clients, async i =>
                {
                    var id = i < far ? $"far-{i}" : $"due-{i - far}";
                    using var response = await admin.Http.GetAsync($"api/v1/tickets/{id}", cancel);
                    await SlaApi.EnsureAsync(response, id, cancel);
                }, cancel);
                run.Figure("restart 2: process start → ready", Invariant($"{ready2.TotalSeconds:0.0} s"));
                run.Figure(Invariant($"restart 2: process start → all {tickets:N0} tickets answered GET"), Invariant($"{spawned.Elapsed.TotalSeconds:0.0} s (reads: {tickets / elapsed.TotalSeconds:N0}/s, p50 / p99 {Percentile(latencies, 50):0.0} / {Percentile(latencies, 99):0.0} ms)"));
            }

            await server.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
