using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Credits;

/// <summary>What our evidence says about one stretch of time the customer claims was down.</summary>
public enum ClaimMarking
{
    /// <summary>We measured the service down too: the time is counted downtime already.</summary>
    MeasuredDown,

    /// <summary>Our probes saw the service up (the regions that did are listed); the customer saw it down.</summary>
    ProbesSawUp,

    /// <summary>We have no data (the monitor's unknown time): the claim cannot be checked there.</summary>
    NoData,

    /// <summary>Maintenance announced in time was excluded from the month, as the contract allows.</summary>
    MaintenanceExcluded,
}

/// <summary>The likely cause of a difference between the customer's claim and our measurement.</summary>
public enum SuggestedCause
{
    /// <summary>We measured the same outage: nothing to reconcile there.</summary>
    SameOutage,

    /// <summary>Every region saw up throughout: a problem on the customer's side or their network path.</summary>
    CustomerSide,

    /// <summary>Some regions saw failures while the majority saw up: a regional network path, not counted by the majority rule.</summary>
    RegionalPath,

    /// <summary>The claimed time is maintenance the contract excludes.</summary>
    MaintenanceExcluded,

    /// <summary>Our data has a gap: the claim cannot be checked there; crediting it is the fair default.</summary>
    DataGap,

    /// <summary>Several of the above; the explanation lists each part.</summary>
    Mixed,
}

/// <summary>One monitor's evidence over the disputed month, as the monitor and the <c>check_results</c> read model hold it.</summary>
public sealed record MonitorEvidence
{
    /// <summary>Creates the evidence.</summary>
    /// <param name="monitorId">The monitor (a component the SLA counts); not blank.</param>
    /// <param name="down">Its counted downtime (incidents not during maintenance); any order; an open one runs on.</param>
    /// <param name="unknown">Its unknown time (no data; never overlapping counted downtime); any order; an open one runs on.</param>
    /// <param name="results">Its check results in and just before the claimed intervals, any order, any region (null:
    /// the single location). A result vouches for its region from its instant until that region's next result.</param>
    /// <exception cref="ArgumentException">An argument is missing or the id is blank.</exception>
    public MonitorEvidence(string monitorId, IEnumerable<Interval> down, IEnumerable<Interval> unknown, IEnumerable<CheckResult> results)
    {
        if (string.IsNullOrWhiteSpace(monitorId))
        {
            throw new ArgumentException($"{nameof(monitorId)} must name the monitor.", nameof(monitorId));
        }

        MonitorId = monitorId;
        Down = [.. Guard.NotNull(down, nameof(down))];
        Unknown = [.. Guard.NotNull(unknown, nameof(unknown))];
        Results = [.. Guard.NotNull(results, nameof(results)).OrderBy(r => r.At)];
    }

    /// <summary>The monitor.</summary>
    public string MonitorId { get; }

    /// <summary>Counted downtime.</summary>
    public IReadOnlyList<Interval> Down { get; }

    /// <summary>Unknown time.</summary>
    public IReadOnlyList<Interval> Unknown { get; }

    /// <summary>Check results, by instant.</summary>
    public IReadOnlyList<CheckResult> Results { get; }
}

/// <summary>A stretch of a claimed interval with one marking for one monitor.</summary>
/// <param name="Interval">The stretch, half-open, inside the claimed interval.</param>
/// <param name="Marking">What our evidence says about it.</param>
/// <param name="RegionsUp">Regions whose results saw the service up in the stretch, ordinal order (empty string: the single location).</param>
/// <param name="RegionsDown">Regions whose results saw it fail in the stretch.</param>
/// <param name="Maintenance">The excluded maintenance window, for <see cref="ClaimMarking.MaintenanceExcluded"/>; null otherwise.</param>
public sealed record ClaimSegment(Interval Interval, ClaimMarking Marking, IReadOnlyList<string> RegionsUp, IReadOnlyList<string> RegionsDown, MaintenanceExclusion? Maintenance);

/// <summary>One monitor's view of one claimed interval: segments that tile it exactly, in order.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Segments">Contiguous, non-empty, from the claimed start to its end.</param>
public sealed record MonitorComparison(string MonitorId, IReadOnlyList<ClaimSegment> Segments);

/// <summary>How much of some claimed time got each marking, across the monitors the SLA counts.</summary>
/// <param name="MeasuredDown">Time some monitor was counted down (as the SLA counts any critical component down).</param>
/// <param name="ProbesSawUp">Time every monitor was up.</param>
/// <param name="NoData">Time some monitor had no data and none was down.</param>
/// <param name="MaintenanceExcluded">Time inside excluded maintenance.</param>
public sealed record ClaimTotals(Duration MeasuredDown, Duration ProbesSawUp, Duration NoData, Duration MaintenanceExcluded)
{
    /// <summary>No time.</summary>
    public static ClaimTotals Zero { get; } = new(Duration.Zero, Duration.Zero, Duration.Zero, Duration.Zero);

    /// <summary>The sum of the four parts.</summary>
    public Duration Total => MeasuredDown + ProbesSawUp + NoData + MaintenanceExcluded;

    /// <summary>Adds two totals part by part.</summary>
    /// <param name="a">One.</param>
    /// <param name="b">The other.</param>
    public static ClaimTotals operator +(ClaimTotals a, ClaimTotals b)
    {
        Guard.NotNull(a, nameof(a));
        Guard.NotNull(b, nameof(b));
        return new(a.MeasuredDown + b.MeasuredDown, a.ProbesSawUp + b.ProbesSawUp, a.NoData + b.NoData, a.MaintenanceExcluded + b.MaintenanceExcluded);
    }
}

/// <summary>One claimed interval compared with our evidence.</summary>
/// <param name="Claimed">The customer's claimed down interval.</param>
/// <param name="Monitors">Each monitor's segments, in the order the monitors were given.</param>
/// <param name="Totals">The marking of each instant across monitors (maintenance, then down, then no data, then up).</param>
/// <param name="Cause">The suggested cause.</param>
/// <param name="Explanation">The suggested cause as a sentence or two.</param>
public sealed record ClaimedIntervalAnalysis(Interval Claimed, IReadOnlyList<MonitorComparison> Monitors, ClaimTotals Totals, SuggestedCause Cause, string Explanation);

/// <summary>The comparison of a dispute's claimed down intervals with our per-monitor, per-region evidence.</summary>
/// <param name="Intervals">Each claimed interval, in the order claimed.</param>
/// <param name="Totals">The intervals' totals summed (overlapping claims count twice, as claimed).</param>
/// <param name="Cause">The suggested cause for the dispute as a whole.</param>
/// <param name="Explanation">It as sentences, with what to credit.</param>
public sealed record DisputeAnalysis(IReadOnlyList<ClaimedIntervalAnalysis> Intervals, ClaimTotals Totals, SuggestedCause Cause, string Explanation);

/// <summary>
/// Compares a customer's claimed down intervals with our evidence. Pure: the caller reads the monitors and the
/// read model, this decides.
/// </summary>
/// <remarks>
/// <para><b>Segments.</b> For each claimed interval and each monitor, the interval is cut wherever excluded
/// maintenance, the monitor's counted downtime or its unknown time begins or ends, and each piece is marked — in this
/// order of precedence — maintenance excluded, measured down, no data, probes saw up. Adjacent pieces with the same
/// marking (and the same maintenance window) are one segment, so the segments tile the interval exactly: contiguous,
/// non-empty, no overlap, no gap.</para>
/// <para><b>Regions.</b> A result vouches for its region from its instant until that region's next result (the monitor
/// says when that is too long: that is its unknown time). A segment lists the regions whose vouched-for time overlaps
/// it with a success, and those with a failure. A region can be in both lists (it flapped).</para>
/// <para><b>Across monitors</b> an instant is maintenance when excluded, else down when any monitor was down (the SLA
/// counts any critical component down), else no data when any monitor had none, else up.</para>
/// </remarks>
public static class DisputeComparison
{
    /// <summary>The most claimed intervals one dispute carries: 100.</summary>
    public const int MaxClaimedIntervals = 100;

    /// <summary>Why a claimed interval is not acceptable, or null: it needs a start before its end, inside the month.</summary>
    /// <param name="claimed">The claimed interval.</param>
    /// <param name="month">The disputed month, bounded.</param>
    public static string? Problem(Interval claimed, Interval month)
    {
        if (!claimed.HasStart || !claimed.HasEnd || claimed.Start >= claimed.End)
        {
            return "A claimed down interval needs from before to.";
        }

        return claimed.Start < month.Start || claimed.End > month.End
            ? $"A claimed down interval lies inside the disputed month, {Text(month.Start)} to {Text(month.End)}."
            : null;
    }

    /// <summary>
    /// The analysis of <paramref name="claimed"/> against the monitors' evidence and the excluded maintenance.
    /// </summary>
    /// <param name="claimed">The claimed intervals, bounded, start before end; at most <see cref="MaxClaimedIntervals"/>.</param>
    /// <param name="monitors">The monitors the SLA counts. None: every claimed instant is no data.</param>
    /// <param name="excluded">Maintenance windows excluded from the month, with their announcements.</param>
    /// <exception cref="ArgumentException">An interval is unbounded or empty, or there are too many.</exception>
    public static DisputeAnalysis Compare(IReadOnlyList<Interval> claimed, IReadOnlyList<MonitorEvidence> monitors, IReadOnlyList<MaintenanceExclusion> excluded)
    {
        Guard.NotNull(claimed, nameof(claimed));
        Guard.NotNull(monitors, nameof(monitors));
        Guard.NotNull(excluded, nameof(excluded));
        if (claimed.Count > MaxClaimedIntervals)
        {
            throw new ArgumentException($"At most {MaxClaimedIntervals} claimed intervals; got {claimed.Count}.", nameof(claimed));
        }

        foreach (var interval in claimed)
        {
            if (Disputes.Bounded(interval, nameof(claimed)).Start >= interval.End)
            {
                throw new ArgumentException($"A claimed interval must not be empty; got {interval}.", nameof(claimed));
            }
        }

        var maintenance = excluded.OrderBy(e => e.Window.Start).ToList();
        var intervals = claimed.Select(c => Analyse(c, monitors, maintenance)).ToList();
        var totals = intervals.Aggregate(ClaimTotals.Zero, (sum, i) => sum + i.Totals);
        return new DisputeAnalysis(intervals, totals, Overall(intervals), OverallText(intervals, totals));
    }

    private static ClaimedIntervalAnalysis Analyse(Interval claimed, IReadOnlyList<MonitorEvidence> monitors, List<MaintenanceExclusion> maintenance)
    {
        var comparisons = monitors.Select(m => new MonitorComparison(m.MonitorId, Segments(claimed, m, maintenance))).ToList();
        var totals = Totals(claimed, comparisons, maintenance);
        var (cause, text) = Explain(totals, comparisons, maintenance, claimed);
        return new ClaimedIntervalAnalysis(claimed, comparisons, totals, cause, text);
    }

    private static List<ClaimSegment> Segments(Interval claimed, MonitorEvidence monitor, List<MaintenanceExclusion> maintenance)
    {
        var down = IntervalSet.Normalise(monitor.Down, claimed);
        var unknown = IntervalSet.Normalise(monitor.Unknown, claimed);
        var windows = IntervalSet.Normalise(maintenance.Select(m => m.Window), claimed);
        var cuts = new SortedSet<Instant> { claimed.Start, claimed.End };
        foreach (var i in down.Concat(unknown).Concat(windows))
        {
            cuts.Add(i.Start);
            cuts.Add(i.End);
        }

        var points = cuts.ToList();
        var pieces = new List<(Interval Interval, ClaimMarking Marking, MaintenanceExclusion? Window)>();
        for (var k = 0; k + 1 < points.Count; k++)
        {
            var at = points[k];
            var window = maintenance.FirstOrDefault(m => m.Window.Contains(at));
            var marking = window is not null ? ClaimMarking.MaintenanceExcluded
                : Inside(down, at) ? ClaimMarking.MeasuredDown
                : Inside(unknown, at) ? ClaimMarking.NoData
                : ClaimMarking.ProbesSawUp;
            var piece = new Interval(at, points[k + 1]);
            if (pieces.Count > 0 && pieces[^1].Marking == marking && Equals(pieces[^1].Window, window))
            {
                pieces[^1] = (new Interval(pieces[^1].Interval.Start, piece.End), marking, window);
            }
            else
            {
                pieces.Add((piece, marking, window));
            }
        }

        var regions = monitor.Results.GroupBy(r => r.Region ?? string.Empty, StringComparer.Ordinal)
            .Select(g => (Region: g.Key, Results: g.ToList()))
            .OrderBy(g => g.Region, StringComparer.Ordinal)
            .ToList();
        return [.. pieces.Select(p =>
        {
            var up = new List<string>();
            var failed = new List<string>();
            foreach (var (region, results) in regions)
            {
                var (sawUp, sawDown) = Saw(results, p.Interval);
                if (sawUp)
                {
                    up.Add(region);
                }

                if (sawDown)
                {
                    failed.Add(region);
                }
            }

            return new ClaimSegment(p.Interval, p.Marking, up, failed, p.Window);
        })];
    }

    /// <summary>Whether one region's results (by instant) vouch for up and for down anywhere in <paramref name="span"/>.</summary>
    private static (bool Up, bool Down) Saw(List<CheckResult> results, Interval span)
    {
        // The last result at or before the span's start vouches into it; then every result before its end.
        var lo = 0;
        var hi = results.Count - 1;
        var first = 0;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (results[mid].At <= span.Start)
            {
                first = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        var up = false;
        var down = false;
        for (var k = first; k < results.Count && results[k].At < span.End && !(up && down); k++)
        {
            var until = k + 1 < results.Count ? results[k + 1].At : Instant.MaxValue;
            if (until <= span.Start)
            {
                continue;
            }

            up |= !results[k].IsDown;
            down |= results[k].IsDown;
        }

        return (up, down);
    }

    private static bool Inside(List<Interval> normalised, Instant at)
    {
        var lo = 0;
        var hi = normalised.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (normalised[mid].End <= at)
            {
                lo = mid + 1;
            }
            else if (normalised[mid].Start > at)
            {
                hi = mid - 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Each instant once: maintenance, else any monitor down, else any without data, else up (no monitors: no data).</summary>
    private static ClaimTotals Totals(Interval claimed, List<MonitorComparison> comparisons, List<MaintenanceExclusion> maintenance)
    {
        if (comparisons.Count == 0)
        {
            var windows = IntervalSet.Normalise(maintenance.Select(m => m.Window), claimed);
            var inMaintenance = windows.Aggregate(Duration.Zero, (s, w) => s + w.Duration);
            return new ClaimTotals(Duration.Zero, Duration.Zero, claimed.Duration - inMaintenance, inMaintenance);
        }

        var cuts = new SortedSet<Instant>(comparisons.SelectMany(c => c.Segments).SelectMany(s => new[] { s.Interval.Start, s.Interval.End }));
        var points = cuts.ToList();
        var totals = ClaimTotals.Zero;
        for (var k = 0; k + 1 < points.Count; k++)
        {
            var at = points[k];
            var length = points[k + 1] - at;
            var markings = comparisons.Select(c => c.Segments.First(s => s.Interval.Contains(at)).Marking).ToList();
            totals += markings.Contains(ClaimMarking.MaintenanceExcluded) ? new ClaimTotals(Duration.Zero, Duration.Zero, Duration.Zero, length)
                : markings.Contains(ClaimMarking.MeasuredDown) ? new ClaimTotals(length, Duration.Zero, Duration.Zero, Duration.Zero)
                : markings.Contains(ClaimMarking.NoData) ? new ClaimTotals(Duration.Zero, Duration.Zero, length, Duration.Zero)
                : new ClaimTotals(Duration.Zero, length, Duration.Zero, Duration.Zero);
        }

        return totals;
    }

    private static (SuggestedCause Cause, string Text) Explain(ClaimTotals totals, List<MonitorComparison> comparisons, List<MaintenanceExclusion> maintenance, Interval claimed)
    {
        var whole = totals.Total;
        var upSegments = comparisons.SelectMany(c => c.Segments).Where(s => s.Marking == ClaimMarking.ProbesSawUp).ToList();
        var regionsUp = upSegments.SelectMany(s => s.RegionsUp).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var regionsDown = upSegments.SelectMany(s => s.RegionsDown).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var windows = maintenance.Where(m => m.Window.Start < claimed.End && m.Window.End > claimed.Start).ToList();
        if (totals.MeasuredDown == whole)
        {
            return (SuggestedCause.SameOutage, $"We measured the same outage: all {Length(whole)} are counted as downtime already.");
        }

        if (totals.MaintenanceExcluded == whole)
        {
            return (SuggestedCause.MaintenanceExcluded, $"{Maintenance(windows)} was excluded, as the contract allows: the claim counts it as downtime.");
        }

        if (totals.NoData == whole)
        {
            return (SuggestedCause.DataGap, $"Our data has a gap of {Length(whole)} here: the claim cannot be checked there — consider crediting it.");
        }

        if (totals.ProbesSawUp == whole)
        {
            return regionsDown.Count > 0
                ? (SuggestedCause.RegionalPath, $"Only {Regions(regionsDown)} saw failures while {Regions(regionsUp)} saw up: likely a network problem on the path from {(regionsDown.Count == 1 ? "that region" : "those regions")}, which the majority of regions does not count as downtime.")
                : (SuggestedCause.CustomerSide, $"{SawUp(regionsUp)} throughout: likely a problem on the customer's side or their network path.");
        }

        return (SuggestedCause.Mixed, Parts(totals, regionsUp, windows));
    }

    private static SuggestedCause Overall(List<ClaimedIntervalAnalysis> intervals)
    {
        var causes = intervals.Select(i => i.Cause).Distinct().ToList();
        return causes.Count == 1 ? causes[0] : SuggestedCause.Mixed;
    }

    private static string OverallText(List<ClaimedIntervalAnalysis> intervals, ClaimTotals totals)
    {
        if (intervals.Count == 0)
        {
            return "No down intervals were claimed: there is nothing to compare with our checks.";
        }

        var text = new StringBuilder($"Of {Length(totals.Total)} claimed in {intervals.Count} interval(s): ");
        var parts = new List<string>();
        if (totals.MeasuredDown > Duration.Zero)
        {
            parts.Add($"{Length(totals.MeasuredDown)} we measured down too (already counted)");
        }

        if (totals.ProbesSawUp > Duration.Zero)
        {
            parts.Add($"{Length(totals.ProbesSawUp)} our probes saw up");
        }

        if (totals.NoData > Duration.Zero)
        {
            parts.Add($"{Length(totals.NoData)} without our data");
        }

        if (totals.MaintenanceExcluded > Duration.Zero)
        {
            parts.Add($"{Length(totals.MaintenanceExcluded)} in excluded maintenance");
        }

        text.Append(string.Join(", ", parts)).Append('.');
        if (totals.NoData > Duration.Zero)
        {
            text.Append(CultureInfo.InvariantCulture, $" Suggested: credit the {Length(totals.NoData)} our data cannot check.");
        }

        if (intervals.Any(i => i.Cause == SuggestedCause.CustomerSide))
        {
            text.Append(" Where our probes saw up throughout, the cause is likely on the customer's side or their network path.");
        }

        if (intervals.Any(i => i.Cause == SuggestedCause.RegionalPath))
        {
            text.Append(" Where only some regions saw failures, likely a regional network path.");
        }

        if (totals.MaintenanceExcluded > Duration.Zero)
        {
            text.Append(" Excluded maintenance stays excluded as the contract allows.");
        }

        return text.ToString();
    }

    private static string Parts(ClaimTotals totals, List<string> regionsUp, List<MaintenanceExclusion> windows)
    {
        var parts = new List<string>();
        if (totals.MeasuredDown > Duration.Zero)
        {
            parts.Add($"we measured {Length(totals.MeasuredDown)} of it as downtime too");
        }

        if (totals.ProbesSawUp > Duration.Zero)
        {
            parts.Add($"our probes saw up for {Length(totals.ProbesSawUp)}{(regionsUp.Count == 0 ? "" : $" ({Regions(regionsUp)})")}");
        }

        if (totals.NoData > Duration.Zero)
        {
            parts.Add($"our data has a gap of {Length(totals.NoData)} where the claim cannot be checked — consider crediting it");
        }

        if (totals.MaintenanceExcluded > Duration.Zero)
        {
            parts.Add($"{Length(totals.MaintenanceExcluded)} was excluded maintenance ({Maintenance(windows)})");
        }

        var sentence = string.Join("; ", parts);
        return char.ToUpperInvariant(sentence[0]) + sentence[1..] + ".";
    }

    private static string Maintenance(List<MaintenanceExclusion> windows) => windows.Count == 0
        ? "Maintenance"
        : string.Join(", ", windows.Select(w => $"Maintenance announced {Text(w.AnnouncedAt)} for {Text(w.Window.Start)} to {Text(w.Window.End)}"));

    private static string SawUp(List<string> regions) => regions switch
    {
        [] => "Our monitor counted it up",
        [""] => "Our probe saw up",
        _ => $"All regions ({Regions(regions)}) saw up",
    };

    private static string Regions(List<string> regions) => string.Join(", ", regions.Select(r => r.Length == 0 ? "the single probe location" : r));

    /// <summary>An instant as people read it: <c>2026-03-04 10:00 UTC</c> (seconds when not zero).</summary>
    internal static string Text(Instant at)
        => (at.InUtc().Second == 0 ? InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm") : InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd HH:mm:ss")).Format(at) + " UTC";

    /// <summary>A length as people read it: <c>1 h 5 min</c>, <c>12 min</c>, <c>30 s</c>.</summary>
    public static string Length(Duration duration)
    {
        var seconds = (long)Math.Round(duration.TotalSeconds);
        if (seconds < 60)
        {
            return $"{seconds} s";
        }

        var minutes = seconds / 60;
        var hours = minutes / 60;
        return hours == 0 ? $"{minutes} min" : minutes % 60 == 0 ? $"{hours} h" : $"{hours} h {minutes % 60} min";
    }
}
