using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;

namespace SlaGrains.Contracts.Serialization;

/// <summary>
/// Splits a NodaTime duration into whole days and the nanoseconds left over, so the full range of
/// <see cref="Instant"/> and <see cref="Duration"/> is stored exactly (a single 64-bit nanosecond
/// count covers only ±292 years).
/// </summary>
internal static class DaysAndNanoseconds
{
    public static (int Days, long Nanoseconds) Split(Duration duration)
    {
        var days = duration.Days;
        return (days, (duration - Duration.FromDays(days)).ToInt64Nanoseconds());
    }

    public static Duration Join(int days, long nanoseconds) => Duration.FromDays(days) + Duration.FromNanoseconds(nanoseconds);
}

/// <summary>Resolves stored IANA zone ids against TZDB; an id it does not know is an error, never a silent UTC.</summary>
internal static class StoredZone
{
    public static DateTimeZone Resolve(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new InvalidOperationException("A stored time zone has no id: expected an IANA id such as Europe/Berlin.");
        }

        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)
            ?? throw new InvalidOperationException(
                $"Stored time zone '{id}' is not in this process's TZDB ({DateTimeZoneProviders.Tzdb.VersionId}): the data was written with a zone this version does not know.");
    }
}

/// <summary>An <see cref="Instant"/>: whole days and nanoseconds since the Unix epoch (nanosecond precision, full range).</summary>
[GenerateSerializer, Immutable, Alias("slagrains.instant")]
internal readonly record struct InstantSurrogate
{
    [Id(0)] public int DaysSinceEpoch { get; init; }

    [Id(1)] public long NanosecondsIntoDay { get; init; }
}

[RegisterConverter]
internal sealed class InstantConverter : IConverter<Instant, InstantSurrogate>
{
    public Instant ConvertFromSurrogate(in InstantSurrogate surrogate)
        => NodaConstants.UnixEpoch + DaysAndNanoseconds.Join(surrogate.DaysSinceEpoch, surrogate.NanosecondsIntoDay);

    public InstantSurrogate ConvertToSurrogate(in Instant value)
    {
        var (days, nanoseconds) = DaysAndNanoseconds.Split(value - NodaConstants.UnixEpoch);
        return new InstantSurrogate { DaysSinceEpoch = days, NanosecondsIntoDay = nanoseconds };
    }
}

/// <summary>A <see cref="Duration"/>: whole days and the nanoseconds left over (both negative for negative durations, or mixed; their sum is exact).</summary>
[GenerateSerializer, Immutable, Alias("slagrains.duration")]
internal readonly record struct DurationSurrogate
{
    [Id(0)] public int Days { get; init; }

    [Id(1)] public long Nanoseconds { get; init; }
}

[RegisterConverter]
internal sealed class DurationConverter : IConverter<Duration, DurationSurrogate>
{
    public Duration ConvertFromSurrogate(in DurationSurrogate surrogate) => DaysAndNanoseconds.Join(surrogate.Days, surrogate.Nanoseconds);

    public DurationSurrogate ConvertToSurrogate(in Duration value)
    {
        var (days, nanoseconds) = DaysAndNanoseconds.Split(value);
        return new DurationSurrogate { Days = days, Nanoseconds = nanoseconds };
    }
}

/// <summary>A <see cref="LocalDate"/>: year, month, day and the calendar system (null for ISO).</summary>
[GenerateSerializer, Immutable, Alias("slagrains.local-date")]
internal readonly record struct LocalDateSurrogate
{
    [Id(0)] public int Year { get; init; }

    [Id(1)] public int Month { get; init; }

    [Id(2)] public int Day { get; init; }

    [Id(3)] public string? CalendarId { get; init; }
}

[RegisterConverter]
internal sealed class LocalDateConverter : IConverter<LocalDate, LocalDateSurrogate>
{
    public LocalDate ConvertFromSurrogate(in LocalDateSurrogate surrogate)
        => new(surrogate.Year, surrogate.Month, surrogate.Day, CalendarSystems.Resolve(surrogate.CalendarId));

    public LocalDateSurrogate ConvertToSurrogate(in LocalDate value)
        => new() { Year = value.Year, Month = value.Month, Day = value.Day, CalendarId = CalendarSystems.IdOf(value.Calendar) };
}

/// <summary>A <see cref="LocalTime"/>: nanoseconds since midnight.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.local-time")]
internal readonly record struct LocalTimeSurrogate
{
    [Id(0)] public long NanosecondOfDay { get; init; }
}

[RegisterConverter]
internal sealed class LocalTimeConverter : IConverter<LocalTime, LocalTimeSurrogate>
{
    public LocalTime ConvertFromSurrogate(in LocalTimeSurrogate surrogate) => LocalTime.FromNanosecondsSinceMidnight(surrogate.NanosecondOfDay);

    public LocalTimeSurrogate ConvertToSurrogate(in LocalTime value) => new() { NanosecondOfDay = value.NanosecondOfDay };
}

/// <summary>A <see cref="YearMonth"/>: year, month and the calendar system (null for ISO).</summary>
[GenerateSerializer, Immutable, Alias("slagrains.year-month")]
internal readonly record struct YearMonthSurrogate
{
    [Id(0)] public int Year { get; init; }

    [Id(1)] public int Month { get; init; }

    [Id(2)] public string? CalendarId { get; init; }
}

[RegisterConverter]
internal sealed class YearMonthConverter : IConverter<YearMonth, YearMonthSurrogate>
{
    public YearMonth ConvertFromSurrogate(in YearMonthSurrogate surrogate)
        => new(surrogate.Year, surrogate.Month, CalendarSystems.Resolve(surrogate.CalendarId));

    public YearMonthSurrogate ConvertToSurrogate(in YearMonth value)
        => new() { Year = value.Year, Month = value.Month, CalendarId = CalendarSystems.IdOf(value.Calendar) };
}

/// <summary>An <see cref="Interval"/>: either end may be missing (unbounded).</summary>
[GenerateSerializer, Immutable, Alias("slagrains.interval")]
internal readonly record struct IntervalSurrogate
{
    [Id(0)] public Instant? Start { get; init; }

    [Id(1)] public Instant? End { get; init; }
}

[RegisterConverter]
internal sealed class IntervalConverter : IConverter<Interval, IntervalSurrogate>
{
    public Interval ConvertFromSurrogate(in IntervalSurrogate surrogate) => new(surrogate.Start, surrogate.End);

    public IntervalSurrogate ConvertToSurrogate(in Interval value)
        => new() { Start = value.HasStart ? value.Start : null, End = value.HasEnd ? value.End : null };
}

/// <summary>A <see cref="DateTimeZone"/> by its IANA id, read back from TZDB.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.time-zone")]
internal readonly record struct DateTimeZoneSurrogate
{
    [Id(0)] public string? Id { get; init; }
}

/// <summary>
/// Serializes every <see cref="DateTimeZone"/> subclass (TZDB zones are cached, fixed or precalculated
/// subclasses) by id; a plain converter would only match the abstract type itself.
/// </summary>
[RegisterSerializer]
internal sealed class DateTimeZoneCodec : GeneralizedReferenceTypeSurrogateCodec<DateTimeZone, DateTimeZoneSurrogate>
{
    public DateTimeZoneCodec(IValueSerializer<DateTimeZoneSurrogate> surrogateSerializer)
        : base(surrogateSerializer)
    {
    }

    public override DateTimeZone ConvertFromSurrogate(ref DateTimeZoneSurrogate surrogate) => StoredZone.Resolve(surrogate.Id);

    public override void ConvertToSurrogate(DateTimeZone value, ref DateTimeZoneSurrogate surrogate) => surrogate = new() { Id = value.Id };
}

/// <summary>Zones are immutable and shared: a copy is the zone itself.</summary>
[RegisterCopier]
internal sealed class DateTimeZoneCopier : IDeepCopier<DateTimeZone>, IDerivedTypeCopier
{
    public DateTimeZone? DeepCopy(DateTimeZone? input, CopyContext context) => input;

    public object? DeepCopy(object? input, CopyContext context) => input;
}

/// <summary>Calendar systems by id; ISO, by far the usual one, is stored as null.</summary>
internal static class CalendarSystems
{
    public static string? IdOf(CalendarSystem calendar) => calendar == CalendarSystem.Iso ? null : calendar.Id;

    public static CalendarSystem Resolve(string? id) => id is null ? CalendarSystem.Iso : CalendarSystem.ForId(id);
}
