using NodaTime.Text;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Domain.Tests.Calendars;

/// <summary>Calendars and instant helpers shared by the calendar tests.</summary>
internal static class CalendarFixtures
{
    public static readonly LocalDate[] Holidays2026 =
    [
        new(2026, 1, 1), new(2026, 1, 19), new(2026, 2, 16), new(2026, 5, 25), new(2026, 7, 3),
        new(2026, 9, 7), new(2026, 10, 12), new(2026, 11, 11), new(2026, 11, 26), new(2026, 12, 25),
    ];

    /// <summary>New York, Monday to Friday 09:00–17:00, Christmas closed.</summary>
    public static BusinessCalendar NewYorkNineToFive { get; } =
        BusinessCalendar.Create("America/New_York", WeeklySchedule.Weekdays("09:00", "17:00"), [new LocalDate(2026, 12, 25)]);

    /// <summary>Berlin, Monday to Friday 09:00–12:00 and 13:00–17:00 (a lunch break), 10 holidays.</summary>
    public static BusinessCalendar BerlinWithLunch { get; } =
        BusinessCalendar.Create(
            "Europe/Berlin",
            WeeklySchedule.Weekdays("09:00", "12:00").Open(IsoDayOfWeek.Monday, "13:00", "17:00")
                .Open(IsoDayOfWeek.Tuesday, "13:00", "17:00").Open(IsoDayOfWeek.Wednesday, "13:00", "17:00")
                .Open(IsoDayOfWeek.Thursday, "13:00", "17:00").Open(IsoDayOfWeek.Friday, "13:00", "17:00"),
            Holidays2026);

    /// <summary>Berlin, open around the clock on Sundays only (to measure whole DST Sundays).</summary>
    public static BusinessCalendar BerlinSundays { get; } =
        BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Closed.Open(IsoDayOfWeek.Sunday, "00:00", "24:00"));

    /// <summary>New York, open around the clock every day in local time (DST days are 23 h and 25 h).</summary>
    public static BusinessCalendar NewYorkAroundTheClock { get; } =
        BusinessCalendar.Create("America/New_York", WeeklySchedule.AroundTheClock);

    /// <summary>Chicago night desk: an overnight shift Fri 22:00–Sat 06:00 and weekdays 08:00–18:00, a holiday on the first Saturday of July.</summary>
    public static BusinessCalendar ChicagoNightDesk { get; } =
        BusinessCalendar.Create(
            "America/Chicago",
            WeeklySchedule.Weekdays("08:00", "18:00").Open(IsoDayOfWeek.Friday, "22:00", "06:00"),
            [new LocalDate(2026, 7, 4)],
            [new SpecialHours(new LocalDate(2026, 12, 24), [OpenInterval.Parse("08:00", "12:00")])]);

    /// <summary>All the calendars above, for properties that must hold on every one.</summary>
    public static BusinessCalendar[] All { get; } =
        [NewYorkNineToFive, BerlinWithLunch, BerlinSundays, NewYorkAroundTheClock, ChicagoNightDesk, BusinessCalendar.AlwaysOpen];

    private static readonly LocalDateTimePattern LocalMinutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm");

    public static Instant Utc(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();

    /// <summary>A local date-time in the calendar's zone, resolved leniently like the calendar does.</summary>
    public static Instant Local(this BusinessCalendar calendar, string text)
        => (text.Length > 16 ? LocalDateTimePattern.ExtendedIso : LocalMinutes).Parse(text).GetValueOrThrow().InZoneLeniently(calendar.Zone).ToInstant();

    public static string ToLocalText(this BusinessCalendar calendar, Instant instant)
        => instant.InZone(calendar.Zone).ToString("uuuu-MM-dd'T'HH:mm:ss o<g>", null);

    /// <summary>
    /// A slow, obviously-correct reference: walks every local date and sums the overlap of each open
    /// interval (mapped with NodaTime's lenient resolver) with <c>[from, to)</c>.
    /// </summary>
    public static Duration ReferenceBetween(BusinessCalendar calendar, Instant from, Instant to)
    {
        if (calendar.IsAlwaysOpen)
        {
            return to - from;
        }

        var total = Duration.Zero;
        var date = from.InZone(calendar.Zone).Date.PlusDays(-1);
        var last = to.InZone(calendar.Zone).Date.PlusDays(1);
        for (; date <= last; date = date.PlusDays(1))
        {
            foreach (var hours in HoursOn(calendar, date))
            {
                var start = date.At(hours.Start).InZoneLeniently(calendar.Zone).ToInstant();
                var end = (hours.EndsAtMidnight ? date.PlusDays(1).AtMidnight() : date.At(hours.End)).InZoneLeniently(calendar.Zone).ToInstant();
                var clippedStart = start > from ? start : from;
                var clippedEnd = end < to ? end : to;
                if (clippedEnd > clippedStart)
                {
                    total += clippedEnd - clippedStart;
                }
            }
        }

        return total;
    }

    private static IEnumerable<OpenInterval> HoursOn(BusinessCalendar calendar, LocalDate date)
    {
        if (calendar.Holidays.Contains(date))
        {
            return [];
        }

        var special = calendar.SpecialHours.FirstOrDefault(s => s.Date == date);
        return special is not null ? special.Hours : calendar.Schedule.On(date.DayOfWeek);
    }
}
