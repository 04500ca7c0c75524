using NodaTime;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Bench.Domain;

/// <summary>The fixed inputs the domain benchmarks share. Every instant is a constant: no clock is read.</summary>
internal static class DomainFixtures
{
    /// <summary>The service desk's zone; its two DST changes a year fall inside the one-year span.</summary>
    public static DateTimeZone Zone { get; } = BusinessCalendar.ResolveZone("Europe/Berlin");

    /// <summary>Monday to Friday 09:00–12:00 and 13:00–17:00 (a lunch break: two intervals a day).</summary>
    public static WeeklySchedule LunchBreakWeekdays { get; } = CreateLunchBreakWeekdays();

    /// <summary>Ten German public holidays between March 2025 and March 2026, all on weekdays.</summary>
    public static IReadOnlyList<LocalDate> Holidays { get; } =
    [
        new(2025, 4, 18), // Good Friday
        new(2025, 4, 21), // Easter Monday
        new(2025, 5, 1), // Labour Day
        new(2025, 5, 29), // Ascension Day
        new(2025, 6, 9), // Whit Monday
        new(2025, 10, 3), // German Unity Day
        new(2025, 12, 24), // Christmas Eve
        new(2025, 12, 25), // Christmas Day
        new(2025, 12, 26), // Boxing Day
        new(2026, 1, 1), // New Year's Day
    ];

    /// <summary>The Berlin calendar with the lunch-break week and the ten holidays.</summary>
    public static BusinessCalendar Calendar { get; } = new(Zone, LunchBreakWeekdays, Holidays);

    /// <summary>A Berlin wall-clock time as an instant (times used here are neither skipped nor repeated).</summary>
    public static Instant Berlin(int year, int month, int day, int hour, int minute)
        => new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(Zone).ToInstant();

    private static WeeklySchedule CreateLunchBreakWeekdays()
    {
        var schedule = WeeklySchedule.Closed;
        for (var day = IsoDayOfWeek.Monday; day <= IsoDayOfWeek.Friday; day++)
        {
            schedule = schedule.Open(day, "09:00", "12:00").Open(day, "13:00", "17:00");
        }

        return schedule;
    }
}
