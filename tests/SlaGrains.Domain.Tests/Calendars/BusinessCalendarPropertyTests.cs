using FsCheck;
using Interval = NodaTime.Interval;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaGrains.Domain.Calendars;
using static SlaGrains.Domain.Tests.Calendars.CalendarFixtures;

namespace SlaGrains.Domain.Tests.Calendars;

/// <summary>
/// Properties over every fixture calendar, with instants spread over 2026–2027 so that DST changes,
/// holidays, overnight shifts and lunch breaks all fall inside the generated spans.
/// </summary>
public class BusinessCalendarPropertyTests
{
    private static readonly Instant Origin = Utc("2026-01-01T00:00:00Z");

    private static BusinessCalendar Pick(int index) => All[Math.Abs(index % All.Length)];

    /// <summary>An instant up to ~2 years after the origin, at a resolution of seconds.</summary>
    private static Instant At(long seconds) => Origin + Duration.FromSeconds(Math.Abs(seconds % (2L * 366 * 86_400)));

    /// <summary>A business duration up to ~40 days, at a resolution of seconds.</summary>
    private static Duration Span(long seconds) => Duration.FromSeconds(Math.Abs(seconds % (40L * 86_400)));

    [Property(MaxTest = 300)]
    public bool Between_of_Add_is_the_added_duration(int calendar, long start, long duration)
    {
        var c = Pick(calendar);
        var from = At(start);
        var d = Span(duration);

        return c.Between(from, c.Add(from, d)) == d;
    }

    [Property(MaxTest = 300)]
    public bool Between_is_additive(int calendar, long a, long b, long c)
    {
        var cal = Pick(calendar);
        var points = new[] { At(a), At(b), At(c) }.OrderBy(x => x).ToArray();

        return cal.Between(points[0], points[2]) == cal.Between(points[0], points[1]) + cal.Between(points[1], points[2]);
    }

    [Property(MaxTest = 300)]
    public bool Add_is_monotone_in_the_duration(int calendar, long start, long d1, long d2)
    {
        var c = Pick(calendar);
        var from = At(start);
        var (shorter, longer) = (Span(Math.Min(Math.Abs(d1), Math.Abs(d2))), Span(Math.Max(Math.Abs(d1), Math.Abs(d2))));
        if (shorter > longer)
        {
            (shorter, longer) = (longer, shorter);
        }

        return c.Add(from, shorter) <= c.Add(from, longer);
    }

    [Property(MaxTest = 300)]
    public bool IsOpen_agrees_with_Between_over_a_tiny_span(int calendar, long at)
    {
        var c = Pick(calendar);
        var t = At(at);
        var tick = Duration.FromNanoseconds(1);

        return c.IsOpen(t) == (c.Between(t, t + tick) == tick);
    }

    [Property(MaxTest = 200)]
    public bool Between_matches_a_day_by_day_reference(int calendar, long a, long b)
    {
        var c = Pick(calendar);
        var (from, to) = (At(a), At(b));
        if (to < from)
        {
            (from, to) = (to, from);
        }

        return c.Between(from, to) == ReferenceBetween(c, from, to);
    }

    [Property(MaxTest = 200)]
    public bool Next_open_is_open_and_nothing_before_it_is(int calendar, long at)
    {
        var c = Pick(calendar);
        var t = At(at);
        var next = c.NextOpen(t);

        return next is { } n && c.IsOpen(n) && c.Between(t, n) == Duration.Zero;
    }

    [Property(MaxTest = 200)]
    public bool Next_close_is_closed_and_open_time_until_it_is_unbroken(int calendar, long at)
    {
        var c = Pick(calendar);
        var t = At(at);
        var close = c.NextClose(t);
        if (close is null)
        {
            return c.IsAlwaysOpen || c.IsOpen(t);
        }

        return !c.IsOpen(close.Value) && c.Between(t, close.Value) == close.Value - t;
    }

    [Property(MaxTest = 100)]
    public Property Between_of_Add_holds_with_pauses(int calendar, long start, long duration, long pauseOffset, long pauseLength)
    {
        var c = Pick(calendar);
        var from = At(start);
        var d = Span(duration);
        var pauseStart = from + Duration.FromSeconds(Math.Abs(pauseOffset % (10L * 86_400)));
        var pause = new Interval(pauseStart, pauseStart + Duration.FromSeconds(Math.Abs(pauseLength % (5L * 86_400))));

        return (c.Between(from, c.Add(from, d, [pause]), [pause]) == d).Label($"{c.Zone} {from} + {d} with pause {pause}");
    }
}
