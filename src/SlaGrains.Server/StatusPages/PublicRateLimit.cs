using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.StatusPages;

/// <summary>
/// The public status pages' limit: <c>RateLimits:StatusPages:PermitsPerMinute</c> requests (default 120) per client
/// address in each minute, counted over the page, its feeds and its badges together.
/// </summary>
internal sealed class PublicRateLimit() : PerClientMinuteLimit("RateLimits:StatusPages:PermitsPerMinute", 120, "page", "status page requests");

/// <summary>
/// The subscription requests' own, tighter limit: <c>RateLimits:StatusPages:SubscribesPerMinute</c> (default 10) per
/// client address, for the page's form and the JSON request together. Each request may send a confirmation mail to an
/// address someone typed, so one client cannot make the server mail hundreds of strangers; one address gets at most one
/// confirmation mail every 10 minutes whoever asks (the domain's spacing).
/// </summary>
internal sealed class SubscribeRateLimit() : PerClientMinuteLimit("RateLimits:StatusPages:SubscribesPerMinute", 10, "subscribe", "subscription requests");

/// <summary>
/// A fixed one-minute window of <paramref name="setting"/> permits (default <paramref name="defaultPermits"/>) per client
/// address (an IPv6 client by its /64, as <see cref="RateLimits.ClientKey"/> counts); past that, 429 problem+json with
/// <c>Retry-After</c> saying what ran out (<paramref name="what"/>). Each limit counts in its own partitions
/// (<paramref name="partition"/>), so one does not use up another.
/// </summary>
internal abstract class PerClientMinuteLimit(string setting, int defaultPermits, string partition, string what) : IRateLimiterPolicy<string>
{
    /// <inheritdoc />
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    /// <inheritdoc />
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var permits = PermitsPerMinute(httpContext.RequestServices.GetRequiredService<IConfiguration>());
        return RateLimitPartition.GetFixedWindowLimiter($"{partition} {RateLimits.ClientKey(httpContext)}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The configured permits per minute, checked (0 or less would shut what the limit guards).</summary>
    private int PermitsPerMinute(IConfiguration configuration)
    {
        var permits = configuration.GetValue(setting, defaultPermits);
        return permits > 0 ? permits : throw new InvalidOperationException($"{setting} must be at least 1; got {permits}.");
    }

    private ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
        => RateLimits.RejectAsync(context, seconds => $"This address has used its {PermitsPerMinute(context.HttpContext.RequestServices.GetRequiredService<IConfiguration>()):N0} {what} a minute; try again in {seconds} s.");
}
