using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NodaTime.Text;

namespace SlaGrains.Application.Integrations;

/// <summary>
/// What the vendor adapters share: bounded JSON reading with errors named by JSON path, header look-up, HMACs compared
/// in constant time, the vendors' timestamp spellings, and event ids that stay the same when a delivery is replayed.
/// </summary>
internal static class SourceReading
{
    /// <summary>Largest webhook body a vendor adapter reads (a ticket with its fields is a few KiB; batches stay well under).</summary>
    public const int MaxJsonBytes = 1024 * 1024;

    /// <summary>Deepest JSON a vendor adapter reads (Jira's issue fields are the deepest, around 8).</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Longest value (a status, priority, organisation, team or assignee name) taken from a payload.</summary>
    public const int MaxValueLength = Bounds.NameLength;

    /// <summary>Longest external ticket or event id taken from a payload.</summary>
    public const int MaxIdLength = 200;

    /// <summary>How far a signed timestamp may be from now before the delivery is refused as stale (or from the future).</summary>
    public static Duration SignatureTolerance { get; } = Duration.FromMinutes(5);

    /// <summary>The first value of the header <paramref name="name"/>, whatever the case of the dictionary's keys.</summary>
    public static string? Header(IntegrationRequest request, string name)
    {
        if (request.Headers.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var (key, headerValue) in request.Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return headerValue;
            }
        }

        return null;
    }

    /// <summary>HMAC-SHA256 of <paramref name="message"/> under <paramref name="key"/>.</summary>
    public static byte[] HmacSha256(byte[] key, ReadOnlySpan<byte> message) => HMACSHA256.HashData(key, message);

    /// <summary>True when the two byte strings are equal, taking the same time wherever they differ.</summary>
    public static bool SameBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) => CryptographicOperations.FixedTimeEquals(expected, actual);

    /// <summary>The bytes of base64 <paramref name="text"/>, or null when it is not base64.</summary>
    public static byte[]? FromBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>The bytes of hex <paramref name="text"/>, or null when it is not hex.</summary>
    public static byte[]? FromHex(string text)
    {
        try
        {
            return Convert.FromHexString(text.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>As <see cref="ParseJson"/>, for sources whose every payload is one JSON object.</summary>
    public static Result<JsonDocument> ParseJsonObject(ReadOnlyMemory<byte> body, string source)
    {
        var parsed = ParseJson(body, source);
        if (parsed.Succeeded && parsed.Value.RootElement.ValueKind != JsonValueKind.Object)
        {
            parsed.Value.Dispose();
            return Failure.Invalid("$", $"The {source} payload must be a JSON object.");
        }

        return parsed;
    }

    /// <summary>Parses a vendor body as JSON within bounds, or says why it is not JSON.</summary>
    public static Result<JsonDocument> ParseJson(ReadOnlyMemory<byte> body, string source)
    {
        if (body.Length == 0)
        {
            return Failure.Invalid("$", $"The {source} payload is empty: expected a JSON object.");
        }

        if (body.Length > MaxJsonBytes)
        {
            return Failure.Invalid("$", $"The {source} payload has {body.Length} bytes; at most {MaxJsonBytes} are read.");
        }

        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException error)
        {
            var where = error.Path is { Length: > 0 } path ? path : "$";
            return Failure.Invalid(where, $"The {source} payload is not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1}).");
        }
    }

    /// <summary>An object property by name, or default when absent, null, or <paramref name="element"/> is not an object.</summary>
    public static JsonElement Prop(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>True when the element is absent or JSON null.</summary>
    public static bool IsMissing(JsonElement element) => element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    /// <summary>
    /// A text value (a JSON string, or a number written as text: vendors send ids either way), trimmed and blank as null;
    /// an error on <paramref name="path"/> when it is another kind or longer than <paramref name="maxLength"/>.
    /// </summary>
    public static string? Text(JsonElement element, string path, InputErrors errors, int maxLength = MaxValueLength)
    {
        string? text = element.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => Invalid(errors, path, $"{path} must be a string."),
        };

        text = Bounds.Blank(text);
        if (text is null)
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(path, $"{path} has {text.Length} characters; at most {maxLength} are read.");
            return null;
        }

        if (!Bounds.IsPrintable(text))
        {
            errors.Add(path, $"{path} holds control characters.");
            return null;
        }

        return text;
    }

    /// <summary>Like <see cref="Text"/>, and an error when it is missing.</summary>
    public static string? RequiredText(JsonElement element, string path, InputErrors errors, int maxLength = MaxValueLength)
    {
        var missing = IsMissing(element) || (element.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(element.GetString()));
        if (missing)
        {
            errors.Add(path, $"{path} is required.");
            return null;
        }

        return Text(element, path, errors, maxLength);
    }

    /// <summary>A JSON boolean (or the strings <c>true</c>/<c>false</c>, as placeholders render them); null when absent.</summary>
    public static bool? Flag(JsonElement element, string path, InputErrors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when bool.TryParse(element.GetString()?.Trim(), out var flag):
                return flag;
            default:
                errors.Add(path, $"{path} must be true or false.");
                return null;
        }
    }

    /// <summary>
    /// An instant written the ways these vendors write them: ISO 8601 with <c>Z</c> or an offset (<c>+00:00</c>, or
    /// Jira's <c>+0000</c>), with or without fractions of a second (or, with <c>Z</c>, without seconds); an error on <paramref name="path"/> otherwise, or when
    /// it lies outside <see cref="Bounds"/>.
    /// </summary>
    public static Instant? Time(JsonElement element, string path, InputErrors errors, bool required = true)
    {
        if (IsMissing(element))
        {
            if (required)
            {
                errors.Add(path, $"{path} is required (the time it happened, ISO 8601).");
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, $"{path} must be an ISO 8601 time, e.g. 2026-01-31T09:30:00Z.");
            return null;
        }

        return ParseInstant(element.GetString() ?? string.Empty, path, errors);
    }

    /// <summary>Parses text as an instant as <see cref="Time"/> does.</summary>
    public static Instant? ParseInstant(string text, string path, InputErrors errors)
    {
        text = text.Trim();
        if (text.Length is 0 or > 64 || !TryParseInstant(text, out var at))
        {
            errors.Add(path, $"{path} '{Bounds.Echo(text, 64)}' is not an ISO 8601 time, e.g. 2026-01-31T09:30:00Z.");
            return null;
        }

        return Bounds.CheckInstant(errors, path, at) ? at : null;
    }

    /// <summary>Milliseconds since the Unix epoch (Jira's <c>timestamp</c>), within <see cref="Bounds"/>.</summary>
    public static Instant? EpochMilliseconds(JsonElement element, string path, InputErrors errors)
    {
        if (IsMissing(element))
        {
            errors.Add(path, $"{path} is required (milliseconds since 1970-01-01).");
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var milliseconds))
        {
            errors.Add(path, $"{path} must be a whole number of milliseconds since 1970-01-01.");
            return null;
        }

        var earliest = Bounds.EarliestInstant.ToUnixTimeMilliseconds();
        var latest = Bounds.LatestInstant.ToUnixTimeMilliseconds();
        if (milliseconds < earliest || milliseconds > latest)
        {
            errors.Add(path, $"{path} must fall between {Bounds.EarliestInstant} and {Bounds.LatestInstant}.");
            return null;
        }

        return NodaTime.Instant.FromUnixTimeMilliseconds(milliseconds);
    }

    private static readonly OffsetDateTimePattern CompactOffset =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss;FFFFFFFFFo<+HHmm>");

    // Zendesk's {{ticket.updated_at_with_timestamp}} renders to the minute: 2013-12-12T05:35Z.
    private static readonly InstantPattern ToTheMinute = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm'Z'");

    private static bool TryParseInstant(string text, out Instant at)
    {
        var minute = ToTheMinute.Parse(text);
        if (minute.Success)
        {
            at = minute.Value;
            return true;
        }

        var iso = InstantPattern.ExtendedIso.Parse(text);
        if (iso.Success)
        {
            at = iso.Value;
            return true;
        }

        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text);
        if (offset.Success)
        {
            at = offset.Value.ToInstant();
            return true;
        }

        var compact = CompactOffset.Parse(text);
        at = compact.Success ? compact.Value.ToInstant() : default;
        return compact.Success;
    }

    /// <summary>
    /// An event id for a payload that carries none: a hash of what makes the event what it is, so the same delivery
    /// replayed gives the same id and a different change gives another.
    /// </summary>
    public static string HashId(string ticketId, string type, Instant at, params string?[] values)
    {
        var text = new StringBuilder()
            .Append(ticketId).Append('\n')
            .Append(type).Append('\n')
            .Append(InstantPattern.ExtendedIso.Format(at));
        foreach (var value in values)
        {
            text.Append('\n').Append(value ?? "\u0000");
        }

        return "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    /// <summary>The events, or the errors when there are any.</summary>
    public static Result<ImmutableArray<ExternalTicketEvent>> Done(InputErrors errors, ImmutableArray<ExternalTicketEvent>.Builder events)
        => errors.Any ? Failure.Invalid(errors) : events.ToImmutable();

    /// <summary>Case-insensitive map from pairs.</summary>
    public static IReadOnlyDictionary<string, string> Map(params (string From, string To)[] pairs)
        => pairs.ToImmutableDictionary(p => p.From, p => p.To, StringComparer.OrdinalIgnoreCase);

    /// <summary>The current time's invariant text, for messages.</summary>
    public static string Format(Instant at) => InstantPattern.ExtendedIso.Format(at);

    /// <summary>Checks a signed timestamp against <paramref name="now"/>: null when fresh, else why not.</summary>
    public static string? Stale(Instant signedAt, Instant now)
    {
        var age = now - signedAt;
        if (age > SignatureTolerance)
        {
            return $"The signature's timestamp {Format(signedAt)} is more than {SignatureTolerance.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes old: a stale or replayed delivery.";
        }

        return -age > SignatureTolerance
            ? $"The signature's timestamp {Format(signedAt)} is more than {SignatureTolerance.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes in the future."
            : null;
    }

    private static string? Invalid(InputErrors errors, string path, string message)
    {
        errors.Add(path, message);
        return null;
    }
}
