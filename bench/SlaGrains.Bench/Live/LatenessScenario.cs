using System.Diagnostics;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>lateness</c>: N open clocks on one server process (SQLite), 10 % of them falling due within one minute (24×7
/// targets spread over 60 customers a second apart); a manager's live-feed connection times deadline →
/// <c>TicketBreached</c> received. Also prints deadline → recorded by the ticket grain, to tell the grain's timer from
/// the delivery. Options: <c>--tickets N</c> (50,000), <c>--clients K</c> (64).
/// </summary>
internal static class LatenessScenario
{
    private const int Buckets = 60;

    public static int Run(string[] args) => new LiveRun("lateness", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var tickets = run.Int("--tickets", 50_000);
        var clients = run.Int("--clients", 64);
        var soon = Math.Max(Buckets, tickets / 10);
        var far = tickets - soon;
        var cancel = Cancelled;
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-lateness-").FullName;
        try
        {
            run.Configure("server", "1 process (silo + API + hub), SQLite synchronous=FULL, 127.0.0.1");
            run.Configure("open clocks", Invariant($"{tickets:N0} tickets: {far:N0} due in 8 h (100 customers), {soon:N0} due within one minute ({Buckets} customers, targets 1 s apart, 24x7)"));
            run.Configure("concurrent HTTP clients", clients);
            run.Configure("watcher", "1 manager connection on /hubs/sla (WebSockets, JSON), in the bench process");
            await using var server = await ServerProcess.StartAsync("server", directory, ClocksScenario.Settings(directory), cancel);
            using var admin = await SlaApi.AdminAsync(server, cancel);
            await admin.CreateUserAsync("bench-manager", "bench-manager-password", "manager", null, cancel);
            for (var c = 0; c < 100; c++)
            {
                await admin.CreateCustomerAsync($"far{c}", cancel);
                await admin.SetTargetsAsync($"far{c}", TimeSpan.FromHours(8), TimeSpan.FromHours(24), cancel);
            }

            for (var b = 0; b < Buckets; b++)
            {
                await admin.CreateCustomerAsync($"soon{b}", cancel);
            }

            var (farElapsed, _) = await Load.OpenTicketsAsync(admin, "far-", 0, far, i => $"far{i % 100}", clients, cancel);
            var rate = far / farElapsed.TotalSeconds;
            Console.WriteLine(Invariant($"  {far:N0} distant tickets opened ({rate:N0}/s)"));

            // The near 10 %: their first-response targets start after they are all expected to be open (at the rate
            // just measured, with margin), one customer per second of the minute.
            var first = TimeSpan.FromSeconds(Math.Ceiling((soon / rate * 1.5) + 15));
            for (var b = 0; b < Buckets; b++)
            {
                await admin.SetTargetsAsync($"soon{b}", first + TimeSpan.FromSeconds(b), TimeSpan.FromHours(24), cancel);
            }

            using var manager = await SlaApi.SignInAsync(server.BaseAddress, "bench-manager", "bench-manager-password", cancel);
            await using var watcher = await BreachWatcher.ConnectAsync(manager, t => t.StartsWith("soon-", StringComparison.Ordinal), soon, TimeSpan.FromSeconds(30), cancel);
            var opening = Stopwatch.StartNew();
            await Load.OpenTicketsAsync(admin, "soon-", 0, soon, i => $"soon{i % Buckets}", clients, cancel);
            Console.WriteLine(Invariant($"  {soon:N0} near tickets opened in {opening.Elapsed.TotalSeconds:0.0} s; first deadlines {first.TotalSeconds:0} s after the first of them"));
            run.Configure("first near deadline", Invariant($"{first.TotalSeconds:0} s after the near tickets started opening (opened in {opening.Elapsed.TotalSeconds:0.0} s)"));

            var bound = first + TimeSpan.FromSeconds(Buckets + 120) - opening.Elapsed;
            try
            {
                await watcher.All.WaitAsync(bound, cancel);
            }
            catch (TimeoutException)
            {
                Console.WriteLine(Invariant($"  bound reached: {watcher.Breaches.Count:N0} of {soon:N0} breaches received"));
            }

            var breaches = watcher.Breaches.Values.ToList();
            run.Figure("breaches received / expected", Invariant($"{breaches.Count:N0} / {soon:N0}"));
            if (breaches.Count > 0)
            {
                run.Figure("deadlines spread over", Invariant($"{(breaches.Max(b => b.DueAt) - breaches.Min(b => b.DueAt)).TotalSeconds:0.0} s"));
            }

            run.Figure("deadline → TicketBreached received (manager), p50 / p99 / max", Percentiles([.. breaches.Select(b => b.DeliveredMs)]));
            run.Figure("deadline → recorded by the ticket grain, p50 / p99 / max", Percentiles([.. breaches.Select(b => b.RecordedMs)]));
            await server.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
