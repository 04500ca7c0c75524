using System.Buffers;
using System.Text;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;
using SlaGrains.Grains.Outbound;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Runs one HTTP probe: the monitor's request (method, headers, body, basic auth) with the probe's timeout over the
/// whole answer, judged by the expected status codes, the keyword (present or absent) and the JSON assertion. Every failure (no connection, timeout, unexpected status, keyword missing, a refused address) is a down
/// result saying why in outcome classes, never an exception and never the socket's own error text. One shared client
/// per silo whose connections <see cref="OutboundHttp"/> checks; redirects are followed here, at most
/// <see cref="MaxRedirects"/>, each hop checked (scheme, credentials, address) before it is requested.
/// </summary>
public sealed class HttpProber(HttpClient http, OutboundTargets targets)
{
    /// <summary>The header naming the probing region, so a target (or its logs) can tell the probe locations apart.</summary>
    public const string RegionHeader = "X-SlaGrains-Probe-Region";

    /// <summary>Most redirects followed; one more is a down result.</summary>
    public const int MaxRedirects = 5;

    /// <summary>The keyword is looked for in the first MiB of the body.</summary>
    internal const int BodyLimit = 1 << 20;

    /// <summary>A prober whose connections <paramref name="outbound"/> checks: pooled connections renewed every few minutes (DNS changes are seen), no client-wide timeout.</summary>
    public static HttpProber Create(OutboundHttp outbound)
    {
        ArgumentNullException.ThrowIfNull(outbound);
        var handler = outbound.CreateHandler();
        handler.AutomaticDecompression = System.Net.DecompressionMethods.All;
        return new(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, outbound.Targets);
    }

    /// <summary>Probes <paramref name="settings"/>' URL from <paramref name="region"/>; dated and timed by <paramref name="time"/>.</summary>
    public async Task<ProbeReport> ProbeAsync(HttpProbeSettings settings, string region, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var at = time.Now();
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout.ToTimeSpan());
        var redirects = 0;
        var method = new HttpMethod(settings.MethodName);
        var withBody = settings.Body is not null;

        // Once a redirect leaves the monitor's origin (scheme, host, port), the monitor's headers, body and credentials
        // stay behind: they were meant for the customer's service, not for wherever it points.
        var sameOrigin = true;
        try
        {
            for (var url = settings.Url; ; redirects++)
            {
                if (targets.UrlProblem(url) is not null)
                {
                    var what = redirects == 0 ? "not probed" : $"redirect {redirects} not followed";
                    return new ProbeReport(region, at, false, null, null, $"{what}: {OutboundOutcomes.RefusedAddress}");
                }

                using var request = Request(settings, method, url, withBody, sameOrigin, region);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (IsRedirect(status) && response.Headers.Location is { } location)
                {
                    if (redirects == MaxRedirects)
                    {
                        return new ProbeReport(region, at, false, status, Elapsed(time, started), $"HTTP {status}, more than {MaxRedirects} redirects");
                    }

                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);

                    // As browsers and HttpClient do: 303 means "GET the answer there"; 301 and 302 turn a POST into a GET;
                    // 307 and 308 repeat the request as it was.
                    if ((status == 303 && method != HttpMethod.Head) || (status is 300 or 301 or 302 && method == HttpMethod.Post))
                    {
                        (method, withBody) = (HttpMethod.Get, false);
                    }

                    sameOrigin &= SameOrigin(settings.Url, next);
                    if (withBody && !sameOrigin)
                    {
                        return new ProbeReport(region, at, false, status, Elapsed(time, started), $"HTTP {status}, redirect to another origin not followed: the body is not sent there");
                    }

                    url = next;
                    continue;
                }

                if (!settings.Expects(status))
                {
                    return new ProbeReport(region, at, false, status, Elapsed(time, started), $"HTTP {status} not expected");
                }

                if (settings.ReadsBody && BodyProblem(settings, await ReadBodyAsync(response.Content, timeout.Token)) is { } problem)
                {
                    return new ProbeReport(region, at, false, status, Elapsed(time, started), $"HTTP {status}, {problem}");
                }

                return new ProbeReport(region, at, true, status, Elapsed(time, started), $"HTTP {status}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeReport(region, at, false, null, null, $"no answer within {settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException error)
        {
            var hop = redirects == 0 ? string.Empty : $" after {redirects} redirect{(redirects == 1 ? string.Empty : "s")}";
            return new ProbeReport(region, at, false, null, null, $"no answer{hop}: {OutboundHttp.Classify(error)}");
        }
    }

    /// <summary>Longest part of the answer's JSON value quoted in a probe's detail.</summary>
    private const int QuotedValueLength = 100;

    /// <summary>One hop's request: the monitor's headers, credentials and body only while on its own origin.</summary>
    private static HttpRequestMessage Request(HttpProbeSettings settings, HttpMethod method, Uri url, bool withBody, bool sameOrigin, string region)
    {
        var request = new HttpRequestMessage(method, url);
        if (withBody && settings.Body is { } body)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", settings.ContentType);
        }

        if (sameOrigin)
        {
            foreach (var header in settings.RequestHeaders)
            {
                // Content headers (Content-Language, ...) go on the body when there is one.
                if (!request.Headers.TryAddWithoutValidation(header.Name, header.Value))
                {
                    request.Content?.Headers.TryAddWithoutValidation(header.Name, header.Value);
                }
            }

            if (settings.BasicAuth is { } auth)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", auth.Parameter);
            }
        }

        if (!request.Headers.Contains("User-Agent"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", "SlaGrains-Probe/1.0");
        }

        request.Headers.Remove(RegionHeader);
        request.Headers.TryAddWithoutValidation(RegionHeader, region);
        return request;
    }

    private static bool SameOrigin(Uri a, Uri b)
        => string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>Why the body fails the keyword or JSON check, in a few words; null when it passes.</summary>
    internal static string? BodyProblem(HttpProbeSettings settings, string body)
    {
        if (settings.Keyword is { } keyword && body.Contains(keyword, StringComparison.Ordinal) == settings.KeywordAbsent)
        {
            return settings.KeywordAbsent ? $"keyword '{keyword}' found" : $"keyword '{keyword}' not found";
        }

        if (settings.Json is not { } assertion)
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            var where = assertion.Pointer.Length == 0 ? "the JSON document" : $"JSON {assertion.Pointer}";
            if (!JsonPointer.TryEvaluate(document.RootElement, assertion.Pointer, out var value))
            {
                return $"{where} not found";
            }

            if (!assertion.Matches(value))
            {
                var seen = value.ValueKind is System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array
                    ? (value.ValueKind == System.Text.Json.JsonValueKind.Object ? "an object" : "an array")
                    : Clip(value.GetRawText());
                return $"{where} is {seen}, expected '{Clip(assertion.Expected)}'";
            }

            return null;
        }
        catch (System.Text.Json.JsonException)
        {
            return "the body is not JSON";
        }
    }

    private static string Clip(string text) => text.Length <= QuotedValueLength ? text : string.Concat(text.AsSpan(0, QuotedValueLength), "…");

    /// <summary>The statuses followed when they carry a Location (as browsers and HttpClient do).</summary>
    private static bool IsRedirect(int status) => status is 300 or 301 or 302 or 303 or 307 or 308;

    private static Duration Elapsed(TimeProvider time, long started) => Duration.FromTimeSpan(time.GetElapsedTime(started));

    /// <summary>The body's first <see cref="BodyLimit"/> bytes as UTF-8 (a keyword is text an operator typed; other charsets are rare for health pages).</summary>
    private static async Task<string> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(BodyLimit);
        try
        {
            var length = 0;
            int read;
            while (length < BodyLimit && (read = await stream.ReadAsync(buffer.AsMemory(length, BodyLimit - length), cancellationToken)) > 0)
            {
                length += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
