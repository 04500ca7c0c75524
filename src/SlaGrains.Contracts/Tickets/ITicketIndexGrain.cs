using System.Collections.Immutable;

namespace SlaGrains.Contracts.Tickets;

/// <summary>
/// One shard of a customer's ticket list (key: <c>{customer id}/{shard}</c>, see <see cref="TicketIndex"/>), kept in step by the ticket grains: each committed change sends the
/// ticket's view (without its audit trail) until the index took it. Rebuildable from the tickets; the source of
/// lists that cut across tickets (by time to next deadline, by team, by assignee) and of ticket compliance figures.
/// </summary>
public interface ITicketIndexGrain : IGrainWithStringKey
{
    /// <summary>Records the ticket's latest view (an older one than held is ignored); returns once it is written.</summary>
    Task Upsert(TicketView ticket);

    /// <summary>Every ticket of the customer, as last reported (the customer grain re-targets the open ones on contract changes).</summary>
    Task<ImmutableArray<TicketView>> List();
}

/// <summary>
/// A customer's ticket list is split over <see cref="Shards"/> index grains by a stable hash of the ticket id, so a
/// change rewrites one shard (about 1/16 of the customer's tickets), not the whole list.
/// </summary>
public static class TicketIndex
{
    /// <summary>Index grains per customer.</summary>
    public const int Shards = 16;

    /// <summary>The shard that lists <paramref name="ticketId"/>.</summary>
    public static ITicketIndexGrain For(IGrainFactory grains, string customerId, string ticketId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(ticketId);
        return grains.GetGrain<ITicketIndexGrain>($"{customerId}/{Shard(ticketId)}");
    }

    /// <summary>Every ticket of the customer, from all its shards.</summary>
    public static async Task<ImmutableArray<TicketView>> ListAsync(IGrainFactory grains, string customerId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(s => grains.GetGrain<ITicketIndexGrain>($"{customerId}/{s}").List()));
        return [.. shards.SelectMany(s => s)];
    }

    /// <summary>FNV-1a over the id's UTF-16 code units: stable across processes (unlike <c>string.GetHashCode</c>).</summary>
    private static int Shard(string ticketId)
    {
        var hash = 2166136261u;
        foreach (var c in ticketId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Shards);
    }
}
