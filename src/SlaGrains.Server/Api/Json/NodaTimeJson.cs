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
        [new InstantConverter(), new DurationConverter(), new LocalDateConverter(), new YearMonthConverter(), new LocalTimeConverter(), new IntervalConverter()];

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

    private sealed class InstantConverter : JsonConverter<Instant>
    {
        public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return TryParseInstant(text, out var instant)
                ? instant
                : throw new JsonException($"'{text}' is not an instant: use ISO 8601 with Z or an offset, e.g. 2026-11-20T15:30:00Z.");
        }

        public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) => writer.WriteStringValue(FormatInstant(value));
    }

    private sealed class DurationConverter : JsonConverter<Duration>
    {
        public override Duration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return TryParseDuration(text, out var duration)
                ? duration
                : throw new JsonException($"'{text}' is not a duration: use ISO 8601 in hours, minutes and seconds, e.g. PT4H, PT90S, PT1.5S.");
        }

        public override void Write(Utf8JsonWriter writer, Duration value, JsonSerializerOptions options) => writer.WriteStringValue(FormatDuration(value));
    }

    private sealed class LocalDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            var parsed = LocalDatePattern.Iso.Parse(text ?? string.Empty);
            return parsed.Success ? parsed.Value : throw new JsonException($"'{text}' is not a date: use yyyy-MM-dd, e.g. 2026-12-25.");
        }

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) => writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
    }

    private sealed class YearMonthConverter : JsonConverter<YearMonth>
    {
        public override YearMonth Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            var parsed = YearMonthPattern.Iso.Parse(text ?? string.Empty);
            return parsed.Success ? parsed.Value : throw new JsonException($"'{text}' is not a month: use yyyy-MM, e.g. 2026-10.");
        }

        public override void Write(Utf8JsonWriter writer, YearMonth value, JsonSerializerOptions options) => writer.WriteStringValue(YearMonthPattern.Iso.Format(value));
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

    private sealed class LocalTimeConverter : JsonConverter<LocalTime>
    {
        public override LocalTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            var parsed = LocalTimePattern.ExtendedIso.Parse(text ?? string.Empty);
            return parsed.Success ? parsed.Value : throw new JsonException($"'{text}' is not a time of day: use HH:mm, e.g. 09:00.");
        }

        public override void Write(Utf8JsonWriter writer, LocalTime value, JsonSerializerOptions options) => writer.WriteStringValue(LocalTimePattern.ExtendedIso.Format(value));
    }
}
