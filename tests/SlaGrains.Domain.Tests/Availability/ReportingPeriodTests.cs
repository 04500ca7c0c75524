using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class ReportingPeriodTests
{
    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    [Theory]
    [InlineData(2026, 1, 31)]
    [InlineData(2026, 2, 28)]
    [InlineData(2028, 2, 29)]
    [InlineData(2026, 4, 30)]
    [InlineData(2026, 12, 31)]
    public void A_month_in_UTC_lasts_its_calendar_days(int year, int month, int days)
    {
        var period = ReportingPeriod.Month(new YearMonth(year, month), DateTimeZone.Utc);

        Assert.Equal(Duration.FromDays(days), period.Duration);
    }

    [Fact]
    public void March_in_Berlin_runs_from_local_midnight_to_local_midnight_and_lasts_31_days_minus_an_hour()
    {
        var period = ReportingPeriod.Month(new YearMonth(2026, 3), Zone("Europe/Berlin"));

        Assert.Equal(Instant.FromUtc(2026, 2, 28, 23, 0), period.Start); // 1 March 00:00 CET (+01)
        Assert.Equal(Instant.FromUtc(2026, 3, 31, 22, 0), period.End); // 1 April 00:00 CEST (+02)
        Assert.Equal(Duration.FromDays(31) - Duration.FromHours(1), period.Duration);
    }

    [Fact]
    public void November_in_New_York_lasts_30_days_plus_an_hour()
    {
        var period = ReportingPeriod.Month(new YearMonth(2026, 11), Zone("America/New_York"));

        Assert.Equal(Instant.FromUtc(2026, 11, 1, 4, 0), period.Start); // 00:00 EDT (−04)
        Assert.Equal(Instant.FromUtc(2026, 12, 1, 5, 0), period.End); // 00:00 EST (−05)
        Assert.Equal(Duration.FromDays(30) + Duration.FromHours(1), period.Duration);
    }

    [Fact]
    public void Consecutive_months_share_their_boundary_instant()
    {
        var zone = Zone("Australia/Sydney");
        var month = new YearMonth(2026, 1);
        for (var i = 0; i < 24; i++)
        {
            Assert.Equal(ReportingPeriod.Month(month, zone).End, ReportingPeriod.Month(month.PlusMonths(1), zone).Start);
            month = month.PlusMonths(1);
        }
    }

    [Fact]
    public void A_month_whose_first_midnight_is_skipped_starts_at_the_first_instant_after_the_gap()
    {
        // Asunción sprang forward at 00:00 on 1 October 2023 (−04 → −03): local midnight did not exist.
        var zone = Zone("America/Asuncion");

        var october = ReportingPeriod.Month(new YearMonth(2023, 10), zone);
        var september = ReportingPeriod.Month(new YearMonth(2023, 9), zone);

        Assert.Equal(Instant.FromUtc(2023, 10, 1, 4, 0), october.Start); // 01:00 −03
        Assert.Equal(october.Start, september.End);
    }

    [Fact]
    public void A_month_whose_first_midnight_is_ambiguous_starts_at_its_earlier_occurrence()
    {
        // Havana fell back from 01:00 to 00:00 on 1 November 2020: midnight happened twice (−04, then −05).
        var november = ReportingPeriod.Month(new YearMonth(2020, 11), Zone("America/Havana"));

        Assert.Equal(Instant.FromUtc(2020, 11, 1, 4, 0), november.Start);
    }

    [Fact]
    public void A_quarter_runs_from_the_first_of_its_first_month_to_the_first_of_the_next_quarter()
    {
        var zone = Zone("Europe/Berlin");

        var q1 = ReportingPeriod.Quarter(2026, 1, zone);
        var q4 = ReportingPeriod.Quarter(2026, 4, zone);

        Assert.Equal(ReportingPeriod.Month(new YearMonth(2026, 1), zone).Start, q1.Start);
        Assert.Equal(ReportingPeriod.Month(new YearMonth(2026, 3), zone).End, q1.End);
        Assert.Equal(Duration.FromDays(90) - Duration.FromHours(1), q1.Duration);
        Assert.Equal(ReportingPeriod.Month(new YearMonth(2027, 1), zone).Start, q4.End);
        Assert.Equal(Duration.FromDays(92) + Duration.FromHours(1), q4.Duration);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void A_quarter_outside_one_to_four_is_rejected_naming_the_field(int quarter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ReportingPeriod.Quarter(2026, quarter, DateTimeZone.Utc));

        Assert.Equal("quarter", error.ParamName);
    }

    [Fact]
    public void The_month_containing_an_instant_is_taken_in_the_customers_zone()
    {
        var instant = Instant.FromUtc(2026, 3, 31, 22, 30); // 1 April 00:30 in Berlin, still March in UTC

        Assert.Equal(new YearMonth(2026, 4), ReportingPeriod.MonthContaining(instant, Zone("Europe/Berlin")));
        Assert.Equal(new YearMonth(2026, 3), ReportingPeriod.MonthContaining(instant, DateTimeZone.Utc));
    }
}
