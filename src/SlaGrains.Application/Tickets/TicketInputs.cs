using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Tickets;

/// <summary>
/// A new ticket; its targets come from the customer's SLA policy for the priority. The id is generated when omitted.
/// <c>incidentId</c> (issue 20) links it to one of the customer's incidents (a monitor's or a manual one).
/// </summary>
public sealed record OpenTicketInput(
    string? Id, string? CustomerId, TicketPriority? Priority, string? Subject, string? Requester = null, string? Team = null, string? Assignee = null,
    string? IncidentId = null);

/// <summary>Issue 20 — incidents linked to tickets: the incident to link a ticket to (one of the ticket's customer).</summary>
public sealed record LinkIncidentInput(string? IncidentId);

/// <summary>
/// What a ticket list shows: filters (null: any), the state at now (<c>open</c>, <c>paused</c>, <c>atRisk</c>,
/// <c>breached</c>, <c>resolved</c>, <c>closed</c>; null: every ticket), text in the id or subject, and where the
/// page starts (a cursor from the previous page, made in the same order). <c>Sort</c> is <c>deadline</c> (the default:
/// next deadline first), <c>newest</c>, <c>priority</c> (P1 first) or <c>customer</c>.
/// </summary>
public sealed record TicketListInput(
    string? Customer = null,
    string? Team = null,
    string? Assignee = null,
    string? State = null,
    TicketPriority? Priority = null,
    string? Text = null,
    string? Cursor = null,
    int? PageSize = null,
    bool MineOrMyTeam = false,
    bool IncludeTotal = true,
    string? Sort = null,
    string? Incident = null);
