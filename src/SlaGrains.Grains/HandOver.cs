namespace SlaGrains.Grains;

/// <summary>At-least-once hand-over of what a grain recorded as pending in its state, in order.</summary>
internal static class HandOver
{
    /// <summary>
    /// Hands each pending item over and removes it once handed; the first failure stops the hand-over (that item and
    /// the rest stay pending, for <paramref name="failed"/> to schedule a retry). True when any was handed, so the
    /// caller writes its state.
    /// </summary>
    public static async Task<bool> PendingAsync<T>(List<T> pending, Func<T, Task> handOver, Action<T, Exception> failed)
    {
        var handed = false;
        foreach (var item in pending.ToList())
        {
            try
            {
                await handOver(item);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                failed(item, error);
                break;
            }

            pending.Remove(item);
            handed = true;
        }

        return handed;
    }
}
