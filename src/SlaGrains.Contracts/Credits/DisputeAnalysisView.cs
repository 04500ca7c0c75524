using System.Collections.Immutable;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Contracts.Credits;

// Issue 20 — dispute analysis: the domain's DisputeAnalysis as stored with a dispute and shown in its JSON.

/// <summary>
/// The customer's claimed down intervals compared with our evidence (see <see cref="DisputeComparison"/>): per claimed
/// interval, per monitor, segments marked measured down, probes saw up (which regions), no data, or maintenance
/// excluded, and a suggested cause per interval and for the dispute.
/// </summary>
/// <param name="Intervals">Each claimed interval, in the order claimed.</param>
/// <param name="Totals">The intervals' totals summed.</param>
/// <param name="Cause">The suggested cause for the dispute as a whole.</param>
/// <param name="Explanation">It in words, with what to credit.</param>
[GenerateSerializer]
[Alias("slagrains.dispute-analysis")]
[Immutable]
public sealed record DisputeAnalysisView(
    [property: Id(0)] ImmutableArray<ClaimedIntervalView> Intervals,
    [property: Id(1)] ClaimTotalsView Totals,
    [property: Id(2)] SuggestedCause Cause,
    [property: Id(3)] string Explanation)
{
    /// <summary>The stored form of the domain's analysis.</summary>
    /// <param name="analysis">The analysis.</param>
    public static DisputeAnalysisView From(DisputeAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return new(
            [.. analysis.Intervals.Select(i => new ClaimedIntervalView(
                i.Claimed.Start, i.Claimed.End,
                [.. i.Monitors.Select(m => new MonitorComparisonView(m.MonitorId, [.. m.Segments.Select(ClaimSegmentView.Of)]))],
                ClaimTotalsView.From(i.Totals), i.Cause, i.Explanation))],
            ClaimTotalsView.From(analysis.Totals), analysis.Cause, analysis.Explanation);
    }
}

/// <summary>One claimed down interval compared with our evidence.</summary>
/// <param name="From">The claimed start.</param>
/// <param name="To">The claimed end (exclusive).</param>
/// <param name="Monitors">Each monitor the SLA counts, with segments that tile [From, To).</param>
/// <param name="Totals">How long each marking held across monitors.</param>
/// <param name="Cause">The suggested cause.</param>
/// <param name="Explanation">It in words.</param>
[GenerateSerializer]
[Alias("slagrains.dispute-analysis-interval")]
[Immutable]
public sealed record ClaimedIntervalView(
    [property: Id(0)] Instant From,
    [property: Id(1)] Instant To,
    [property: Id(2)] ImmutableArray<MonitorComparisonView> Monitors,
    [property: Id(3)] ClaimTotalsView Totals,
    [property: Id(4)] SuggestedCause Cause,
    [property: Id(5)] string Explanation);

/// <summary>One monitor's segments of a claimed interval.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Segments">Contiguous, in order, from the claimed start to its end.</param>
[GenerateSerializer]
[Alias("slagrains.dispute-analysis-monitor")]
[Immutable]
public sealed record MonitorComparisonView([property: Id(0)] string MonitorId, [property: Id(1)] ImmutableArray<ClaimSegmentView> Segments);

/// <summary>A stretch of a claimed interval with one marking.</summary>
/// <param name="From">Its start.</param>
/// <param name="To">Its end (exclusive).</param>
/// <param name="Marking">What our evidence says.</param>
/// <param name="RegionsUp">Regions that saw the service up in it (empty string: a single-location monitor).</param>
/// <param name="RegionsDown">Regions that saw it fail in it.</param>
/// <param name="MaintenanceStart">The excluded maintenance window's start (maintenance marking only).</param>
/// <param name="MaintenanceEnd">Its end.</param>
/// <param name="MaintenanceAnnouncedAt">When it was announced.</param>
[GenerateSerializer]
[Alias("slagrains.dispute-analysis-segment")]
[Immutable]
public sealed record ClaimSegmentView(
    [property: Id(0)] Instant From,
    [property: Id(1)] Instant To,
    [property: Id(2)] ClaimMarking Marking,
    [property: Id(3)] ImmutableArray<string> RegionsUp,
    [property: Id(4)] ImmutableArray<string> RegionsDown,
    [property: Id(5)] Instant? MaintenanceStart,
    [property: Id(6)] Instant? MaintenanceEnd,
    [property: Id(7)] Instant? MaintenanceAnnouncedAt)
{
    /// <summary>The stored form of a domain segment.</summary>
    /// <param name="segment">The segment.</param>
    public static ClaimSegmentView Of(ClaimSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return new(
            segment.Interval.Start, segment.Interval.End, segment.Marking, [.. segment.RegionsUp], [.. segment.RegionsDown],
            segment.Maintenance?.Window.Start, segment.Maintenance?.Window.End, segment.Maintenance?.AnnouncedAt);
    }

    /// <summary>Its length.</summary>
    public Duration Length => To - From;
}

/// <summary>How long each marking held.</summary>
/// <param name="MeasuredDown">We measured down too (counted).</param>
/// <param name="ProbesSawUp">Our probes saw up.</param>
/// <param name="NoData">We have no data.</param>
/// <param name="MaintenanceExcluded">Excluded maintenance.</param>
[GenerateSerializer]
[Alias("slagrains.dispute-analysis-totals")]
[Immutable]
public sealed record ClaimTotalsView(
    [property: Id(0)] Duration MeasuredDown,
    [property: Id(1)] Duration ProbesSawUp,
    [property: Id(2)] Duration NoData,
    [property: Id(3)] Duration MaintenanceExcluded)
{
    /// <summary>The stored form of domain totals.</summary>
    /// <param name="totals">The totals.</param>
    public static ClaimTotalsView From(ClaimTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return new(totals.MeasuredDown, totals.ProbesSawUp, totals.NoData, totals.MaintenanceExcluded);
    }
}
