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
/// as <c>2026-12-25</c>, months as <c>2026-10</c>. A value that does not parse fails with a message saying what is
/// expected; the serializer adds the JSON path.
/// </summary>
public static partial class NodaTimeJson
{
    /// <summary>The converters, for <see cref="JsonSerializerOptions.Converters"/>.</summary>
    public static IEnumerable<JsonConverter> Converters { get; } =
    [
        new TextConverter<Instant>(TryParseInstant, FormatInstant, "an instant: use ISO 8601 with Z or an offset, e.g. 2026-11-20T15:30:00Z"),
        new TextConverter<Duration>(TryParseDuration, FormatDuration, "a duration: use ISO 8601 in hours, minutes and seconds, e.g. PT4H, PT90S, PT1.5S"),
        Pattern(LocalDatePattern.Iso, "a date: use yyyy-MM-dd, e.g. 2026-12-25"),
        Pattern(YearMonthPattern.Iso, "a month: use yyyy-MM, e.g. 2026-10"),
        Pattern(LocalTimePattern.ExtendedIso, "a time of day: use HH:mm, e.g. 09:00"),
        new IntervalConverter(),
    ];

    /// <summary>Reads an instant: ISO 8601 with <c>Z</c> or an offset.</summary>
    public static bool TryParseInstant(string? text, out Instant instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (offset.Success)
        {
            instant = offset.Value.ToInstant();
            return true;
        }

        var utc = InstantPattern.ExtendedIso.Parse(text.Trim());
        instant = utc.Success ? utc.Value : default;
        return utc.Success;
    }

    /// <summary>Writes an instant in UTC with <c>Z</c>.</summary>
    public static string FormatInstant(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    /// <summary>Reads an ISO 8601 duration of days, hours, minutes and seconds (fractions allowed on seconds); no years, months or weeks.</summary>
    public static bool TryParseDuration(string? text, out Duration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
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

        static decimal Part(Group g) => g.Success ? decimal.Parse(g.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : 0m;
        var seconds = (Part(match.Groups["d"]) * 86_400m) + (Part(match.Groups["h"]) * 3_600m) + (Part(match.Groups["m"]) * 60m) + Part(match.Groups["s"]);
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

    [GeneratedRegex(@"^(?<sign>[-+])?P(?:(?<d>\d+(?:\.\d+)?)D)?(?:T(?:(?<h>\d+(?:\.\d+)?)H)?(?:(?<m>\d+(?:\.\d+)?)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDuration();

    /// <summary>A NodaTime text pattern as a converter (dates, months, times of day).</summary>
    private static TextConverter<T> Pattern<T>(IPattern<T> pattern, string expected)
        => new(
            (string? text, out T value) =>
            {
                var parsed = pattern.Parse(text ?? string.Empty);
                value = parsed.Success ? parsed.Value : default!;
                return parsed.Success;
            },
            pattern.Format,
            expected);

    private delegate bool TryParse<T>(string? text, out T value);

    /// <summary>A value written as a JSON string; one that does not parse fails saying what is expected.</summary>
    private sealed class TextConverter<T>(TryParse<T> tryParse, Func<T, string> format, string expected) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return tryParse(text, out var value) ? value : throw new JsonException($"'{text}' is not {expected}.");
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
                throw new JsonException("An interval is an object: {\"start\": \"...Z\", \"end\": \"...Z\"}.");
            }

            Instant? start = null;
            Instant? end = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                var value = reader.TokenType == JsonTokenType.Null ? (Instant?)null : TryParseInstant(reader.GetString(), out var i) ? i : throw new JsonException($"'{name}' is not an instant.");
                if (string.Equals(name, "start", StringComparison.OrdinalIgnoreCase))
                {
                    start = value;
                }
                else if (string.Equals(name, "end", StringComparison.OrdinalIgnoreCase))
                {
                    end = value;
                }
            }

            return start is { } s && end is { } e && e < s ? throw new JsonException("An interval's end is before its start.") : new Interval(start, end);
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
