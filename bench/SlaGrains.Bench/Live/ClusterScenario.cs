using System.Collections.Concurrent;
using System.Diagnostics;
using SlaGrains.Testing;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>cluster</c>: server processes as silos of one cluster on a throwaway, durable PostgreSQL on 127.0.0.1. The same
/// workload — W tickets opened through the HTTP API by K clients, spread over the silos' APIs — on one silo and on
/// three (ratio); then, on three, one silo is killed (SIGKILL) and the tickets that were active on it (as an
/// external Orleans client reads them from the management grain) are read through the survivors until each answers.
/// Options: <c>--tickets W</c> (5,000), <c>--clients K</c> (32), <c>--silos S</c> (3).
/// </summary>
internal static class ClusterScenario
{
    public static int Run(string[] args) => new LiveRun("cluster", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var tickets = run.Int("--tickets", 5_000);
        var clients = run.Int("--clients", 32);
        var silos = run.Int("--silos", 3);
        var cancel = Cancelled;
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-cluster-").FullName;
        try
        {
            await using var postgres = new ThrowawayPostgres { Durable = true };
            await postgres.InitializeAsync();
            if (postgres.Unavailable is not null)
            {
                run.Figure("cluster", postgres.Unavailable);
                return;
            }

            run.Configure("database", "throwaway PostgreSQL (durable: fsync, synchronous commit), 127.0.0.1, one database per cluster");
            run.Configure("silos", Invariant($"1, then {silos}: server processes (silo + API + hub) on loopback ports, Orleans ADO.NET clustering"));
            run.Configure("workload", Invariant($"{tickets:N0} tickets opened through the API, {clients} concurrent clients spread round-robin over the silos (each signed in to its silo)"));
            var one = await ThroughputAsync(run, postgres, directory, 1, tickets, clients, failover: false, cancel);
            var many = await ThroughputAsync(run, postgres, directory, silos, tickets, clients, failover: true, cancel);
            run.Figure(Invariant($"throughput ratio, {silos} silos ÷ 1 silo"), Invariant($"{many / one:0.00}"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<double> ThroughputAsync(LiveRun run, ThrowawayPostgres postgres, string directory, int count, int tickets, int clients, bool failover, CancellationToken cancel)
    {
        var connection = await postgres.CreateDatabaseAsync($"cluster{count}");
        string[] settings = ["--Storage:Provider=postgresql", $"--Storage:ConnectionString={connection}", $"--Orleans:ClusterId=bench-{count}", "--Orleans:ServiceId=bench"];
        var servers = new List<ServerProcess>();
        var apis = new List<SlaApi>();
        try
        {
            // The first silo alone (schema, first admin), then the others together.
            servers.Add(await ServerProcess.StartAsync($"c{count}-silo0", directory, settings, cancel));
            servers.AddRange(await Task.WhenAll(Enumerable.Range(1, count - 1).Select(i => ServerProcess.StartAsync($"c{count}-silo{i}", directory, settings, cancel))));
            foreach (var server in servers)
            {
                apis.Add(await SlaApi.AdminAsync(server, cancel));
            }

            for (var c = 0; c < 10; c++)
            {
                await apis[0].CreateCustomerAsync($"c{c}", cancel);
                await apis[0].SetTargetsAsync($"c{c}", TimeSpan.FromHours(8), TimeSpan.FromHours(24), cancel);
            }

            var (elapsed, latencies) = await Load.CountAsync(tickets, clients, async i =>
            {
                using var response = await apis[i % apis.Count].OpenTicketAsync($"t{i}", $"c{i % 10}", cancel);
                await SlaApi.EnsureAsync(response, $"t{i}", cancel);
            }, cancel);
            var rate = tickets / elapsed.TotalSeconds;
            run.Figure(Invariant($"{count} silo{(count > 1 ? "s" : string.Empty)}: tickets opened/s (p50 / p99)"), Invariant($"{rate:N0}/s ({Percentile(latencies, 50):0.0} / {Percentile(latencies, 99):0.0} ms)"));

            if (failover)
            {
                await FailoverAsync(run, servers, apis, tickets, clients, settings, cancel);
            }

            await Task.WhenAll(servers.Where(s => s.Running).Select(s => s.StopAsync()));
            return rate;
        }
        finally
        {
            foreach (var api in apis)
            {
                api.Dispose();
            }

            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task FailoverAsync(LiveRun run, List<ServerProcess> servers, List<SlaApi> apis, int tickets, int clients, string[] settings, CancellationToken cancel)
    {
        Dictionary<int, HashSet<string>> placement;
        await using (var probe = await OrleansProbe.ConnectAsync(settings, cancel))
        {
            placement = await probe.TicketsBySiloAsync();
        }

        run.Figure("ticket activations per silo before the kill", string.Join(" / ", servers.Select(s => placement.TryGetValue(s.SiloPort, out var set) ? set.Count : 0)));
        var victim = servers[^1];
        var lived = placement.TryGetValue(victim.SiloPort, out var onVictim) ? onVictim.ToArray() : [];
        var survivors = apis.Take(servers.Count - 1).ToArray();
        var killed = Stopwatch.StartNew();
        await victim.KillAsync();

        // Every ticket that lived on the killed silo, read through the survivors until it answers.
        var answered = new ConcurrentBag<double>();
        var bound = TimeSpan.FromMinutes(3);
        await Load.CountAsync(lived.Length, clients, async i =>
        {
            while (killed.Elapsed < bound)
            {
                try
                {
                    using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.Token, cancel);
                    using var response = await survivors[i % survivors.Length].Http.GetAsync($"api/v1/tickets/{lived[i]}", linked.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        answered.Add(killed.Elapsed.TotalMilliseconds);
                        return;
                    }
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(100, cancel);
            }
        }, cancel);
        run.Figure("failover: tickets that lived on the killed silo, answered / all", Invariant($"{answered.Count:N0} / {lived.Length:N0}"));
        run.Figure("failover: kill → ticket answers again through a survivor, p50 / p99 / max", Percentiles([.. answered]));

        // And the rest of the cluster's tickets, to show nothing else was lost.
        var (elapsed, _) = await Load.CountAsync(tickets, clients, async i =>
        {
            using var response = await survivors[i % survivors.Length].Http.GetAsync($"api/v1/tickets/t{i}", cancel);
            await SlaApi.EnsureAsync(response, $"t{i}", cancel);
        }, cancel);
        run.Figure(Invariant($"after the failover: all {tickets:N0} tickets read through the survivors"), Invariant($"{elapsed.TotalSeconds:0.0} s, none missing"));
    }
}
