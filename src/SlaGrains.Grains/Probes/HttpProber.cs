using System.Buffers;
using System.Text;
using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Runs one HTTP probe: a GET with the probe's timeout over the whole answer, judged by the expected status codes and
/// the keyword. Every failure (no connection, timeout, unexpected status, keyword missing) is a down result saying why,
/// never an exception. One shared client per silo: pooled connections, redirects followed (at most 5).
/// </summary>
public sealed class HttpProber(HttpClient http)
{
    /// <summary>The header naming the probing region, so a target (or its logs) can tell the probe locations apart.</summary>
    public const string RegionHeader = "X-SlaGrains-Probe-Region";

    /// <summary>The keyword is looked for in the first MiB of the body.</summary>
    internal const int BodyLimit = 1 << 20;

    /// <summary>The client probes use: pooled connections renewed every few minutes (DNS changes are seen), no client-wide timeout.</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Probes <paramref name="settings"/>' URL from <paramref name="region"/>; dated and timed by <paramref name="time"/>.</summary>
    public async Task<ProbeReport> ProbeAsync(HttpProbeSettings settings, string region, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var at = time.Now();
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout.ToTimeSpan());
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, settings.Url);
            request.Headers.TryAddWithoutValidation("User-Agent", "SlaGrains-Probe/1.0");
            request.Headers.TryAddWithoutValidation(RegionHeader, region);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
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
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeReport(region, at, false, null, null, $"no answer within {settings.Timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException error)
        {
            return new ProbeReport(region, at, false, null, null, $"no answer: {error.HttpRequestError} ({error.Message})");
        }
    }

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
