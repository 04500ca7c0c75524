using System.Collections.Immutable;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Tickets;

/// <summary>
/// One support ticket (key: ticket id) with its SLA clocks. Every accepted command is written durably before the
/// call returns; warnings and breaches are written into the ticket's state before anyone is told.
/// </summary>
public interface ITicketGrain : IGrainWithStringKey
{
    /// <summary>Opens the ticket and starts its first-response and resolution clocks.</summary>
    Task<TicketResult> Create(NewTicket ticket);

    /// <summary>Assigns to a team and/or a person (null leaves it unassigned).</summary>
    Task<TicketResult> Assign(string? team, string? assignee);

    /// <summary>Changes the priority; running clocks take the new targets and keep their elapsed time.</summary>
    Task<TicketResult> ChangePriority(TicketPriority priority, TicketTargets targets);

    /// <summary>New targets without a priority change (tier, bespoke override or calendar changed).</summary>
    Task<TicketResult> ChangeTargets(TicketTargets targets, string reason);

    /// <summary>
    /// Links the ticket to an incident (null unlinks it), recorded in its audit; linking to the incident it is linked to
    /// already changes nothing. The incident is the caller's to check (one of the ticket's customer).
    /// </summary>
    Task<TicketResult> LinkIncident(string? incidentId);

    /// <summary>Changes the status; pause statuses stop the clocks.</summary>
    Task<TicketResult> ChangeStatus(TicketStatus status);

    /// <summary>A public agent reply.</summary>
    Task<TicketResult> RecordAgentReply();

    /// <summary>A customer message.</summary>
    Task<TicketResult> RecordCustomerReply();

    /// <summary>Resolves the ticket.</summary>
    Task<TicketResult> Resolve();

    /// <summary>Reopens a resolved ticket.</summary>
    Task<TicketResult> Reopen();

    /// <summary>Closes the ticket for good.</summary>
    Task<TicketResult> Close();

    /// <summary>
    /// Applies another system's events to the ticket (creating it with the <c>created</c> event), each at its own
    /// instant, so the clocks are what they would have been had each arrived live then. Idempotent by event id (the
    /// same id again is <c>replayed</c>; with other content, a <c>conflict</c>); every event is kept, and one dated
    /// before what the ticket already applied rebuilds the ticket from all of them in <c>at</c> order. Warnings and
    /// breaches due before <see cref="TicketSyncBatch.ReceivedAt"/> are recorded but reach the escalation grain only
    /// when <see cref="TicketSyncBatch.EscalatePast"/>. A ticket not made by <see cref="TicketSyncBatch.Source"/> is a
    /// <c>conflict</c> for every event. Returns each event's outcome, in the batch's order.
    /// </summary>
    Task<ImmutableArray<SyncedEventResult>> Sync(TicketSyncBatch batch);

    /// <summary>
    /// The ticket as it stood at <paramref name="at"/> (not after now): its recorded events dated at or before it
    /// replayed, its clocks evaluated at that instant (a warning or breach due by then shows as such), the audit up to
    /// it. Rejected (<c>ticket-not-found</c>; <c>before-ticket-opened</c> when it did not exist yet;
    /// <c>history-not-recorded</c> for an instant before its typed history began, in tickets from older versions).
    /// </summary>
    Task<TicketResult> GetAt(Instant at);

    /// <summary>The ticket with its clocks at now and its audit trail; null when it was never created.</summary>
    Task<TicketView?> Get();

    /// <summary>
    /// Writes the ticket's read-model rows again from its durable state (all of its audit entries, its row at the
    /// state's version): what start-up reconciliation and a rebuild call. False when there is no ticket or the rows
    /// could not be written yet (they are retried).
    /// </summary>
    Task<bool> RefreshReadModel();
}
