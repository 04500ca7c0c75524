using SlaGrains.Contracts.Serialization;
using SlaGrains.Domain.Calendars;
using static SlaGrains.Contracts.Tests.Serialization.OrleansRoundTrip;

namespace SlaGrains.Contracts.Tests.Serialization;

public sealed class CalendarSurrogateTests
{
    /// <summary>
    /// Berlin support desk: weekdays 08:00–12:00 and 13:00–17:00 (lunch break), a Friday night shift
    /// 22:00–06:00 into Saturday, a Sunday evening shift 18:00–02:00 into Monday, three holidays, a half day
    /// on Christmas Eve, a Saturday release window running to 24:00 and New Year's Eve closed by special hours.
    /// </summary>
    internal static BusinessCalendar Berlin()
    {
        var schedule = WeeklySchedule.Closed;
        for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Friday; day++)
        {
            schedule = schedule.Open(day, "08:00", "12:00").Open(day, "13:00", "17:00");
        }

        schedule = schedule
            .Open(IsoDayOfWeek.Friday, "22:00", "06:00")
            .Open(IsoDayOfWeek.Sunday, "18:00", "02:00");

        return BusinessCalendar.Create(
            "Europe/Berlin",
            schedule,
            holidays: [new LocalDate(2025, 12, 25), new LocalDate(2025, 12, 26), new LocalDate(2026, 1, 1)],
            specialHours:
            [
                new SpecialHours(new LocalDate(2025, 12, 24), [OpenInterval.Parse("09:00", "12:30")]),
                new SpecialHours(new LocalDate(2025, 12, 27), [OpenInterval.Parse("10:00", "14:00"), OpenInterval.Parse("20:00", "24:00")]),
                new SpecialHours(new LocalDate(2025, 12, 31), []),
            ]);
    }

    [Theory]
    [InlineData("09:00", "17:00")]
    [InlineData("00:00", "24:00")]
    [InlineData("22:00", "24:00")]
    [InlineData("00:00", "00:00:01")]
    [InlineData("13:15:30", "13:15:31")]
    public void Open_interval_round_trips_including_an_end_at_24_00(string start, string end)
    {
        var interval = OpenInterval.Parse(start, end);
        foreach (var (way, copy) in BothWays(interval))
        {
            Assert.True(interval == copy, $"{way}: {interval} came back as {copy}");
            Assert.Equal(interval.EndsAtMidnight, copy.EndsAtMidnight);
            Assert.Equal(interval.NominalLength, copy.NominalLength);
        }
    }

    [Fact]
    public void Weekly_schedule_with_lunch_breaks_and_overnight_shifts_keeps_every_day_as_it_was()
    {
        var schedule = Berlin().Schedule;
        foreach (var (way, copy) in BothWays(schedule))
        {
            Assert.Equal(schedule, copy);
            for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Sunday; day++)
            {
                Assert.True(schedule.On(day).SequenceEqual(copy.On(day)), $"{way}: {day} was {string.Join(", ", schedule.On(day))}, came back {string.Join(", ", copy.On(day))}");
            }

            Assert.Equal(schedule.NominalWeeklyHours, copy.NominalWeeklyHours);
        }
    }

    [Fact]
    public void Overnight_shift_from_sunday_into_monday_does_not_grow_on_the_way_back()
    {
        var schedule = WeeklySchedule.Closed.Open(IsoDayOfWeek.Sunday, "22:00", "06:00").Open(IsoDayOfWeek.Monday, "09:00", "17:00");
        var copy = ThroughBytes(schedule);
        Assert.Equal(schedule, copy);
        Assert.Equal("Mon 00:00–06:00, 09:00–17:00; Sun 22:00–24:00", copy.ToString());
    }

    [Fact]
    public void Around_the_clock_and_closed_schedules_round_trip()
    {
        Assert.Equal(WeeklySchedule.AroundTheClock, ThroughBytes(WeeklySchedule.AroundTheClock));
        Assert.True(ThroughBytes(WeeklySchedule.Closed).IsClosedAllWeek);
        Assert.True(ThroughCopier(WeeklySchedule.Closed).IsClosedAllWeek);
    }

    [Fact]
    public void Special_hours_round_trip_including_a_date_closed_all_day()
    {
        foreach (var special in Berlin().SpecialHours)
        {
            foreach (var (way, copy) in BothWays(special))
            {
                Assert.True(special == copy, $"{way}: special hours on {special.Date} changed");
            }
        }
    }

    [Fact]
    public void Business_calendar_comes_back_equal_by_value_and_counts_the_same_business_time()
    {
        var calendar = Berlin();
        var from = Instant.FromUtc(2025, 12, 19, 7, 0);
        var probes = Enumerable.Range(0, 24 * 16).Select(h => from + Duration.FromMinutes(60 * h + 7)).ToList();

        foreach (var (way, copy) in BothWays(calendar))
        {
            Assert.NotSame(calendar, copy);
            Assert.Equal(calendar, copy);
            Assert.Equal("Europe/Berlin", copy.Zone.Id);
            Assert.Equal(calendar.Holidays, copy.Holidays);
            Assert.Equal<SpecialHours>(calendar.SpecialHours, copy.SpecialHours);
            Assert.False(copy.IsAlwaysOpen);
            foreach (var probe in probes)
            {
                Assert.True(calendar.IsOpen(probe) == copy.IsOpen(probe), $"{way}: open at {probe}?");
                Assert.Equal(calendar.Between(from, probe), copy.Between(from, probe));
            }

            Assert.Equal(calendar.Add(from, Duration.FromHours(30)), copy.Add(from, Duration.FromHours(30)));
        }
    }

    [Fact]
    public void Always_open_calendar_comes_back_as_the_same_instance()
    {
        foreach (var (way, copy) in BothWays(BusinessCalendar.AlwaysOpen))
        {
            Assert.True(ReferenceEquals(BusinessCalendar.AlwaysOpen, copy), way);
        }
    }

    [Fact]
    public void A_calendar_that_merely_looks_always_open_stays_an_ordinary_calendar()
    {
        var utcAroundTheClock = new BusinessCalendar(DateTimeZone.Utc, WeeklySchedule.AroundTheClock);
        var copy = ThroughBytes(utcAroundTheClock);
        Assert.False(copy.IsAlwaysOpen);
        Assert.Equal(utcAroundTheClock, copy);
        Assert.NotEqual(BusinessCalendar.AlwaysOpen, copy);
    }

    [Fact]
    public void Holiday_names_come_back_with_their_dates()
    {
        var calendar = Berlin().WithHolidayNames(
            [KeyValuePair.Create(new LocalDate(2025, 12, 25), "Christmas Day"), KeyValuePair.Create(new LocalDate(2026, 1, 1), "New Year's Day")]);
        foreach (var (way, copy) in BothWays(calendar))
        {
            Assert.Equal(calendar.HolidayNames.ToList(), copy.HolidayNames.ToList());
            Assert.Equal(calendar, copy);
        }
    }

    [Fact]
    public void A_calendar_stored_before_holidays_had_names_loads_with_its_holidays_and_no_names()
    {
        // Field 5 missing, as written by the previous version.
        var stored = Serializer.SerializeToArray(new BusinessCalendarSurrogate
        {
            ZoneId = "Europe/Berlin",
            Schedule = WeeklySchedule.AroundTheClock,
            Holidays = [new LocalDate(2025, 12, 25)],
            SpecialHours = [],
        });

        var loaded = Serializer.Deserialize<BusinessCalendar>(stored)!;

        Assert.Equal([new LocalDate(2025, 12, 25)], loaded.Holidays);
        Assert.Empty(loaded.HolidayNames);
    }

    [Fact]
    public void The_same_calendar_referenced_twice_is_read_back_as_one_object()
    {
        var calendar = Berlin();
        var (first, second) = ThroughBytes((calendar, calendar));
        Assert.Same(first, second);
    }
}
