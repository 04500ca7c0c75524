using System.Globalization;
using NodaTime.Text;
using SlaGrains.Application;
using SlaGrains.Application.Customers;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Ui.Services;

/// <summary>
/// A business calendar being edited on the admin page, as text: a zone, every opening interval of each weekday
/// (<c>09:00-12:00, 13:00-17:00</c>; empty = closed), holidays with their names (<c>2026-12-25 Christmas Day</c>, one
/// per line; bare dates may also be separated by commas), and dates with special hours
/// (<c>2026-12-24 09:00-12:00</c> or <c>2026-12-31 closed</c>, one per line or separated by ';'). It shows everything a
/// stored calendar has, so saving it unchanged saves the same calendar. <see cref="ToInput"/> reads the text into the
/// API's <see cref="CalendarInput"/>, which the customer commands check and save.
/// </summary>
public sealed class CalendarDraft
{
    /// <summary>The weekdays in order, by the names <see cref="CalendarInput"/> uses.</summary>
    public static IReadOnlyList<string> Days => CalendarInput.DayNames;

    /// <summary>Longest text of one day's hours: every interval a day may have (<c>HH:mm-HH:mm, </c>).</summary>
    public const int MaxHoursLength = CalendarInput.MaxIntervalsPerDay * 13;

    /// <summary>Longest holidays text: every holiday a calendar may list, with a name of about 45 characters on average.</summary>
    public const int MaxHolidaysLength = CalendarInput.MaxDates * 60;

    /// <summary>Longest special-hours text: every date a calendar may list, each with a few intervals.</summary>
    public const int MaxSpecialHoursLength = CalendarInput.MaxDates * 40;

    /// <summary>The IANA zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Opening intervals per day, <c>HH:mm-HH:mm</c> separated by commas (empty = closed; <c>24:00</c> ends at midnight).</summary>
    public Dictionary<string, string> Hours { get; } = Days.ToDictionary(d => d, _ => string.Empty, StringComparer.Ordinal);

    /// <summary>Closed dates, one per line as <c>yyyy-MM-dd</c> and an optional name; bare dates may share a line, separated by commas or spaces.</summary>
    public string Holidays { get; set; } = string.Empty;

    /// <summary>Dates whose hours replace the weekly ones: <c>yyyy-MM-dd HH:mm-HH:mm[, HH:mm-HH:mm]</c> or <c>yyyy-MM-dd closed</c>, one per line or separated by ';'.</summary>
    public string SpecialHours { get; set; } = string.Empty;

    /// <summary>The draft of a stored calendar (its input form), or weekdays 09:00–17:00 in UTC when there is none.</summary>
    public static CalendarDraft From(CalendarInput? calendar)
    {
        var draft = new CalendarDraft();
        if (calendar is null)
        {
            foreach (var day in Days.Take(5))
            {
                draft.Hours[day] = "09:00-17:00";
            }

            return draft;
        }

        draft.TimeZone = calendar.TimeZone ?? "UTC";
        foreach (var day in Days)
        {
            // No weekly hours at all is the 24×7 calendar.
            draft.Hours[day] = calendar.WeeklyHours is null
                ? "00:00-24:00"
                : string.Join(", ", (calendar.WeeklyHours.GetValueOrDefault(day) ?? []).Select(Interval));
        }

        draft.Holidays = HolidayLines((calendar.Holidays ?? []).Select(d => KeyValuePair.Create(d, calendar.HolidayNames?.GetValueOrDefault(Date(d)))));
        draft.SpecialHours = string.Join(
            Environment.NewLine,
            (calendar.SpecialHours ?? []).Select(s => $"{Date(s.Date)} {(s.Hours is { Count: > 0 } hours ? string.Join(", ", hours.Select(Interval)) : "closed")}"));
        return draft;
    }

    /// <summary>The draft as the API's calendar input, or null and what in the text cannot be read.</summary>
    public (CalendarInput? Input, string? Error) ToInput()
    {
        var weekly = new Dictionary<string, List<HoursInput>>(StringComparer.Ordinal);
        foreach (var day in Days)
        {
            if (Intervals(Hours[day]) is not { } intervals)
            {
                return (null, $"{Label(day)}: write the hours as 09:00-12:00, 13:00-17:00 (or leave it empty for closed).");
            }

            if (intervals.Count > 0)
            {
                weekly[day] = intervals;
            }
        }

        if (ReadHolidays(Holidays) is not { } named)
        {
            return (null, $"Holidays: write one per line as 2026-12-25 Christmas Day (the name is optional), or dates separated by commas.");
        }

        var holidays = named.Select(h => h.Key).ToList();
        var names = named.Where(h => h.Value is not null).ToDictionary(h => Date(h.Key), h => h.Value!, StringComparer.Ordinal);

        var special = new List<SpecialHoursInput>();
        foreach (var line in SpecialHours.Split([';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            var date = LocalDatePattern.Iso.Parse(parts[0]);
            var rest = parts.Length > 1 ? parts[1] : string.Empty;
            var hours = string.Equals(rest, "closed", StringComparison.OrdinalIgnoreCase) ? [] : Intervals(rest);
            if (!date.Success || hours is null || (hours.Count == 0 && rest.Length == 0))
            {
                return (null, $"Special hours '{line}': write 2026-12-24 09:00-12:00 or 2026-12-31 closed.");
            }

            special.Add(new SpecialHoursInput(date.Value, hours));
        }

        return (new CalendarInput(TimeZone, weekly, holidays, special, names.Count == 0 ? null : names), null);
    }

    /// <summary>
    /// Adds holidays read from a feed to <see cref="Holidays"/> (sorted, each date once). A date that already has
    /// special hours keeps them (a date cannot be both). Returns what was done, for the person importing.
    /// </summary>
    public string Import(IReadOnlyList<FeedHoliday> feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var (input, error) = ToInput();
        if (input is null)
        {
            return $"Fix the calendar first: {error}";
        }

        var holidays = new SortedDictionary<LocalDate, string?>((input.Holidays ?? []).ToDictionary(d => d, d => input.HolidayNames?.GetValueOrDefault(Date(d))));
        var special = (input.SpecialHours ?? []).Select(s => s.Date).ToHashSet();
        var added = feed.Where(h => !special.Contains(h.Date) && holidays.TryAdd(h.Date, Name(h.Name))).ToList();
        var kept = feed.Count(h => special.Contains(h.Date));
        if (holidays.Count > CalendarInput.MaxDates)
        {
            return $"A calendar lists at most {CalendarInput.MaxDates:N0} holidays; the feed would make {holidays.Count:N0}. Import a shorter feed.";
        }

        Holidays = HolidayLines(holidays);
        var shown = string.Join("; ", added.Take(12).Select(h => $"{Date(h.Date)} {h.Name}")) + (added.Count > 12 ? "; …" : string.Empty);
        return (added.Count == 0 ? "No new holidays: every date is listed already." : $"Added {added.Count} holiday(s): {shown}.")
            + (kept > 0 ? $" {kept} date(s) with special hours keep them." : string.Empty)
            + (added.Count > 0 ? " Save the calendar to keep them." : string.Empty);
    }

    /// <summary>The calendar as drafted (for the due-time preview), or null and what is wrong: the same checks as saving it.</summary>
    public (BusinessCalendar? Calendar, string? Error) TryBuild()
    {
        var (input, error) = ToInput();
        if (input is null)
        {
            return (null, error);
        }

        var errors = new InputErrors();
        var calendar = input.ToCalendar(errors, "$");
        return calendar is null ? (null, Failure.Invalid(errors).ForPeople) : (calendar, null);
    }

    /// <summary>A day's name as shown: <c>Monday</c>.</summary>
    public static string Label(string day) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(day);

    private static List<HoursInput>? Intervals(string? text)
    {
        var result = new List<HoursInput>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split(['-', '–'], 2, StringSplitOptions.TrimEntries);
            if (ends.Length != 2)
            {
                return null;
            }

            result.Add(new HoursInput(ends[0], ends[1]));
        }

        return result;
    }

    /// <summary>
    /// Reads the holidays text: a line that is a date and a name (<c>2026-12-25 Christmas Day</c>), or dates separated by
    /// commas or spaces; lines may also be separated by ';'. Null when something is neither.
    /// </summary>
    private static SortedDictionary<LocalDate, string?>? ReadHolidays(string text)
    {
        var holidays = new SortedDictionary<LocalDate, string?>();
        foreach (var line in text.Split([';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            var rest = parts.Length > 1 ? parts[1].TrimStart(',', ' ') : string.Empty;
            var first = LocalDatePattern.Iso.Parse(parts[0].TrimEnd(','));
            if (first.Success && rest.Length > 0 && !LocalDatePattern.Iso.Parse(rest.Split([',', ' '], 2)[0]).Success)
            {
                holidays[first.Value] = Name(rest);
                continue;
            }

            foreach (var token in line.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var date = LocalDatePattern.Iso.Parse(token);
                if (!date.Success)
                {
                    return null;
                }

                holidays.TryAdd(date.Value, null);
            }
        }

        return holidays;
    }

    /// <summary>The holidays as the draft writes them: one per line, the date and its name if it has one.</summary>
    private static string HolidayLines(IEnumerable<KeyValuePair<LocalDate, string?>> holidays)
        => string.Join(Environment.NewLine, holidays.OrderBy(h => h.Key).Select(h => h.Value is { Length: > 0 } name ? $"{Date(h.Key)} {name}" : Date(h.Key)));

    // A name as stored: trimmed, cut at the calendar's limit (a feed's summary may be longer), none when blank.
    private static string? Name(string? name)
        => string.IsNullOrWhiteSpace(name) ? null : name.Trim()[..Math.Min(name.Trim().Length, BusinessCalendar.MaxHolidayNameLength)];

    private static string Interval(HoursInput hours) => $"{hours.Start}-{hours.End}";

    private static string Date(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
}
