using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace SlaGrains.Domain.Calendars;

/// <summary>
/// A half-open stretch <c>[Start, End)</c> of local wall-clock time within one day during which a
/// calendar is open. <see cref="End"/> may be 24:00 (<see cref="EndsAtMidnight"/>), so a day can be
/// open to its very end; an interval never crosses midnight (overnight shifts are split by
/// <see cref="WeeklySchedule"/>).
/// </summary>
public readonly record struct OpenInterval
{
    internal const long NanosecondsPerDay = NodaConstants.NanosecondsPerDay;

    private static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private static readonly LocalTimePattern HourMinuteSecond = LocalTimePattern.CreateWithInvariantCulture("HH:mm:ss");

    /// <summary>Creates <c>[start, end)</c>; <paramref name="end"/> must be later than <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentException">When <paramref name="end"/> is not after <paramref name="start"/>.</exception>
    public OpenInterval(LocalTime start, LocalTime end)
        : this(start.NanosecondOfDay, end.NanosecondOfDay)
    {
    }

    internal OpenInterval(long startNanosecondOfDay, long endNanosecondOfDay)
    {
        if (startNanosecondOfDay < 0 || startNanosecondOfDay >= NanosecondsPerDay)
        {
            throw new ArgumentOutOfRangeException(nameof(startNanosecondOfDay), "An open interval starts within the day (00:00 to before 24:00).");
        }

        if (endNanosecondOfDay <= startNanosecondOfDay || endNanosecondOfDay > NanosecondsPerDay)
        {
            throw new ArgumentException(
                $"Open interval {Format(startNanosecondOfDay)}–{Format(endNanosecondOfDay)} is inverted or empty: the end must be after the start (use 24:00 for the end of the day).");
        }

        StartNanosecondOfDay = startNanosecondOfDay;
        EndNanosecondOfDay = endNanosecondOfDay;
    }

    /// <summary>Local time the interval opens (inclusive).</summary>
    public LocalTime Start => LocalTime.FromNanosecondsSinceMidnight(StartNanosecondOfDay);

    /// <summary>Local time the interval closes (exclusive); midnight when <see cref="EndsAtMidnight"/>.</summary>
    public LocalTime End => EndsAtMidnight ? LocalTime.Midnight : LocalTime.FromNanosecondsSinceMidnight(EndNanosecondOfDay);

    /// <summary>True when the interval runs to 24:00, the end of its day.</summary>
    public bool EndsAtMidnight => EndNanosecondOfDay == NanosecondsPerDay;

    /// <summary>Nominal length in local time (ignores DST; the calendar measures real elapsed time).</summary>
    public Duration NominalLength => Duration.FromNanoseconds(EndNanosecondOfDay - StartNanosecondOfDay);

    internal long StartNanosecondOfDay { get; }

    internal long EndNanosecondOfDay { get; }

    /// <summary>An interval open until the end of the day (24:00).</summary>
    public static OpenInterval UntilMidnight(LocalTime start) => new(start.NanosecondOfDay, NanosecondsPerDay);

    /// <summary>
    /// Parses <c>HH:mm</c> or <c>HH:mm:ss</c> ends; <paramref name="end"/> may be <c>24:00</c>. An end earlier
    /// than the start is rejected here: overnight shifts are declared on a <see cref="WeeklySchedule"/>.
    /// </summary>
    /// <exception cref="FormatException">When a time is not <c>HH:mm</c>/<c>HH:mm:ss</c>.</exception>
    public static OpenInterval Parse(string start, string end)
    {
        var startNanos = ParseTimeOfDay(start, allowEndOfDay: false);
        var endNanos = ParseTimeOfDay(end, allowEndOfDay: true);
        return new OpenInterval(startNanos, endNanos);
    }

    /// <summary>Formats as <c>HH:mm–HH:mm</c> (seconds shown when present).</summary>
    public override string ToString() => $"{Format(StartNanosecondOfDay)}–{Format(EndNanosecondOfDay)}";

    private static string Printable(string text) => string.Concat(text.Take(16).Select(c => char.IsControl(c) ? '\uFFFD' : c));

    internal static long ParseTimeOfDay(string text, bool allowEndOfDay)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (allowEndOfDay && (trimmed == "24:00" || trimmed == "24:00:00"))
        {
            return NanosecondsPerDay;
        }

        // NodaTime's pattern stops at a NUL and reads "09:00\0" as 09:00: only ASCII digits and ':' are a time of day.
        var result = trimmed.All(c => char.IsAsciiDigit(c) || c == ':') ? HourMinute.Parse(trimmed) : null;
        if (result is { Success: false })
        {
            result = HourMinuteSecond.Parse(trimmed);
        }

        if (result is not { Success: true })
        {
            throw new FormatException(
                $"'{Printable(text)}' is not a time of day: expected HH:mm or HH:mm:ss{(allowEndOfDay ? " (or 24:00)" : string.Empty)}.");
        }

        return result.Value.NanosecondOfDay;
    }

    private static string Format(long nanosecondOfDay)
    {
        if (nanosecondOfDay >= NanosecondsPerDay)
        {
            return "24:00";
        }

        var time = LocalTime.FromNanosecondsSinceMidnight(nanosecondOfDay);
        return time.Second == 0 && time.NanosecondOfSecond == 0
            ? time.ToString("HH:mm", CultureInfo.InvariantCulture)
            : time.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
