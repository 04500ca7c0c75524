using SlaGrains.Application.Customers;

namespace SlaGrains.Server.Api.Tools;

/// <summary>
/// What one anonymous tool request may ask for. The tools are open to anyone, so every list and span that drives the
/// work is bounded and checked before any is done: the worst request these bounds accept stays well under 100 ms
/// (<c>dotnet run -c Release --project bench/SlaGrains.Bench -- tools</c>). The 64 KB body limit on anonymous requests
/// and the per-address rate limit bound the rest.
/// </summary>
internal static class ToolLimits
{
    /// <summary>Opening intervals one weekday or one special date may list (a split shift is two).</summary>
    public const int MaxIntervalsPerDay = 8;

    /// <summary>Holidays one calendar may list (a long-range holiday calendar of several countries fits).</summary>
    public const int MaxHolidays = 400;

    /// <summary>Dates with special hours one calendar may list.</summary>
    public const int MaxSpecialDays = 400;

    /// <summary>Pauses one business-time question may list.</summary>
    public const int MaxPauses = 500;

    /// <summary>Downtime intervals one availability question may list.</summary>
    public const int MaxDowntime = 1_000;

    /// <summary>Maintenance windows one availability question may list.</summary>
    public const int MaxMaintenance = 500;

    /// <summary>Rows one credit schedule may have.</summary>
    public const int MaxScheduleRows = 50;

    /// <summary>The longest span a question may cover: 10 years of 365.25 days.</summary>
    public static readonly Duration MaxSpan = Duration.FromDays(3_653);

    /// <summary>Adds "at most N …; got M." on <paramref name="field"/> when the list is longer than allowed; true when it is.</summary>
    public static bool TooMany<T>(InputErrors errors, string field, IReadOnlyCollection<T>? items, int max, string what)
    {
        if (items is null || items.Count <= max)
        {
            return false;
        }

        errors.Add(field, $"At most {max:N0} {what}; got {items.Count:N0}.");
        return true;
    }

    /// <summary>Adds an error on <paramref name="field"/> when <c>[from, to]</c> is longer than <see cref="MaxSpan"/>.</summary>
    public static void CheckSpan(InputErrors errors, string field, Instant? from, Instant? to, string what)
    {
        if (from is { } start && to is { } end && end - start > MaxSpan)
        {
            errors.Add(field, $"{what} may span at most 10 years ({MaxSpan.Days:N0} days); got {(end - start).TotalDays:N0} days.");
        }
    }

    /// <summary>
    /// The calendar's lists checked before the calendar is built: holidays, special dates and intervals per day within
    /// this tool's bounds (tighter than a stored calendar's, since anyone may send one).
    /// </summary>
    public static void CheckCalendar(InputErrors errors, string path, CalendarInput calendar)
    {
        TooMany(errors, $"{path}.holidays", calendar.Holidays, MaxHolidays, "holidays");
        TooMany(errors, $"{path}.specialHours", calendar.SpecialHours, MaxSpecialDays, "dates with special hours");
        foreach (var (day, hours) in calendar.WeeklyHours ?? [])
        {
            if (CalendarInput.DayNames.Contains(day))
            {
                TooMany(errors, $"{path}.weeklyHours.{day}", hours, MaxIntervalsPerDay, "opening intervals a day");
            }
        }

        if (calendar.SpecialHours is { Count: <= MaxSpecialDays } special)
        {
            for (var i = 0; i < special.Count; i++)
            {
                TooMany(errors, $"{path}.specialHours[{i}].hours", special[i]?.Hours, MaxIntervalsPerDay, "opening intervals a date");
            }
        }
    }
}
