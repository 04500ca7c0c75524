using NodaTime;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Slis;

/// <summary>Whether an SLI's window rolls (the last N days) or is the calendar month.</summary>
public enum SliWindowKind
{
    /// <summary>The last N days, ending with the count bucket that holds now.</summary>
    Rolling,

    /// <summary>The calendar month, in the customer's zone, that holds now.</summary>
    CalendarMonth,
}

/// <summary>
/// The window an SLI's objective is measured over: a rolling number of days (1–<see cref="MaxRollingDays"/>) or the
/// calendar month in the customer's IANA zone (28–31 days, from local midnight of the 1st, as
/// <see cref="ReportingPeriod.Month"/>).
/// </summary>
/// <remarks>
/// Counts are kept in <see cref="CountBuckets"/> of 5 minutes; a window counts the buckets whose start lies in it.
/// A rolling window ends at the end of the bucket holding now, so every count already posted is in it:
/// <c>[bucketEnd(now) − days, bucketEnd(now))</c>. A calendar window is <c>[1st 00:00, next 1st 00:00)</c> local (its
/// boundaries fall on the bucket grid in every zone whose offsets are whole multiples of 5 minutes, which is all zones
/// in use today).
/// </remarks>
public sealed record SliWindow
{
    private SliWindow(SliWindowKind kind, int days)
    {
        Kind = kind;
        Days = days;
    }

    /// <summary>The longest rolling window: 90 days.</summary>
    public const int MaxRollingDays = 90;

    /// <summary>Rolling or calendar month.</summary>
    public SliWindowKind Kind { get; }

    /// <summary>The rolling window's length in days; 0 for a calendar month.</summary>
    public int Days { get; }

    /// <summary>The calendar month in the customer's zone.</summary>
    public static SliWindow CalendarMonth { get; } = new(SliWindowKind.CalendarMonth, 0);

    /// <summary>The last <paramref name="days"/> days.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is not 1 to <see cref="MaxRollingDays"/>.</exception>
    public static SliWindow Rolling(int days)
        => days is < 1 or > MaxRollingDays
            ? throw new ArgumentOutOfRangeException(nameof(days), days, $"{nameof(days)} must be 1 to {MaxRollingDays}; got {days}.")
            : new(SliWindowKind.Rolling, days);

    /// <summary>The window that holds <paramref name="now"/>, as instants <c>[start, end)</c>.</summary>
    public Interval At(Instant now, DateTimeZone zone)
    {
        Guard.NotNull(zone, nameof(zone));
        if (Kind == SliWindowKind.CalendarMonth)
        {
            return ReportingPeriod.Month(ReportingPeriod.MonthContaining(now, zone), zone);
        }

        var end = CountBuckets.Floor(now) + CountBuckets.Width;
        return new Interval(end - Duration.FromDays(Days), end);
    }

    /// <summary><c>rolling-28d</c> or <c>calendar-month</c>.</summary>
    public override string ToString() => Kind == SliWindowKind.CalendarMonth ? "calendar-month" : $"rolling-{Days}d";
}
