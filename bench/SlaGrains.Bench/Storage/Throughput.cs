using System.Diagnostics;
using SlaGrains.Bench.Live;

namespace SlaGrains.Bench.Storage;

/// <summary>Operations completed in a measured window, with their latencies.</summary>
internal sealed record Throughput(long Operations, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public double Percentile(double p) => LiveRun.Percentile(LatenciesMs, p);

    /// <summary>
    /// Runs <paramref name="workers"/> loops of <paramref name="operation"/> (given the worker index and its
    /// iteration) until <paramref name="duration"/> has passed, each operation timed.
    /// </summary>
    public static async Task<Throughput> Measure(int workers, TimeSpan duration, Func<int, int, Task> operation)
    {
        var latencies = new List<double>[workers];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await operation(worker, i);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        clock.Stop();
        var all = latencies.SelectMany(l => l).ToArray();
        return new Throughput(all.Length, clock.Elapsed, all);
    }
}
