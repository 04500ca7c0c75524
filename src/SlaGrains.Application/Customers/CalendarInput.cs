using System.Globalization;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Application.Customers;

/// <summary>Opening hours of one day: <c>start</c> and <c>end</c> as <c>HH:mm</c>; <c>end</c> may be <c>24:00</c>.</summary>
public sealed record HoursInput(string? Start, string? End);

/// <summary>Hours that replace a date's weekly hours (an empty list closes the date).</summary>
public sealed record SpecialHoursInput(LocalDate Date, List<HoursInput>? Hours);

/// <summary>
/// A business calendar: an IANA <c>timeZone</c>, <c>weeklyHours</c> keyed by lower-case English day name (an
/// omitted day is closed; an omitted <c>weeklyHours</c> means 24×7), closed <c>holidays</c>, <c>specialHours</c>, and
/// optional <c>holidayNames</c> keyed by date (<c>{"2026-12-25": "Christmas Day"}</c>, each date one of the holidays).
/// The one way a calendar is entered, through the API (a customer's calendar, the business-time tool) and the admin page.
/// </summary>
public sealed record CalendarInput(
    string? TimeZone,
    Dictionary<string, List<HoursInput>>? WeeklyHours,
    List<LocalDate>? Holidays,
    List<SpecialHoursInput>? SpecialHours,
    Dictionary<string, string>? HolidayNames = null)
{
    /// <summary>Most opening intervals one day (or one special date) has.</summary>
    public const int MaxIntervalsPerDay = 24;

    /// <summary>Most holidays, and most special dates, one calendar lists.</summary>
    public const int MaxDates = 1_000;

    private static readonly Dictionary<string, IsoDayOfWeek> Days = new(StringComparer.Ordinal)
    {
        ["monday"] = IsoDayOfWeek.Monday,
        ["tuesday"] = IsoDayOfWeek.Tuesday,
        ["wednesday"] = IsoDayOfWeek.Wednesday,
        ["thursday"] = IsoDayOfWeek.Thursday,
        ["friday"] = IsoDayOfWeek.Friday,
        ["saturday"] = IsoDayOfWeek.Saturday,
        ["sunday"] = IsoDayOfWeek.Sunday,
    };

    /// <summary>The day names <see cref="WeeklyHours"/> takes, Monday first.</summary>
    public static IReadOnlyList<string> DayNames { get; } = [.. Days.Keys];

    /// <summary>The calendar, or null with the reasons added to <paramref name="errors"/> under <paramref name="path"/> (e.g. <c>$</c>).</summary>
    public BusinessCalendar? ToCalendar(InputErrors errors, string path)
    {
        ArgumentNullException.ThrowIfNull(errors);
        DateTimeZone? zone = null;
        if (TimeZone is { Length: > Bounds.NameLength })
        {
            errors.Add($"{path}.timeZone", "A time zone is an IANA id such as Europe/Berlin.");
        }
        else
        {
            try
            {
                zone = BusinessCalendar.ResolveZone(TimeZone ?? string.Empty);
            }
            catch (ArgumentException error)
            {
                errors.Add($"{path}.timeZone", Sentence(error));
            }
        }

        var schedule = WeeklyHours is null ? WeeklySchedule.AroundTheClock : WeeklySchedule.Closed;
        foreach (var (name, hours) in WeeklyHours ?? [])
        {
            if (!Days.TryGetValue(name, out var day))
            {
                errors.Add($"{path}.weeklyHours.{Clip(name)}", $"'{Clip(name)}' is not a day: use monday … sunday in lower case.");
                continue;
            }

            if (hours is null)
            {
                errors.Add($"{path}.weeklyHours.{name}", "A day's hours are a list: [] closes the day.");
                continue;
            }

            if (hours.Count > MaxIntervalsPerDay)
            {
                errors.Add($"{path}.weeklyHours.{name}", $"A day has at most {MaxIntervalsPerDay} opening intervals.");
                continue;
            }

            for (var i = 0; i < hours.Count; i++)
            {
                var h = hours[i];
                try
                {
                    schedule = schedule.Open(day, h?.Start ?? string.Empty, h?.End ?? string.Empty);
                }
                catch (Exception error) when (error is ArgumentException or FormatException)
                {
                    errors.Add($"{path}.weeklyHours.{name}[{i}]", Sentence(error));
                }
            }
        }

        if (Holidays?.Count > MaxDates)
        {
            errors.Add($"{path}.holidays", $"A calendar lists at most {MaxDates:N0} holidays.");
        }
        else
        {
            for (var i = 0; i < (Holidays?.Count ?? 0); i++)
            {
                Bounds.CheckDate(errors, $"{path}.holidays[{i}]", Holidays![i]);
            }
        }

        var special = new List<SpecialHours>();
        if (SpecialHours?.Count > MaxDates)
        {
            errors.Add($"{path}.specialHours", $"A calendar lists at most {MaxDates:N0} dates with special hours.");
        }
        else
        {
            for (var i = 0; i < (SpecialHours?.Count ?? 0); i++)
            {
                var s = SpecialHours![i];
                if (s is null)
                {
                    errors.Add($"{path}.specialHours[{i}]", "Special hours are {\"date\": \"2026-12-24\", \"hours\": [{\"start\": \"09:00\", \"end\": \"12:00\"}]}.");
                    continue;
                }

                if (!Bounds.CheckDate(errors, $"{path}.specialHours[{i}].date", s.Date))
                {
                    continue;
                }

                if (s.Hours?.Count > MaxIntervalsPerDay)
                {
                    errors.Add($"{path}.specialHours[{i}]", $"A date has at most {MaxIntervalsPerDay} opening intervals.");
                    continue;
                }

                try
                {
                    special.Add(new SpecialHours(s?.Date ?? default, (s?.Hours ?? []).Select(h => OpenInterval.Parse(h?.Start ?? string.Empty, h?.End ?? string.Empty))));
                }
                catch (Exception error) when (error is ArgumentException or FormatException)
                {
                    errors.Add($"{path}.specialHours[{i}]", Sentence(error));
                }
            }
        }

        var names = new List<KeyValuePair<LocalDate, string>>();
        if (HolidayNames?.Count > MaxDates)
        {
            errors.Add($"{path}.holidayNames", $"A calendar names at most {MaxDates:N0} holidays.");
        }
        else
        {
            var holidays = (Holidays ?? []).ToHashSet();
            foreach (var (key, name) in HolidayNames ?? [])
            {
                var field = $"{path}.holidayNames.{Clip(key)}";
                if (NodaTime.Text.LocalDatePattern.Iso.Parse(key) is not { Success: true } date)
                {
                    errors.Add(field, $"'{Clip(key)}' is not a date such as 2026-12-25.");
                }
                else if (!holidays.Contains(date.Value))
                {
                    errors.Add(field, $"{key} has a name but is not one of the holidays: list it under holidays or drop the name.");
                }
                else if (name is { Length: > BusinessCalendar.MaxHolidayNameLength })
                {
                    errors.Add(field, $"A holiday's name has at most {BusinessCalendar.MaxHolidayNameLength} characters.");
                }
                else if (!string.IsNullOrWhiteSpace(name))
                {
                    names.Add(KeyValuePair.Create(date.Value, name));
                }
            }
        }

        if (zone is null || errors.Any)
        {
            return null;
        }

        return errors.Try(path, () => new BusinessCalendar(zone, schedule, Holidays, special).WithHolidayNames(names));
    }

    /// <summary>The input form of a stored calendar (what the API returns and the admin page edits): it gives back the same calendar.</summary>
    public static CalendarInput From(BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (calendar.IsAlwaysOpen)
        {
            return new CalendarInput(calendar.Zone.Id, null, [], []);
        }

        var weekly = Days.ToDictionary(
            d => d.Key,
            d => calendar.Schedule.On(d.Value).Select(Hours).ToList());
        return new CalendarInput(
            calendar.Zone.Id,
            weekly.Where(d => d.Value.Count > 0).ToDictionary(),
            [.. calendar.Holidays],
            [.. calendar.SpecialHours.Select(s => new SpecialHoursInput(s.Date, [.. s.Hours.Select(Hours)]))],
            calendar.HolidayNames.Count == 0 ? null : calendar.HolidayNames.ToDictionary(n => n.Key.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture), n => n.Value, StringComparer.Ordinal));
    }

    private static HoursInput Hours(OpenInterval interval)
        => new(interval.Start.ToString("HH:mm", CultureInfo.InvariantCulture), interval.EndsAtMidnight ? "24:00" : interval.End.ToString("HH:mm", CultureInfo.InvariantCulture));

    /// <summary>A day name as echoed in a field name: long garbage is cut so the problem stays readable.</summary>
    private static string Clip(string name) => name.Length <= 20 ? name : name[..20];

    private static string Sentence(Exception error) => error.Message.Split(" (Parameter", 2)[0];
}
