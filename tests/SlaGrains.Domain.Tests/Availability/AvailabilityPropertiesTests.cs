using FsCheck.Xunit;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class AvailabilityPropertiesTests
{
    private const int MinutesInJune = 30 * 24 * 60;

    private static readonly Interval June2026 = ReportingPeriod.Month(new YearMonth(2026, 6), DateTimeZone.Utc);

    /// <summary>An interval of up to a day, starting anywhere from a day before June to the end of June.</summary>
    private static Interval Arbitrary(int start, int length)
    {
        var from = June2026.Start + Duration.FromMinutes(Wrap(start, MinutesInJune + 1440) - 1440);
        return new Interval(from, from + Duration.FromMinutes(Wrap(length, 1441)));
    }

    private static int Wrap(int value, int modulus) => ((value % modulus) + modulus) % modulus;

    private static List<Interval> Intervals(int[] starts, int[] lengths)
        => starts.Zip(lengths, Arbitrary).ToList();

    private static List<MaintenanceWindow> Maintenance(int[] starts)
        => starts.Select(s => Arbitrary(s, s / 7)).Select(i => new MaintenanceWindow(i.Start, i.End)).ToList();

    [Property]
    public bool Adding_a_downtime_interval_never_increases_availability(int[] starts, int[] lengths, int[] maintenance, int extraStart, int extraLength)
    {
        var downtime = Intervals(starts, lengths);
        var windows = Maintenance(maintenance);
        var before = AvailabilityReport.Compute(June2026, downtime, windows);
        var after = AvailabilityReport.Compute(June2026, [.. downtime, Arbitrary(extraStart, extraLength)], windows);

        return after.UptimePercent <= before.UptimePercent && after.Downtime >= before.Downtime;
    }

    [Property]
    public bool Adding_a_downtime_interval_never_increases_the_remaining_budget(int[] starts, int[] lengths, int[] maintenance, int extraStart, int extraLength)
    {
        var downtime = Intervals(starts, lengths);
        var windows = Maintenance(maintenance);
        var before = ErrorBudget.Of(AvailabilityReport.Compute(June2026, downtime, windows), 99.9m);
        var after = ErrorBudget.Of(AvailabilityReport.Compute(June2026, [.. downtime, Arbitrary(extraStart, extraLength)], windows), 99.9m);

        return after.Remaining <= before.Remaining
            && (after.PercentRemaining is not { } a || before.PercentRemaining is not { } b || a <= b);
    }

    [Property]
    public bool Availability_stays_between_0_and_100(int[] starts, int[] lengths, int[] maintenance)
    {
        var report = AvailabilityReport.Compute(June2026, Intervals(starts, lengths), Maintenance(maintenance));

        return report.UptimePercent is >= 0m and <= 100m;
    }

    [Property]
    public bool Downtime_and_excluded_time_never_exceed_the_period(int[] starts, int[] lengths, int[] maintenance)
    {
        var report = AvailabilityReport.Compute(June2026, Intervals(starts, lengths), Maintenance(maintenance));

        return report.Downtime + report.Excluded <= June2026.Duration
            && report.DowntimeIntervals.All(d => June2026.Contains(d.Start) && d.End <= June2026.End)
            && report.DowntimeIntervals.Zip(report.DowntimeIntervals.Skip(1)).All(p => p.First.End < p.Second.Start);
    }

    [Property]
    public bool Downtime_and_excluded_time_match_a_minute_by_minute_count(int[] starts, int[] lengths, int[] maintenance)
    {
        var downtime = Intervals(starts, lengths);
        var windows = Maintenance(maintenance);
        var down = new bool[MinutesInJune];
        var excluded = new bool[MinutesInJune];
        Mark(down, downtime);
        Mark(excluded, windows.Select(w => w.Interval));

        var report = AvailabilityReport.Compute(June2026, downtime, windows);

        var expectedDown = Enumerable.Range(0, MinutesInJune).Count(m => down[m] && !excluded[m]);
        var expectedExcluded = excluded.Count(e => e);
        return report.Downtime == Duration.FromMinutes(expectedDown) && report.Excluded == Duration.FromMinutes(expectedExcluded);
    }

    private static void Mark(bool[] minutes, IEnumerable<Interval> intervals)
    {
        foreach (var interval in intervals)
        {
            var from = (int)(interval.Start - June2026.Start).TotalMinutes;
            var to = (int)(interval.End - June2026.Start).TotalMinutes;
            for (var m = Math.Max(from, 0); m < Math.Min(to, MinutesInJune); m++)
            {
                minutes[m] = true;
            }
        }
    }

    [Property]
    public bool Met_agrees_with_the_allowed_downtime(int[] starts, int[] lengths)
    {
        var report = AvailabilityReport.Compute(June2026, Intervals(starts, lengths));

        return report.Met(99.9m) == (report.Downtime <= report.AllowedDowntime(99.9m));
    }

    [Property]
    public bool Consecutive_months_tile_time_in_any_zone(int monthOffset, int zoneIndex)
    {
        var zones = DateTimeZoneProviders.Tzdb.Ids;
        var zone = DateTimeZoneProviders.Tzdb[zones[Wrap(zoneIndex, zones.Count)]];
        var month = new YearMonth(2000, 1).PlusMonths(Wrap(monthOffset, 600));

        var current = ReportingPeriod.Month(month, zone);
        var next = ReportingPeriod.Month(month.PlusMonths(1), zone);

        return current.End == next.Start
            && current.Duration >= Duration.FromDays(27)
            && current.Duration <= Duration.FromDays(32)
            && ReportingPeriod.MonthContaining(current.Start, zone) == month
            && ReportingPeriod.MonthContaining(current.End - Duration.Epsilon, zone) == month;
    }
}
