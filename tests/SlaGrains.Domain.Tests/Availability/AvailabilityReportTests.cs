using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class AvailabilityReportTests
{
    private static readonly Interval June2026 = ReportingPeriod.Month(new YearMonth(2026, 6), DateTimeZone.Utc); // 30 days

    private static Instant June(int day, int hour, int minute = 0) => Instant.FromUtc(2026, 6, day, hour, minute);

    private static Interval Between(Instant start, Instant end) => new(start, end);

    [Theory]
    [InlineData(2026, 1, 2_678_400)] // 31 days: 44 min 38.4 s
    [InlineData(2026, 6, 2_592_000)] // 30 days: 43 min 12 s
    [InlineData(2026, 2, 2_419_200)] // February 2026, 28 days: 40 min 19.2 s
    public void Three_nines_allow_a_thousandth_of_the_calendar_month(int year, int month, long allowedMilliseconds)
    {
        var report = AvailabilityReport.Compute(ReportingPeriod.Month(new YearMonth(year, month), DateTimeZone.Utc), []);

        Assert.Equal(Duration.FromMilliseconds(allowedMilliseconds), report.AllowedDowntime(99.9m));
    }

    [Fact]
    public void Three_nines_of_a_31_day_month_allow_44_minutes_38_point_4_seconds()
    {
        var report = AvailabilityReport.Compute(ReportingPeriod.Month(new YearMonth(2026, 7), DateTimeZone.Utc), []);

        Assert.Equal(Duration.FromMinutes(44) + Duration.FromMilliseconds(38_400), report.AllowedDowntime(99.9m));
    }

    [Fact]
    public void Three_nines_of_February_2026_allow_40_minutes_19_point_2_seconds()
    {
        var report = AvailabilityReport.Compute(ReportingPeriod.Month(new YearMonth(2026, 2), DateTimeZone.Utc), []);

        Assert.Equal(Duration.FromMinutes(40) + Duration.FromMilliseconds(19_200), report.AllowedDowntime(99.9m));
    }

    [Fact]
    public void Three_nines_of_March_in_Berlin_allow_a_thousandth_of_31_days_minus_an_hour()
    {
        var march = ReportingPeriod.Month(new YearMonth(2026, 3), DateTimeZoneProviders.Tzdb["Europe/Berlin"]);

        var report = AvailabilityReport.Compute(march, []);

        Assert.Equal(Duration.FromMilliseconds(2_674_800), report.AllowedDowntime(99.9m)); // 44 min 34.8 s
    }

    [Fact]
    public void A_month_without_downtime_is_100_percent_available()
    {
        var report = AvailabilityReport.Compute(June2026, []);

        Assert.Equal(100m, report.UptimePercent);
        Assert.Equal(Duration.Zero, report.Downtime);
        Assert.True(report.Met(100m));
    }

    [Fact]
    public void Downtime_of_exactly_the_allowance_meets_the_target_and_a_nanosecond_more_misses_it()
    {
        var exactly = AvailabilityReport.Compute(June2026, [Between(June(10, 8), June(10, 8) + Duration.FromSeconds(2_592))]);
        var over = AvailabilityReport.Compute(June2026, [Between(June(10, 8), June(10, 8) + Duration.FromSeconds(2_592) + Duration.Epsilon)]);

        Assert.Equal(99.9m, exactly.UptimePercent);
        Assert.True(exactly.Met(99.9m));
        Assert.False(over.Met(99.9m));
        Assert.Equal(99.8999m, over.UptimePercent);
    }

    [Fact]
    public void The_uptime_percent_is_rounded_down_so_it_never_overstates_availability()
    {
        // One second down in 30 days is 99.99996141…%: shown as 99.9999, never rounded up to 100.
        var report = AvailabilityReport.Compute(June2026, [Between(June(3, 4), June(3, 4) + Duration.FromSeconds(1))]);

        Assert.Equal(99.9999m, report.UptimePercent);
        Assert.False(report.Met(100m));
    }

    [Fact]
    public void Overlapping_incidents_are_counted_once()
    {
        var report = AvailabilityReport.Compute(June2026,
        [
            Between(June(5, 10), June(5, 11)),
            Between(June(5, 10, 30), June(5, 12)),
            Between(June(5, 10, 45), June(5, 11, 15)),
            Between(June(7, 9), June(7, 9, 30)),
        ]);

        Assert.Equal(Duration.FromMinutes(150), report.Downtime);
        Assert.Equal([Between(June(5, 10), June(5, 12)), Between(June(7, 9), June(7, 9, 30))], report.DowntimeIntervals);
    }

    [Fact]
    public void Downtime_inside_announced_maintenance_counts_once_as_excluded()
    {
        var maintenance = new MaintenanceWindow(June(14, 2), June(14, 4), announcedAt: June(10, 9));

        var report = AvailabilityReport.Compute(June2026, [Between(June(14, 1), June(14, 3))], [maintenance]);

        Assert.Equal(Duration.FromHours(1), report.Downtime); // 01:00–02:00, before the window
        Assert.Equal(Duration.FromHours(2), report.Excluded);
        Assert.Equal([Between(June(14, 1), June(14, 2))], report.DowntimeIntervals);
        Assert.Equal([Between(June(14, 2), June(14, 4))], report.ExcludedIntervals);
        Assert.Equal(Duration.FromDays(30) - Duration.FromHours(2), report.Measured);
    }

    [Fact]
    public void Uptime_is_measured_over_the_period_minus_excluded_maintenance()
    {
        // 1 h down in (30 days − 24 h excluded): 1 − 1/696 = 99.85632…%.
        var maintenance = new MaintenanceWindow(June(20, 0), June(21, 0), announcedAt: null);

        var report = AvailabilityReport.Compute(June2026, [Between(June(2, 0), June(2, 1))], [maintenance]);

        Assert.Equal(99.8563m, report.UptimePercent);
    }

    [Fact]
    public void Maintenance_announced_one_hour_before_with_48_hours_notice_is_ignored_and_its_downtime_counts()
    {
        var maintenance = new MaintenanceWindow(June(14, 2), June(14, 4), announcedAt: June(14, 1));

        var report = AvailabilityReport.Compute(June2026, [Between(June(14, 2), June(14, 4))], [maintenance]);

        Assert.Equal(Duration.FromHours(2), report.Downtime);
        Assert.Equal(Duration.Zero, report.Excluded);
        Assert.Empty(report.ExcludedIntervals);
    }

    [Fact]
    public void Maintenance_announced_exactly_the_notice_before_it_starts_is_excluded()
    {
        var maintenance = new MaintenanceWindow(June(14, 2), June(14, 4), announcedAt: June(12, 2));

        var report = AvailabilityReport.Compute(June2026, [Between(June(14, 2), June(14, 4))], [maintenance]);

        Assert.Equal(Duration.Zero, report.Downtime);
        Assert.Equal(Duration.FromHours(2), report.Excluded);
        Assert.Equal(100m, report.UptimePercent);
    }

    [Fact]
    public void A_shorter_contract_notice_accepts_a_later_announcement()
    {
        var maintenance = new MaintenanceWindow(June(14, 2), June(14, 4), announcedAt: June(14, 1));

        var report = AvailabilityReport.Compute(June2026, [], [maintenance], maintenanceNotice: Duration.FromHours(1));

        Assert.Equal(Duration.FromHours(2), report.Excluded);
    }

    [Fact]
    public void An_ongoing_incident_at_month_end_counts_up_to_the_end_of_the_month()
    {
        var ongoing = new Interval(Instant.FromUtc(2026, 6, 30, 23, 0), null);

        var report = AvailabilityReport.Compute(June2026, [ongoing]);

        Assert.Equal(Duration.FromHours(1), report.Downtime);
        Assert.Equal([Between(Instant.FromUtc(2026, 6, 30, 23, 0), June2026.End)], report.DowntimeIntervals);
    }

    [Fact]
    public void An_incident_crossing_a_month_boundary_is_split_between_the_two_months()
    {
        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var may = ReportingPeriod.Month(new YearMonth(2026, 5), berlin);
        var june = ReportingPeriod.Month(new YearMonth(2026, 6), berlin);
        var incident = Between(may.End - Duration.FromMinutes(40), may.End + Duration.FromMinutes(25)); // 23:20–00:25 local

        var mayReport = AvailabilityReport.Compute(may, [incident]);
        var juneReport = AvailabilityReport.Compute(june, [incident]);

        Assert.Equal(Duration.FromMinutes(40), mayReport.Downtime);
        Assert.Equal(Duration.FromMinutes(25), juneReport.Downtime);
    }

    [Fact]
    public void A_period_that_is_entirely_excluded_is_100_percent_available()
    {
        var window = new MaintenanceWindow(June2026.Start, June2026.End);

        var report = AvailabilityReport.Compute(June2026, [June2026], [window]);

        Assert.Equal(Duration.Zero, report.Measured);
        Assert.Equal(100m, report.UptimePercent);
        Assert.True(report.Met(99.99m));
    }

    [Fact]
    public void A_period_entirely_down_is_0_percent_available()
    {
        var report = AvailabilityReport.Compute(June2026, [new Interval(null, null)]);

        Assert.Equal(0m, report.UptimePercent);
        Assert.Equal(Duration.FromDays(30), report.Downtime);
    }

    [Fact]
    public void An_unbounded_period_is_rejected_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => AvailabilityReport.Compute(new Interval(June(1, 0), null), []));

        Assert.Equal("period", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100.01)]
    public void A_target_outside_0_to_100_is_rejected_naming_the_field(double target)
    {
        var report = AvailabilityReport.Compute(June2026, []);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => report.Met((decimal)target));

        Assert.Equal("targetPercent", error.ParamName);
    }

    [Fact]
    public void A_maintenance_window_ending_before_it_starts_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new MaintenanceWindow(June(2, 4), June(2, 3)));

        Assert.Equal("end", error.ParamName);
        Assert.Contains("before start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_maintenance_notice_is_rejected_naming_the_field()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AvailabilityReport.Compute(June2026, [], [], Duration.FromHours(-1)));

        Assert.Equal("maintenanceNotice", error.ParamName);
    }
}
