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

/// <summary>
/// How an http monitor probes: a GET of <paramref name="Url"/> every <paramref name="Interval"/> from each probe
/// region; a probe is up when the answer comes within <paramref name="Timeout"/> with an expected status code and,
/// when a <paramref name="Keyword"/> is set, a body that contains it (ordinal, case-sensitive, in the first MiB).
/// </summary>
/// <param name="Url">Absolute http or https URL.</param>
/// <param name="Interval">Time between probes; at least <see cref="MinimumInterval"/>.</param>
/// <param name="Timeout">How long a probe waits for the full answer; positive and shorter than the interval.</param>
/// <param name="ExpectedStatusCodes">Status codes that count as up; empty or default: 200–299.</param>
/// <param name="Keyword">Text the body must contain; null: the body is not read.</param>
[GenerateSerializer]
[Alias("slagrains.http-probe-settings")]
[Immutable]
public sealed record HttpProbeSettings(
    [property: Id(0)] Uri Url,
    [property: Id(1)] Duration Interval,
    [property: Id(2)] Duration Timeout,
    [property: Id(3)] ImmutableArray<StatusCodeRange> ExpectedStatusCodes = default,
    [property: Id(4)] string? Keyword = null) : IProbeSettings
{
    /// <summary>Probing more often than every 10 seconds is refused: it would be load on the customer's service, not monitoring.</summary>
    public static readonly Duration MinimumInterval = ProbeRules.MinimumInterval;

    /// <inheritdoc />
    public string Kind => MonitorKinds.Http;

    /// <inheritdoc />
    public string Target => Url.ToString();

    /// <summary>The expected codes, 200–299 when none are given.</summary>
    public ImmutableArray<StatusCodeRange> Expected => ExpectedStatusCodes.IsDefaultOrEmpty ? StatusCodeRange.Success : ExpectedStatusCodes;

    /// <summary>Whether an answer with <paramref name="statusCode"/> is expected.</summary>
    public bool Expects(int statusCode) => Expected.Any(r => r.Contains(statusCode));

    /// <summary>Equal settings probe alike: the status codes compare by value (a copy from another silo is equal).</summary>
    public bool Equals(HttpProbeSettings? other)
        => other is not null && Url == other.Url && Interval == other.Interval && Timeout == other.Timeout
            && Expected.SequenceEqual(other.Expected) && string.Equals(Keyword, other.Keyword, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Url, Interval, Timeout, Keyword);

    /// <summary>What is wrong with these settings, per field (API names: url, intervalSeconds, timeoutSeconds, expectedStatusCodes, keyword); empty when valid.</summary>
    public IEnumerable<(string Field, string Message)> Problems()
    {
        if (!WebhookRules.IsUrl(Url))
        {
            yield return ("url", "An http monitor probes an absolute http or https URL.");
        }

        if (Interval < MinimumInterval)
        {
            yield return ("intervalSeconds", $"Probes run at most every {MinimumInterval.TotalSeconds:0} seconds; got {Interval.TotalSeconds:0.###}.");
        }

        if (Timeout <= Duration.Zero || Timeout >= Interval)
        {
            yield return ("timeoutSeconds", $"The timeout is positive and shorter than the interval ({Interval.TotalSeconds:0.###} s); got {Timeout.TotalSeconds:0.###}.");
        }

        if (!ExpectedStatusCodes.IsDefault && ExpectedStatusCodes.Any(r => !r.IsValid))
        {
            yield return ("expectedStatusCodes", "Expected status codes are codes or ranges within 100–599, e.g. 200-299 or 404.");
        }

        if (Keyword is { } keyword && (keyword.Length == 0 || keyword.Length > 1000))
        {
            yield return ("keyword", "A keyword has 1–1,000 characters (omit it to not check the body).");
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
