using System.Net.Http.Headers;
using System.Text;

namespace SlaGrains.Grains.Webhooks;

/// <summary>
/// Posts one signed webhook body. Redirects are not followed (a 3xx is a failed attempt): a receiver's URL is what
/// its owner registered, and a signed body must not be forwarded elsewhere.
/// </summary>
public sealed class WebhookHttp(HttpClient http)
{
    /// <summary>A client for webhook deliveries.</summary>
    public static WebhookHttp Create() => new(new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    });

    /// <summary>Posts <paramref name="body"/> as JSON with the headers; the status code (null when none came) and an outcome text.</summary>
    public async Task<(int? StatusCode, string Outcome)> PostAsync(Uri url, string body, IReadOnlyDictionary<string, string> headers, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(headers);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            var status = (int)response.StatusCode;
            return (status, response.IsSuccessStatusCode ? "delivered" : $"HTTP {status}");
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return (null, $"timeout after {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException error)
        {
            return (null, error.Message);
        }
    }
}
