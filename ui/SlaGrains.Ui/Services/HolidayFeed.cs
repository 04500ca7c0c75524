using Ical.Net.CalendarComponents;

namespace SlaGrains.Ui.Services;

/// <summary>A holiday read from an iCalendar feed: its local date and the event's summary.</summary>
public sealed record FeedHoliday(LocalDate Date, string Name);

/// <summary>
/// Reads an iCalendar (.ics) holiday feed with Ical.Net: every all-day VEVENT becomes a closed date (an event of
/// several days closes each of them). Events with a time of day are not holidays and are left out, as are repeating
/// events (a feed lists each year's dates; a repeating rule would have to be expanded without end). The event's summary
/// becomes the holiday's name.
/// </summary>
public static class HolidayFeed
{
    /// <summary>Longest feed read, in characters (a feed of several countries over years fits).</summary>
    public const int MaxLength = 512 * 1024;

    // A multi-day "holiday" longer than a month is a season, not a holiday: refused rather than closing the desk for it.
    private const int MaxDaysPerEvent = 31;

    /// <summary>The all-day events of <paramref name="ics"/>, by date, or why the text cannot be read as a feed.</summary>
    public static (IReadOnlyList<FeedHoliday> Holidays, string? Problem) Read(string? ics)
    {
        if (string.IsNullOrWhiteSpace(ics))
        {
            return ([], "Paste or upload an iCalendar (.ics) feed: it starts with BEGIN:VCALENDAR.");
        }

        if (ics.Length > MaxLength)
        {
            return ([], $"The feed is longer than {MaxLength / 1024:N0} KB: import one year or one country at a time.");
        }

        Ical.Net.Calendar? calendar;
        try
        {
            calendar = Ical.Net.Calendar.Load(ics);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The parser's own message names its grammar, not the person's text: say what is expected instead.
            _ = error;
            calendar = null;
        }

        if (calendar is null)
        {
            return ([], "This is not an iCalendar feed: it starts with BEGIN:VCALENDAR and lists VEVENTs.");
        }

        var holidays = new SortedDictionary<LocalDate, string>();
        var (timed, repeating, tooLong) = (0, 0, 0);
        foreach (CalendarEvent e in calendar.Events)
        {
            if (e.DtStart is not { HasTime: false } start)
            {
                timed++;
                continue;
            }

            if (e.RecurrenceRule is not null)
            {
                repeating++;
                continue;
            }

            var first = new LocalDate(start.Year, start.Month, start.Day);
            var end = e.DtEnd is { HasTime: false } until ? new LocalDate(until.Year, until.Month, until.Day) : first.PlusDays(1);
            if (end <= first)
            {
                end = first.PlusDays(1);
            }

            if (Period.Between(first, end, PeriodUnits.Days).Days > MaxDaysPerEvent)
            {
                tooLong++;
                continue;
            }

            for (var day = first; day < end; day = day.PlusDays(1))
            {
                holidays.TryAdd(day, string.IsNullOrWhiteSpace(e.Summary) ? "holiday" : e.Summary.Trim());
            }
        }

        var problems = new List<string>();
        if (timed > 0)
        {
            problems.Add($"{timed} event(s) with a time of day are not holidays and were left out.");
        }

        if (repeating > 0)
        {
            problems.Add($"{repeating} repeating event(s) were left out: use a feed that lists each date.");
        }

        if (tooLong > 0)
        {
            problems.Add($"{tooLong} event(s) longer than {MaxDaysPerEvent} days were left out.");
        }

        if (holidays.Count == 0)
        {
            problems.Insert(0, "The feed has no all-day events.");
            return ([], string.Join(" ", problems));
        }

        return ([.. holidays.Select(h => new FeedHoliday(h.Key, h.Value))], problems.Count == 0 ? null : string.Join(" ", problems));
    }
}
