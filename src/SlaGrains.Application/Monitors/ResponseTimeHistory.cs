using System.Collections.Immutable;
using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Application.Monitors;

/// <summary>
/// One hour or UTC day of a monitor's response times, from its rollup: the checks in the bucket and the nearest-rank
/// p50/p95/p99 and slowest response time in milliseconds (0.1 ms), null when no check in it measured one.
/// </summary>
/// <param name="Start">The bucket's first instant.</param>
/// <param name="Checks">Checks in the bucket.</param>
/// <param name="P50Ms">Median.</param>
/// <param name="P95Ms">95th percentile.</param>
/// <param name="P99Ms">99th percentile (null on buckets stored before it was kept).</param>
/// <param name="MaxMs">Slowest.</param>
public sealed record ResponseTimeBucket(Instant Start, int Checks, double? P50Ms, double? P95Ms, double? P99Ms, double? MaxMs)
{
    /// <summary>The bucket of a rollup row.</summary>
    public static ResponseTimeBucket From(CheckRollupRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var f = row.Figures;
        return new(row.BucketStart, f.Checks, Ms(f.ResponseP50), Ms(f.ResponseP95), Ms(f.ResponseP99), Ms(f.ResponseMax));
    }

    /// <summary>
    /// Whether a monitor of <paramref name="kind"/> measures response times: every kind that probes (http, tcp, dns,
    /// tls, ping, and any added later), not push or heartbeat, which only receive results.
    /// </summary>
    public static bool Probes(string kind) => kind is not ("push" or "heartbeat");

    private static double? Ms(Duration? d) => d is { } v ? Math.Round(v.TotalMilliseconds, 1) : null;
}

/// <summary>
/// A page of a monitor's response-time history: its buckets whose start is in [<paramref name="From"/>,
/// <paramref name="To"/>), oldest first, at most the limit asked for; <paramref name="Next"/> is the <c>from</c> of the
/// next page (the start after the last bucket returned) when more buckets remain, else null.
/// </summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Granularity">hour or day.</param>
/// <param name="From">The range's start.</param>
/// <param name="To">The range's end (exclusive).</param>
/// <param name="Buckets">The buckets, oldest first; a bucket without checks has no row.</param>
/// <param name="Next">Where the next page starts, or null.</param>
public sealed record ResponseTimeHistory(string MonitorId, string Granularity, Instant From, Instant To, ImmutableArray<ResponseTimeBucket> Buckets, Instant? Next);
