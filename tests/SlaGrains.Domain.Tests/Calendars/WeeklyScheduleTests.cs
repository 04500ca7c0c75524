using SlaGrains.Domain.Calendars;

namespace SlaGrains.Domain.Tests.Calendars;

public class WeeklyScheduleTests
{
    [Fact]
    public void An_overnight_shift_is_split_at_midnight_into_the_next_day()
    {
        var schedule = WeeklySchedule.Closed.Open(IsoDayOfWeek.Friday, "22:00", "06:00");

        Assert.Equal([OpenInterval.Parse("22:00", "24:00")], schedule.On(IsoDayOfWeek.Friday).ToArray());
        Assert.Equal([OpenInterval.Parse("00:00", "06:00")], schedule.On(IsoDayOfWeek.Saturday).ToArray());
    }

    [Fact]
    public void A_Sunday_night_shift_continues_into_Monday()
    {
        var schedule = WeeklySchedule.Closed.Open(IsoDayOfWeek.Sunday, "23:00", "01:00");

        Assert.Equal([OpenInterval.Parse("00:00", "01:00")], schedule.On(IsoDayOfWeek.Monday).ToArray());
    }

    [Fact]
    public void Twenty_four_hundred_is_the_end_of_the_day()
    {
        var interval = OpenInterval.Parse("18:00", "24:00");

        Assert.True(interval.EndsAtMidnight);
        Assert.Equal(Duration.FromHours(6), interval.NominalLength);
    }

    [Fact]
    public void Overlapping_intervals_are_rejected_naming_both()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            WeeklySchedule.Closed.Open(IsoDayOfWeek.Monday, "09:00", "12:00").Open(IsoDayOfWeek.Monday, "11:00", "14:00"));

        Assert.Contains("09:00–12:00 and 11:00–14:00 overlap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overnight_shift_that_runs_into_the_next_days_hours_is_rejected()
    {
        Assert.Throws<ArgumentException>(() =>
            WeeklySchedule.Weekdays("08:00", "18:00").Open(IsoDayOfWeek.Thursday, "22:00", "09:00"));
    }

    [Fact]
    public void Touching_intervals_merge_into_one()
    {
        var schedule = WeeklySchedule.Closed.Open(IsoDayOfWeek.Monday, "09:00", "12:00").Open(IsoDayOfWeek.Monday, "12:00", "17:00");

        Assert.Equal([OpenInterval.Parse("09:00", "17:00")], schedule.On(IsoDayOfWeek.Monday).ToArray());
    }

    [Fact]
    public void An_inverted_interval_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => OpenInterval.Parse("17:00", "09:00"));

        Assert.Contains("inverted or empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_interval_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => WeeklySchedule.Closed.Open(IsoDayOfWeek.Monday, "09:00", "09:00"));
    }

    [Fact]
    public void A_time_that_is_not_a_time_is_rejected()
    {
        var error = Assert.Throws<FormatException>(() => OpenInterval.Parse("9am", "17:00"));

        Assert.Contains("'9am' is not a time of day", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weekly_hours_are_the_sum_of_the_days()
    {
        Assert.Equal(Duration.FromHours(40), WeeklySchedule.Weekdays("09:00", "17:00").NominalWeeklyHours);
        Assert.Equal(Duration.FromHours(168), WeeklySchedule.AroundTheClock.NominalWeeklyHours);
    }

    [Theory]
    [InlineData("09:00\u0000")]
    [InlineData("09:00\u0000junk")]
    [InlineData("\u0660\u0669:00")]
    public void Time_of_day_with_anything_but_digits_and_colons_is_refused(string start)
    {
        var error = Assert.Throws<FormatException>(() => OpenInterval.Parse(start, "17:00"));
        Assert.DoesNotContain('\0', error.Message);
    }
}
