using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>fanout</c>: C live-feed connections of one customer's users (customer-scoped API keys, several connections
/// per key) on one server process; a ticket of that customer breaches, B times in turn: deadline →
/// <c>TicketBreached</c> at every connection. Options: <c>--clients C</c> (1,000), <c>--breaches B</c> (5),
/// <c>--keys N</c> (100).
/// </summary>
internal static class FanoutScenario
{
    public static int Run(string[] args) => new LiveRun("fanout", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var clients = run.Int("--clients", 1_000);
        var breaches = run.Int("--breaches", 5);
        var keys = Math.Min(clients, run.Int("--keys", 100));
        var target = TimeSpan.FromSeconds(3);
        var cancel = Cancelled;
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-fanout-").FullName;
        var connections = new List<HubConnection>();
        try
        {
            run.Configure("server", "1 process (silo + API + hub), SQLite synchronous=FULL, 127.0.0.1");
            run.Configure("live-feed connections", Invariant($"{clients:N0} of one customer ({keys} customer-scoped API keys), WebSockets + JSON, all in the bench process"));
            run.Configure("breaches", Invariant($"{breaches}, one ticket each (24x7 first response {target.TotalSeconds:0} s), one after another"));
            await using var server = await ServerProcess.StartAsync("server", directory, ClocksScenario.Settings(directory), cancel);
            using var admin = await SlaApi.AdminAsync(server, cancel);
            await admin.CreateCustomerAsync("fan", cancel);
            await admin.SetTargetsAsync("fan", target, TimeSpan.FromHours(24), cancel);
            var apis = new List<SlaApi>();
            for (var k = 0; k < keys; k++)
            {
                apis.Add(SlaApi.WithKey(server.BaseAddress, await admin.CreateApiKeyAsync($"fan-{k}", "customer", "fan", cancel)));
            }

            // Deliveries per ticket: (connection, received).
            var received = new ConcurrentDictionary<string, ConcurrentBag<(int Connection, DateTimeOffset At, DateTimeOffset DueAt)>>(StringComparer.Ordinal);
            var connecting = System.Diagnostics.Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(32))
            {
                for (var c = 0; c < clients; c++)
                {
                    var connection = apis[c % keys].Hub();
                    var index = c;
                    connection.On<JsonElement>("TicketBreached", alert =>
                    {
                        var at = Now();
                        if (alert.GetProperty("metric").GetString() == "firstResponse")
                        {
                            received.GetOrAdd(alert.GetProperty("ticketId").GetString()!, _ => [])
                                .Add((index, at, alert.GetProperty("dueAt").GetDateTimeOffset()));
                        }
                    });
                    connections.Add(connection);
                }

                await Task.WhenAll(connections.Select(async connection =>
                {
                    await gate.WaitAsync(cancel);
                    try
                    {
                        await connection.StartAsync(cancel);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            run.Figure(Invariant($"{clients:N0} connections established"), Invariant($"{connecting.Elapsed.TotalSeconds:0.0} s"));
            var deliveries = new List<double>();
            var spreads = new List<double>();
            var missing = 0;
            for (var b = 0; b < breaches; b++)
            {
                var ticket = $"fan-{b}";
                using (var response = await admin.OpenTicketAsync(ticket, "fan", cancel))
                {
                    await SlaApi.EnsureAsync(response, "ticket", cancel);
                }

                // Wait for every connection, bounded: the target plus 30 s.
                var waiting = System.Diagnostics.Stopwatch.StartNew();
                while (waiting.Elapsed < target + TimeSpan.FromSeconds(30) && (!received.TryGetValue(ticket, out var got) || got.Count < clients))
                {
                    await Task.Delay(100, cancel);
                }

                var arrivals = received.TryGetValue(ticket, out var all) ? all.ToList() : [];
                missing += clients - arrivals.Select(a => a.Connection).Distinct().Count();
                deliveries.AddRange(arrivals.Select(a => (a.At - a.DueAt).TotalMilliseconds));
                if (arrivals.Count > 0)
                {
                    spreads.Add((arrivals.Max(a => a.At) - arrivals.Min(a => a.At)).TotalMilliseconds);
                }

                Console.WriteLine(Invariant($"  breach {b + 1}: {arrivals.Count:N0} deliveries"));
            }

            run.Figure("deliveries received / expected", Invariant($"{deliveries.Count:N0} / {clients * breaches:N0} (missing {missing:N0})"));
            run.Figure("deadline → TicketBreached at a connection, p50 / p99 / max", Percentiles(deliveries));
            run.Figure("first → last connection, per breach (mean / max)", spreads.Count == 0 ? "—" : Invariant($"{spreads.Average():0.0} / {spreads.Max():0.0} ms"));
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            connections.Clear();
            foreach (var api in apis)
            {
                api.Dispose();
            }

            await server.StopAsync();
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }
}
