using SlaGrains.Domain.Calendars;
using static SlaGrains.Domain.Tests.Calendars.CalendarFixtures;

namespace SlaGrains.Domain.Tests.Calendars;

public class BusinessCalendarTests
{
    private static readonly BusinessCalendar NewYork = NewYorkNineToFive;

    [Fact]
    public void Four_business_hours_from_Friday_morning_are_due_Friday_afternoon()
    {
        var start = Utc("2026-11-20T15:30:00Z"); // Fri 10:30 EST

        Assert.Equal(Utc("2026-11-20T19:30:00Z"), NewYork.Add(start, Duration.FromHours(4)));
    }

    [Fact]
    public void A_duration_used_up_exactly_at_closing_is_due_at_closing_not_at_next_opening()
    {
        var start = NewYork.Local("2026-11-20T13:00"); // Friday

        Assert.Equal(NewYork.Local("2026-11-20T17:00"), NewYork.Add(start, Duration.FromHours(4)));
    }

    [Fact]
    public void Time_past_closing_carries_over_the_weekend()
    {
        var start = NewYork.Local("2026-11-20T16:00");

        Assert.Equal(NewYork.Local("2026-11-23T10:00"), NewYork.Add(start, Duration.FromHours(2)));
    }

    [Fact]
    public void A_ticket_created_after_closing_starts_counting_at_next_opening()
    {
        var friday = NewYork.Local("2026-11-20T18:00");

        Assert.Equal(NewYork.Local("2026-11-23T10:00"), NewYork.Add(friday, Duration.FromHours(1)));
        Assert.Equal(Duration.Zero, NewYork.Between(friday, NewYork.Local("2026-11-23T09:00")));
    }

    [Fact]
    public void A_ticket_created_before_opening_starts_counting_at_opening()
    {
        var monday = NewYork.Local("2026-11-23T07:00");

        Assert.Equal(NewYork.Local("2026-11-23T10:00"), NewYork.Add(monday, Duration.FromHours(1)));
    }

    [Fact]
    public void Boundaries_are_half_open_open_at_opening_closed_at_closing()
    {
        Assert.True(NewYork.IsOpen(NewYork.Local("2026-11-23T09:00")));
        Assert.False(NewYork.IsOpen(NewYork.Local("2026-11-23T08:59:59")));
        Assert.True(NewYork.IsOpen(NewYork.Local("2026-11-23T16:59:59")));
        Assert.False(NewYork.IsOpen(NewYork.Local("2026-11-23T17:00")));
    }

    [Fact]
    public void Adding_zero_is_next_open()
    {
        var saturday = NewYork.Local("2026-11-21T12:00");
        var monday = NewYork.Local("2026-11-23T11:00");

        Assert.Equal(NewYork.Local("2026-11-23T09:00"), NewYork.Add(saturday, Duration.Zero));
        Assert.Equal(monday, NewYork.Add(monday, Duration.Zero));
    }

    [Fact]
    public void Next_open_is_the_instant_itself_when_open_and_the_next_opening_when_closed()
    {
        var open = NewYork.Local("2026-11-23T11:00");

        Assert.Equal(open, NewYork.NextOpen(open));
        Assert.Equal(NewYork.Local("2026-11-23T09:00"), NewYork.NextOpen(NewYork.Local("2026-11-20T17:00")));
    }

    [Fact]
    public void Next_close_is_the_closing_of_the_current_stretch_or_the_instant_itself_when_closed()
    {
        var closed = NewYork.Local("2026-11-21T12:00");

        Assert.Equal(NewYork.Local("2026-11-23T17:00"), NewYork.NextClose(NewYork.Local("2026-11-23T11:00")));
        Assert.Equal(closed, NewYork.NextClose(closed));
    }

    [Fact]
    public void Between_counts_only_open_hours_across_a_weekend()
    {
        var friday = NewYork.Local("2026-11-20T15:00");
        var monday = NewYork.Local("2026-11-23T11:00");

        Assert.Equal(Duration.FromHours(4), NewYork.Between(friday, monday));
    }

    [Fact]
    public void Between_rejects_an_end_before_the_start()
    {
        var error = Assert.Throws<ArgumentException>(() => NewYork.Between(Utc("2026-11-20T12:00:00Z"), Utc("2026-11-20T11:00:00Z")));

        Assert.Contains("end is before the start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_a_negative_duration_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewYork.Add(Utc("2026-11-20T12:00:00Z"), Duration.FromMinutes(-1)));
    }

    [Fact]
    public void A_holiday_closes_its_whole_local_date()
    {
        var christmasEve = NewYork.Local("2026-12-24T16:00"); // Thursday; Friday 25th is a holiday

        Assert.False(NewYork.IsOpen(NewYork.Local("2026-12-25T10:00")));
        Assert.Equal(NewYork.Local("2026-12-28T10:00"), NewYork.Add(christmasEve, Duration.FromHours(2)));
    }

    [Fact]
    public void A_lunch_break_is_not_business_time()
    {
        var calendar = BerlinWithLunch;
        var start = calendar.Local("2026-11-23T11:00");

        Assert.Equal(calendar.Local("2026-11-23T14:00"), calendar.Add(start, Duration.FromHours(2)));
        Assert.False(calendar.IsOpen(calendar.Local("2026-11-23T12:30")));
        Assert.Equal(calendar.Local("2026-11-23T12:00"), calendar.Add(start, Duration.FromHours(1)));
        Assert.Equal(calendar.Local("2026-11-23T13:00"), calendar.NextOpen(calendar.Local("2026-11-23T12:00")));
    }

    [Fact]
    public void An_overnight_shift_runs_through_midnight_as_one_stretch()
    {
        var calendar = ChicagoNightDesk;
        var fridayNight = calendar.Local("2026-11-20T23:00");

        Assert.Equal(calendar.Local("2026-11-21T01:00"), calendar.Add(fridayNight, Duration.FromHours(2)));
        Assert.Equal(calendar.Local("2026-11-21T06:00"), calendar.NextClose(fridayNight));
        Assert.True(calendar.IsOpen(calendar.Local("2026-11-21T00:00")));
        Assert.False(calendar.IsOpen(calendar.Local("2026-11-21T06:00")));
    }

    [Fact]
    public void Special_hours_replace_the_weekly_hours_of_their_date()
    {
        var calendar = ChicagoNightDesk;

        Assert.False(calendar.IsOpen(calendar.Local("2026-12-24T13:00")));
        Assert.Equal(calendar.Local("2026-12-24T12:00"), calendar.Add(calendar.Local("2026-12-24T10:00"), Duration.FromHours(2)));
        Assert.Equal(Duration.FromHours(4), calendar.Between(calendar.Local("2026-12-24T00:00"), calendar.Local("2026-12-25T00:00")));
    }

    [Fact]
    public void A_whole_day_on_a_fall_back_Sunday_holds_25_hours_and_on_a_spring_forward_Sunday_23()
    {
        var berlin = BerlinSundays;
        var newYork = NewYorkAroundTheClock;

        Assert.Equal(Duration.FromHours(23), berlin.Between(berlin.Local("2026-03-29T00:00"), berlin.Local("2026-03-30T00:00")));
        Assert.Equal(Duration.FromHours(25), berlin.Between(berlin.Local("2026-10-25T00:00"), berlin.Local("2026-10-26T00:00")));
        Assert.Equal(Duration.FromHours(23), newYork.Between(newYork.Local("2026-03-08T00:00"), newYork.Local("2026-03-09T00:00")));
        Assert.Equal(Duration.FromHours(25), newYork.Between(newYork.Local("2026-11-01T00:00"), newYork.Local("2026-11-02T00:00")));
    }

    [Fact]
    public void Adding_across_a_spring_forward_gap_counts_real_elapsed_time()
    {
        var berlin = BerlinSundays;
        var start = berlin.Local("2026-03-29T01:00"); // 00:00Z; at 02:00 CET clocks jump to 03:00 CEST

        Assert.Equal(Utc("2026-03-29T02:00:00Z"), berlin.Add(start, Duration.FromHours(2)));
        Assert.Equal("2026-03-29T04:00:00 +02", berlin.ToLocalText(berlin.Add(start, Duration.FromHours(2))));
    }

    [Fact]
    public void Adding_across_a_fall_back_overlap_counts_the_repeated_hour()
    {
        var newYork = NewYorkAroundTheClock;
        var start = newYork.Local("2026-11-01T00:30"); // 04:30Z EDT; 02:00 EDT becomes 01:00 EST

        var due = newYork.Add(start, Duration.FromHours(2));

        Assert.Equal(Utc("2026-11-01T06:30:00Z"), due);
        Assert.Equal("2026-11-01T01:30:00 -05", newYork.ToLocalText(due));
    }

    [Fact]
    public void A_local_time_skipped_by_the_gap_shifts_forward_by_the_gap()
    {
        // Open 02:30–04:00 on the spring-forward Sunday: 02:30 does not exist and becomes 03:30 EDT.
        var calendar = BusinessCalendar.Create("America/New_York", WeeklySchedule.Closed.Open(IsoDayOfWeek.Sunday, "02:30", "04:00"));
        var day = calendar.Local("2026-03-08T00:00");

        Assert.Equal(Utc("2026-03-08T07:30:00Z"), calendar.NextOpen(day));
        Assert.Equal(Duration.FromMinutes(30), calendar.Between(day, calendar.Local("2026-03-09T00:00")));
    }

    [Fact]
    public void An_ambiguous_local_time_takes_the_earlier_offset()
    {
        // Open 02:30–03:30 on Berlin's fall-back Sunday: 02:30 happens twice, the first (CEST) is used.
        var calendar = BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Closed.Open(IsoDayOfWeek.Sunday, "02:30", "03:30"));
        var day = calendar.Local("2026-10-25T00:00");

        Assert.Equal(Utc("2026-10-25T00:30:00Z"), calendar.NextOpen(day));
        Assert.Equal(Duration.FromHours(2), calendar.Between(day, calendar.Local("2026-10-26T00:00")));
    }

    [Fact]
    public void Business_hours_across_a_DST_change_keep_their_local_times()
    {
        var newYork = NewYork; // 09:00–17:00 both before and after the March change
        var friday = newYork.Local("2026-03-06T16:00");

        Assert.Equal(newYork.Local("2026-03-09T10:00"), newYork.Add(friday, Duration.FromHours(2)));
        Assert.Equal(Utc("2026-03-09T14:00:00Z"), newYork.Add(friday, Duration.FromHours(2)));
    }

    [Fact]
    public void A_year_of_business_hours_is_the_working_days_times_the_daily_hours()
    {
        var calendar = BerlinWithLunch; // 7 h a weekday, 10 weekday holidays
        var year = calendar.Between(calendar.Local("2026-01-01T00:00"), calendar.Local("2027-01-01T00:00"));

        // 2026 has 261 weekdays.
        Assert.Equal(Duration.FromHours(7 * (261 - 10)), year);
        Assert.Equal(calendar.Local("2026-12-31T17:00"), calendar.Add(calendar.Local("2026-01-01T00:00"), year));
    }

    [Fact]
    public void The_always_open_calendar_counts_elapsed_time_and_never_closes()
    {
        var calendar = BusinessCalendar.AlwaysOpen;
        var start = Utc("2026-11-21T03:17:00Z");

        Assert.Equal(start + Duration.FromHours(30), calendar.Add(start, Duration.FromHours(30)));
        Assert.Equal(Duration.FromDays(3), calendar.Between(start, start + Duration.FromDays(3)));
        Assert.True(calendar.IsOpen(start));
        Assert.Null(calendar.NextClose(start));
    }

    [Fact]
    public void A_local_around_the_clock_schedule_never_closes_but_at_its_holidays()
    {
        var calendar = BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.AroundTheClock, [new LocalDate(2027, 1, 1)]);

        Assert.Equal(calendar.Local("2027-01-01T00:00"), calendar.NextClose(calendar.Local("2026-11-23T10:00")));
        Assert.Null(calendar.NextClose(calendar.Local("2027-01-02T10:00")));
    }

    [Fact]
    public void A_calendar_with_no_hours_never_opens()
    {
        var calendar = BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Closed);

        Assert.Null(calendar.NextOpen(Utc("2026-11-23T10:00:00Z")));
        Assert.False(calendar.TryAdd(Utc("2026-11-23T10:00:00Z"), Duration.FromHours(1), out _));
        Assert.Throws<InvalidOperationException>(() => calendar.Add(Utc("2026-11-23T10:00:00Z"), Duration.FromHours(1)));
    }

    [Fact]
    public void Only_special_hours_open_a_calendar_with_an_empty_week()
    {
        var calendar = BusinessCalendar.Create(
            "Europe/Berlin",
            WeeklySchedule.Closed,
            specialHours: [new SpecialHours(new LocalDate(2027, 2, 6), [OpenInterval.Parse("10:00", "14:00")])]);

        Assert.Equal(calendar.Local("2027-02-06T12:00"), calendar.Add(calendar.Local("2026-11-23T10:00"), Duration.FromHours(2)));
    }

    [Fact]
    public void An_unknown_time_zone_is_rejected_with_the_expected_form()
    {
        var error = Assert.Throws<ArgumentException>(() => BusinessCalendar.Create("Mars/Olympus_Mons", WeeklySchedule.AroundTheClock));

        Assert.Contains("Unknown time zone 'Mars/Olympus_Mons'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_date_cannot_be_both_a_holiday_and_special_hours()
    {
        var date = new LocalDate(2026, 12, 24);

        var error = Assert.Throws<ArgumentException>(() => BusinessCalendar.Create(
            "Europe/Berlin", WeeklySchedule.AroundTheClock, [date], [new SpecialHours(date, [OpenInterval.Parse("08:00", "12:00")])]));

        Assert.Contains("both a holiday and a special-hours date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_calendar_rebuilt_from_the_same_definition_is_equal()
    {
        var rebuilt = BusinessCalendar.Create("America/New_York", WeeklySchedule.Weekdays("09:00", "17:00"), [new LocalDate(2026, 12, 25)]);
        var otherHoliday = BusinessCalendar.Create("America/New_York", WeeklySchedule.Weekdays("09:00", "17:00"), [new LocalDate(2026, 12, 24)]);

        Assert.Equal(NewYork, rebuilt);
        Assert.Equal(NewYork.GetHashCode(), rebuilt.GetHashCode());
        Assert.NotEqual(NewYork, otherHoliday);
        Assert.NotEqual(NewYork, BusinessCalendar.AlwaysOpen);
    }

    [Fact]
    public void Naming_a_holiday_moves_no_deadline_and_keeps_the_calendar_equal()
    {
        var named = NewYork.WithHolidayNames([KeyValuePair.Create(new LocalDate(2026, 12, 25), "  Christmas Day ")]);
        var from = Instant.FromUtc(2026, 12, 24, 15, 0);

        Assert.Equal("Christmas Day", named.HolidayNames[new LocalDate(2026, 12, 25)]);
        Assert.Equal(NewYork, named);
        Assert.Equal(NewYork.Add(from, Duration.FromHours(8)), named.Add(from, Duration.FromHours(8)));
        Assert.Empty(NewYork.HolidayNames);
    }

    [Fact]
    public void A_name_for_a_date_that_is_not_a_holiday_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => NewYork.WithHolidayNames([KeyValuePair.Create(new LocalDate(2026, 12, 24), "Christmas Eve")]));

        Assert.Contains("2026-12-24 has a name but is not a holiday", error.Message, StringComparison.Ordinal);
    }
}
