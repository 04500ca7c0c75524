using System.Security.Claims;
using SlaGrains.Application.Tickets;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Api;

/// <summary>Assign to a team and/or a person (null clears).</summary>
public sealed record AssignRequest(string? Team, string? Assignee);

/// <summary>A new priority; the ticket is re-targeted from the customer's policy, keeping elapsed time.</summary>
public sealed record PriorityRequest(TicketPriority? Priority);

/// <summary>A new status; the policy's pause statuses (default: waiting on customer, on hold) pause the clocks.</summary>
public sealed record StatusRequest(TicketStatus? Status);

/// <summary>Who replied publicly: <c>agent</c> (meets first response / next reply) or <c>customer</c> (starts next reply).</summary>
public sealed record ReplyRequest(string? From);

/// <summary>
/// A page of tickets sorted by time to their next deadline (none last): pass <see cref="NextCursor"/> as <c>cursor</c>
/// for the next page (null on the last). <see cref="Total"/> counts the matches on the first page only, up to 1,000:
/// <see cref="TotalIsExact"/> is false when more match.
/// </summary>
public sealed record TicketPage(IReadOnlyList<TicketSummary> Items, long? Total, string? NextCursor, int PageSize, bool TotalIsExact = true);

/// <summary>Tickets: HTTP over the application layer's ticket commands and queries.</summary>
internal static class TicketsApi
{
    public static void MapTicketsApi(this RouteGroupBuilder api)
    {
        // Every ticket route decides visibility through Caller (CanRead, VisibleCustomers): keys restricted to listed customers may use them.
        var tickets = api.MapGroup("/tickets").WithTags("Tickets").AcceptsRestrictedKeys();
        tickets.MapPost("/", Create).WithSummary("Opens a ticket with the targets of its customer's policy.");
        tickets.MapGet("/", List).Produces<TicketPage>().WithSummary("Lists tickets (filters: customer, team, assignee, state, priority, q, incident) by time to next deadline, or by sort=newest|priority|customer; keyset pages (cursor, in the same sort).");
        tickets.MapGet("/{id}", (string id, string? at, ClaimsPrincipal user, TicketQueries queries) => Run(queries.Get(Caller.From(user), id, at))).Produces<TicketView>()
            .WithSummary("A ticket with each clock's elapsed, remaining and deadline at now, and its audit trail; with at=<ISO instant> (not after now), as they stood then, replayed from its events.");
        tickets.MapGet("/{id}/audit", async (string id, ClaimsPrincipal user, TicketQueries queries) => ApiResults.Ok(await queries.Audit(Caller.From(user), id))).Produces<IReadOnlyList<AuditEntry>>()
            .WithSummary("The ticket's clock transitions, oldest first (what, when, recorded when, by whom).");
        tickets.MapPost("/{id}/assign", (string id, AssignRequest request, ClaimsPrincipal user, TicketCommands commands) => Run(commands.Assign(Caller.From(user), id, request.Team, request.Assignee)))
            .Produces<TicketView>().WithSummary("Assigns the ticket to a team and/or a person.");
        tickets.MapPost("/{id}/priority", (string id, PriorityRequest request, ClaimsPrincipal user, TicketCommands commands) => Run(commands.ChangePriority(Caller.From(user), id, request.Priority)))
            .Produces<TicketView>().WithSummary("Changes the priority and re-targets the clocks.");
        tickets.MapPost("/{id}/status", (string id, StatusRequest request, ClaimsPrincipal user, TicketCommands commands) => Run(commands.ChangeStatus(Caller.From(user), id, request.Status)))
            .Produces<TicketView>().WithSummary("Changes the status; pause statuses pause the clocks.");
        tickets.MapPost("/{id}/replies", (string id, ReplyRequest request, ClaimsPrincipal user, TicketCommands commands) => Run(commands.Reply(Caller.From(user), id, request.From)))
            .Produces<TicketView>().WithSummary("Records a public reply from the agent or the customer.");
        tickets.MapPost("/{id}/resolve", (string id, ClaimsPrincipal user, TicketCommands commands) => Run(commands.Resolve(Caller.From(user), id))).Produces<TicketView>().WithSummary("Resolves the ticket.");
        tickets.MapPost("/{id}/reopen", (string id, ClaimsPrincipal user, TicketCommands commands) => Run(commands.Reopen(Caller.From(user), id))).Produces<TicketView>().WithSummary("Reopens a resolved ticket.");
        tickets.MapPost("/{id}/close", (string id, ClaimsPrincipal user, TicketCommands commands) => Run(commands.Close(Caller.From(user), id))).Produces<TicketView>().WithSummary("Closes the ticket for good.");

        // Issue 20 — incidents linked to tickets.
        tickets.MapPut("/{id}/incident", (string id, LinkIncidentInput request, ClaimsPrincipal user, TicketCommands commands) => Run(commands.LinkIncident(Caller.From(user), id, request.IncidentId)))
            .Produces<TicketView>().WithSummary("Links the ticket to one of its customer's incidents (staff), replacing any link; an incident not of the ticket's customer is a 400 naming incidentId.");
        tickets.MapDelete("/{id}/incident", (string id, ClaimsPrincipal user, TicketCommands commands) => Run(commands.UnlinkIncident(Caller.From(user), id)))
            .Produces<TicketView>().WithSummary("Unlinks the ticket from its incident (staff).");
    }

    private static async Task<IResult> Create(OpenTicketInput request, ClaimsPrincipal user, TicketCommands commands)
    {
        var result = await commands.Open(Caller.From(user), request);
        return result.Succeeded
            ? TypedResults.Created($"/api/v1/tickets/{Uri.EscapeDataString(result.Value.TicketId)}", result.Value)
            : ApiResults.Problem(result.Failure);
    }

    private static async Task<IResult> List(
        ClaimsPrincipal user,
        TicketQueries queries,
        string? customer,
        string? team,
        string? assignee,
        string? state,
        string? priority,
        string? q,
        string? cursor,
        int? pageSize,
        string? sort,
        string? incident)
    {
        // Priorities are written p1…p4 in JSON; a query string may say p2 or P2 alike.
        TicketPriority? parsed = null;
        if (priority is not null)
        {
            if (!Enum.TryParse<TicketPriority>(priority, ignoreCase: true, out var p) || !Enum.IsDefined(p) || int.TryParse(priority, out _))
            {
                return Problems.Invalid("priority", "A priority is p1, p2, p3 or p4.");
            }

            parsed = p;
        }

        var input = new TicketListInput(customer, team, assignee, state, parsed, q, cursor, pageSize, Sort: sort, Incident: incident);
        var page = await queries.List(Caller.From(user), input);
        return page.Succeeded
            ? TypedResults.Ok(new TicketPage(page.Value.Items, page.Value.Total, page.Value.NextCursor?.ToString(), input.PageSize ?? 50, page.Value.TotalIsExact))
            : ApiResults.Problem(page.Failure);
    }

    private static async Task<IResult> Run(Task<Result<TicketView>> command) => ApiResults.Ok(await command);
}
