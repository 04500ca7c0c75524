using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using NodaTime.Text;

namespace SlaGrains.Server.Api.Json;

/// <summary>
/// NodaTime values in the API's JSON: instants as ISO 8601 (written in UTC with <c>Z</c>; read with <c>Z</c> or an
/// offset), durations as ISO 8601 durations in days, hours, minutes and seconds (<c>PT4H</c>, <c>PT1.5S</c>), dates
/// as <c>2026-12-25</c>, months as <c>2026-10</c>. A value that does not parse fails with a
/// <see cref="JsonInputException"/> saying what is expected; the serializer adds the JSON path.
/// </summary>
/// <remarks>
/// What parses is what ISO 8601 writes without expansion: years 0001–9999 (an instant in UTC, after its offset is
/// applied), no control characters (NodaTime's parser reads a NUL as the end of the text, so <c>…Z\u0000</c> would
/// otherwise pass), at most <see cref="MaxTextLength"/> characters, and durations that fit NodaTime's range
/// (±292 years, whole nanoseconds). Whether a value that parses makes sense where it is sent (a target of 200
/// years, a window in 9999) is the application's to decide.
/// </remarks>
public static partial class NodaTimeJson
{
    /// <summary>The longest text read as a NodaTime value; longer text is refused before parsing.</summary>
    public const int MaxTextLength = 64;

    /// <summary>The converters, for <see cref="JsonSerializerOptions.Converters"/>.</summary>
    public static IEnumerable<JsonConverter> Converters { get; } =
    [
        new TextConverter<Instant>(TryParseInstant, FormatInstant, "an instant: use ISO 8601 with Z or an offset, e.g. 2026-11-20T15:30:00Z"),
        new TextConverter<Duration>(TryParseDuration, FormatDuration, "a duration: use ISO 8601 in hours, minutes and seconds, e.g. PT4H, PT90S, PT1.5S"),
        Pattern(LocalDatePattern.Iso, d => d.Year, "a date: use yyyy-MM-dd, e.g. 2026-12-25"),
        Pattern(YearMonthPattern.Iso, m => m.Year, "a month: use yyyy-MM, e.g. 2026-10"),
        Pattern(LocalTimePattern.ExtendedIso, _ => 1, "a time of day: use HH:mm, e.g. 09:00"),
        new IntervalConverter(),
    ];

    /// <summary>Reads an instant: ISO 8601 with <c>Z</c> or an offset, in years 0001–9999 once in UTC.</summary>
    public static bool TryParseInstant(string? text, out Instant instant)
    {
        instant = default;
        if (!IsPlausible(text))
        {
            return false;
        }

        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (offset.Success)
        {
            if (!IsIsoYear(offset.Value.Year))
            {
                return false;
            }

            try
            {
                instant = offset.Value.ToInstant();
            }
            catch (OverflowException)
            {
                // 9999-12-31T23:00-02:00 and the like: past the end of NodaTime's instants (documented to throw this).
                return false;
            }
        }
        else
        {
            var utc = InstantPattern.ExtendedIso.Parse(text.Trim());
            if (!utc.Success)
            {
                return false;
            }

            instant = utc.Value;
        }

        return IsIsoYear(instant.InUtc().Year);
    }

    /// <summary>Writes an instant in UTC with <c>Z</c>.</summary>
    public static string FormatInstant(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    /// <summary>Reads an ISO 8601 duration of days, hours, minutes and seconds (fractions allowed on seconds); no years, months or weeks.</summary>
    public static bool TryParseDuration(string? text, out Duration duration)
    {
        duration = default;
        if (!IsPlausible(text))
        {
            return false;
        }

        var match = IsoDuration().Match(text.Trim());
        if (!match.Success || (!match.Groups["d"].Success && !match.Groups["h"].Success && !match.Groups["m"].Success && !match.Groups["s"].Success))
        {
            return false;
        }

        if (text.Trim().EndsWith('T'))
        {
            return false;
        }

        // Each part is at most 64 characters, so it parses as a decimal; one over 10^12 (of any unit) is past NodaTime's
        // range already, and refusing it first keeps the sum and the product below from overflowing decimal.
        const decimal Largest = 1_000_000_000_000m;
        var parts = new[] { ("d", 86_400m), ("h", 3_600m), ("m", 60m), ("s", 1m) };
        var seconds = 0m;
        foreach (var (name, unit) in parts)
        {
            var group = match.Groups[name];
            if (!group.Success)
            {
                continue;
            }

            if (!decimal.TryParse(group.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var part) || part > Largest)
            {
                return false;
            }

            seconds += part * unit;
        }

        var nanoseconds = seconds * 1_000_000_000m;
        if (nanoseconds > long.MaxValue)
        {
            return false;
        }

        duration = Duration.FromNanoseconds((long)nanoseconds);
        if (match.Groups["sign"].Value == "-")
        {
            duration = -duration;
        }

        return true;
    }

    /// <summary>Writes a duration as ISO 8601 in hours, minutes and seconds (<c>PT26H5M</c>, <c>PT0S</c>).</summary>
    public static string FormatDuration(Duration duration)
    {
        var text = new StringBuilder(duration < Duration.Zero ? "-PT" : "PT");
        var total = duration < Duration.Zero ? -duration : duration;
        var hours = (long)Math.Floor(total.TotalHours);
        var minutes = total.Minutes;
        var seconds = total.Seconds + (total.SubsecondNanoseconds / 1_000_000_000m);
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('H');
        }

        if (minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('M');
        }

        if (seconds > 0 || (hours == 0 && minutes == 0))
        {
            text.Append(seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('S');
        }

        return text.ToString();
    }

    // [0-9], not \d: \d also matches other scripts' digits, which decimal.TryParse does not read.
    [GeneratedRegex(@"^(?<sign>[-+])?P(?:(?<d>[0-9]+(?:\.[0-9]+)?)D)?(?:T(?:(?<h>[0-9]+(?:\.[0-9]+)?)H)?(?:(?<m>[0-9]+(?:\.[0-9]+)?)M)?(?:(?<s>[0-9]+(?:\.[0-9]+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDuration();

    /// <summary>Text that may be a NodaTime value: not empty, not too long, no control characters.</summary>
    private static bool IsPlausible([NotNullWhen(true)] string? text)
        => !string.IsNullOrWhiteSpace(text) && text.Length <= MaxTextLength && !text.Any(char.IsControl);

    /// <summary>Years ISO 8601 writes with four digits and no sign.</summary>
    private static bool IsIsoYear(int year) => year is >= 1 and <= 9999;

    /// <summary>A NodaTime text pattern as a converter (dates, months, times of day), in years 0001–9999.</summary>
    private static TextConverter<T> Pattern<T>(IPattern<T> pattern, Func<T, int> year, string expected)
        => new(
            (string? text, out T value) =>
            {
                value = default!;
                if (!IsPlausible(text))
                {
                    return false;
                }

                var parsed = pattern.Parse(text);
                if (!parsed.Success || !IsIsoYear(year(parsed.Value)))
                {
                    return false;
                }

                value = parsed.Value;
                return true;
            },
            pattern.Format,
            expected);

    private delegate bool TryParse<T>(string? text, out T value);

    /// <summary>A value written as a JSON string; one that does not parse fails saying what is expected.</summary>
    private sealed class TextConverter<T>(TryParse<T> tryParse, Func<T, string> format, string expected) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonInputException($"Expected a string: {expected}.");
            }

            var text = reader.GetString();
            return tryParse(text, out var value) ? value : throw new JsonInputException($"{JsonInputException.Quote(text)} is not {expected}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(format(value));
    }

    /// <summary>Intervals as <c>{"start": instant | null, "end": instant | null}</c> (null: unbounded, e.g. an ongoing incident).</summary>
    private sealed class IntervalConverter : JsonConverter<Interval>
    {
        public override Interval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonInputException("An interval is an object: {\"start\": \"...Z\", \"end\": \"...Z\"}.");
            }

            Instant? start = null;
            Instant? end = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                var value = reader.TokenType switch
                {
                    JsonTokenType.Null => (Instant?)null,
                    JsonTokenType.String when TryParseInstant(reader.GetString(), out var i) => i,
                    _ => throw new JsonInputException($"An interval's {JsonInputException.Quote(name)} is not an instant: use ISO 8601 with Z or an offset, or null."),
                };
                if (string.Equals(name, "start", StringComparison.OrdinalIgnoreCase))
                {
                    start = value;
                }
                else if (string.Equals(name, "end", StringComparison.OrdinalIgnoreCase))
                {
                    end = value;
                }
            }

            return start is { } s && end is { } e && e < s ? throw new JsonInputException("An interval's end is before its start.") : new Interval(start, end);
        }

        public override void Write(Utf8JsonWriter writer, Interval value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            Write("start", value.HasStart ? value.Start : null);
            Write("end", value.HasEnd ? value.End : null);
            writer.WriteEndObject();

            void Write(string name, Instant? instant)
            {
                var key = options.PropertyNamingPolicy?.ConvertName(name) ?? name;
                if (instant is { } i)
                {
                    writer.WriteString(key, FormatInstant(i));
                }
                else
                {
                    writer.WriteNull(key);
                }
            }
        }
    }

}
