using SlaGrains.Server.Demo;

namespace SlaGrains.Server.Tests.Demo;

/// <summary>The demo calendars' holidays against published dates.</summary>
public sealed class PublicHolidaysTests
{
    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    public void Easter_Sunday_is_the_published_date(int year, int month, int day)
        => Assert.Equal(new LocalDate(year, month, day), PublicHolidays.EasterSunday(year));

    [Fact]
    public void United_States_2026_and_2027_move_weekend_holidays_to_the_nearest_weekday()
    {
        Assert.Equal(
            [new(2026, 1, 1), new(2026, 1, 19), new(2026, 2, 16), new(2026, 5, 25), new(2026, 6, 19), new(2026, 7, 3), new(2026, 9, 7), new(2026, 11, 26), new(2026, 12, 25)],
            PublicHolidays.UnitedStates(2026).Select(h => h.Date));
        Assert.Contains(new LocalDate(2027, 7, 5), PublicHolidays.UnitedStates(2027).Select(h => h.Date));
        Assert.Contains(new LocalDate(2027, 12, 24), PublicHolidays.UnitedStates(2027).Select(h => h.Date));
    }

    [Fact]
    public void Berlin_2026_has_its_ten_public_holidays_including_International_Womens_Day()
        => Assert.Equal(
            [new(2026, 1, 1), new(2026, 3, 8), new(2026, 4, 3), new(2026, 4, 6), new(2026, 5, 1), new(2026, 5, 14), new(2026, 5, 25), new(2026, 10, 3), new(2026, 12, 25), new(2026, 12, 26)],
            PublicHolidays.Berlin(2026).Select(h => h.Date));

    [Fact]
    public void New_South_Wales_adds_weekdays_for_Christmas_and_Boxing_Day_on_a_weekend()
    {
        var dates = PublicHolidays.NewSouthWales(2027).Select(h => h.Date).ToList();

        // 2027: Christmas on Saturday, Boxing Day on Sunday → Monday 27th and Tuesday 28th.
        Assert.Contains(new LocalDate(2027, 12, 27), dates);
        Assert.Contains(new LocalDate(2027, 12, 28), dates);
        Assert.Contains(new LocalDate(2027, 6, 14), dates); // King's Birthday: second Monday of June.
        Assert.Contains(new LocalDate(2027, 10, 4), dates); // Labour Day: first Monday of October.
        Assert.Equal(dates.Count, dates.Distinct().Count());
    }

    [Fact]
    public void A_half_day_that_is_also_a_holiday_is_left_a_holiday()
    {
        // New York, calendar made in 2026 (holidays of 2026 and 2027): Christmas 2027 (a Saturday) is observed on
        // Friday 24 December, which would otherwise be a half day like 24 December 2026.
        var hudson = DemoData.Customers.Single(c => c.Id == DemoData.Hudson);
        var calendar = DemoSeeder.Calendar(hudson, Instant.FromUtc(2026, 6, 1, 12, 0));

        Assert.Contains(new LocalDate(2027, 12, 24), calendar.Holidays);
        Assert.DoesNotContain(calendar.SpecialHours, s => s.Date == new LocalDate(2027, 12, 24));
        Assert.Contains(calendar.SpecialHours, s => s.Date == new LocalDate(2026, 12, 24));
        Assert.Contains(calendar.SpecialHours, s => s.Date == new LocalDate(2027, 12, 31));
    }
}
