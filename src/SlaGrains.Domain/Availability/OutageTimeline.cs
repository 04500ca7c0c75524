using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// Turns a monitor's check results into its state timeline: the intervals during which the monitor was down.
/// </summary>
/// <remarks>
/// <para><b>Confirmation.</b> A run of failures in a region becomes an outage only once it reaches
/// <c>consecutiveFailures</c> (N) failures in a row; a success before that discards the run (a blip, not an outage).
/// A confirmed outage is dated back to the <em>first</em> failure of the run — the earliest instant the service is
/// known to have failed — and ends at the first success after it. A run still unconfirmed at the end of the input
/// is not an outage (yet). The timeline is therefore computed in hindsight over the whole input: between the first
/// failure and the N-th, the region is reported down even though that was only confirmed later.</para>
/// <para><b>Regions.</b> Results are grouped by <see cref="CheckResult.Region"/> (ordinal; <c>null</c> is one region of
/// its own). Each region applies the confirmation rule to its own results. The regions of the monitor are all regions
/// that appear in the input (R of them). At every instant the monitor is down when a strict majority of them —
/// more than R / 2 — are inside a confirmed outage; a region that has not reported yet counts as up. So 1 of 3 regions
/// down is up, 2 of 3 is down, 1 of 2 is up, and with a single region the monitor follows that region.</para>
/// <para><b>Ordering.</b> Results may arrive in any order: they are sorted once by instant (stably, so results of one
/// region at the same instant are taken in input order). The work is O(n log n) for the sort plus linear passes.</para>
/// </remarks>
public static class OutageTimeline
{
    /// <summary>The number of consecutive failures that confirms an outage by default: 1.</summary>
    public const int DefaultConsecutiveFailures = 1;

    /// <summary>
    /// The intervals during which the monitor was down, sorted, disjoint and half-open <c>[start, end)</c>.
    /// An outage still open at the end of the input has no end (<see cref="Interval.HasEnd"/> is false): it is
    /// ongoing and counts up to the end of whatever period it is measured in.
    /// </summary>
    /// <param name="results">The check results, in any order.</param>
    /// <param name="consecutiveFailures">N: failures in a row, per region, that confirm an outage; at least 1 (default 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="consecutiveFailures"/> is less than 1.</exception>
    public static IReadOnlyList<Interval> DownIntervals(IEnumerable<CheckResult> results, int consecutiveFailures = DefaultConsecutiveFailures)
        => [.. Outages(results, consecutiveFailures).Select(o => o.Interval)];

    /// <summary>
    /// The outages of <see cref="DownIntervals"/>, each with the instant it was <em>confirmed</em>: the instant of the
    /// check result that made it an outage (in one region the N-th failure of the run; with several regions, the first
    /// instant a majority of them had confirmed runs). Between <see cref="Outage.Interval"/>'s start and that instant the
    /// outage was only seen in hindsight; time to detect is the difference.
    /// </summary>
    /// <param name="results">The check results, in any order.</param>
    /// <param name="consecutiveFailures">N: failures in a row, per region, that confirm an outage; at least 1 (default 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="consecutiveFailures"/> is less than 1.</exception>
    public static IReadOnlyList<Outage> Outages(IEnumerable<CheckResult> results, int consecutiveFailures = DefaultConsecutiveFailures)
    {
        Guard.NotNull(results, nameof(results));
        if (consecutiveFailures < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(consecutiveFailures), consecutiveFailures, $"{nameof(consecutiveFailures)} must be at least 1; got {consecutiveFailures}.");
        }

        var input = results.ToArray();
        var order = new int[input.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Stable sort by instant: ties keep input order.
        Array.Sort(order, (a, b) =>
        {
            var byInstant = input[a].At.CompareTo(input[b].At);
            return byInstant != 0 ? byInstant : a.CompareTo(b);
        });

        var regions = new Dictionary<string, RegionRun>(StringComparer.Ordinal);
        foreach (var index in order)
        {
            var result = input[index];
            var key = result.Region ?? string.Empty;
            if (!regions.TryGetValue(key, out var run))
            {
                run = new RegionRun(consecutiveFailures);
                regions.Add(key, run);
            }

            run.Observe(result);
        }

        foreach (var run in regions.Values)
        {
            run.Close();
        }

        if (regions.Count == 0)
        {
            return [];
        }

        if (regions.Count == 1)
        {
            var run = regions.Values.First();
            return [.. run.Outages.Select((o, i) => new Outage(o, run.Confirmed[i]))];
        }

        // Known intervals [confirmed, end) are inside each region's outages, so where a majority was known down lies
        // inside where a majority was down in hindsight: the first such instant in an outage confirms it.
        var hindsight = Majority(regions.Values.Select(r => r.Outages).ToList());
        var known = Majority(regions.Values.Select(r => r.Known()).ToList());
        return [.. hindsight.Select(o => new Outage(
            o,
            known.Where(k => k.Start >= o.Start && (!o.HasEnd || k.Start < o.End)).Select(k => (Instant?)k.Start).FirstOrDefault() ?? o.Start))];
    }

    /// <summary>Where more than half of the regions' outage lists overlap, by one sweep over their ends.</summary>
    private static List<Interval> Majority(IReadOnlyList<List<Interval>> perRegion)
    {
        var events = new List<(Instant At, int Delta)>();
        foreach (var outages in perRegion)
        {
            foreach (var outage in outages)
            {
                events.Add((outage.Start, +1));
                if (outage.HasEnd)
                {
                    events.Add((outage.End, -1));
                }
            }
        }

        events.Sort(static (a, b) => a.At.CompareTo(b.At));
        var result = new List<Interval>();
        var regionCount = perRegion.Count;
        var down = 0;
        Instant? downSince = null;
        var i = 0;
        while (i < events.Count)
        {
            var at = events[i].At;
            while (i < events.Count && events[i].At == at)
            {
                down += events[i].Delta;
                i++;
            }

            var isDown = down * 2 > regionCount;
            if (isDown && downSince is null)
            {
                downSince = at;
            }
            else if (!isDown && downSince is { } since)
            {
                result.Add(new Interval(since, at));
                downSince = null;
            }
        }

        if (downSince is { } stillDown)
        {
            result.Add(new Interval(stillDown, null));
        }

        return result;
    }

    /// <summary>The confirmation state of one region while its results are read in order.</summary>
    private sealed class RegionRun(int consecutiveFailures)
    {
        private readonly int _consecutiveFailures = consecutiveFailures;
        private int _failures;
        private Instant _runStart;

        public List<Interval> Outages { get; } = [];

        /// <summary>For each outage, the instant of its N-th failure.</summary>
        public List<Instant> Confirmed { get; } = [];

        private Instant _confirmedAt;

        /// <summary>Each outage from the instant it was confirmed.</summary>
        public List<Interval> Known() => [.. Outages.Select((o, i) => o.HasEnd ? new Interval(Confirmed[i], o.End) : new Interval(Confirmed[i], null)).Where(k => !k.HasEnd || k.Start < k.End)];

        public void Observe(CheckResult result)
        {
            if (result.IsDown)
            {
                if (_failures == 0)
                {
                    _runStart = result.At;
                }

                _failures++;
                if (_failures == _consecutiveFailures)
                {
                    _confirmedAt = result.At;
                }

                return;
            }

            if (_failures >= _consecutiveFailures && _runStart < result.At)
            {
                Outages.Add(new Interval(_runStart, result.At));
                Confirmed.Add(_confirmedAt);
            }

            _failures = 0;
        }

        /// <summary>At the end of the input, a confirmed run is an ongoing outage.</summary>
        public void Close()
        {
            if (_failures >= _consecutiveFailures)
            {
                Outages.Add(new Interval(_runStart, null));
                Confirmed.Add(_confirmedAt);
            }

            _failures = 0;
        }
    }
}

/// <summary>A confirmed outage and the instant it was confirmed.</summary>
/// <param name="Interval">From the first failure of the confirming run to the first success; open while ongoing.</param>
/// <param name="ConfirmedAt">The instant of the check result that confirmed it (at or after the interval's start).</param>
public readonly record struct Outage(Interval Interval, Instant ConfirmedAt);
