using System.Security.Cryptography;
using SlaGrains.Application.Incidents;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Tickets;

/// <summary>
/// Everything people and machines do to tickets, for the API and the pages alike: who may do it, the input's bounds,
/// the customer's terms for a priority (so opening and a priority change take their targets from one place), then
/// the ticket grain's command, whose reply means the change is durable.
/// </summary>
[ApplicationService]
public sealed class TicketCommands(IGrainFactory grains, IncidentQueries incidents)
{
    /// <summary>Opens a ticket for a customer the caller may see; staff may assign it at once.</summary>
    public async Task<Result<TicketView>> Open(Caller caller, OpenTicketInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var errors = new InputErrors();
        if (string.IsNullOrWhiteSpace(input.CustomerId))
        {
            errors.Add("customerId", "A ticket belongs to a customer.");
        }
        else if (!Bounds.IsId(input.CustomerId))
        {
            errors.Add("customerId", Bounds.IdRule("A customer id"));
        }

        if (input.Priority is not { } priority || !Enum.IsDefined(priority))
        {
            errors.Add("priority", "A ticket needs a priority: p1, p2, p3 or p4.");
        }

        var subject = Bounds.Blank(input.Subject);
        if (subject is null)
        {
            errors.Add("subject", "A ticket needs a subject.");
        }
        else if (subject.Length > Bounds.SubjectLength || !Bounds.IsPrintable(subject))
        {
            errors.Add("subject", $"A subject has at most {Bounds.SubjectLength} characters and no control characters.");
        }

        if (input.Id is not null && !ChoosesTicketIds(caller))
        {
            // Ticket ids are global: were a customer to choose one, a 409 would tell it another customer's ticket
            // exists, and it could take ids another customer's tools will need. The server gives customers their ids.
            errors.Add("id", "Customers do not choose ticket ids: leave 'id' out and the ticket gets one.");
        }
        else
        {
            Bounds.CheckId(errors, "id", input.Id, "A ticket id");
        }

        CheckName(errors, "requester", input.Requester);
        CheckName(errors, "team", input.Team);
        CheckName(errors, "assignee", input.Assignee);
        var incidentId = Bounds.Blank(input.IncidentId);
        CheckIncidentId(errors, incidentId);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var customerId = input.CustomerId!;
        if (!caller.CanRead(customerId) || await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        if (incidentId is not null && await IncidentProblem(caller, customerId, incidentId) is { } incidentProblem)
        {
            return incidentProblem;
        }

        var terms = await grains.GetGrain<ICustomerGrain>(customerId).TermsFor(input.Priority!.Value);
        if (!terms.Accepted)
        {
            return Failure.Rejected(terms.Rejection!);
        }

        var ticket = new NewTicket(
            customerId,
            input.Priority.Value,
            subject!,
            Bounds.Blank(input.Requester) ?? caller.Name,
            caller.IsStaff ? Bounds.Blank(input.Team) : null,
            caller.IsStaff ? Bounds.Blank(input.Assignee) : null,
            terms.Terms!.Targets,
            terms.Terms.Options,
            incidentId);
        using var actor = Actor.Is(caller);
        if (input.Id is { } chosen)
        {
            // Only staff choose ids (they see every customer's tickets, so a 409 tells them nothing new).
            var created = await grains.GetGrain<ITicketGrain>(chosen).Create(ticket);
            return created.Accepted ? created.Ticket!
                : created.Rejection!.Code == "ticket-exists" ? Failure.Conflict($"Ticket '{chosen}' already exists.")
                : Failure.Rejected(created.Rejection!);
        }

        // A generated id (48 random bits) that happens to exist is drawn again: the caller never learns of it.
        for (var attempt = 0; ; attempt++)
        {
            var result = await grains.GetGrain<ITicketGrain>(NewTicketId()).Create(ticket);
            if (result.Accepted)
            {
                return result.Ticket!;
            }

            if (result.Rejection!.Code != "ticket-exists" || attempt == 4)
            {
                return Failure.Rejected(result.Rejection!);
            }
        }
    }

    /// <summary>
    /// Whether the caller may choose a ticket's id: the service provider's staff (who see every ticket). A customer's
    /// users and customer-bound keys get a generated id, so an id never reveals or blocks another customer's ticket.
    /// </summary>
    public static bool ChoosesTicketIds(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);

        // A key restricted to some customers is told apart from a customer's tools the same way: a 409 would reveal
        // another customer's ticket.
        return caller.IsStaff && !caller.IsRestricted;
    }

    private static string NewTicketId() => $"T-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";

    /// <summary>Assigns to a team and/or a person (blank clears); staff only.</summary>
    public Task<Result<TicketView>> Assign(Caller caller, string ticketId, string? team, string? assignee)
    {
        var errors = new InputErrors();
        CheckName(errors, "team", team);
        CheckName(errors, "assignee", assignee);
        return errors.Any
            ? Task.FromResult<Result<TicketView>>(Failure.Invalid(errors))
            : Act(caller, ticketId, staffOnly: true, (t, _) => t.Assign(Bounds.Blank(team), Bounds.Blank(assignee)));
    }

    /// <summary>
    /// Issue 20: links the ticket to one of its customer's incidents, replacing any link (staff only). An incident id that
    /// is malformed, unknown, or not one of the ticket's customer is a 400 naming <c>incidentId</c>, with the same words
    /// whether or not it exists for another customer.
    /// </summary>
    public async Task<Result<TicketView>> LinkIncident(Caller caller, string ticketId, string? incidentId)
    {
        var errors = new InputErrors();
        var id = Bounds.Blank(incidentId);
        if (id is null)
        {
            errors.Add("incidentId", "Name the incident to link: its id, e.g. api-1 (DELETE the link to unlink).");
        }

        CheckIncidentId(errors, id);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        // The ticket first (404, 403), then the incident against the ticket's customer (400).
        if (!Bounds.IsId(ticketId) || await grains.GetGrain<ITicketGrain>(ticketId).Get() is not { } view || !caller.CanRead(view.CustomerId))
        {
            return Failure.NotFound($"Ticket '{ticketId}'");
        }

        if (caller.IsStaff && await IncidentProblem(caller, view.CustomerId, id!) is { } problem)
        {
            return problem;
        }

        return await Act(caller, ticketId, staffOnly: true, (t, _) => t.LinkIncident(id));
    }

    /// <summary>Issue 20: unlinks the ticket from its incident (staff only); a ticket without one stays as it is.</summary>
    public Task<Result<TicketView>> UnlinkIncident(Caller caller, string ticketId) => Act(caller, ticketId, staffOnly: true, (t, _) => t.LinkIncident(null));

    /// <summary>Changes the priority and re-targets the clocks from the customer's policy, keeping elapsed time; staff only.</summary>
    public Task<Result<TicketView>> ChangePriority(Caller caller, string ticketId, TicketPriority? priority)
        => priority is not { } p || !Enum.IsDefined(p)
            ? Task.FromResult<Result<TicketView>>(Failure.Invalid("priority", "A priority is p1, p2, p3 or p4."))
            : Act(caller, ticketId, staffOnly: true, async (t, view) =>
            {
                var terms = await grains.GetGrain<ICustomerGrain>(view.CustomerId).TermsFor(p);
                return terms.Accepted ? await t.ChangePriority(p, terms.Terms!.Targets) : new TicketResult(null, terms.Rejection);
            });

    /// <summary>Changes the status (the policy's pause statuses pause the clocks); staff only.</summary>
    public Task<Result<TicketView>> ChangeStatus(Caller caller, string ticketId, TicketStatus? status)
        => status is not { } s || !Enum.IsDefined(s)
            ? Task.FromResult<Result<TicketView>>(Failure.Invalid("status", "A status is new, open, inProgress, waitingOnCustomer, onHold, resolved or closed."))
            : Act(caller, ticketId, staffOnly: true, (t, _) => t.ChangeStatus(s));

    /// <summary>A public reply: from the agent (staff only: meets first response and next reply) or the customer.</summary>
    public Task<Result<TicketView>> Reply(Caller caller, string ticketId, string? from) => from switch
    {
        "agent" => Act(caller, ticketId, staffOnly: true, (t, _) => t.RecordAgentReply()),
        "customer" => Act(caller, ticketId, staffOnly: false, (t, _) => t.RecordCustomerReply()),
        _ => Task.FromResult<Result<TicketView>>(Failure.Invalid("from", "A reply is from 'agent' or 'customer'.")),
    };

    /// <summary>Resolves the ticket; staff only.</summary>
    public Task<Result<TicketView>> Resolve(Caller caller, string ticketId) => Act(caller, ticketId, staffOnly: true, (t, _) => t.Resolve());

    /// <summary>Reopens a resolved ticket; its customer's users may too.</summary>
    public Task<Result<TicketView>> Reopen(Caller caller, string ticketId) => Act(caller, ticketId, staffOnly: false, (t, _) => t.Reopen());

    /// <summary>Closes the ticket for good; staff only.</summary>
    public Task<Result<TicketView>> Close(Caller caller, string ticketId) => Act(caller, ticketId, staffOnly: true, (t, _) => t.Close());

    /// <summary>Runs a command on a ticket the caller may see (and, for <paramref name="staffOnly"/>, act on).</summary>
    private async Task<Result<TicketView>> Act(Caller caller, string ticketId, bool staffOnly, Func<ITicketGrain, TicketView, Task<TicketResult>> command)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!Bounds.IsId(ticketId))
        {
            return Failure.NotFound($"Ticket '{ticketId}'");
        }

        var ticket = grains.GetGrain<ITicketGrain>(ticketId);
        if (await ticket.Get() is not { } view || !caller.CanRead(view.CustomerId))
        {
            return Failure.NotFound($"Ticket '{ticketId}'");
        }

        if (staffOnly && !caller.IsStaff)
        {
            return Failure.Forbidden("Only the service provider's staff do this to a ticket.");
        }

        using var actor = Actor.Is(caller);
        var result = await command(ticket, view);
        return result.Accepted ? result.Ticket! : Failure.Rejected(result.Rejection!);
    }

    private static void CheckName(InputErrors errors, string field, string? value) => Bounds.CheckName(errors, field, value);

    private static void CheckIncidentId(InputErrors errors, string? incidentId)
    {
        if (incidentId is not null && !Bounds.IsChildId(incidentId))
        {
            errors.Add("incidentId", $"An incident id has 1–{2 * Bounds.IdLength} letters, digits, '.', '-' or '_'.");
        }
    }

    /// <summary>
    /// Why <paramref name="incidentId"/> cannot be linked to a ticket of <paramref name="customerId"/>: null when it is one
    /// of that customer's incidents the caller may read; otherwise a 400 naming <c>incidentId</c> that reads the same
    /// whether the incident is another customer's or none at all, so it tells nothing about other tenants.
    /// </summary>
    private async Task<Failure?> IncidentProblem(Caller caller, string customerId, string incidentId)
        => await incidents.FindAsync(caller, incidentId) is { } found && found.CustomerId == customerId
            ? null
            : Failure.Invalid("incidentId", $"Customer '{customerId}' has no incident '{Bounds.Echo(incidentId, 140)}'.");
}
