using System.Collections.Immutable;
using System.Globalization;
using Orleans.Concurrency;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Contracts.Monitors;

/// <summary>An inclusive range of HTTP status codes, e.g. <c>200–299</c>; a single code is a range of one.</summary>
/// <param name="From">The first code (100–599).</param>
/// <param name="To">The last code, inclusive (<paramref name="From"/>–599).</param>
[GenerateSerializer]
[Alias("slagrains.status-code-range")]
[Immutable]
public readonly record struct StatusCodeRange([property: Id(0)] int From, [property: Id(1)] int To)
{
    /// <summary>2xx: what an http monitor expects unless told otherwise.</summary>
    public static ImmutableArray<StatusCodeRange> Success { get; } = [new(200, 299)];

    /// <summary>Whether <paramref name="statusCode"/> is in the range.</summary>
    public bool Contains(int statusCode) => statusCode >= From && statusCode <= To;

    /// <summary>Reads <c>404</c> or <c>200-299</c> (whitespace ignored); false for anything else, or for codes outside 100–599 or a range whose end is before its start.</summary>
    public static bool TryParse(string? text, out StatusCodeRange range)
    {
        range = default;
        var parts = (text ?? string.Empty).Split('-', 2, StringSplitOptions.TrimEntries);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            return false;
        }

        var to = from;
        if (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out to))
        {
            return false;
        }

        range = new StatusCodeRange(from, to);
        return range.IsValid;
    }

    /// <summary>Both ends in 100–599 and in order.</summary>
    public bool IsValid => From is >= 100 and <= 599 && To is >= 100 and <= 599 && From <= To;

    /// <inheritdoc />
    public override string ToString() => From == To ? From.ToString(CultureInfo.InvariantCulture) : $"{From}-{To}";
}

/// <summary>A request header an http monitor sends, e.g. <c>Accept: application/json</c>.</summary>
/// <param name="Name">The header name: an HTTP token of 1–100 characters; not Host, not a hop-by-hop header.</param>
/// <param name="Value">The value: at most 2,000 characters, no CR, LF or other control characters (a tab is fine).</param>
[GenerateSerializer]
[Alias("slagrains.http-header")]
[Immutable]
public readonly record struct HttpHeader([property: Id(0)] string Name, [property: Id(1)] string Value)
{
    /// <summary>Most headers a monitor sends.</summary>
    public const int MaxCount = 20;

    /// <summary>Longest header name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Longest header value.</summary>
    public const int MaxValueLength = 2_000;

    /// <summary>
    /// Headers the monitor may not set: Host (the URL names it), the hop-by-hop ones (they describe one connection, and
    /// Transfer-Encoding or Connection could smuggle a second request), and those the request itself writes (the
    /// body's length and type, which the <c>contentType</c> setting gives).
    /// </summary>
    public static readonly IReadOnlySet<string> Refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Content-Length", "Content-Type",
    };

    /// <summary>Headers whose value is a secret: the API shows them as <c>set</c>, never their value.</summary>
    public static bool IsSecret(string name) => name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase);

    /// <summary>What is wrong with this header, or null.</summary>
    public string? Problem()
    {
        if (Name is not { Length: > 0 and <= MaxNameLength } || !Name.All(IsTokenChar))
        {
            return $"A header name is an HTTP token of 1–{MaxNameLength} characters (letters, digits and !#$%&'*+-.^_`|~).";
        }

        if (Refused.Contains(Name))
        {
            return $"The header '{Name}' is set by the probe itself (Host, hop-by-hop and body headers are; the body's type is contentType).";
        }

        if (Value is null || Value.Length > MaxValueLength || Value.Any(c => char.IsControl(c) && c != '\t'))
        {
            return $"A header value has at most {MaxValueLength:N0} characters and no line breaks or other control characters.";
        }

        return null;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}

/// <summary>
/// HTTP basic authentication (RFC 7617) for an http monitor. The password is kept in the monitor's settings (grain
/// state), as a webhook's URL is: the API and the admin page show it only as <c>set</c>, and this record's text form
/// (what a log of the settings would print) leaves it out.
/// </summary>
/// <param name="Username">1–200 characters, no ':' (it separates the two) and no control characters.</param>
/// <param name="Password">0–1,000 characters, no control characters.</param>
[GenerateSerializer]
[Alias("slagrains.http-basic-auth")]
[Immutable]
public sealed record HttpBasicAuth([property: Id(0)] string Username, [property: Id(1)] string Password)
{
    /// <summary>Longest user name.</summary>
    public const int MaxUsernameLength = 200;

    /// <summary>Longest password.</summary>
    public const int MaxPasswordLength = 1_000;

    /// <summary>The <c>Authorization</c> header's parameter: base64 of <c>username:password</c> in UTF-8.</summary>
    public string Parameter => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    /// <summary>The text form without the password.</summary>
    public override string ToString() => $"HttpBasicAuth {{ Username = {Username}, Password = set }}";

    /// <summary>What is wrong, per field (<c>basicAuth.username</c>, <c>basicAuth.password</c>).</summary>
    public IEnumerable<(string Field, string Message)> Problems()
    {
        if (Username is not { Length: > 0 and <= MaxUsernameLength } || Username.Contains(':', StringComparison.Ordinal) || Username.Any(char.IsControl))
        {
            yield return ("basicAuth.username", $"A user name has 1–{MaxUsernameLength} characters, no ':' and no control characters.");
        }

        if (Password is null || Password.Length > MaxPasswordLength || Password.Any(char.IsControl))
        {
            yield return ("basicAuth.password", $"A password has at most {MaxPasswordLength:N0} characters and no control characters.");
        }
    }
}

/// <summary>
/// A check on a JSON answer: the value at <paramref name="Pointer"/> (RFC 6901) must equal <paramref name="Expected"/>.
/// A JSON string equals the text itself (<c>ok</c> matches <c>"ok"</c>); a number, <c>true</c>, <c>false</c> or
/// <c>null</c> equals its JSON text (<c>200</c>, <c>true</c>, <c>null</c>), numbers also by value (<c>1.0</c> = <c>1</c>);
/// an object or array never equals.
/// </summary>
/// <param name="Pointer">A JSON Pointer: empty (the whole document) or starting with '/', '~' only as <c>~0</c> or <c>~1</c>; at most 1,000 characters.</param>
/// <param name="Expected">The expected value as text; at most 1,000 characters.</param>
[GenerateSerializer]
[Alias("slagrains.json-assertion")]
[Immutable]
public sealed record JsonAssertion([property: Id(0)] string Pointer, [property: Id(1)] string Expected)
{
    /// <summary>Longest pointer or expected value.</summary>
    public const int MaxLength = 1_000;

    /// <summary>Whether <paramref name="value"/> is the expected one.</summary>
    public bool Matches(System.Text.Json.JsonElement value) => value.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => string.Equals(value.GetString(), Expected, StringComparison.Ordinal),
        System.Text.Json.JsonValueKind.Number => string.Equals(value.GetRawText(), Expected, StringComparison.Ordinal)
            || (value.TryGetDecimal(out var number) && decimal.TryParse(Expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected) && number == expected),
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False or System.Text.Json.JsonValueKind.Null
            => string.Equals(value.GetRawText(), Expected, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>What is wrong, per field (<c>json.pointer</c>, <c>json.expected</c>).</summary>
    public IEnumerable<(string Field, string Message)> Problems()
    {
        if (Pointer is null || Pointer.Length > MaxLength || !JsonPointer.TryParse(Pointer, out _))
        {
            yield return ("json.pointer", $"A JSON Pointer (RFC 6901) is empty or starts with '/', writes '~' as ~0 and '/' in a name as ~1, and has at most {MaxLength:N0} characters; e.g. /status or /checks/0/state.");
        }

        if (Expected is null || Expected.Length > MaxLength)
        {
            yield return ("json.expected", $"The expected value is a string, number, true, false or null of at most {MaxLength:N0} characters.");
        }
    }
}

/// <summary>JSON Pointer (RFC 6901): parsing and evaluation on System.Text.Json documents.</summary>
public static class JsonPointer
{
    /// <summary>The reference tokens of <paramref name="pointer"/> (unescaped), or false when it is not a pointer.</summary>
    public static bool TryParse(string pointer, out ImmutableArray<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        tokens = [];
        if (pointer.Length == 0)
        {
            return true;
        }

        if (pointer[0] != '/')
        {
            return false;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = new System.Text.StringBuilder(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != '~')
                {
                    token.Append(raw[i]);
                }
                else if (i + 1 < raw.Length && raw[i + 1] is '0' or '1')
                {
                    token.Append(raw[++i] == '0' ? '~' : '/');
                }
                else
                {
                    return false;
                }
            }

            builder.Add(token.ToString());
        }

        tokens = builder.ToImmutable();
        return true;
    }

    /// <summary>The value <paramref name="pointer"/> refers to in <paramref name="root"/>; false when it refers to nothing (or is no pointer).</summary>
    public static bool TryEvaluate(System.Text.Json.JsonElement root, string pointer, out System.Text.Json.JsonElement value)
    {
        value = root;
        if (!TryParse(pointer, out var tokens))
        {
            return false;
        }

        foreach (var token in tokens)
        {
            switch (value.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object when value.TryGetProperty(token, out var property):
                    value = property;
                    break;

                // An array index is "0" or digits without a leading zero; "-" (past the end) refers to nothing.
                case System.Text.Json.JsonValueKind.Array when token is { Length: > 0 and <= 9 } && token.All(char.IsAsciiDigit)
                    && (token == "0" || token[0] != '0') && int.Parse(token, CultureInfo.InvariantCulture) is var index && index < value.GetArrayLength():
                    value = value[index];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}

/// <summary>
/// How an http monitor probes: a <paramref name="Method"/> request (GET unless set) of <paramref name="Url"/> every
/// <paramref name="Interval"/> from each probe region, with <paramref name="Headers"/>, <paramref name="Body"/> and
/// <paramref name="BasicAuth"/> when set; a probe is up when the answer comes within <paramref name="Timeout"/> with an
/// expected status code, when a <paramref name="Keyword"/> is set a body that contains it (or, with
/// <paramref name="KeywordAbsent"/>, does not; ordinal, case-sensitive, in the first MiB), and when a
/// <paramref name="Json"/> assertion is set a JSON body whose value at its pointer is the expected one. Settings
/// stored before the request options existed read with their defaults (a GET with no headers, body or credentials).
/// </summary>
/// <param name="Url">Absolute http or https URL.</param>
/// <param name="Interval">Time between probes; at least <see cref="MinimumInterval"/>.</param>
/// <param name="Timeout">How long a probe waits for the full answer; positive and shorter than the interval.</param>
/// <param name="ExpectedStatusCodes">Status codes that count as up; empty or default: 200–299.</param>
/// <param name="Keyword">Text the body must contain (or, with <paramref name="KeywordAbsent"/>, must not); null: not checked.</param>
/// <param name="Method">GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS; null: GET.</param>
/// <param name="Headers">Request headers (at most <see cref="HttpHeader.MaxCount"/>); default or empty: none.</param>
/// <param name="Body">The request body (UTF-8, at most <see cref="MaxBodyBytes"/> bytes); null: none. Not with GET or HEAD.</param>
/// <param name="ContentType">The body's media type, e.g. <c>application/json</c>; set exactly when a body is.</param>
/// <param name="BasicAuth">Basic authentication credentials; null: none.</param>
/// <param name="KeywordAbsent">Whether the probe is down when the <paramref name="Keyword"/> IS found (e.g. <c>error</c>).</param>
/// <param name="Json">An assertion on the JSON body; null: none.</param>
[GenerateSerializer]
[Alias("slagrains.http-probe-settings")]
[Immutable]
public sealed record HttpProbeSettings(
    [property: Id(0)] Uri Url,
    [property: Id(1)] Duration Interval,
    [property: Id(2)] Duration Timeout,
    [property: Id(3)] ImmutableArray<StatusCodeRange> ExpectedStatusCodes = default,
    [property: Id(4)] string? Keyword = null,
    [property: Id(5)] string? Method = null,
    [property: Id(6)] ImmutableArray<HttpHeader> Headers = default,
    [property: Id(7)] string? Body = null,
    [property: Id(8)] string? ContentType = null,
    [property: Id(9)] HttpBasicAuth? BasicAuth = null,
    [property: Id(10)] bool KeywordAbsent = false,
    [property: Id(11)] JsonAssertion? Json = null) : IProbeSettings
{
    /// <summary>Probing more often than every 10 seconds is refused: it would be load on the customer's service, not monitoring.</summary>
    public static readonly Duration MinimumInterval = ProbeRules.MinimumInterval;

    /// <inheritdoc />
    public string Kind => MonitorKinds.Http;

    /// <inheritdoc />
    public string Target => Url.ToString();

    /// <summary>The methods a monitor may use.</summary>
    public static readonly ImmutableArray<string> Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>Largest request body, in UTF-8 bytes: 64 KiB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Longest content type.</summary>
    public const int MaxContentTypeLength = 200;

    /// <summary>The expected codes, 200–299 when none are given.</summary>
    public ImmutableArray<StatusCodeRange> Expected => ExpectedStatusCodes.IsDefaultOrEmpty ? StatusCodeRange.Success : ExpectedStatusCodes;

    /// <summary>The request method: <see cref="Method"/>, or GET.</summary>
    public string MethodName => Method ?? "GET";

    /// <summary>The request headers; empty when none.</summary>
    public ImmutableArray<HttpHeader> RequestHeaders => Headers.IsDefault ? [] : Headers;

    /// <summary>Whether the probe reads the body (a keyword or a JSON assertion to check).</summary>
    public bool ReadsBody => Keyword is not null || Json is not null;

    /// <summary>Whether an answer with <paramref name="statusCode"/> is expected.</summary>
    public bool Expects(int statusCode) => Expected.Any(r => r.Contains(statusCode));

    /// <summary>Equal settings probe alike: the status codes and headers compare by value (a copy from another silo is equal), an unset method equals GET.</summary>
    public bool Equals(HttpProbeSettings? other)
        => other is not null && Url == other.Url && Interval == other.Interval && Timeout == other.Timeout
            && Expected.SequenceEqual(other.Expected) && string.Equals(Keyword, other.Keyword, StringComparison.Ordinal)
            && string.Equals(MethodName, other.MethodName, StringComparison.Ordinal) && RequestHeaders.SequenceEqual(other.RequestHeaders)
            && string.Equals(Body, other.Body, StringComparison.Ordinal) && string.Equals(ContentType, other.ContentType, StringComparison.Ordinal)
            && Equals(BasicAuth, other.BasicAuth) && KeywordAbsent == other.KeywordAbsent && Equals(Json, other.Json);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Url);
        hash.Add(Interval);
        hash.Add(Timeout);
        hash.Add(Keyword);
        hash.Add(MethodName);
        hash.Add(RequestHeaders.Length);
        hash.Add(Body);
        hash.Add(ContentType);
        hash.Add(BasicAuth);
        hash.Add(KeywordAbsent);
        hash.Add(Json);
        return hash.ToHashCode();
    }

    /// <summary>
    /// What is wrong with these settings, per field (API names: url, intervalSeconds, timeoutSeconds, expectedStatusCodes,
    /// keyword, keywordAbsent, method, headers[i], body, contentType, basicAuth.username, basicAuth.password,
    /// json.pointer, json.expected); empty when valid.
    /// </summary>
    public IEnumerable<(string Field, string Message)> Problems()
    {
        if (!WebhookRules.IsUrl(Url))
        {
            yield return ("url", "An http monitor probes an absolute http or https URL.");
        }

        foreach (var timing in ProbeRules.TimingProblems(Interval, Timeout))
        {
            yield return timing;
        }

        if (!ExpectedStatusCodes.IsDefault && ExpectedStatusCodes.Any(r => !r.IsValid))
        {
            yield return ("expectedStatusCodes", "Expected status codes are codes or ranges within 100–599, e.g. 200-299 or 404.");
        }

        if (Keyword is { } keyword && (keyword.Length == 0 || keyword.Length > 1000))
        {
            yield return ("keyword", "A keyword has 1–1,000 characters (omit it to not check the body).");
        }

        if (KeywordAbsent && Keyword is null)
        {
            yield return ("keywordAbsent", "keywordAbsent needs the keyword that must not be found.");
        }

        var method = MethodName;
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            yield return ("method", $"The method is one of {string.Join(", ", Methods)}.");
        }
        else if (method == "HEAD" && ReadsBody)
        {
            yield return (Keyword is null ? "json" : "keyword", "A HEAD request gets no body: a keyword or JSON check needs another method, e.g. GET.");
        }

        if (RequestHeaders.Length > HttpHeader.MaxCount)
        {
            yield return ("headers", $"At most {HttpHeader.MaxCount} headers.");
        }
        else
        {
            for (var i = 0; i < RequestHeaders.Length; i++)
            {
                if (RequestHeaders[i].Problem() is { } problem)
                {
                    yield return ($"headers[{i}]", problem);
                }
                else if (BasicAuth is not null && RequestHeaders[i].Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    yield return ($"headers[{i}]", "Basic authentication sets the Authorization header; give one or the other.");
                }
            }
        }

        if (Body is { } body)
        {
            if (method is "GET" or "HEAD")
            {
                yield return ("body", $"A {method} request has no body; use POST, PUT, PATCH, DELETE or OPTIONS.");
            }
            else if (System.Text.Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
            {
                yield return ("body", $"A request body has at most {MaxBodyBytes / 1024} KiB (UTF-8).");
            }

            if (ContentType is not { Length: > 0 and <= MaxContentTypeLength } type || type.Any(char.IsControl)
                || !System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out _))
            {
                yield return ("contentType", $"The body's content type is a media type of at most {MaxContentTypeLength} characters, e.g. application/json.");
            }
        }
        else if (ContentType is not null)
        {
            yield return ("contentType", "A content type describes a body; there is none.");
        }

        foreach (var problem in BasicAuth?.Problems() ?? [])
        {
            yield return problem;
        }

        foreach (var problem in Json?.Problems() ?? [])
        {
            yield return problem;
        }
    }
}

/// <summary>What one probe (of any kind) from one region saw.</summary>
/// <param name="Region">The probe region (a silo's <c>Probes:Region</c>, or <c>default</c>).</param>
/// <param name="At">When the probe started (SLA time).</param>
/// <param name="Up">Whether it counts as up.</param>
/// <param name="StatusCode">The answer's status code; null when none came.</param>
/// <param name="ResponseTime">Time to the full answer (headers and, with a keyword, the body read); null when none came in time.</param>
/// <param name="Detail">Why, in a few words: <c>HTTP 200</c>, <c>HTTP 500 not expected</c>, <c>keyword 'ok' not found</c>, <c>no answer within PT2S</c>.</param>
/// <param name="CertificateExpiresAt">For a tls probe, when the server's certificate expires (also when it is down because it has); else null.</param>
[GenerateSerializer]
[Alias("slagrains.probe-report")]
[Immutable]
public sealed record ProbeReport(
    [property: Id(0)] string Region,
    [property: Id(1)] Instant At,
    [property: Id(2)] bool Up,
    [property: Id(3)] int? StatusCode,
    [property: Id(4)] Duration? ResponseTime,
    [property: Id(5)] string Detail,
    [property: Id(6)] Instant? CertificateExpiresAt = null);

/// <summary>
/// The prober of one probing monitor (any kind) in one region (key: <see cref="ProbeKeys.Of"/>), placed on a silo of that region. The
/// monitor grain starts, re-confirms (every minute, its durable backstop) and stops it; while started it probes every
/// interval on a grain timer and hands each result to the monitor.
/// </summary>
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Probes with <paramref name="settings"/> from now on (the first probe at once); a no-op when already so. Interleaves: it only swaps the plan.</summary>
    [AlwaysInterleave]
    Task Start(IProbeSettings settings);

    /// <summary>Stops probing. Interleaves: it only drops the plan.</summary>
    [AlwaysInterleave]
    Task Stop();

    /// <summary>Probes once now and hands the result to the monitor (tests and "check now"); null when the monitor does not probe from this region.</summary>
    Task<ProbeReport?> ProbeNow();
}

/// <summary>A prober's key, <c>{monitor}/{region}</c>: region names have no '/', so the last one splits it.</summary>
public static class ProbeKeys
{
    /// <summary>The key of monitor <paramref name="monitorId"/>'s prober in <paramref name="region"/>.</summary>
    public static string Of(string monitorId, string region) => $"{monitorId}/{region}";

    /// <summary>The region in a prober's key.</summary>
    public static string RegionOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key[(key.LastIndexOf('/') + 1)..];
    }

    /// <summary>The monitor in a prober's key.</summary>
    public static string MonitorOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key[..Math.Max(0, key.LastIndexOf('/'))];
    }

    /// <summary>Whether <paramref name="region"/> may name a probe region: 1–64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsRegionName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? region)
        => region is { Length: > 0 and <= 64 } && region.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
