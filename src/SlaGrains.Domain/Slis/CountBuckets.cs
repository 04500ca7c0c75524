using NodaTime;

namespace SlaGrains.Domain.Slis;

/// <summary>Good and total events; 0 ≤ good ≤ total.</summary>
/// <param name="Good">Good events.</param>
/// <param name="Total">All events.</param>
public readonly record struct EventCounts(long Good, long Total)
{
    /// <summary>Bad events: total − good.</summary>
    public long Bad => Total - Good;

    /// <summary>The sum of two counts.</summary>
    public EventCounts Plus(EventCounts other) => new(checked(Good + other.Good), checked(Total + other.Total));
}

/// <summary>
/// The 5-minute buckets an SLI keeps its counts in, aligned to the Unix epoch: <c>[k·5 min, (k+1)·5 min)</c>.
/// </summary>
/// <remarks>
/// Posted counts cover an interval of their own choosing. An interval that spans several buckets is split in
/// proportion to the time it spends in each, in whole events, so the parts always sum exactly to what was posted:
/// good and bad events are each apportioned by largest remainder (each bucket gets the floor of its exact share,
/// the events left over go one each to the largest remainders, the earlier bucket first on a tie), and a bucket's
/// total is its good plus its bad. Each part is within one event of its exact share, and good ≤ total in every part.
/// </remarks>
public static class CountBuckets
{
    /// <summary>A bucket's width: 5 minutes.</summary>
    public static Duration Width { get; } = Duration.FromMinutes(5);

    /// <summary>The start of the bucket holding <paramref name="instant"/>.</summary>
    public static Instant Floor(Instant instant)
    {
        var width = Width.BclCompatibleTicks;
        var ticks = instant.ToUnixTimeTicks();
        var floored = ticks - (((ticks % width) + width) % width);
        return Instant.FromUnixTimeTicks(floored);
    }

    /// <summary>
    /// Splits <paramref name="counts"/> posted for <c>[from, to)</c> over the buckets it touches, in bucket order;
    /// buckets that get no event are left out.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>, or the counts are not 0 ≤ good ≤ total.</exception>
    public static IReadOnlyList<(Instant Start, EventCounts Counts)> Split(Instant from, Instant to, EventCounts counts)
    {
        Guard.Ordered(from, to, nameof(to));
        if (from == to)
        {
            throw new ArgumentException($"{nameof(to)} must be after {nameof(from)}.", nameof(to));
        }

        if (counts.Good < 0 || counts.Good > counts.Total)
        {
            throw new ArgumentException($"Counts must have 0 ≤ good ≤ total; got {counts.Good} of {counts.Total}.", nameof(counts));
        }

        var starts = new List<Instant>();
        var weights = new List<Int128>();
        for (var start = Floor(from); start < to; start += Width)
        {
            var overlapStart = start > from ? start : from;
            var end = start + Width;
            var overlapEnd = end < to ? end : to;
            starts.Add(start);
            weights.Add((overlapEnd - overlapStart).ToInt64Nanoseconds());
        }

        var length = (Int128)(to - from).ToInt64Nanoseconds();
        var good = Apportion(counts.Good, weights, length);
        var bad = Apportion(counts.Bad, weights, length);
        var parts = new List<(Instant, EventCounts)>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
        {
            if (good[i] + bad[i] > 0)
            {
                parts.Add((starts[i], new EventCounts(good[i], good[i] + bad[i])));
            }
        }

        return parts;
    }

    /// <summary>Largest-remainder apportionment of <paramref name="count"/> by <paramref name="weights"/> (which sum to <paramref name="whole"/>).</summary>
    private static long[] Apportion(long count, List<Int128> weights, Int128 whole)
    {
        var shares = new long[weights.Count];
        var remainders = new Int128[weights.Count];
        long given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = count * weights[i];
            shares[i] = (long)(exact / whole);
            remainders[i] = exact % whole;
            given += shares[i];
        }

        // Fewer left over than buckets: one each to the largest remainders, the earlier bucket first on a tie.
        var order = Enumerable.Range(0, weights.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i);
        foreach (var i in order.Take((int)(count - given)))
        {
            shares[i]++;
        }

        return shares;
    }
}
