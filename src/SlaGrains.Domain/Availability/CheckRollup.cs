using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// One monitor's figures over one bucket (an hour or a day): how long it was up, down or unknown, how many checks it
/// had, and their response times. What the 90-day status bars and the response-time history read.
/// </summary>
/// <param name="Up">Time covered by results and not down.</param>
/// <param name="Down">Time inside a confirmed outage (an incident counts down whether or not results fell in it).</param>
/// <param name="Unknown">Time of the bucket so far that no result covers and no outage explains: missing data, not uptime.</param>
/// <param name="Checks">Results in the bucket.</param>
/// <param name="FailedChecks">Of those, failures.</param>
/// <param name="ResponseP50">Median response time of the results that have one (nearest rank); null when none has.</param>
/// <param name="ResponseP95">95th percentile (nearest rank); null when none has.</param>
/// <param name="ResponseMax">Slowest; null when none has.</param>
/// <param name="ResponseP99">99th percentile (nearest rank); null when none has, and on rows stored before it was kept.</param>
public sealed record CheckRollup(
    Duration Up,
    Duration Down,
    Duration Unknown,
    int Checks,
    int FailedChecks,
    Duration? ResponseP50,
    Duration? ResponseP95,
    Duration? ResponseMax,
    Duration? ResponseP99 = null)
{
    /// <summary>
    /// A result covers the time after it until the next result, but at most this long when the monitor has no interval
    /// of its own (a push monitor without a heartbeat grace): 5 minutes.
    /// </summary>
    public static readonly Duration DefaultCoverage = Duration.FromMinutes(5);

    /// <summary>
    /// The figures of <paramref name="bucket"/> up to <paramref name="now"/> (the part after now is neither up, down
    /// nor unknown: it has not happened).
    /// </summary>
    /// <param name="bucket">The bucket, bounded on both sides.</param>
    /// <param name="now">Now; a bucket that has not started yet has all-zero figures.</param>
    /// <param name="results">The monitor's results around the bucket, any order, any region. A result before the bucket covers into it.</param>
    /// <param name="down">The monitor's confirmed outages (incidents), any order; an open one runs to now.</param>
    /// <param name="coverage">How long a result vouches for the service after it (no later than the next result of any region).</param>
    public static CheckRollup Of(Interval bucket, Instant now, IEnumerable<CheckResult> results, IEnumerable<Interval> down, Duration coverage)
    {
        Guard.NotNull(results, nameof(results));
        Guard.NotNull(down, nameof(down));
        if (!bucket.HasStart || !bucket.HasEnd)
        {
            throw new ArgumentException("A rollup bucket needs a start and an end.", nameof(bucket));
        }

        if (coverage <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "A result must cover a positive time.");
        }

        var end = Instant.Min(bucket.End, now);
        if (end <= bucket.Start)
        {
            return new CheckRollup(Duration.Zero, Duration.Zero, Duration.Zero, 0, 0, null, null, null);
        }

        var observed = new Interval(bucket.Start, end);
        var ordered = results.Where(r => r.At < end).OrderBy(r => r.At).ToList();

        // Each result covers until the next one (of any region) or for the coverage, whichever is first.
        var covered = new List<Interval>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var until = ordered[i].At + coverage;
            if (i + 1 < ordered.Count && ordered[i + 1].At < until)
            {
                until = ordered[i + 1].At;
            }

            if (until > bucket.Start && until > ordered[i].At)
            {
                covered.Add(new Interval(ordered[i].At, until));
            }
        }

        var downTime = IntervalSet.Normalise(down.Where(d => !d.HasStart || d.Start < end).Select(d => d.HasEnd ? d : new Interval(d.Start, end)), observed);
        var upTime = IntervalSet.Subtract(IntervalSet.Normalise(covered, observed), downTime);
        var downTotal = IntervalSet.Total(downTime);
        var upTotal = IntervalSet.Total(upTime);

        var inBucket = ordered.Where(r => r.At >= bucket.Start).ToList();
        var times = inBucket.Where(r => r.ResponseTime is not null).Select(r => r.ResponseTime!.Value).Order().ToList();
        return new CheckRollup(
            upTotal,
            downTotal,
            (end - bucket.Start) - upTotal - downTotal,
            inBucket.Count,
            inBucket.Count(r => r.IsDown),
            NearestRank(times, 50),
            NearestRank(times, 95),
            times.Count == 0 ? null : times[^1],
            NearestRank(times, 99));
    }

    /// <summary>The hour <paramref name="at"/> falls in (UTC hours).</summary>
    public static Interval HourOf(Instant at) => BucketOf(at, Duration.FromHours(1));

    /// <summary>The UTC day <paramref name="at"/> falls in.</summary>
    public static Interval DayOf(Instant at) => BucketOf(at, Duration.FromDays(1));

    /// <summary>The smallest value with at least <paramref name="percent"/> % of the sorted values at or below it (nearest rank); null when there are none.</summary>
    public static Duration? NearestRank(IReadOnlyList<Duration> sorted, int percent)
        => sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1)];

    /// <summary>The bucket of <paramref name="length"/> (a whole number of ticks dividing a UTC day) that <paramref name="at"/> falls in; instants before 1970 too.</summary>
    private static Interval BucketOf(Instant at, Duration length)
    {
        var unit = length.BclCompatibleTicks;
        var ticks = at.ToUnixTimeTicks();
        var start = Instant.FromUnixTimeTicks(ticks - (((ticks % unit) + unit) % unit));
        return new Interval(start, start + length);
    }
}
