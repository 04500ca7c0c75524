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

    private static ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
        => RateLimits.RejectAsync(context, seconds => $"This address has used its {PermitsPerMinute(context.HttpContext.RequestServices.GetRequiredService<IConfiguration>()):N0} status page requests a minute; try again in {seconds} s.");
}
