using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.StatusPages;

/// <summary>
/// The subscription requests' own, tighter limit: <c>RateLimits:StatusPages:SubscribesPerMinute</c> (default 10) per
/// client address (an IPv6 client by its /64, as <see cref="RateLimits.ClientKey"/> counts), for the page's form and the
/// JSON request together; past that, 429 problem+json with <c>Retry-After</c>. Each request may send a confirmation mail
/// to an address someone typed, so one client cannot make the server mail hundreds of strangers; one address gets at
/// most one confirmation mail every 10 minutes whoever asks (the domain's spacing).
/// </summary>
internal sealed class SubscribeRateLimit : IRateLimiterPolicy<string>
{
    /// <summary>The default requests per address and minute.</summary>
    public const int DefaultPermitsPerMinute = 10;

    /// <inheritdoc />
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    /// <inheritdoc />
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var permits = PermitsPerMinute(httpContext.RequestServices.GetRequiredService<IConfiguration>());
        return RateLimitPartition.GetFixedWindowLimiter("subscribe " + RateLimits.ClientKey(httpContext), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The configured permits per minute, checked (0 or less would shut subscribing).</summary>
    public static int PermitsPerMinute(IConfiguration configuration)
    {
        var permits = configuration.GetValue("RateLimits:StatusPages:SubscribesPerMinute", DefaultPermitsPerMinute);
        return permits > 0 ? permits : throw new InvalidOperationException($"RateLimits:StatusPages:SubscribesPerMinute must be at least 1; got {permits}.");
    }

    private static ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
        => RateLimits.RejectAsync(context, seconds => $"This address has used its {PermitsPerMinute(context.HttpContext.RequestServices.GetRequiredService<IConfiguration>()):N0} subscription requests a minute; try again in {seconds} s.");
}
