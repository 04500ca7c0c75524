namespace SlaGrains.Server.Demo;

/// <summary>
/// The public holidays the demo customers' service desks close on, computed by each jurisdiction's rules so the demo
/// calendars are right in whatever year the demo is started: fixed dates, "n-th weekday of a month", Easter-based
/// dates, and each country's rule for a holiday that falls on a weekend.
/// </summary>
internal static class PublicHolidays
{
    /// <summary>
    /// US federal holidays as most New York businesses observe them (a Saturday holiday is observed on the Friday
    /// before, a Sunday one on the Monday after). Columbus Day and Veterans Day are left out: most private offices stay open.
    /// </summary>
    public static IEnumerable<(LocalDate Date, string Name)> UnitedStates(int year)
    {
        yield return (Observed(new LocalDate(year, 1, 1)), "New Year's Day");
        yield return (Nth(year, 1, IsoDayOfWeek.Monday, 3), "Martin Luther King Jr. Day");
        yield return (Nth(year, 2, IsoDayOfWeek.Monday, 3), "Washington's Birthday");
        yield return (Last(year, 5, IsoDayOfWeek.Monday), "Memorial Day");
        yield return (Observed(new LocalDate(year, 6, 19)), "Juneteenth");
        yield return (Observed(new LocalDate(year, 7, 4)), "Independence Day");
        yield return (Nth(year, 9, IsoDayOfWeek.Monday, 1), "Labor Day");
        yield return (Nth(year, 11, IsoDayOfWeek.Thursday, 4), "Thanksgiving Day");
        yield return (Observed(new LocalDate(year, 12, 25)), "Christmas Day");

        // A Saturday or Sunday holiday moves to the nearest weekday.
        static LocalDate Observed(LocalDate date) => date.DayOfWeek switch
        {
            IsoDayOfWeek.Saturday => date.PlusDays(-1),
            IsoDayOfWeek.Sunday => date.PlusDays(1),
            _ => date,
        };
    }

    /// <summary>
    /// Public holidays in Berlin: the national ones plus International Women's Day (Berlin only, since 2019).
    /// German holidays are not moved when they fall on a weekend.
    /// </summary>
    public static IEnumerable<(LocalDate Date, string Name)> Berlin(int year)
    {
        var easter = EasterSunday(year);
        yield return (new LocalDate(year, 1, 1), "Neujahr");
        yield return (new LocalDate(year, 3, 8), "Internationaler Frauentag");
        yield return (easter.PlusDays(-2), "Karfreitag");
        yield return (easter.PlusDays(1), "Ostermontag");
        yield return (new LocalDate(year, 5, 1), "Tag der Arbeit");
        yield return (easter.PlusDays(39), "Christi Himmelfahrt");
        yield return (easter.PlusDays(50), "Pfingstmontag");
        yield return (new LocalDate(year, 10, 3), "Tag der Deutschen Einheit");
        yield return (new LocalDate(year, 12, 25), "1. Weihnachtstag");
        yield return (new LocalDate(year, 12, 26), "2. Weihnachtstag");
    }

    /// <summary>
    /// Public holidays in New South Wales (Sydney), Saturdays included (the demo's clinics open on Saturday mornings):
    /// New Year's Day and Australia Day on a weekend add the Monday; Christmas and Boxing Day on a weekend add the next
    /// free weekdays; Anzac Day adds no day.
    /// </summary>
    public static IEnumerable<(LocalDate Date, string Name)> NewSouthWales(int year)
    {
        var easter = EasterSunday(year);
        foreach (var day in WithAdditionalMonday(new LocalDate(year, 1, 1), "New Year's Day"))
        {
            yield return day;
        }

        foreach (var day in WithAdditionalMonday(new LocalDate(year, 1, 26), "Australia Day"))
        {
            yield return day;
        }

        yield return (easter.PlusDays(-2), "Good Friday");
        yield return (easter.PlusDays(-1), "Easter Saturday");
        yield return (easter, "Easter Sunday");
        yield return (easter.PlusDays(1), "Easter Monday");
        yield return (new LocalDate(year, 4, 25), "Anzac Day");
        yield return (Nth(year, 6, IsoDayOfWeek.Monday, 2), "King's Birthday");
        yield return (Nth(year, 10, IsoDayOfWeek.Monday, 1), "Labour Day");

        var christmas = new LocalDate(year, 12, 25);
        yield return (christmas, "Christmas Day");
        yield return (christmas.PlusDays(1), "Boxing Day");
        switch (christmas.DayOfWeek)
        {
            case IsoDayOfWeek.Friday: // Boxing Day on Saturday: Monday 28th.
                yield return (christmas.PlusDays(3), "Boxing Day (additional day)");
                break;
            case IsoDayOfWeek.Saturday: // Both on the weekend: Monday 27th and Tuesday 28th.
                yield return (christmas.PlusDays(2), "Christmas Day (additional day)");
                yield return (christmas.PlusDays(3), "Boxing Day (additional day)");
                break;
            case IsoDayOfWeek.Sunday: // Boxing Day is Monday 26th; Christmas's additional day is Tuesday 27th.
                yield return (christmas.PlusDays(2), "Christmas Day (additional day)");
                break;
        }

        static IEnumerable<(LocalDate Date, string Name)> WithAdditionalMonday(LocalDate date, string name)
        {
            yield return (date, name);
            if (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
            {
                yield return (date.Next(IsoDayOfWeek.Monday), $"{name} (additional day)");
            }
        }
    }

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").</summary>
    public static LocalDate EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new LocalDate(year, month, day);
    }

    /// <summary>The <paramref name="n"/>-th <paramref name="day"/> of the month (1 = the first).</summary>
    private static LocalDate Nth(int year, int month, IsoDayOfWeek day, int n)
    {
        var first = new LocalDate(year, month, 1);
        var offset = ((int)day - (int)first.DayOfWeek + 7) % 7;
        return first.PlusDays(offset + (7 * (n - 1)));
    }

    /// <summary>The last <paramref name="day"/> of the month.</summary>
    private static LocalDate Last(int year, int month, IsoDayOfWeek day)
    {
        var last = new LocalDate(year, month, 1).PlusMonths(1).PlusDays(-1);
        var offset = ((int)last.DayOfWeek - (int)day + 7) % 7;
        return last.PlusDays(-offset);
    }
}
