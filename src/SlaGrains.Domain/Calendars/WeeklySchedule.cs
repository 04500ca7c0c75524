using System.Collections.Immutable;
using System.Text;
using NodaTime;

namespace SlaGrains.Domain.Calendars;

/// <summary>
/// The opening hours of an ordinary week, in local wall-clock time: for each ISO day of the week, zero
/// or more half-open <see cref="OpenInterval"/>s, sorted and disjoint. Lunch breaks are two intervals
/// on one day; an overnight shift such as Fri 22:00–Sat 06:00 is declared on the day it starts and
/// stored split at midnight (Fri 22:00–24:00, Sat 00:00–06:00). Intervals that touch are merged;
/// intervals that overlap are rejected. A day with no interval is closed. Immutable.
/// </summary>
public sealed class WeeklySchedule : IEquatable<WeeklySchedule>
{
    private readonly ImmutableArray<OpenInterval>[] _days;

    private WeeklySchedule(ImmutableArray<OpenInterval>[] days)
    {
        _days = days;
    }

    /// <summary>A week with no opening hours at all.</summary>
    public static WeeklySchedule Closed { get; } = new(Enumerable.Repeat(ImmutableArray<OpenInterval>.Empty, 7).ToArray());

    /// <summary>Open around the clock every day: 00:00–24:00, Monday to Sunday.</summary>
    public static WeeklySchedule AroundTheClock { get; } = Closed.OpenEveryDay(LocalTime.Midnight, LocalTime.Midnight);

    /// <summary>Total nominal opening hours in a week, in local time (ignores DST).</summary>
    public Duration NominalWeeklyHours => Duration.FromNanoseconds(_days.Sum(d => d.Sum(i => i.EndNanosecondOfDay - i.StartNanosecondOfDay)));

    /// <summary>True when no day of the week has opening hours.</summary>
    public bool IsClosedAllWeek => _days.All(d => d.IsEmpty);

    /// <summary>Monday to Friday, one interval a day, for example 09:00–17:00.</summary>
    public static WeeklySchedule Weekdays(string start, string end)
    {
        var schedule = Closed;
        for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Friday; day++)
        {
            schedule = schedule.Open(day, start, end);
        }

        return schedule;
    }

    /// <summary>The sorted, disjoint intervals open on <paramref name="day"/> (empty when closed).</summary>
    public ImmutableArray<OpenInterval> On(IsoDayOfWeek day) => _days[Index(day)];

    /// <summary>
    /// Returns a schedule that is also open from <paramref name="start"/> to <paramref name="end"/> on
    /// <paramref name="day"/>. An end at or before the start (other than 24:00) is an overnight shift that
    /// continues into the next day; <c>00:00</c> as an end means midnight (24:00).
    /// </summary>
    /// <exception cref="ArgumentException">When the new hours overlap hours already open.</exception>
    public WeeklySchedule Open(IsoDayOfWeek day, LocalTime start, LocalTime end)
        => Open(day, start.NanosecondOfDay, end == LocalTime.Midnight ? OpenInterval.NanosecondsPerDay : end.NanosecondOfDay);

    /// <summary>As <see cref="Open(IsoDayOfWeek, LocalTime, LocalTime)"/>, with <c>HH:mm</c> texts; the end may be <c>24:00</c>.</summary>
    public WeeklySchedule Open(IsoDayOfWeek day, string start, string end)
        => Open(day, OpenInterval.ParseTimeOfDay(start, allowEndOfDay: false), OpenInterval.ParseTimeOfDay(end, allowEndOfDay: true));

    /// <summary>Opens the same hours on all seven days.</summary>
    public WeeklySchedule OpenEveryDay(LocalTime start, LocalTime end)
    {
        var schedule = this;
        for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Sunday; day++)
        {
            schedule = schedule.Open(day, start, end);
        }

        return schedule;
    }

    /// <inheritdoc />
    public bool Equals(WeeklySchedule? other)
        => other is not null && _days.Zip(other._days).All(pair => pair.First.SequenceEqual(pair.Second));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WeeklySchedule);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var interval in _days.SelectMany(d => d))
        {
            hash.Add(interval);
        }

        return hash.ToHashCode();
    }

    /// <summary>For example <c>Mon 09:00–12:00, 13:00–17:00; Sat 00:00–06:00</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Sunday; day++)
        {
            var hours = On(day);
            if (hours.IsEmpty)
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(day.ToString()[..3]).Append(' ').Append(string.Join(", ", hours));
        }

        return text.Length == 0 ? "closed all week" : text.ToString();
    }

    /// <summary>
    /// Sorts intervals, merges those that touch, and rejects overlaps with a message naming both.
    /// Shared with special-hours overrides, which follow the same rules within one date.
    /// </summary>
    internal static ImmutableArray<OpenInterval> Normalize(IEnumerable<OpenInterval> intervals, string where)
    {
        var sorted = intervals.OrderBy(i => i.StartNanosecondOfDay).ToList();
        var result = ImmutableArray.CreateBuilder<OpenInterval>(sorted.Count);
        foreach (var interval in sorted)
        {
            if (result.Count > 0)
            {
                var last = result[^1];
                if (interval.StartNanosecondOfDay < last.EndNanosecondOfDay)
                {
                    throw new ArgumentException($"{where}: open intervals {last} and {interval} overlap.");
                }

                if (interval.StartNanosecondOfDay == last.EndNanosecondOfDay)
                {
                    result[^1] = new OpenInterval(last.StartNanosecondOfDay, interval.EndNanosecondOfDay);
                    continue;
                }
            }

            result.Add(interval);
        }

        return result.ToImmutable();
    }

    private static int Index(IsoDayOfWeek day)
    {
        if (day is < IsoDayOfWeek.Monday or > IsoDayOfWeek.Sunday)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, "A day of the week is Monday to Sunday.");
        }

        return (int)day - 1;
    }

    private WeeklySchedule Open(IsoDayOfWeek day, long startNanos, long endNanos)
    {
        if (endNanos == startNanos)
        {
            throw new ArgumentException($"{day}: an interval that opens and closes at the same time is empty; use 00:00–24:00 for a whole day.");
        }

        var days = (ImmutableArray<OpenInterval>[])_days.Clone();
        if (endNanos > startNanos)
        {
            Add(days, day, new OpenInterval(startNanos, endNanos));
        }
        else
        {
            // Overnight shift: the part before midnight belongs to this day, the rest to the next.
            Add(days, day, new OpenInterval(startNanos, OpenInterval.NanosecondsPerDay));
            if (endNanos > 0)
            {
                Add(days, day == IsoDayOfWeek.Sunday ? IsoDayOfWeek.Monday : day + 1, new OpenInterval(0, endNanos));
            }
        }

        return new WeeklySchedule(days);
    }

    private static void Add(ImmutableArray<OpenInterval>[] days, IsoDayOfWeek day, OpenInterval interval)
        => days[Index(day)] = Normalize(days[Index(day)].Add(interval), day.ToString());
}
