using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Tickets;

/// <summary>
/// A customer's ticket list. The customer grain is told about new and closed tickets before the list is written, so
/// a failure leaves the ticket to resend (its listing stays pending) and nothing is half-recorded.
/// </summary>
public sealed class TicketIndexGrain([PersistentState("ticket-index")] IPersistentState<TicketIndexState> state) : Grain, ITicketIndexGrain
{
    /// <inheritdoc />
    public async Task Upsert(TicketView ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var tickets = state.State.Tickets;
        tickets.TryGetValue(ticket.TicketId, out var known);
        if (known is not null && known.AsOf > ticket.AsOf)
        {
            return;
        }

        var customer = GrainFactory.GetGrain<ICustomerGrain>(this.GetPrimaryKeyString());
        if (ticket.Status == TicketStatus.Closed)
        {
            if (known is null || known.Status != TicketStatus.Closed)
            {
                await customer.UntrackTicket(ticket.TicketId);
            }
        }
        else if (known is null || known.Priority != ticket.Priority || known.Status == TicketStatus.Closed)
        {
            await customer.TrackTicket(ticket.TicketId, ticket.Priority);
        }

        tickets[ticket.TicketId] = ticket.Audit.IsDefaultOrEmpty ? ticket : ticket with { Audit = [] };
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<ImmutableArray<TicketView>> List() => Task.FromResult(state.State.Tickets.Values.ToImmutableArray());
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
