using System.Collections.Immutable;

namespace SlaGrains.Contracts.Tickets;

/// <summary>
/// A customer's ticket list (key: customer id), kept in step by the ticket grains: each committed change sends the
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
