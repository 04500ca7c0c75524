using System.Collections.Immutable;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Contracts.Serialization;

/// <summary>
/// An <see cref="OpenInterval"/> as nanoseconds of the day; an end of exactly one day
/// (86 400 000 000 000) is 24:00, the end of the day.
/// </summary>
[GenerateSerializer, Immutable, Alias("slagrains.open-interval")]
internal readonly record struct OpenIntervalSurrogate
{
    [Id(0)] public long StartNanosecondOfDay { get; init; }

    [Id(1)] public long EndNanosecondOfDay { get; init; }
}

[RegisterConverter]
internal sealed class OpenIntervalConverter : IConverter<OpenInterval, OpenIntervalSurrogate>
{
    public OpenInterval ConvertFromSurrogate(in OpenIntervalSurrogate surrogate)
    {
        var start = LocalTime.FromNanosecondsSinceMidnight(surrogate.StartNanosecondOfDay);
        return surrogate.EndNanosecondOfDay == NodaConstants.NanosecondsPerDay
            ? OpenInterval.UntilMidnight(start)
            : new OpenInterval(start, LocalTime.FromNanosecondsSinceMidnight(surrogate.EndNanosecondOfDay));
    }

    public OpenIntervalSurrogate ConvertToSurrogate(in OpenInterval value) => new()
    {
        StartNanosecondOfDay = value.Start.NanosecondOfDay,
        EndNanosecondOfDay = value.EndsAtMidnight ? NodaConstants.NanosecondsPerDay : value.End.NanosecondOfDay,
    };
}

/// <summary>
/// A <see cref="WeeklySchedule"/> as its normalized intervals per ISO day, overnight shifts already split
/// at midnight; rebuilt day by day so nothing is re-read as overnight.
/// </summary>
[GenerateSerializer, Alias("slagrains.weekly-schedule")]
internal readonly record struct WeeklyScheduleSurrogate
{
    [Id(0)] public ImmutableArray<OpenInterval> Monday { get; init; }

    [Id(1)] public ImmutableArray<OpenInterval> Tuesday { get; init; }

    [Id(2)] public ImmutableArray<OpenInterval> Wednesday { get; init; }

    [Id(3)] public ImmutableArray<OpenInterval> Thursday { get; init; }

    [Id(4)] public ImmutableArray<OpenInterval> Friday { get; init; }

    [Id(5)] public ImmutableArray<OpenInterval> Saturday { get; init; }

    [Id(6)] public ImmutableArray<OpenInterval> Sunday { get; init; }
}

[RegisterConverter]
internal sealed class WeeklyScheduleConverter : IConverter<WeeklySchedule, WeeklyScheduleSurrogate>
{
    public WeeklySchedule ConvertFromSurrogate(in WeeklyScheduleSurrogate surrogate)
    {
        var schedule = WeeklySchedule.Closed;
        schedule = Open(schedule, IsoDayOfWeek.Monday, surrogate.Monday);
        schedule = Open(schedule, IsoDayOfWeek.Tuesday, surrogate.Tuesday);
        schedule = Open(schedule, IsoDayOfWeek.Wednesday, surrogate.Wednesday);
        schedule = Open(schedule, IsoDayOfWeek.Thursday, surrogate.Thursday);
        schedule = Open(schedule, IsoDayOfWeek.Friday, surrogate.Friday);
        schedule = Open(schedule, IsoDayOfWeek.Saturday, surrogate.Saturday);
        return Open(schedule, IsoDayOfWeek.Sunday, surrogate.Sunday);
    }

    public WeeklyScheduleSurrogate ConvertToSurrogate(in WeeklySchedule value) => new()
    {
        Monday = value.On(IsoDayOfWeek.Monday),
        Tuesday = value.On(IsoDayOfWeek.Tuesday),
        Wednesday = value.On(IsoDayOfWeek.Wednesday),
        Thursday = value.On(IsoDayOfWeek.Thursday),
        Friday = value.On(IsoDayOfWeek.Friday),
        Saturday = value.On(IsoDayOfWeek.Saturday),
        Sunday = value.On(IsoDayOfWeek.Sunday),
    };

    /// <summary>
    /// Opens each stored interval on its own day. Stored intervals never cross midnight, so
    /// <see cref="WeeklySchedule.Open(IsoDayOfWeek, LocalTime, LocalTime)"/> never reads one as overnight:
    /// an end at 24:00 is passed as 00:00, which it takes as the end of the day.
    /// </summary>
    private static WeeklySchedule Open(WeeklySchedule schedule, IsoDayOfWeek day, ImmutableArray<OpenInterval> hours)
    {
        foreach (var interval in hours.IsDefault ? [] : hours)
        {
            schedule = schedule.Open(day, interval.Start, interval.End);
        }

        return schedule;
    }
}

/// <summary><see cref="SpecialHours"/>: the date and its hours (empty: closed all day).</summary>
[GenerateSerializer, Alias("slagrains.special-hours")]
internal readonly record struct SpecialHoursSurrogate
{
    [Id(0)] public LocalDate Date { get; init; }

    [Id(1)] public ImmutableArray<OpenInterval> Hours { get; init; }
}

[RegisterConverter]
internal sealed class SpecialHoursConverter : IConverter<SpecialHours, SpecialHoursSurrogate>
{
    public SpecialHours ConvertFromSurrogate(in SpecialHoursSurrogate surrogate)
        => new(surrogate.Date, surrogate.Hours.IsDefault ? [] : surrogate.Hours);

    public SpecialHoursSurrogate ConvertToSurrogate(in SpecialHours value) => new() { Date = value.Date, Hours = value.Hours };
}

/// <summary>
/// A <see cref="BusinessCalendar"/>: its definition (zone id, weekly hours, holidays, special hours), or
/// only the flag for <see cref="BusinessCalendar.AlwaysOpen"/>, which reads back as that same instance.
/// </summary>
[GenerateSerializer, Alias("slagrains.business-calendar")]
internal readonly record struct BusinessCalendarSurrogate
{
    [Id(0)] public bool IsAlwaysOpen { get; init; }

    [Id(1)] public string? ZoneId { get; init; }

    [Id(2)] public WeeklySchedule? Schedule { get; init; }

    [Id(3)] public ImmutableArray<LocalDate> Holidays { get; init; }

    [Id(4)] public ImmutableArray<SpecialHours> SpecialHours { get; init; }

    /// <summary>The holidays' names, in the order of <see cref="Holidays"/> (null for a holiday without one); default (not set) in calendars stored before names existed.</summary>
    [Id(5)] public ImmutableArray<string?> HolidayNames { get; init; }
}

[RegisterConverter]
internal sealed class BusinessCalendarConverter : IConverter<BusinessCalendar, BusinessCalendarSurrogate>
{
    public BusinessCalendar ConvertFromSurrogate(in BusinessCalendarSurrogate surrogate)
        => surrogate.IsAlwaysOpen
            ? BusinessCalendar.AlwaysOpen
            : new BusinessCalendar(
                StoredZone.Resolve(surrogate.ZoneId),
                surrogate.Schedule ?? WeeklySchedule.Closed,
                surrogate.Holidays.IsDefault ? [] : surrogate.Holidays,
                surrogate.SpecialHours.IsDefault ? [] : surrogate.SpecialHours)
            .WithHolidayNames(Names(surrogate));

    public BusinessCalendarSurrogate ConvertToSurrogate(in BusinessCalendar value)
        => value.IsAlwaysOpen
            ? new() { IsAlwaysOpen = true }
            : new()
            {
                ZoneId = value.Zone.Id,
                Schedule = value.Schedule,
                Holidays = [.. value.Holidays],
                SpecialHours = value.SpecialHours,
                HolidayNames = NamesInOrder(value),
            };

    private static ImmutableArray<string?> NamesInOrder(BusinessCalendar calendar)
        => calendar.HolidayNames.Count == 0 ? default : [.. calendar.Holidays.Select(d => calendar.HolidayNames.GetValueOrDefault(d))];

    private static IEnumerable<KeyValuePair<LocalDate, string>> Names(BusinessCalendarSurrogate surrogate)
        => surrogate.HolidayNames.IsDefault || surrogate.Holidays.IsDefault
            ? []
            : surrogate.Holidays.Zip(surrogate.HolidayNames).Where(p => p.Second is not null).Select(p => KeyValuePair.Create(p.First, p.Second!));
}
