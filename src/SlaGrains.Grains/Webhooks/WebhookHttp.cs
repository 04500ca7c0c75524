using System.Net.Http.Headers;
using System.Text;
using SlaGrains.Grains.Outbound;

namespace SlaGrains.Grains.Webhooks;

/// <summary>
/// Posts one signed webhook body through <see cref="OutboundHttp"/>'s checked connections. Redirects are not followed (a
/// 3xx is a failed attempt, <c>redirectNotFollowed</c>): a receiver's URL is what its owner registered, and a signed
/// body must not be forwarded elsewhere. Outcomes are classes (<see cref="OutboundOutcomes"/>, or <c>HTTP 503</c>),
/// never the socket's own error text, since customers read the delivery log.
/// </summary>
public sealed class WebhookHttp(HttpClient http)
{
    /// <summary>A client for webhook deliveries whose connections <paramref name="outbound"/> checks.</summary>
    public static WebhookHttp Create(OutboundHttp outbound)
    {
        ArgumentNullException.ThrowIfNull(outbound);
        return new(new HttpClient(outbound.CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan });
    }

    /// <summary>Posts <paramref name="body"/> as JSON with the headers; the status code (null when none came) and the outcome class.</summary>
    public async Task<(int? StatusCode, string Outcome)> PostAsync(Uri url, string body, IReadOnlyDictionary<string, string> headers, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            // Saved before credentials were refused: never send them anywhere.
            return (null, OutboundOutcomes.RefusedAddress);
        }

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
            return (status, status switch
            {
                >= 200 and < 300 => OutboundOutcomes.Delivered,
                >= 300 and < 400 => OutboundOutcomes.RedirectNotFollowed,
                _ => $"HTTP {status}",
            });
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return (null, OutboundOutcomes.Timeout);
        }
        catch (HttpRequestException error)
        {
            return (null, OutboundHttp.Classify(error));
        }
    }
}
