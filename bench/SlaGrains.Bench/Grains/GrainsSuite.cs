using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using SlaGrains.Bench.Live;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains;
using SlaGrains.Testing;

namespace SlaGrains.Bench.Grains;

/// <summary>
/// The <c>grains</c> suite, on one silo with the embedded SQLite store: memory per open ticket with 100,000 open
/// tickets, all active and once idle ones are collected; deadline lateness (deadline → warning/breach published) with 10 % of the clocks firing within a minute;
/// the time a restarted silo takes to fire every deadline that passed while it was down. Prints figures.
/// Options: <c>--tickets N</c> (default 100,000).
/// </summary>
internal static class GrainsSuite
{
    public static int Run(string[] args)
    {
        var tickets = Option(args, "--tickets") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : 100_000;
        return RunAsync(tickets).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int tickets)
    {
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-grains-").FullName;
        var settings = new[] { "--Storage:Provider=sqlite", $"--Storage:SqlitePath={Path.Combine(directory, "sla.db")}" };
        try
        {
            Console.WriteLine($"grains suite: {tickets:N0} open tickets on one silo (SQLite), {Environment.ProcessorCount} cores");
            var (bytesPerTicket, idleBytesPerTicket, lateness) = await OpenTicketsAndMeasureLateness(settings, tickets);
            Console.WriteLine(Invariant($"  memory per open ticket {bytesPerTicket / 1024.0:0.00} KiB active, {idleBytesPerTicket / 1024.0:0.00} KiB idle; lateness p50 {LiveRun.Percentile(lateness, 50):0.0} ms, p99 {LiveRun.Percentile(lateness, 99):0.0} ms"));
            var restart = await RestartAndMeasureCatchUp(settings, Math.Max(1, tickets / 10));

            Console.WriteLine();
            Console.WriteLine(Invariant($"| figure | value | goal |"));
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine(Invariant($"| memory per open ticket, all {tickets:N0} active | {bytesPerTicket / 1024.0:0.00} KiB | <= 4 KiB |"));
            Console.WriteLine(Invariant($"| memory per open ticket, idle ones collected | {idleBytesPerTicket / 1024.0:0.00} KiB | |"));
            Console.WriteLine(Invariant($"| deadline lateness p50 ({lateness.Count:N0} deadlines) | {LiveRun.Percentile(lateness, 50):0.0} ms | |"));
            Console.WriteLine(Invariant($"| deadline lateness p99 | {LiveRun.Percentile(lateness, 99):0.0} ms | <= 100 ms |"));
            Console.WriteLine(Invariant($"| deadline lateness max | {lateness.Max():0.0} ms | |"));
            Console.WriteLine(Invariant($"| restart: passed deadlines fired ({restart.Fired:N0} of {Math.Max(1, tickets / 10):N0}) | {restart.Elapsed.TotalSeconds:0.0} s after start | <= 60 s |"));
            Console.WriteLine();
            Console.WriteLine("Goals (computed from the figures above):");
            Console.WriteLine(Invariant($"  memory per open ticket <= 4 KiB, steady state (idle tickets collected after 5 min): {Verdict(idleBytesPerTicket <= 4096)}"));
            Console.WriteLine(Invariant($"  memory per open ticket <= 4 KiB, all {tickets:N0} active at once (worst case): {Verdict(bytesPerTicket <= 4096)}"));
            Console.WriteLine(Invariant($"  p99 lateness <= 100 ms: {Verdict(LiveRun.Percentile(lateness, 99) <= 100)}"));
            Console.WriteLine(Invariant($"  passed deadlines fired <= 60 s after start: {Verdict(restart.Fired == Math.Max(1, tickets / 10) && restart.Elapsed <= TimeSpan.FromSeconds(60))}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Opens the tickets, 10 % with a first-response target that falls due within a minute; measures memory and lateness.</summary>
    private static async Task<(double BytesPerTicket, double IdleBytesPerTicket, List<double> LatenessMs)> OpenTicketsAndMeasureLateness(string[] settings, int tickets)
    {
        using var host = await ConfiguredSilo.StartAsync(settings, silo => silo.AddSlaGrains());
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var hub = host.Services.GetRequiredService<ISlaNotifications>();
        var time = host.Services.GetRequiredService<TimeProvider>();
        var soon = tickets / 10;
        var lateness = new ConcurrentBag<double>();
        var firedAll = new TaskCompletionSource();
        var breaches = 0;
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(async () =>
        {
            try
            {
                await foreach (var n in hub.Subscribe(stop.Token))
                {
                    if (n is TicketAlerted { Alert.Metric: SlaMetric.FirstResponse } alerted)
                    {
                        // Deadline → published, as a watcher on this silo sees it.
                        lateness.Add((Instant.FromDateTimeOffset(time.GetUtcNow()) - alerted.Alert.DueAt).TotalMilliseconds);
                        if (alerted.Alert.IsBreach && Interlocked.Increment(ref breaches) == soon)
                        {
                            firedAll.TrySetResult();
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        Console.WriteLine("  measuring memory before the tickets...");
        var before = Settle();
        var clock = Stopwatch.StartNew();
        var random = new Random(42);

        // The 90 % with distant deadlines first, then the 10 % due within a minute, so that their deadlines fall
        // while the silo holds all 100 % and is not busy opening tickets.
        var due = Enumerable.Range(0, tickets).Select(i => i >= tickets - soon ? Duration.FromMilliseconds(random.Next(30_000, 60_000)) : Duration.FromHours(8)).ToArray();
        using var gate = new SemaphoreSlim(512);
        await Task.WhenAll(Enumerable.Range(0, tickets - soon).Select(Open));
        await Task.WhenAll(Enumerable.Range(tickets - soon, soon).Select(Open));

        async Task Open(int i)
        {
            await gate.WaitAsync();
            try
            {
                var targets = new PriorityTargets(due[i], Duration.FromHours(24), coverage: CoverageHours.AroundTheClock).For(BusinessCalendar.AlwaysOpen);
                var result = await grains.GetGrain<ITicketGrain>($"bench-{i}").Create(
                    new NewTicket($"customer-{i % 100}", TicketPriority.P2, "Benchmark ticket", "bench@example.com", null, null, targets));
                if (!result.Accepted)
                {
                    throw new InvalidOperationException(result.Rejection!.Message);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        Console.WriteLine(Invariant($"  opened {tickets:N0} tickets in {clock.Elapsed.TotalSeconds:0.0} s ({tickets / clock.Elapsed.TotalSeconds:N0}/s)"));
        var after = Settle();
        var bytesPerTicket = (after - before) / (double)tickets;

        await firedAll.Task.WaitAsync(TimeSpan.FromMinutes(3));
        await stop.CancelAsync();
        await listening;

        // What an open ticket costs once its grain is idle and collected (tickets are, after five idle minutes; here
        // forced at once): its reminder, which wakes it at its next deadline.
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var idleBytesPerTicket = (Settle() - before) / (double)tickets;
        await host.StopAsync();
        return (bytesPerTicket, idleBytesPerTicket, [.. lateness]);
    }

    /// <summary>Opens tickets due in 20–30 s, stops the silo, waits until they are all past due, restarts and times the catch-up.</summary>
    private static async Task<(int Fired, TimeSpan Elapsed)> RestartAndMeasureCatchUp(string[] settings, int count)
    {
        using (var host = await ConfiguredSilo.StartAsync(settings, silo => silo.AddSlaGrains()))
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var random = new Random(7);
            using var gate = new SemaphoreSlim(512);
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var targets = new PriorityTargets(Duration.FromMilliseconds(random.Next(20_000, 30_000)), Duration.FromHours(24), coverage: CoverageHours.AroundTheClock)
                        .For(BusinessCalendar.AlwaysOpen);
                    await grains.GetGrain<ITicketGrain>($"restart-{i}").Create(new NewTicket($"customer-{i % 100}", TicketPriority.P2, "Restart", "bench@example.com", null, null, targets));
                }
                finally
                {
                    gate.Release();
                }
            }));
            await host.StopAsync();
        }

        Console.WriteLine(Invariant($"  silo stopped with {count:N0} deadlines 20-30 s ahead; waiting 35 s for them to pass"));
        await Task.Delay(TimeSpan.FromSeconds(35));

        var started = Stopwatch.StartNew();
        using var restarted = await ConfiguredSilo.StartAsync(settings, silo => silo.AddSlaGrains());
        var hub = restarted.Services.GetRequiredService<ISlaNotifications>();
        var seen = new HashSet<string>();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await foreach (var n in hub.Subscribe(bound.Token))
            {
                if (n is TicketAlerted { Alert: { IsBreach: true, Metric: SlaMetric.FirstResponse } alert } && alert.TicketId.StartsWith("restart-", StringComparison.Ordinal) && seen.Add(alert.TicketId) && seen.Count == count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine(Invariant($"  after 3 min only {seen.Count:N0} of {count:N0} passed deadlines had fired"));
        }

        var elapsed = started.Elapsed;
        await restarted.StopAsync();
        return (seen.Count, elapsed);
    }

    private static long Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Verdict(bool met) => met ? "MET" : "MISSED";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
