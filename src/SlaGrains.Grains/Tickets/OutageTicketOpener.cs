using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Tickets;

/// <summary>
/// Issue 20 — incidents linked to tickets: opens the P1 ticket an outage calls for (<see cref="OutageTickets"/>). The
/// monitor calls it while handing over its <c>incident.opened</c> event, before the webhook: the hand-over is at least
/// once (retried until it succeeds, again after a restart), and the ticket's id is derived from the incident's, so a
/// second call finds the ticket (<c>ticket-exists</c>) and opens nothing twice.
/// </summary>
internal static class OutageTicketOpener
{
    /// <summary>
    /// Opens the outage ticket of incident <paramref name="incidentId"/> of <paramref name="monitorId"/> when the
    /// customer's component asks for one. Returns the ticket id when a ticket exists for the incident afterwards; null
    /// when none is called for or the customer has no terms for P1 (no policy or calendar: logged, not retried, since
    /// retrying cannot make terms appear). Throws when a grain did not answer, so the hand-over retries.
    /// </summary>
    public static async Task<string?> OpenAsync(IGrainFactory grains, string customerId, string monitorId, string incidentId, string? componentName, ILogger logger)
    {
        var customer = grains.GetGrain<ICustomerGrain>(customerId);
        var component = (await customer.Get())?.Components.FirstOrDefault(c => c.MonitorId == monitorId);
        if (component is null || OutageTickets.Decide(component.ToDomain(), incidentId, componentName, duringMaintenance: false) is not { } outage)
        {
            return null;
        }

        var terms = await customer.TermsFor(outage.Priority);
        if (!terms.Accepted)
        {
            logger.LogWarning("Incident {Incident}: no outage ticket for customer {Customer}: {Reason}", incidentId, customerId, terms.Rejection!.Message);
            return null;
        }

        // The ticket's audit names the rule as who opened it and linked it.
        var actor = RequestContext.Get(AuditActor.Key);
        RequestContext.Set(AuditActor.Key, OutageTickets.Requester);
        try
        {
            var ticket = new NewTicket(customerId, outage.Priority, outage.Subject, OutageTickets.Requester, null, null, terms.Terms!.Targets, terms.Terms.Options, outage.IncidentId);
            var created = await grains.GetGrain<ITicketGrain>(outage.TicketId).Create(ticket);
            if (!created.Accepted && created.Rejection!.Code != "ticket-exists")
            {
                logger.LogWarning("Incident {Incident}: outage ticket {Ticket} refused: {Reason}", incidentId, outage.TicketId, created.Rejection.Message);
                return null;
            }

            return outage.TicketId;
        }
        finally
        {
            if (actor is null)
            {
                RequestContext.Remove(AuditActor.Key);
            }
            else
            {
                RequestContext.Set(AuditActor.Key, actor);
            }
        }
    }
}
