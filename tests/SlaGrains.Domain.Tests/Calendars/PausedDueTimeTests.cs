using SlaGrains.Domain.Calendars;
using static SlaGrains.Domain.Tests.Calendars.CalendarFixtures;

namespace SlaGrains.Domain.Tests.Calendars;

/// <summary>
/// The due time with many pauses (one pass over the pauses) and with a search limit: what it must equal, whatever
/// the algorithm — the first instant by which exactly the duration of unpaused business time has passed.
/// </summary>
public class PausedDueTimeTests
{
    private static readonly BusinessCalendar NewYork = NewYorkNineToFive;

    [Fact]
    public void Due_time_with_hundreds_of_pauses_is_where_the_unpaused_business_time_reaches_the_duration()
    {
        // 300 pauses of 3 h, one every 29 h from Mon 2026-03-02 (across the March DST change), some inside business hours.
        var start = NewYork.Local("2026-03-02T10:00");
        var pauses = Enumerable.Range(0, 300).Select(i => new Interval(start + Duration.FromHours((29 * i) + 2), start + Duration.FromHours((29 * i) + 5))).ToArray();

        foreach (var hours in new[] { 1, 7, 40, 333, 1_000 })
        {
            var duration = Duration.FromHours(hours);
            Assert.True(NewYork.TryAdd(start, duration, pauses, out var due));
            Assert.Equal(duration, NewYork.Between(start, due, pauses));

            // The earliest such instant: a minute earlier, less business time has passed.
            Assert.True(NewYork.Between(start, due - Duration.FromMinutes(1), pauses) < duration, $"{hours} h: due {due} is not the earliest");
        }
    }

    [Fact]
    public void A_search_limit_answers_the_same_due_time_before_it_and_none_after_it()
    {
        var start = NewYork.Local("2026-11-23T09:00");
        Interval[] pauses = [new(NewYork.Local("2026-11-23T10:00"), NewYork.Local("2026-11-23T11:30"))];
        var due = NewYork.Add(start, Duration.FromHours(4), pauses);

        Assert.True(NewYork.TryAddUpTo(start, Duration.FromHours(4), pauses, due, out var atLimit));
        Assert.Equal(due, atLimit);
        Assert.False(NewYork.TryAddUpTo(start, Duration.FromHours(4), pauses, due - Duration.FromNanoseconds(1), out _));
    }

    [Fact]
    public void A_search_limit_stops_a_sparse_calendar_long_before_its_due_time()
    {
        // One minute a week: 1,000 h take about 1,150 years, past what the arithmetic holds; the limit answers "not by then".
        var sparse = BusinessCalendar.Create("America/New_York", WeeklySchedule.Closed.Open(IsoDayOfWeek.Monday, "09:00", "09:01"));

        Assert.False(sparse.TryAddUpTo(Utc("2026-11-23T00:00:00Z"), Duration.FromHours(1_000), [], Utc("2200-01-01T00:00:00Z"), out _));
        Assert.True(sparse.TryAddUpTo(Utc("2026-11-23T00:00:00Z"), Duration.FromMinutes(2), [], Utc("2200-01-01T00:00:00Z"), out var due));
        Assert.Equal(sparse.Local("2026-11-30T09:01"), due);
    }
}
