using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace SlaGrains.Bench.Live;

/// <summary>Load shapes shared by the scenarios: a fixed number of operations over K concurrent clients, each timed.</summary>
internal static class Load
{
    /// <summary>Runs operations 0..count-1 over <paramref name="clients"/> concurrent loops; returns elapsed time and per-operation latencies (ms).</summary>
    public static async Task<(TimeSpan Elapsed, double[] LatenciesMs)> CountAsync(int count, int clients, Func<int, Task> operation, CancellationToken cancellationToken)
    {
        var next = -1;
        var latencies = new ConcurrentBag<double[]>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(
            async () =>
            {
                var mine = new List<double>();
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var start = Stopwatch.GetTimestamp();
                    await operation(i);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }

                latencies.Add([.. mine]);
            },
            cancellationToken)));
        return (clock.Elapsed, [.. latencies.SelectMany(l => l)]);
    }

    /// <summary>Opens tickets <c>{prefix}{i}</c> for i in [from, to) through the API, customer chosen by <paramref name="customerOf"/>.</summary>
    public static Task<(TimeSpan Elapsed, double[] LatenciesMs)> OpenTicketsAsync(
        SlaApi api, string prefix, int from, int to, Func<int, string> customerOf, int clients, CancellationToken cancellationToken)
        => CountAsync(to - from, clients, async n =>
        {
            var i = from + n;
            using var response = await api.OpenTicketAsync($"{prefix}{i}", customerOf(i), cancellationToken);
            await SlaApi.EnsureAsync(response, $"opening {prefix}{i}", cancellationToken);
        }, cancellationToken);

    /// <summary>A ticket's breach of a metric as its audit trail records it (null until it fired).</summary>
    public static (DateTimeOffset At, DateTimeOffset RecordedAt)? Breach(JsonElement ticket, string metric = "firstResponse")
    {
        foreach (var entry in ticket.GetProperty("audit").EnumerateArray())
        {
            if (entry.GetProperty("kind").GetString() == "ClockBreached" && entry.TryGetProperty("metric", out var m) && m.GetString() == metric)
            {
                return (entry.GetProperty("at").GetDateTimeOffset(), entry.GetProperty("recordedAt").GetDateTimeOffset());
            }
        }

        return null;
    }
}
