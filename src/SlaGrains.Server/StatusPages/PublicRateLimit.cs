using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.StatusPages;

/// <summary>
/// The public status pages' limit: <c>RateLimits:StatusPages:PermitsPerMinute</c> requests (default 120) per client
/// address in each minute, counted over the page, its feeds and its badges together (an IPv6 client by its /64, as
/// <see cref="RateLimits.ClientKey"/> counts); past that, 429 problem+json with <c>Retry-After</c>.
/// </summary>
internal sealed class PublicRateLimit : IRateLimiterPolicy<string>
{
    /// <summary>The default permits per address and minute.</summary>
    public const int DefaultPermitsPerMinute = 120;

    /// <inheritdoc />
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    /// <inheritdoc />
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var permits = PermitsPerMinute(httpContext.RequestServices.GetRequiredService<IConfiguration>());
        return RateLimitPartition.GetFixedWindowLimiter(RateLimits.ClientKey(httpContext), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The configured permits per minute, checked (0 or less would shut the pages).</summary>
    public static int PermitsPerMinute(IConfiguration configuration)
    {
        var permits = configuration.GetValue("RateLimits:StatusPages:PermitsPerMinute", DefaultPermitsPerMinute);
        return permits > 0 ? permits : throw new InvalidOperationException($"RateLimits:StatusPages:PermitsPerMinute must be at least 1; got {permits}.");
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This address has used its {PermitsPerMinute(http.RequestServices.GetRequiredService<IConfiguration>()):N0} status page requests a minute; try again in {seconds} s.",
            },
        });
    }
}
