using SlaGrains.Domain.Calendars;

namespace SlaGrains.Ui.Services;

/// <summary>
/// A business calendar being edited on the admin page: a zone, one opening interval per weekday (empty = closed) and
/// holidays as text. <see cref="TryBuild"/> turns it into the domain's calendar or says what is wrong.
/// </summary>
public sealed class CalendarDraft
{
    /// <summary>The weekdays in order.</summary>
    public static readonly IsoDayOfWeek[] Days =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];

    /// <summary>The IANA zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Opening time per day, <c>HH:mm</c> (empty = closed).</summary>
    public Dictionary<IsoDayOfWeek, string> Opens { get; } = Days.ToDictionary(d => d, _ => string.Empty);

    /// <summary>Closing time per day, <c>HH:mm</c> or <c>24:00</c>.</summary>
    public Dictionary<IsoDayOfWeek, string> Closes { get; } = Days.ToDictionary(d => d, _ => string.Empty);

    /// <summary>Closed dates, <c>yyyy-MM-dd</c>, separated by commas or spaces.</summary>
    public string Holidays { get; set; } = string.Empty;

    /// <summary>The draft of a stored calendar (the first interval of each day).</summary>
    public static CalendarDraft From(BusinessCalendar? calendar)
    {
        var draft = new CalendarDraft();
        if (calendar is null)
        {
            foreach (var day in Days.Take(5))
            {
                (draft.Opens[day], draft.Closes[day]) = ("09:00", "17:00");
            }

            return draft;
        }

        draft.TimeZone = calendar.Zone.Id;
        foreach (var day in Days)
        {
            if (calendar.Schedule.On(day) is { IsEmpty: false } hours)
            {
                draft.Opens[day] = hours[0].Start.ToString("HH:mm", null);
                draft.Closes[day] = hours[^1].EndsAtMidnight ? "24:00" : hours[^1].End.ToString("HH:mm", null);
            }
        }

        draft.Holidays = string.Join(", ", calendar.Holidays.Select(h => h.ToString("uuuu-MM-dd", null)));
        return draft;
    }

    /// <summary>The calendar, or null and what is wrong.</summary>
    public (BusinessCalendar? Calendar, string? Error) TryBuild()
    {
        try
        {
            var schedule = WeeklySchedule.Closed;
            foreach (var day in Days.Where(d => !string.IsNullOrWhiteSpace(Opens[d]) || !string.IsNullOrWhiteSpace(Closes[d])))
            {
                schedule = schedule.Open(day, Opens[day], Closes[day]);
            }

            var holidays = Holidays.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(text => NodaTime.Text.LocalDatePattern.Iso.Parse(text).GetValueOrThrow());
            return (BusinessCalendar.Create(TimeZone, schedule, holidays), null);
        }
        catch (Exception error) when (error is ArgumentException or FormatException or NodaTime.Text.UnparsableValueException)
        {
            return (null, error.Message);
        }
    }
}
