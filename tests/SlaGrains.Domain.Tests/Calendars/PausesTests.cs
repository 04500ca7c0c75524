using SlaGrains.Domain.Calendars;
using static SlaGrains.Domain.Tests.Calendars.CalendarFixtures;

namespace SlaGrains.Domain.Tests.Calendars;

public class PausesTests
{
    private static readonly BusinessCalendar NewYork = NewYorkNineToFive;

    [Fact]
    public void A_pause_inside_business_hours_pushes_the_due_time_by_its_business_length()
    {
        var start = NewYork.Local("2026-11-23T09:00");
        Interval[] pauses = [new(NewYork.Local("2026-11-23T10:00"), NewYork.Local("2026-11-23T11:30"))];

        Assert.Equal(NewYork.Local("2026-11-23T14:30"), NewYork.Add(start, Duration.FromHours(4), pauses));
        Assert.Equal(Duration.FromHours(4), NewYork.Between(start, NewYork.Local("2026-11-23T14:30"), pauses));
    }

    [Fact]
    public void Time_used_up_exactly_as_a_pause_begins_is_due_then()
    {
        var start = NewYork.Local("2026-11-23T09:00");
        Interval[] pauses = [new(NewYork.Local("2026-11-23T11:00"), NewYork.Local("2026-11-24T11:00"))];

        Assert.Equal(NewYork.Local("2026-11-23T11:00"), NewYork.Add(start, Duration.FromHours(2), pauses));
    }

    [Fact]
    public void Overlapping_pauses_count_once()
    {
        var start = NewYork.Local("2026-11-23T09:00");
        Interval[] pauses =
        [
            new(NewYork.Local("2026-11-23T10:00"), NewYork.Local("2026-11-23T12:00")),
            new(NewYork.Local("2026-11-23T11:00"), NewYork.Local("2026-11-23T13:00")),
        ];

        Assert.Equal(Duration.FromHours(5), NewYork.Between(start, NewYork.Local("2026-11-23T17:00"), pauses));
    }

    [Fact]
    public void Next_open_skips_a_pause_and_next_close_stops_at_one()
    {
        Interval[] pauses = [new(NewYork.Local("2026-11-23T10:00"), NewYork.Local("2026-11-23T11:00"))];

        Assert.Equal(NewYork.Local("2026-11-23T11:00"), NewYork.NextOpen(NewYork.Local("2026-11-23T10:15"), pauses));
        Assert.Equal(NewYork.Local("2026-11-23T10:00"), NewYork.NextClose(NewYork.Local("2026-11-23T09:30"), pauses));
        Assert.False(NewYork.IsOpen(NewYork.Local("2026-11-23T10:30"), pauses));
    }

    [Fact]
    public void A_pause_that_never_ends_means_never_due()
    {
        Interval[] pauses = [new(NewYork.Local("2026-11-23T10:00"), null)];

        Assert.False(NewYork.TryAdd(NewYork.Local("2026-11-23T09:00"), Duration.FromHours(2), pauses, out _));
    }
}
