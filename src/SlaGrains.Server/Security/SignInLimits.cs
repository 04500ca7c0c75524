using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Security;

/// <summary>
/// Sign-in rate limits (configuration section <c>SignIn</c>). Every attempt, right or wrong, takes a token from its
/// client address's bucket and from its user name's; an empty bucket answers 429 with <c>Retry-After</c>.
/// </summary>
public sealed class SignInLimitOptions
{
    /// <summary>Attempts per minute from one client address (a whole office behind one address signs in too). Default 60.</summary>
    public int PerAddressPerMinute { get; set; } = 60;

    /// <summary>Attempts per minute on one user name, from anywhere. Default 20.</summary>
    public int PerUserNamePerMinute { get; set; } = 20;
}

/// <summary>
/// The per-address and per-name sign-in limits: token buckets partitioned by key, in this server's memory (each
/// server of a cluster limits on its own; the accounts grain's failure count is the cluster-wide guard).
/// </summary>
internal sealed class SignInLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perName;

    public SignInLimits(IOptions<SignInLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value;
        _perAddress = Limiter(limits.PerAddressPerMinute);
        _perName = Limiter(limits.PerUserNamePerMinute);
    }

    /// <summary>Null when the attempt may go ahead (a token taken from each bucket); otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(IPAddress? address, string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        using var byAddress = _perAddress.AttemptAcquire(address?.ToString() ?? "unknown");
        if (!byAddress.IsAcquired)
        {
            return Wait(byAddress);
        }

        using var byName = _perName.AttemptAcquire(UserNames.Key(userName));
        return byName.IsAcquired ? null : Wait(byName);
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _perName.Dispose();
    }

    private static TimeSpan Wait(RateLimitLease lease)
        => lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);

    // Replenished by the partitioned limiter's own timer (AutoReplenishment off), which also drops idle partitions.
    private static PartitionedRateLimiter<string> Limiter(int perMinute)
        => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, perMinute),
            TokensPerPeriod = Math.Max(1, perMinute),
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        }));
}
