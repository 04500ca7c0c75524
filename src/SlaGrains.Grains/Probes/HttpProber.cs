using System.Buffers;
using System.Text;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;
using SlaGrains.Grains.Outbound;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Runs one HTTP probe: a GET with the probe's timeout over the whole answer, judged by the expected status codes and
/// the keyword. Every failure (no connection, timeout, unexpected status, keyword missing, a refused address) is a down
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
        try
        {
            for (var url = settings.Url; ; redirects++)
            {
                if (targets.UrlProblem(url) is not null)
                {
                    var what = redirects == 0 ? "not probed" : $"redirect {redirects} not followed";
                    return new ProbeReport(region, at, false, null, null, $"{what}: {OutboundOutcomes.RefusedAddress}");
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("User-Agent", "SlaGrains-Probe/1.0");
                request.Headers.TryAddWithoutValidation(RegionHeader, region);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (IsRedirect(status) && response.Headers.Location is { } location)
                {
                    if (redirects == MaxRedirects)
                    {
                        return new ProbeReport(region, at, false, status, Elapsed(time, started), $"HTTP {status}, more than {MaxRedirects} redirects");
                    }

                    url = location.IsAbsoluteUri ? location : new Uri(url, location);
                    continue;
                }

                if (!settings.Expects(status))
                {
                    return new ProbeReport(region, at, false, status, Elapsed(time, started), $"HTTP {status} not expected");
                }

                if (settings.Keyword is { } keyword && !(await ReadBodyAsync(response.Content, timeout.Token)).Contains(keyword, StringComparison.Ordinal))
                {
                    return new ProbeReport(region, at, false, status, Elapsed(time, started), $"HTTP {status}, keyword '{keyword}' not found");
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
