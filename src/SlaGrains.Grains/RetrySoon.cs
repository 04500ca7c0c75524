namespace SlaGrains.Grains;

/// <summary>
/// A grain's "try again shortly" for deliveries kept pending in its state: one one-shot grain timer at a time. Asking
/// again while one is armed changes nothing, because that run retries everything still pending.
/// </summary>
internal sealed class RetrySoon(Grain grain, Func<Task> retry)
{
    private IGrainTimer? _timer;

    /// <summary>Runs the retry after <paramref name="delay"/>, unless a run is already armed.</summary>
    public void After(TimeSpan delay)
        => _timer ??= grain.RegisterGrainTimer(
            async () =>
            {
                _timer?.Dispose();
                _timer = null;
                await retry();
            },
            new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
}
