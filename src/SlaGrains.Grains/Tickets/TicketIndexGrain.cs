using System.Collections.Immutable;
using Orleans.Concurrency;
using SlaGrains.Contracts.Tickets;

namespace SlaGrains.Grains.Tickets;

/// <summary>
/// A customer's ticket list. Upserts that arrive while a write is under way are committed together by the next
/// write (group commit): each caller's call returns once a write that contains its change has completed.
/// </summary>
[Reentrant]
public sealed class TicketIndexGrain([PersistentState("ticket-index")] IPersistentState<TicketIndexState> state) : Grain, ITicketIndexGrain
{
    private Task _writing = Task.CompletedTask;
    private Task? _nextWrite;

    /// <inheritdoc />
    public Task Upsert(TicketView ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var tickets = state.State.Tickets;
        if (tickets.TryGetValue(ticket.TicketId, out var known) && known.AsOf > ticket.AsOf)
        {
            return Task.CompletedTask;
        }

        tickets[ticket.TicketId] = ticket.Audit.IsDefaultOrEmpty ? ticket : ticket with { Audit = [] };
        return _nextWrite ??= WriteAfterCurrent();
    }

    /// <inheritdoc />
    public Task<ImmutableArray<TicketView>> List() => Task.FromResult(state.State.Tickets.Values.ToImmutableArray());

    /// <summary>One write of everything changed so far, after the write under way (writes never overlap).</summary>
    private async Task WriteAfterCurrent()
    {
        // Yield first, so the caller has stored this task as the next write before it becomes the current one.
        await Task.Yield();
        try
        {
            await _writing;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // That write's callers saw its failure; this write carries their changes again.
        }

        _writing = _nextWrite!;
        _nextWrite = null;
        await state.WriteStateAsync();
    }
}

/// <summary>The index's durable state.</summary>
[GenerateSerializer]
[Alias("slagrains.ticket-index-state")]
public sealed class TicketIndexState
{
    /// <summary>Each ticket's latest view (no audit trail), by ticket id.</summary>
    [Id(0)]
    public Dictionary<string, TicketView> Tickets { get; set; } = [];
}
