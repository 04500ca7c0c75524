namespace SlaGrains.Server.Hosting;

/// <summary>
/// The security headers every answer carries, pages and API alike, set in this one place: no MIME sniffing, a limited
/// Referer, HSTS over HTTPS, no framing, and a Content-Security-Policy — the page policy on HTML, a deny-all policy on
/// everything else (JSON, CSV, problem details), which no browser should ever render as a document.
/// </summary>
/// <remarks>
/// The page policy is what Blazor Server and MudBlazor run under, found by running every page in Chromium and
/// listening for violations (<c>Pages_run_under_the_content_security_policy</c>): scripts only from this origin (no
/// inline script, no <c>eval</c>, no WebAssembly); inline styles allowed, because MudBlazor sets <c>style</c>
/// attributes and Blazor's reconnect dialog injects a style element; the SignalR connection (<c>/_blazor</c>, a
/// WebSocket) is covered by <c>connect-src 'self'</c>, which includes ws/wss to the same host in current browsers.
/// The framework's own <c>frame-ancestors 'self'</c> (interactive server render mode) and the anti-forgery's
/// <c>X-Frame-Options: SAMEORIGIN</c> are replaced when the answer starts, so one policy is sent, not two.
/// </remarks>
internal static class HardeningHeaders
{
    /// <summary>The policy of HTML pages.</summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
        + "font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>The policy of every other answer (API JSON, problem details, CSV, health): nothing loads, nothing frames it.</summary>
    public const string DataPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>First in the pipeline, so its headers are set last, over anything a later part of the pipeline set.</summary>
    public static IApplicationBuilder UseHardeningHeaders(this IApplicationBuilder app)
        => app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";

                // No full URLs (ticket and customer ids) leak to other sites in the Referer.
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                var html = http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                headers.ContentSecurityPolicy = html ? PagePolicy : DataPolicy;
                headers.XFrameOptions = "DENY";
                if (http.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }

                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
