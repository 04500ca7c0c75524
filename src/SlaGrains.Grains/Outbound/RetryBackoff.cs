namespace SlaGrains.Grains.Outbound;

/// <summary>The retry schedule of the webhook and channel outboxes: exponential back-off with a ceiling.</summary>
internal static class RetryBackoff
{
    /// <summary>
    /// The delay before the attempt after <paramref name="failedAttempts"/> failures (1 or more): <paramref name="first"/>
    /// × 2^(failures − 1), at most <paramref name="max"/>.
    /// </summary>
    public static TimeSpan Delay(TimeSpan first, TimeSpan max, int failedAttempts)
    {
        var doublings = Math.Clamp(failedAttempts - 1, 0, 30);
        var delay = first * Math.Pow(2, doublings);
        return delay < max ? delay : max;
    }
}
