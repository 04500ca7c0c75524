namespace SlaGrains.Grains.Webhooks;

/// <summary>
/// Webhook delivery: attempt n (1-based) that fails is retried after <see cref="FirstRetryDelay"/> × 2^(n−1), at most
/// <see cref="MaxRetryDelay"/>; after <see cref="MaxAttempts"/> failed attempts the delivery is dead-lettered. Bound
/// from the configuration section <c>Webhooks</c> (e.g. <c>Webhooks:FirstRetryDelay=00:00:10</c>).
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The delay after the first failed attempt; default 10 seconds.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest delay between attempts; default 1 hour.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a delivery is dead-lettered (including the first); default 10 (about 1.4 hours of retries).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How long one attempt may take before it counts as failed; default 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The delay before the attempt after <paramref name="failedAttempts"/> failures (1 or more).</summary>
    public TimeSpan RetryDelay(int failedAttempts) => Outbound.RetryBackoff.Delay(FirstRetryDelay, MaxRetryDelay, failedAttempts);
}
