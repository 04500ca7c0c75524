using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Calendars;

/// <summary>
/// Opening hours that replace the weekly schedule on one local date (a late opening, a half day before
/// a holiday, a weekend release window). Empty <see cref="Hours"/> closes the date like a holiday.
/// Intervals are normalized like the weekly schedule's: sorted, touching ones merged, overlaps rejected;
/// they stay within the date (no overnight continuation).
/// </summary>
public sealed record SpecialHours
{
    /// <summary>Creates an override for <paramref name="date"/>.</summary>
    public SpecialHours(LocalDate date, IEnumerable<OpenInterval> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        Date = date;
        Hours = WeeklySchedule.Normalize(hours, $"special hours on {date:uuuu-MM-dd}");
    }

    /// <summary>The local date whose hours are replaced.</summary>
    public LocalDate Date { get; }

    /// <summary>The hours open on <see cref="Date"/>; empty means closed all day.</summary>
    public ImmutableArray<OpenInterval> Hours { get; }

    /// <inheritdoc />
    public bool Equals(SpecialHours? other) => other is not null && Date == other.Date && Hours.SequenceEqual(other.Hours);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Date, Hours.Length);
}
