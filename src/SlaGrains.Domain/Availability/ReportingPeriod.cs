using NodaTime;
using NodaTime.TimeZones;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// Reporting periods as instant intervals: calendar months and quarters in the customer's IANA time zone, from
/// local midnight of the first day (inclusive) to local midnight of the first day of the next period (exclusive).
/// A month is 28–31 calendar days and its length in elapsed time follows the zone's offset changes (March in
/// Europe/Berlin is 31 days minus 1 hour); there is no "30 days" approximation anywhere.
/// </summary>
/// <remarks>
/// A local midnight that does not exist (skipped by a spring-forward gap) or exists twice (a fall-back overlap) is
/// resolved with NodaTime's <see cref="Resolvers.LenientResolver"/>: a skipped midnight shifts forward by the gap's
/// length, an ambiguous one takes the earlier offset (the earlier instant). Consecutive periods therefore always
/// share their boundary instant: they tile time without gaps or overlaps.
/// </remarks>
public static class ReportingPeriod
{
    /// <summary>The calendar month <paramref name="month"/> in <paramref name="zone"/>: <c>[1st 00:00, next 1st 00:00)</c> local.</summary>
    /// <param name="month">The month, in the ISO calendar.</param>
    /// <param name="zone">The customer's time zone.</param>
    public static Interval Month(YearMonth month, DateTimeZone zone)
    {
        Guard.NotNull(zone, nameof(zone));
        return new Interval(StartOfDay(month.OnDayOfMonth(1), zone), StartOfDay(month.PlusMonths(1).OnDayOfMonth(1), zone));
    }

    /// <summary>
    /// The calendar quarter <paramref name="quarter"/> (1 = January–March … 4 = October–December) of
    /// <paramref name="year"/> in <paramref name="zone"/>, from local midnight of its first day (inclusive) to local
    /// midnight of the next quarter's first day (exclusive).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quarter"/> is not 1 to 4.</exception>
    public static Interval Quarter(int year, int quarter, DateTimeZone zone)
    {
        Guard.NotNull(zone, nameof(zone));
        if (quarter is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(quarter), quarter, $"{nameof(quarter)} must be 1, 2, 3 or 4; got {quarter}.");
        }

        var first = new YearMonth(year, ((quarter - 1) * 3) + 1);
        return new Interval(StartOfDay(first.OnDayOfMonth(1), zone), StartOfDay(first.PlusMonths(3).OnDayOfMonth(1), zone));
    }

    /// <summary>The calendar month, in <paramref name="zone"/>, that contains <paramref name="instant"/>.</summary>
    public static YearMonth MonthContaining(Instant instant, DateTimeZone zone)
    {
        Guard.NotNull(zone, nameof(zone));
        var date = instant.InZone(zone).Date;
        var month = new YearMonth(date.Year, date.Month);

        // Around an offset change at midnight the lenient boundary can fall a little off the local date: adjust.
        var interval = Month(month, zone);
        return instant < interval.Start ? month.PlusMonths(-1)
            : instant >= interval.End ? month.PlusMonths(1)
            : month;
    }

    private static Instant StartOfDay(LocalDate date, DateTimeZone zone)
        => zone.ResolveLocal(date.AtMidnight(), Resolvers.LenientResolver).ToInstant();
}
