using SlaGrains.Contracts.Accounts;
using System.Collections.Immutable;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Api;

/// <summary>A new ticket; its targets come from the customer's SLA policy for the priority. The id is generated when omitted.</summary>
public sealed record NewTicketRequest(string? Id, string? CustomerId, TicketPriority Priority, string? Subject, string? Requester, string? Team, string? Assignee);

/// <summary>Assign to a team and/or a person (null clears).</summary>
public sealed record AssignRequest(string? Team, string? Assignee);

/// <summary>A new priority; the ticket is re-targeted from the customer's policy, keeping elapsed time.</summary>
public sealed record PriorityRequest(TicketPriority Priority);

/// <summary>A new status; pause statuses (waiting on customer, on hold) pause the clocks.</summary>
public sealed record StatusRequest(TicketStatus Status);

/// <summary>Who replied publicly: <c>agent</c> (meets first response / next reply) or <c>customer</c> (starts next reply).</summary>
public sealed record ReplyRequest(string? From);

/// <summary>A page of tickets sorted by time to their next deadline (none last).</summary>
public sealed record TicketPage(ImmutableArray<TicketView> Items, int Total, int Page, int PageSize);

/// <summary>Tickets: create, act on, read with live clocks and the audit trail, and list.</summary>
internal static class TicketsApi
{
    private const int MaxPageSize = 200;

    public static void MapTicketsApi(this RouteGroupBuilder api)
    {
        var tickets = api.MapGroup("/tickets").WithTags("Tickets");
        tickets.MapPost("/", Create).WithSummary("Opens a ticket with the targets of its customer's policy.");
        tickets.MapGet("/", List).WithSummary("Lists tickets (filters: customer, team, assignee, state, priority) by time to next deadline, paginated.");
        tickets.MapGet("/{id}", Get).WithSummary("A ticket with each clock's elapsed, remaining and deadline at now, and its audit trail.");
        tickets.MapPost("/{id}/assign", Assign).WithSummary("Assigns the ticket to a team and/or a person.");
        tickets.MapPost("/{id}/priority", ChangePriority).WithSummary("Changes the priority and re-targets the clocks.");
        tickets.MapPost("/{id}/status", ChangeStatus).WithSummary("Changes the status; pause statuses pause the clocks.");
        tickets.MapPost("/{id}/replies", Reply).WithSummary("Records a public reply from the agent or the customer.");
        tickets.MapPost("/{id}/resolve", (string id, ClaimsPrincipal user, IGrainFactory grains) => Act(id, user, grains, staffOnly: true, t => t.Resolve())).WithSummary("Resolves the ticket.");
        tickets.MapPost("/{id}/reopen", (string id, ClaimsPrincipal user, IGrainFactory grains) => Act(id, user, grains, staffOnly: false, t => t.Reopen())).WithSummary("Reopens a resolved ticket.");
        tickets.MapPost("/{id}/close", (string id, ClaimsPrincipal user, IGrainFactory grains) => Act(id, user, grains, staffOnly: true, t => t.Close())).WithSummary("Closes the ticket for good.");
    }

    private static async Task<Results<Created<TicketView>, ValidationProblem, ProblemHttpResult>> Create(NewTicketRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = Caller.From(user);
        var errors = new Json.InputErrors();
        if (string.IsNullOrWhiteSpace(request.CustomerId))
        {
            errors.Add("customerId", "A ticket belongs to a customer.");
        }

        if (string.IsNullOrWhiteSpace(request.Subject))
        {
            errors.Add("subject", "A ticket needs a subject.");
        }

        if (request.Id is { } id && (id.Length > 64 || !CustomerSetup.IsId(id)))
        {
            errors.Add("id", "A ticket id has 1–64 letters, digits, '-' or '_'.");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        if (!caller.CanRead(request.CustomerId) || !await CustomersApi.Exists(grains, request.CustomerId!))
        {
            return Problems.NotFound($"Customer '{request.CustomerId}'");
        }

        var terms = await grains.GetGrain<ICustomerGrain>(request.CustomerId!).TermsFor(request.Priority);
        if (!terms.Accepted)
        {
            return Problems.Rejected(terms.Rejection!);
        }

        var ticketId = request.Id ?? $"T-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var result = await grains.GetGrain<ITicketGrain>(ticketId).Create(new NewTicket(
            request.CustomerId!,
            request.Priority,
            request.Subject!,
            request.Requester ?? caller.Name,
            caller.IsStaff ? request.Team : null,
            caller.IsStaff ? request.Assignee : null,
            terms.Terms!.Targets,
            terms.Terms.Options));
        if (!result.Accepted)
        {
            // An id that exists already: say so without revealing another customer's ticket.
            return result.Rejection!.Code == "ticket-exists"
                ? Problems.Conflict($"Ticket '{ticketId}' already exists.")
                : Problems.Rejected(result.Rejection!);
        }

        return TypedResults.Created($"/api/v1/tickets/{ticketId}", result.Ticket!);
    }

    private static async Task<Results<Ok<TicketPage>, ValidationProblem>> List(
        ClaimsPrincipal user,
        IGrainFactory grains,
        string? customer,
        string? team,
        string? assignee,
        string? state,
        TicketPriority? priority,
        int? page,
        int? pageSize)
    {
        var caller = Caller.From(user);
        var errors = new Json.InputErrors();
        if (state is not null && !TicketStates.Contains(state))
        {
            errors.Add("state", $"'{state}' is not a state: use one of {string.Join(", ", TicketStates)}.");
        }

        if (page is < 1)
        {
            errors.Add("page", "Pages start at 1.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"A page holds 1–{MaxPageSize} tickets.");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var matching = (await SlaReads.TicketsAsync(grains, caller, customer))
            .Where(t => team is null || t.Team == team)
            .Where(t => assignee is null || t.Assignee == assignee)
            .Where(t => priority is null || t.Priority == priority)
            .Where(t => state is null || InState(t, state))
            .ToList();
        var size = pageSize ?? 50;
        var number = page ?? 1;
        return TypedResults.Ok(new TicketPage([.. matching.Skip((number - 1) * size).Take(size)], matching.Count, number, size));
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
        => await Visible(id, user, grains) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"Ticket '{id}'");

    private static Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> Assign(string id, AssignRequest request, ClaimsPrincipal user, IGrainFactory grains)
        => Act(id, user, grains, staffOnly: true, t => t.Assign(Blank(request.Team), Blank(request.Assignee)));

    private static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> ChangePriority(string id, PriorityRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await Visible(id, user, grains) is not { } view)
        {
            return Problems.NotFound($"Ticket '{id}'");
        }

        var terms = await grains.GetGrain<ICustomerGrain>(view.CustomerId).TermsFor(request.Priority);
        return terms.Accepted
            ? await Act(id, user, grains, staffOnly: true, t => t.ChangePriority(request.Priority, terms.Terms!.Targets))
            : Problems.Rejected(terms.Rejection!);
    }

    private static Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> ChangeStatus(string id, StatusRequest request, ClaimsPrincipal user, IGrainFactory grains)
        => Act(id, user, grains, staffOnly: true, t => t.ChangeStatus(request.Status));

    private static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> Reply(string id, ReplyRequest request, ClaimsPrincipal user, IGrainFactory grains)
        => request.From switch
        {
            "agent" => await Act(id, user, grains, staffOnly: true, t => t.RecordAgentReply()),
            "customer" => await Act(id, user, grains, staffOnly: false, t => t.RecordCustomerReply()),
            _ => Problems.Invalid("from", "A reply is from 'agent' or 'customer'."),
        };

    /// <summary>Runs a command on a ticket the caller may see (and, for <paramref name="staffOnly"/>, act on).</summary>
    private static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> Act(
        string id, ClaimsPrincipal user, IGrainFactory grains, bool staffOnly, Func<ITicketGrain, Task<TicketResult>> command)
    {
        if (await Visible(id, user, grains) is null)
        {
            return Problems.NotFound($"Ticket '{id}'");
        }

        if (staffOnly && !Caller.From(user).IsStaff)
        {
            return Problems.Forbidden("Only the service provider's staff do this to a ticket.");
        }

        var result = await command(grains.GetGrain<ITicketGrain>(id));
        return result.Accepted ? TypedResults.Ok(result.Ticket!) : Problems.Rejected(result.Rejection!);
    }

    /// <summary>The ticket when it exists and the caller may see its customer; otherwise null (404 either way).</summary>
    private static async Task<TicketView?> Visible(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var view = await grains.GetGrain<ITicketGrain>(id).Get();
        return view is not null && Caller.From(user).CanRead(view.CustomerId) ? view : null;
    }

    private static readonly string[] TicketStates = ["open", "paused", "atRisk", "breached", "resolved", "closed"];

    private static bool InState(TicketView t, string state) => state switch
    {
        "open" => t.Status is not (TicketStatus.Resolved or TicketStatus.Closed),
        "paused" => t.Clocks.Any(c => c.State is ClockState.Paused or ClockState.BreachedPaused),
        "breached" => t.Clocks.Any(c => c.State is ClockState.BreachedRunning or ClockState.BreachedPaused || (c.State == ClockState.Running && c.BreachAt <= t.AsOf)),
        "atRisk" => t.Clocks.Any(c => c.State == ClockState.Running && c.Elapsed >= c.Target * 0.75 && c.Elapsed < c.Target),
        "resolved" => t.Status == TicketStatus.Resolved,
        "closed" => t.Status == TicketStatus.Closed,
        _ => false,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
