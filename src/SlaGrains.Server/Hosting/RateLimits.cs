using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// Rate limits on what anyone may call: the what-if tools allow <c>RateLimits:Tools:PermitsPerMinute</c> requests
/// (default 60) per client address in each minute; past that, 429 problem+json with <c>Retry-After</c>. An IPv6 client
/// is counted by its /64, the block one subscriber gets, so rotating addresses inside it does not reset the count.
/// The address is the connection's: behind a reverse proxy every client shares the proxy's, so configure forwarded
/// headers there first.
/// </summary>
internal static class RateLimits
{
    /// <summary>The policy the tools' route group requires.</summary>
    public const string ToolsPolicy = "tools";

    private const int DefaultToolsPermitsPerMinute = 60;

    public static IServiceCollection AddSlaGrainsRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(ToolsPolicy, http => RateLimitPartition.GetFixedWindowLimiter(ClientKey(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = ToolsPermitsPerMinute(http.RequestServices.GetRequiredService<IConfiguration>()),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            options.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>The configured permits per minute, checked (a limit of 0 or less would shut the tools).</summary>
    public static int ToolsPermitsPerMinute(IConfiguration configuration)
    {
        var permits = configuration.GetValue("RateLimits:Tools:PermitsPerMinute", DefaultToolsPermitsPerMinute);
        return permits > 0 ? permits : throw new InvalidOperationException($"RateLimits:Tools:PermitsPerMinute must be at least 1; got {permits}.");
    }

    /// <summary>Who is counted: the IPv4 address, or the /64 of an IPv6 address.</summary>
    internal static string ClientKey(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    private static ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
        => RejectAsync(context, seconds => $"This address has used its {ToolsPermitsPerMinute(context.HttpContext.RequestServices.GetRequiredService<IConfiguration>()):N0} requests a minute; try again in {seconds} s.");

    /// <summary>
    /// Answers a request over its limit: 429 with <c>Retry-After</c> (whole seconds, at least 1) and a problem detail whose
    /// text <paramref name="detail"/> writes from those seconds.
    /// </summary>
    internal static async ValueTask RejectAsync(OnRejectedContext context, Func<int, string> detail)
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
                Detail = detail(seconds),
            },
        });
    }
}
