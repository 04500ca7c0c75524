namespace SlaGrains.Grains.Shell;

/// <summary>
/// The shell every grain whose rules live in the domain shares: load (Orleans does, at activation) → decide (the
/// domain's pure <c>Decide</c>) → apply the events to the state and <see cref="CommitAsync{TState}"/> it, with its
/// outbox, in one write → deliver the outbox (<see cref="Outbox{T}"/>) → publish. The grain keeps only the wiring.
/// </summary>
/// <remarks>
/// Two rules it enforces so each grain does not have to remember them:
/// <list type="bullet">
/// <item>Memory never runs ahead of storage: when the write fails, the activation is dropped (the next call reads
/// what is stored) and the error goes to the caller, who retries; nothing was acknowledged.</item>
/// <item>One write per decision: delivered outbox entries are dropped by the next write, not by a write of their own
/// (see <see cref="Outbox{T}"/>), and receivers de-duplicate by the entry's key.</item>
/// </list>
/// </remarks>
internal static class GrainShell
{
    /// <summary>
    /// Applies <paramref name="apply"/> (the decided events, the outbox entries) to the state and writes it once.
    /// When the write fails the activation is deactivated after this call, so no later call sees unstored state, and the
    /// error is rethrown.
    /// </summary>
    /// <param name="grain">The grain (deactivated when its write fails).</param>
    /// <param name="state">Its persistent state.</param>
    /// <param name="apply">Changes the state in memory; runs once, before the write.</param>
    public static async Task CommitAsync<TState>(Grain grain, IPersistentState<TState> state, Action<TState> apply)
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(apply);
        apply(state.State);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}

/// <summary>
/// Messages a grain keeps in its state until handed over (at least once), with no write of their own to clear them: a
/// delivered entry is marked in memory and dropped by the next state write (<see cref="DropDelivered"/>); after a
/// restart every stored entry is delivered again, so the receiver de-duplicates by <c>key</c>.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
/// <param name="key">The message's de-duplication key (e.g. <c>SlaAlert.Key</c>).</param>
internal sealed class Outbox<T>(Func<T, string> key)
{
    private readonly HashSet<string> _delivered = new(StringComparer.Ordinal);
    private bool _delivering;

    /// <summary>True when <paramref name="stored"/> holds an entry not yet delivered by this activation.</summary>
    public bool HasPending(IEnumerable<T> stored) => stored.Any(m => !_delivered.Contains(key(m)));

    /// <summary>Removes delivered entries from <paramref name="stored"/>; call just before the state write that will hold the change.</summary>
    public void DropDelivered(List<T> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        stored.RemoveAll(m => _delivered.Contains(key(m)));
        _delivered.Clear();
    }

    /// <summary>
    /// Hands each undelivered entry of <paramref name="stored"/> to <paramref name="deliver"/>, in order, and marks it.
    /// Stops at the first failure (reported to <paramref name="failed"/>) and returns false; the rest waits for the next try.
    /// One delivery at a time: a call while one runs returns true at once.
    /// </summary>
    public async Task<bool> DeliverAsync(IEnumerable<T> stored, Func<T, Task> deliver, Action<T, Exception> failed)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(deliver);
        ArgumentNullException.ThrowIfNull(failed);
        if (_delivering)
        {
            return true;
        }

        _delivering = true;
        try
        {
            foreach (var message in stored.Where(m => !_delivered.Contains(key(m))).ToList())
            {
                try
                {
                    await deliver(message);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    failed(message, error);
                    return false;
                }

                _delivered.Add(key(message));
            }

            return true;
        }
        finally
        {
            _delivering = false;
        }
    }
}
