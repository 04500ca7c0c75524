using System.Collections.Immutable;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Server.Demo;

/// <summary>
/// A demo monitor's probe results from the start of its history until now: every probe region checks on a fixed grid
/// (regions staggered by a few seconds, as real probes are), and a check inside an outage of its region fails.
/// Results come in batches of at most a week and at most <see cref="MaxBatch"/> results, oldest first, as a probe
/// agent back-filling through <c>POST /monitors/{id}/checks/batch</c> would send them.
/// </summary>
internal static class CheckHistory
{
    /// <summary>The API's largest batch.</summary>
    public const int MaxBatch = 10_000;

    private static readonly Duration BatchSpan = Duration.FromDays(7);
    private static readonly Duration RegionStagger = Duration.FromSeconds(20);

    /// <summary>A concrete outage: when, and in which region (null: all).</summary>
    public readonly record struct Down(Interval Interval, string? Region)
    {
        /// <summary>Whether a check of <paramref name="region"/> at <paramref name="at"/> fails.</summary>
        public bool Fails(Instant at, string? region) => (Region is null || Region == region) && Interval.Contains(at);
    }

    /// <summary>The results of <paramref name="monitor"/> in [<paramref name="from"/>, <paramref name="until"/>), in batches.</summary>
    public static IEnumerable<ImmutableArray<CheckResult>> Batches(DemoMonitor monitor, Instant from, Instant until, IReadOnlyList<Down> outages)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(outages);
        string?[] regions = monitor.Regions.IsDefaultOrEmpty ? [null] : [.. monitor.Regions];
        var batch = ImmutableArray.CreateBuilder<CheckResult>();
        var batchEnd = from + BatchSpan;
        for (var tick = from; tick < until; tick += monitor.Every)
        {
            if (tick >= batchEnd || batch.Count + regions.Length > MaxBatch)
            {
                yield return batch.DrainToImmutable();
                batchEnd = tick + BatchSpan;
            }

            for (var r = 0; r < regions.Length; r++)
            {
                var at = tick + (RegionStagger * r);
                if (at >= until)
                {
                    break;
                }

                var region = regions[r];
                var fails = false;
                foreach (var outage in outages)
                {
                    if (outage.Fails(at, region))
                    {
                        fails = true;
                        break;
                    }
                }

                batch.Add(new CheckResult(at, fails ? CheckOutcome.Down : CheckOutcome.Up, region));
            }
        }

        if (batch.Count > 0)
        {
            yield return batch.DrainToImmutable();
        }
    }
}
