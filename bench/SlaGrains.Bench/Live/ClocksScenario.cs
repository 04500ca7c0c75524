using SlaGrains.Testing;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>clocks</c>: N open tickets on one server process (SQLite), opened through the HTTP API by K concurrent clients.
/// Prints the creation rate and latency, and memory per open ticket in the server process — GC heap after a forced
/// full collection and resident set — with every ticket active, and again once idle activations are collected.
/// Options: <c>--tickets N</c> (100,000), <c>--clients K</c> (64), <c>--customers C</c> (100).
/// </summary>
internal static class ClocksScenario
{
    public static int Run(string[] args)
    {
        var run = new LiveRun("clocks", args);
        return run.Execute(RunAsync);
    }

    private static async Task RunAsync(LiveRun run)
    {
        var tickets = run.Int("--tickets", 100_000);
        var clients = run.Int("--clients", 64);
        var customers = run.Int("--customers", 100);
        var cancel = Cancelled;
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-clocks-").FullName;
        try
        {
            run.Configure("server", "1 process (silo + API + hub), SQLite synchronous=FULL, 127.0.0.1");
            run.Configure("tickets", Invariant($"{tickets:N0} (P2, 24x7: first response 8 h, resolution 24 h)"));
            run.Configure("customers", customers);
            run.Configure("concurrent HTTP clients", clients);
            await using var server = await ServerProcess.StartAsync("server", directory, Settings(directory), cancel);
            using var admin = await SlaApi.AdminAsync(server, cancel);
            for (var c = 0; c < customers; c++)
            {
                await admin.CreateCustomerAsync($"c{c}", cancel);
                await admin.SetTargetsAsync($"c{c}", TimeSpan.FromHours(8), TimeSpan.FromHours(24), cancel);
            }

            // A warm-up ticket per customer, so the baseline has the customers' and the API's first activations.
            await Load.OpenTicketsAsync(admin, "warm-", 0, customers, i => $"c{i}", clients, cancel);
            await Task.Delay(TimeSpan.FromSeconds(2), cancel);
            var heapBefore = await RemoteGc.SettledHeapBytesAsync(server.Pid, cancel);
            var rssBefore = server.ResidentBytes();
            Console.WriteLine(Invariant($"  baseline: GC heap {heapBefore / 1048576.0:0.0} MiB, RSS {rssBefore / 1048576.0:0.0} MiB; opening {tickets:N0} tickets..."));

            var (elapsed, latencies) = await Load.OpenTicketsAsync(admin, "t", 0, tickets, i => $"c{i % customers}", clients, cancel);
            run.Figure(Invariant($"tickets opened through the API ({clients} clients)"), Invariant($"{tickets / elapsed.TotalSeconds:N0}/s ({elapsed.TotalSeconds:0.0} s)"));
            run.Figure("POST tickets latency p50 / p99 / max", Percentiles(latencies));

            // Settle: the index shards finish their group writes, then two forced full collections.
            await Task.Delay(TimeSpan.FromSeconds(5), cancel);
            var heapActive = await RemoteGc.SettledHeapBytesAsync(server.Pid, cancel);
            var rssActive = server.ResidentBytes();
            run.Figure("GC heap per open ticket, all active", Invariant($"{(heapActive - heapBefore) / (double)tickets / 1024:0.00} KiB"));
            run.Figure("RSS per open ticket, all active", Invariant($"{(rssActive - rssBefore) / (double)tickets / 1024:0.00} KiB"));
            run.Figure("server GC heap / RSS, all active", Invariant($"{heapActive / 1048576.0:0} / {rssActive / 1048576.0:0} MiB"));

            // What the age limit (5 idle minutes) would do, forced now through an external Orleans client.
            await using (var probe = await OrleansProbe.ConnectAsync([.. Settings(directory), $"--Orleans:GatewayPort={server.GatewayPort}"], cancel))
            {
                await probe.Management.ForceActivationCollection(TimeSpan.Zero);
            }

            await Task.Delay(TimeSpan.FromSeconds(5), cancel);
            var heapIdle = await RemoteGc.SettledHeapBytesAsync(server.Pid, cancel);
            var rssIdle = server.ResidentBytes();
            run.Figure("GC heap per open ticket, idle ones collected", Invariant($"{(heapIdle - heapBefore) / (double)tickets / 1024:0.00} KiB"));
            run.Figure("RSS per open ticket, idle ones collected", Invariant($"{(rssIdle - rssBefore) / (double)tickets / 1024:0.00} KiB"));
            run.Figure("server GC heap / RSS, idle collected", Invariant($"{heapIdle / 1048576.0:0} / {rssIdle / 1048576.0:0} MiB"));
            await server.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public static string[] Settings(string directory) =>
    [
        "--Storage:Provider=sqlite",
        $"--Storage:SqlitePath={Path.Combine(directory, "sla.db")}",
        "--Orleans:ClusterId=bench",
        "--Orleans:ServiceId=bench",
    ];
}
