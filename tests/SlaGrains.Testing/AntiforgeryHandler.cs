using System.Text.Json;

namespace SlaGrains.Testing;

/// <summary>
/// What a browser does for a cookie-signed-in client of the SlaGrains API: fetches the anti-forgery token once
/// (<c>GET /api/v1/auth/antiforgery</c>) and sends it as <c>X-XSRF-TOKEN</c> on every change except the sign-in.
/// Safe for concurrent requests (the token is fetched once).
/// </summary>
public sealed class AntiforgeryHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private string? _token;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && !request.RequestUri!.AbsolutePath.EndsWith("/auth/sign-in", StringComparison.Ordinal))
        {
            if (_token is null)
            {
                await _fetching.WaitAsync(cancellationToken);
                try
                {
                    _token ??= await FetchToken(request.RequestUri!, cancellationToken);
                }
                finally
                {
                    _fetching.Release();
                }
            }

            request.Headers.Add("X-XSRF-TOKEN", _token);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fetching.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<string> FetchToken(Uri anyUri, CancellationToken cancellationToken)
    {
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(anyUri, "/api/v1/auth/antiforgery"));
        using var response = await base.SendAsync(tokenRequest, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("token").GetString()!;
    }
}
