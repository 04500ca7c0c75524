using System.Globalization;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Contracts.Reports;

/// <summary>A report's period by name: a calendar month (<c>2026-10</c>) or quarter (<c>2026-Q3</c>), in the customer's zone.</summary>
[GenerateSerializer]
[Alias("slagrains.report-period")]
[Immutable]
public sealed record ReportPeriod([property: Id(0)] int Year, [property: Id(1)] int? Month, [property: Id(2)] int? Quarter)
{
    /// <summary>The month's period.</summary>
    public static ReportPeriod Of(YearMonth month) => new(month.Year, month.Month, null);

    /// <summary>The quarter <paramref name="month"/> closes, or null when it is not a quarter's last month.</summary>
    public static ReportPeriod? QuarterEndingWith(YearMonth month) => month.Month % 3 == 0 ? new(month.Year, null, month.Month / 3) : null;

    /// <summary>Parses <c>yyyy-MM</c> or <c>yyyy-Qn</c>; null when it is neither.</summary>
    public static ReportPeriod? Parse(string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (NodaTime.Text.YearMonthPattern.Iso.Parse(name) is { Success: true } month)
        {
            return Of(month.Value);
        }

        return name is { Length: 7 } q && q[4] == '-' && q[5] is 'Q' or 'q' && q[6] is >= '1' and <= '4'
            && int.TryParse(q[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1
            ? new(year, null, q[6] - '0')
            : null;
    }

    /// <summary>The period as instants in <paramref name="zone"/>.</summary>
    public Interval In(DateTimeZone zone)
        => Month is { } m ? ReportingPeriod.Month(new YearMonth(Year, m), zone) : ReportingPeriod.Quarter(Year, Quarter!.Value, zone);

    /// <summary>
    /// The part of the period a report measures at <paramref name="now"/> in <paramref name="zone"/>: the whole period
    /// once it has ended; while it runs, its start up to <paramref name="now"/> truncated to a whole second (the
    /// provisional report's as-of instant, short enough to name in a URL); null before it has begun.
    /// </summary>
    public Interval? Measured(DateTimeZone zone, Instant now)
    {
        var whole = In(zone);
        if (whole.End <= now)
        {
            return whole;
        }

        var asOf = Instant.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        return asOf > whole.Start ? new Interval(whole.Start, asOf) : null;
    }

    /// <inheritdoc />
    public override string ToString()
        => Month is { } m ? string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-{m:00}") : string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-Q{Quarter}");
}
