using FsCheck.Xunit;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Customers;

namespace SlaGrains.Domain.Tests.Availability;

/// <summary>Unknown (no-data) time in an availability report: coverage, uptime over measured time, insufficient data.</summary>
public class DataCoverageTests
{
    private const int MinutesInJune = 30 * 24 * 60;
    private static readonly Interval June2026 = ReportingPeriod.Month(new YearMonth(2026, 6), DateTimeZone.Utc);
    private static readonly Component Api = new("api", isCritical: true);
    private static readonly Component Dashboard = new("dashboard", isCritical: false);

    private static Instant June(int day, int hour = 0) => Instant.FromUtc(2026, 6, day, hour, 0);

    private static Interval Arbitrary(int start, int length)
    {
        var from = June2026.Start + Duration.FromMinutes(Wrap(start, MinutesInJune + 1440) - 1440);
        return new Interval(from, from + Duration.FromMinutes(Wrap(length, 4 * 1441)));
    }

    private static int Wrap(int value, int modulus) => ((value % modulus) + modulus) % modulus;

    private static List<Interval> Intervals(int[] starts, int[] lengths) => starts.Zip(lengths, Arbitrary).ToList();

    [Fact]
    public void A_month_without_any_measurement_has_no_coverage_and_insufficient_data_not_100_percent_met()
    {
        var report = AvailabilityReport.Compute(June2026, [], unknown: [June2026]);

        Assert.Equal(0m, report.CoveragePercent);
        Assert.Equal(June2026.Duration, report.Unknown);
        Assert.Equal(Duration.Zero, report.Measured);
        Assert.False(report.HasSufficientData());
        Assert.Equal(TargetVerdict.InsufficientData, report.Verdict(99.9m));
    }

    [Fact]
    public void Uptime_is_measured_over_the_time_with_data_only()
    {
        // 15 days without data, 1 hour down in the 15 days with data: 1 h of 360 h down.
        var report = AvailabilityReport.Compute(
            June2026, [new Interval(June(20, 10), June(20, 11))], unknown: [new Interval(June(1), June(16))]);

        Assert.Equal(Duration.FromDays(15), report.Measured);
        Assert.Equal(99.7222m, report.UptimePercent);
        Assert.Equal(50m, report.CoveragePercent);
        Assert.Equal(TargetVerdict.InsufficientData, report.Verdict(99.9m));
    }

    [Fact]
    public void Exactly_the_coverage_threshold_is_enough_data_and_just_under_it_is_not()
    {
        var tenth = Duration.FromTicks(June2026.Duration.BclCompatibleTicks / 10);
        var atThreshold = AvailabilityReport.Compute(June2026, [], unknown: [new Interval(June2026.Start, June2026.Start + tenth)]);
        var under = AvailabilityReport.Compute(June2026, [], unknown: [new Interval(June2026.Start, June2026.Start + tenth + Duration.FromNanoseconds(1))]);

        Assert.Equal(90m, atThreshold.CoveragePercent);
        Assert.Equal(TargetVerdict.Met, atThreshold.Verdict(99.9m));
        Assert.Equal(TargetVerdict.InsufficientData, under.Verdict(99.9m));
    }

    [Fact]
    public void Confirmed_downtime_inside_a_time_without_data_stays_downtime()
    {
        var report = AvailabilityReport.Compute(
            June2026, [new Interval(June(2, 10), June(2, 12))], unknown: [new Interval(June(2, 11), June(2, 13))]);

        Assert.Equal(Duration.FromHours(2), report.Downtime);
        Assert.Equal([new Interval(June(2, 12), June(2, 13))], report.UnknownIntervals);
    }

    [Fact]
    public void A_critical_component_without_data_makes_the_customer_unknown_and_a_non_critical_one_does_not()
    {
        var result = CustomerAvailability.Compute(June2026,
        [
            new ComponentDowntime(Api, [], [new Interval(June(3), June(4))]),
            new ComponentDowntime(Dashboard, [], [new Interval(June(5), June(9))]),
        ]);

        Assert.Equal(Duration.FromDays(1), result.Sla.Unknown);
        Assert.Equal(Duration.FromDays(4), result.Components[1].Report.Unknown);
    }

    [Property]
    public bool Unknown_time_is_never_counted_as_up_or_down(int[] starts, int[] lengths, int[] unknownStarts, int[] unknownLengths)
    {
        var down = Intervals(starts, lengths);
        var unknown = Intervals(unknownStarts, unknownLengths);
        var report = AvailabilityReport.Compute(June2026, down, unknown: unknown);
        var withoutUnknown = AvailabilityReport.Compute(June2026, down);

        // Unknown and counted downtime never overlap; downtime is what it is without the unknown time; up time is
        // measured − downtime, and measured leaves the unknown time out.
        return report.UnknownIntervals.All(u => report.DowntimeIntervals.All(d => d.End <= u.Start || u.End <= d.Start))
            && report.Downtime == withoutUnknown.Downtime
            && report.Measured + report.Unknown + report.Excluded == June2026.Duration;
    }

    [Property]
    public bool Coverage_is_monotone_more_unknown_time_never_raises_it(int[] starts, int[] lengths, int extraStart, int extraLength)
    {
        var unknown = Intervals(starts, lengths);
        var before = AvailabilityReport.Compute(June2026, [], unknown: unknown);
        var after = AvailabilityReport.Compute(June2026, [], unknown: [.. unknown, Arbitrary(extraStart, extraLength)]);

        return after.CoveragePercent <= before.CoveragePercent
            && after.CoveragePercent is >= 0m and <= 100m
            && (!after.HasSufficientData() || before.HasSufficientData());
    }

    [Property]
    public bool Insufficient_data_never_yields_a_credit(int[] starts, int[] lengths, int[] unknownStarts, int[] unknownLengths)
    {
        var agreement = new ServiceAgreement("acme", 99.9m, 1000m, "EUR");
        var availability = CustomerAvailability.Compute(June2026,
            [new ComponentDowntime(Api, Intervals(starts, lengths), Intervals(unknownStarts, unknownLengths))]);
        var close = MonthClose.Compute("acme", new YearMonth(2026, 6), "UTC", availability, agreement, June2026.End);

        return close.SlaVerdict != TargetVerdict.InsufficientData
            || (close.Credit is null && close.CreditReason.Contains("a manager decides", StringComparison.Ordinal));
    }
}
