using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>ticket-sync</c>: N tickets with 5 events each (created, agent reply, in progress, customer reply, resolved, all in
/// the past) imported through <c>POST /api/v1/integrations/generic/events</c> with an integration key, in batches of B
/// events by K concurrent clients, against one server process on SQLite. Prints events/s and the read-model lag: the
/// time from the last acknowledged batch until the <c>tickets</c> table lists none of them open.
/// Options: <c>--tickets N</c> (100,000), <c>--batch B</c> (500), <c>--clients K</c> (8).
/// </summary>
internal static class TicketSyncScenario
{
    public static int Run(string[] args)
    {
        var run = new LiveRun("ticket-sync", args);
        return run.Execute(RunAsync);
    }

    private static async Task RunAsync(LiveRun run)
    {
        var tickets = run.Int("--tickets", 100_000);
        var batch = Math.Clamp(run.Int("--batch", 500), 5, 1_000) / 5 * 5;
        var clients = run.Int("--clients", 8);
        var cancel = Cancelled;
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-sync-").FullName;
        try
        {
            run.Configure("server", "1 process (silo + API + hub), SQLite synchronous=FULL, 127.0.0.1");
            run.Configure("tickets", Invariant($"{tickets:N0} x 5 events, one customer, P2 24x7 (1 h / 8 h)"));
            run.Configure("batch (events per request)", batch);
            run.Configure("concurrent HTTP clients", clients);
            await using var server = await ServerProcess.StartAsync("server", directory, ClocksScenario.Settings(directory), cancel);
            using var admin = await SlaApi.AdminAsync(server, cancel);
            await admin.CreateCustomerAsync("sync", cancel);
            await admin.SetTargetsAsync("sync", TimeSpan.FromHours(1), TimeSpan.FromHours(8), cancel);
            var key = await admin.CreateApiKeyAsync("bench helpdesk", "integration", "sync", cancel);
            using var integration = SlaApi.WithKey(server.BaseAddress, key);

            var opened = Now().AddDays(-2);
            var perBatch = batch / 5;
            var batches = (tickets + perBatch - 1) / perBatch;
            var next = -1;
            var latencies = new List<double>();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) is var b && b < batches)
                {
                    var events = new List<object>(batch);
                    for (var t = b * perBatch; t < Math.Min(tickets, (b + 1) * perBatch); t++)
                    {
                        var id = $"EXT-{t}";
                        var at = opened.AddSeconds(t % 3600);
                        events.Add(new { eventId = $"{id}/1", ticketId = id, customerId = "sync", type = "created", at = at, priority = "p2", subject = "Imported" });
                        events.Add(new { eventId = $"{id}/2", ticketId = id, type = "agentReply", at = at.AddMinutes(30) });
                        events.Add(new { eventId = $"{id}/3", ticketId = id, type = "status", at = at.AddMinutes(40), status = "inProgress" });
                        events.Add(new { eventId = $"{id}/4", ticketId = id, type = "customerReply", at = at.AddHours(2) });
                        events.Add(new { eventId = $"{id}/5", ticketId = id, type = "resolved", at = at.AddHours(10) });
                    }

                    var started = Stopwatch.GetTimestamp();
                    using var response = await integration.Http.PostAsJsonAsync("api/v1/integrations/generic/events", new { events }, cancel);
                    await SlaApi.EnsureAsync(response, "integrations/generic/events", cancel);
                    lock (latencies)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
            }));
            var elapsed = watch.Elapsed;
            run.Figure(Invariant($"events imported ({clients} clients, {batch} per request)"), Invariant($"{tickets * 5 / elapsed.TotalSeconds:N0} events/s ({elapsed.TotalSeconds:0.0} s)"));
            run.Figure("POST events latency p50 / p99 / max (ms)", Percentiles(latencies));

            // Read-model lag: until the tickets table lists none of them open (each ends resolved).
            var lag = Stopwatch.StartNew();
            while (true)
            {
                var page = await admin.Http.GetFromJsonAsync<JsonElement>("api/v1/tickets?customer=sync&state=open&pageSize=1", cancel);
                if (page.GetProperty("items").GetArrayLength() == 0)
                {
                    break;
                }

                await Task.Delay(50, cancel);
            }

            run.Figure("read-model lag after the last batch", Invariant($"{lag.Elapsed.TotalMilliseconds:0} ms"));
            await server.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
