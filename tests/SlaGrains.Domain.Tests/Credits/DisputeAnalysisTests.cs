using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Credits;
using Interval = NodaTime.Interval;

namespace SlaGrains.Domain.Tests.Credits;

/// <summary>Issue 20, dispute analysis: a customer's claimed down intervals against our per-monitor, per-region checks.</summary>
public class DisputeAnalysisTests
{
    private static readonly Instant Day = Instant.FromUtc(2026, 3, 4, 0, 0);
    private static readonly Interval March = new(Instant.FromUtc(2026, 3, 1, 0, 0), Instant.FromUtc(2026, 4, 1, 0, 0));

    private static Instant At(int hour, int minute = 0) => Day + Duration.FromHours(hour) + Duration.FromMinutes(minute);

    private static Interval Between(int fromHour, int fromMinute, int toHour, int toMinute) => new(At(fromHour, fromMinute), At(toHour, toMinute));

    /// <summary>Two regions checking every 5 minutes from 08:00 to 14:00, up unless a region's failure rule says otherwise.</summary>
    private static IEnumerable<CheckResult> Checks(Func<string, Instant, bool>? down = null)
    {
        foreach (var region in new[] { "eu-west", "us-east" })
        {
            for (var at = At(8); at < At(14); at += Duration.FromMinutes(5))
            {
                yield return down?.Invoke(region, at) == true ? CheckResult.Down(at, region) : CheckResult.Up(at, region);
            }
        }
    }

    [Fact]
    public void All_regions_up_throughout_suggests_the_customers_side()
    {
        var monitor = new MonitorEvidence("api", [], [], Checks());

        var analysis = DisputeComparison.Compare([Between(10, 0, 10, 45)], [monitor], []);

        var interval = Assert.Single(analysis.Intervals);
        var segment = Assert.Single(Assert.Single(interval.Monitors).Segments);
        Assert.Equal((ClaimMarking.ProbesSawUp, Between(10, 0, 10, 45)), (segment.Marking, segment.Interval));
        Assert.Equal(["eu-west", "us-east"], segment.RegionsUp);
        Assert.Empty(segment.RegionsDown);
        Assert.Equal(SuggestedCause.CustomerSide, interval.Cause);
        Assert.Equal("All regions (eu-west, us-east) saw up throughout: likely a problem on the customer's side or their network path.", interval.Explanation);
        Assert.Equal(Duration.FromMinutes(45), analysis.Totals.ProbesSawUp);
    }

    [Fact]
    public void One_region_failing_while_the_majority_saw_up_suggests_a_regional_path()
    {
        var monitor = new MonitorEvidence("api", [], [], Checks((region, at) => region == "us-east" && at >= At(10) && at < At(10, 30)));

        var interval = Assert.Single(DisputeComparison.Compare([Between(10, 0, 10, 30)], [monitor], []).Intervals);

        var segment = Assert.Single(Assert.Single(interval.Monitors).Segments);
        Assert.Equal(ClaimMarking.ProbesSawUp, segment.Marking);
        Assert.Equal(["us-east"], segment.RegionsDown);
        Assert.Equal(SuggestedCause.RegionalPath, interval.Cause);
        Assert.StartsWith("Only us-east saw failures while eu-west saw up: likely a network problem", interval.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_outage_we_measured_too_is_the_same_outage_already_counted()
    {
        var monitor = new MonitorEvidence("api", [Between(9, 55, 11, 0)], [], Checks((_, at) => at >= At(9, 55) && at < At(11)));

        var interval = Assert.Single(DisputeComparison.Compare([Between(10, 0, 10, 40)], [monitor], []).Intervals);

        var segment = Assert.Single(Assert.Single(interval.Monitors).Segments);
        Assert.Equal((ClaimMarking.MeasuredDown, Between(10, 0, 10, 40)), (segment.Marking, segment.Interval));
        Assert.Equal(["eu-west", "us-east"], segment.RegionsDown);
        Assert.Equal(SuggestedCause.SameOutage, interval.Cause);
        Assert.Equal("We measured the same outage: all 40 min are counted as downtime already.", interval.Explanation);
    }

    [Fact]
    public void Time_without_our_data_is_a_gap_the_claim_cannot_be_checked_in_so_we_suggest_crediting_it()
    {
        var monitor = new MonitorEvidence("api", [], [Between(10, 0, 10, 12)], Checks());

        var analysis = DisputeComparison.Compare([Between(10, 0, 10, 12)], [monitor], []);

        Assert.Equal(ClaimMarking.NoData, Assert.Single(Assert.Single(analysis.Intervals[0].Monitors).Segments).Marking);
        Assert.Equal(SuggestedCause.DataGap, analysis.Cause);
        Assert.Equal("Our data has a gap of 12 min here: the claim cannot be checked there — consider crediting it.", analysis.Intervals[0].Explanation);
        Assert.Contains("Suggested: credit the 12 min our data cannot check.", analysis.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Excluded_maintenance_is_marked_with_its_announcement()
    {
        var window = new MaintenanceExclusion(Between(2, 0, 3, 0), Day - Duration.FromDays(3));
        var monitor = new MonitorEvidence("api", [], [], []);

        var interval = Assert.Single(DisputeComparison.Compare([Between(2, 0, 3, 0)], [monitor], [window]).Intervals);

        var segment = Assert.Single(Assert.Single(interval.Monitors).Segments);
        Assert.Equal((ClaimMarking.MaintenanceExcluded, window), (segment.Marking, segment.Maintenance));
        Assert.Equal(SuggestedCause.MaintenanceExcluded, interval.Cause);
        Assert.Equal("Maintenance announced 2026-03-01 00:00 UTC for 2026-03-04 02:00 UTC to 2026-03-04 03:00 UTC was excluded, as the contract allows: the claim counts it as downtime.", interval.Explanation);
    }

    [Fact]
    public void A_claim_spanning_several_kinds_of_evidence_is_split_in_order_and_explained_part_by_part()
    {
        // 10:00–10:20 up, 10:20–10:30 down (both regions), 10:30–10:42 no data, 10:42–11:00 up again.
        var monitor = new MonitorEvidence("api", [Between(10, 20, 10, 30)], [Between(10, 30, 10, 42)], Checks((_, at) => at >= At(10, 20) && at < At(10, 30)));

        var analysis = DisputeComparison.Compare([Between(10, 0, 11, 0)], [monitor], []);

        var segments = Assert.Single(analysis.Intervals[0].Monitors).Segments;
        Assert.Equal(
            [(ClaimMarking.ProbesSawUp, Between(10, 0, 10, 20)), (ClaimMarking.MeasuredDown, Between(10, 20, 10, 30)), (ClaimMarking.NoData, Between(10, 30, 10, 42)), (ClaimMarking.ProbesSawUp, Between(10, 42, 11, 0))],
            segments.Select(s => (s.Marking, s.Interval)));
        Assert.Equal(new ClaimTotals(Duration.FromMinutes(10), Duration.FromMinutes(38), Duration.FromMinutes(12), Duration.Zero), analysis.Totals);
        Assert.Equal(SuggestedCause.Mixed, analysis.Intervals[0].Cause);
        Assert.Equal(
            "We measured 10 min of it as downtime too; our probes saw up for 38 min (eu-west, us-east); our data has a gap of 12 min where the claim cannot be checked — consider crediting it.",
            analysis.Intervals[0].Explanation);
        Assert.Equal(
            "Of 1 h claimed in 1 interval(s): 10 min we measured down too (already counted), 38 min our probes saw up, 12 min without our data. Suggested: credit the 12 min our data cannot check.",
            analysis.Explanation);
    }

    [Fact]
    public void Across_monitors_any_monitor_down_counts_down_as_the_sla_does()
    {
        var api = new MonitorEvidence("api", [Between(10, 0, 10, 10)], [], Checks());
        var web = new MonitorEvidence("web", [], [], Checks());

        var analysis = DisputeComparison.Compare([Between(10, 0, 10, 30)], [api, web], []);

        Assert.Equal(2, analysis.Intervals[0].Monitors.Count);
        Assert.Equal((Duration.FromMinutes(10), Duration.FromMinutes(20)), (analysis.Totals.MeasuredDown, analysis.Totals.ProbesSawUp));
    }

    [Fact]
    public void A_claimed_interval_must_lie_in_the_month_with_its_start_before_its_end()
    {
        Assert.Null(DisputeComparison.Problem(Between(10, 0, 11, 0), March));
        Assert.NotNull(DisputeComparison.Problem(new Interval(March.Start - Duration.FromMinutes(1), March.Start + Duration.FromHours(1)), March));
        Assert.NotNull(DisputeComparison.Problem(new Interval(March.End - Duration.FromMinutes(1), March.End + Duration.FromMinutes(1)), March));
        Assert.NotNull(DisputeComparison.Problem(new Interval(At(10), At(10)), March));
        Assert.Throws<ArgumentException>(() => DisputeComparison.Compare([.. Enumerable.Repeat(Between(10, 0, 11, 0), 101)], [], []));
    }

    /// <summary>Any claims, downtime, unknown time, maintenance and results within one day, to the minute.</summary>
    private static Gen<Interval> Span =>
        from start in Gen.Choose(0, 1_439)
        from length in Gen.Choose(1, 300)
        select new Interval(Day + Duration.FromMinutes(start), Day + Duration.FromMinutes(start + length));

    private static Gen<T[]> Some<T>(Gen<T> gen, int min, int max) => from n in Gen.Choose(min, max) from items in Gen.ArrayOf(gen, n) select items;

    private static Gen<CheckResult> Result =>
        from minute in Gen.Choose(0, 1_500)
        from region in Gen.Elements("eu-west", "us-east", "ap-south")
        from down in Gen.Elements(true, false)
        select new CheckResult(Day + Duration.FromMinutes(minute), down ? CheckOutcome.Down : CheckOutcome.Up, region);

    private static Gen<MonitorEvidence> Monitor =>
        from down in Some(Span, 0, 4)
        from unknown in Some(Span, 0, 4)
        from results in Some(Result, 0, 30)
        select new MonitorEvidence("m", down, unknown, results);

    [Property(MaxTest = 300)]
    public Property Segments_tile_each_claimed_interval_exactly_with_no_overlap_and_no_gap()
    {
        var cases =
            from claimed in Some(Span, 1, 5)
            from monitors in Some(Monitor, 0, 3)
            from windows in Some(Span, 0, 3)
            select (claimed, monitors, windows);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var analysis = DisputeComparison.Compare(
                [.. c.claimed], [.. c.monitors], [.. c.windows.Select(w => new MaintenanceExclusion(w, w.Start - Duration.FromDays(3)))]);
            return analysis.Intervals.Select((interval, i) =>
                    interval.Claimed == c.claimed[i]
                    && interval.Totals.Total == interval.Claimed.Duration
                    && interval.Monitors.All(m => Tiles(m.Segments, interval.Claimed)))
                .All(ok => ok)
                .Label(string.Join(" | ", analysis.Intervals.SelectMany(i => i.Monitors).SelectMany(m => m.Segments).Select(s => $"{s.Interval} {s.Marking}")));
        });
    }

    private static bool Tiles(IReadOnlyList<ClaimSegment> segments, Interval claimed)
    {
        if (segments.Count == 0 || segments[0].Interval.Start != claimed.Start || segments[^1].Interval.End != claimed.End)
        {
            return false;
        }

        return segments.All(s => s.Interval.Start < s.Interval.End)
            && segments.Zip(segments.Skip(1)).All(p => p.First.Interval.End == p.Second.Interval.Start);
    }
}
