using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Tickets;
using SlaGrains.Server.Api.Json;
using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Api;

/// <summary>A new customer: an id (letters, digits, dashes), a display name and optionally an account group (for manager reports).</summary>

/// <summary>
/// The contract: the customer-facing SLA target (percent), the internal SLO (optional, derived from 20 % of the
/// SLA's budget when omitted), the monthly fee and currency, the credit schedule and cap (contract defaults when
/// omitted), and the notice maintenance must be announced with (hours, default 48).
/// </summary>
public sealed record ContractRequest(
    decimal SlaTargetPercent,
    decimal? SloTargetPercent,
    decimal MonthlyFee,
    string? Currency,
    List<CreditTierInput>? CreditSchedule,
    decimal? CreditCapPercent,
    decimal? MaintenanceNoticeHours);

/// <summary>A component: a monitor and whether its outage is an outage of the whole service.</summary>
public sealed record ComponentInput(string? MonitorId, bool Critical);

/// <summary>A customer as the API shows it.</summary>
public sealed record CustomerResponse(
    string Id,
    string Name,
    ContractResponse? Contract,
    CalendarInput? Calendar,
    PolicyResponse? Policy,
    ImmutableArray<CustomerComponent> Components,
    int OpenTickets,
    string Status,
    YearMonth? NextMonthToClose,
    Instant? NextMonthCloseAt,
    string? Group);

/// <summary>The contract as stored (with the SLO and defaults resolved).</summary>
public sealed record ContractResponse(
    decimal SlaTargetPercent,
    decimal SloTargetPercent,
    decimal MonthlyFee,
    string Currency,
    ImmutableArray<CreditTierInput> CreditSchedule,
    decimal CreditCapPercent,
    decimal MaintenanceNoticeHours);

/// <summary>The SLA tier in force (with the customer's overrides applied).</summary>
public sealed record PolicyResponse(string Name, Dictionary<TicketPriority, PriorityTargetsInput> Targets);

/// <summary>Customers: the list, contract, calendar, SLA policy, components and the credit ledger.</summary>
internal static class CustomersApi
{
    public static void MapCustomersApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers");
        customers.MapGet("/", List).WithSummary("The customers the caller may see.");
        customers.MapPost("/", Create).WithSummary("Creates a customer (admins and managers).");
        customers.MapGet("/{id}", Get).WithSummary("A customer with its contract, calendar, policy and components.");
        customers.MapPut("/{id}/contract", SetContract).WithSummary("Sets the contract (admins and managers).");
        customers.MapPut("/{id}/calendar", SetCalendar).WithSummary("Sets the business calendar (admins and managers).");
        customers.MapPut("/{id}/policy", SetPolicy).WithSummary("Sets the SLA tier and per-priority overrides; open tickets are re-targeted, keeping elapsed time.");
        customers.MapPut("/{id}/components", SetComponents).WithSummary("Sets which monitors make up the service and which are critical.");
        customers.MapGet("/{id}/credits", Credits).WithSummary("The customer's credit ledger, one entry per closed month.");
    }

    private static async Task<Ok<ImmutableArray<CustomerEntry>>> List(ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = Caller.From(user);
        var all = await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).List();
        return TypedResults.Ok(all.Where(c => caller.CanRead(c.CustomerId)).ToImmutableArray());
    }

    private static async Task<IResult> Create(NewCustomerInput request, ClaimsPrincipal user, CustomerCommands commands, IGrainFactory grains, ITicketReadModel tickets)
    {
        var created = await commands.Create(Caller.From(user), request);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/customers/{created.Value.CustomerId}", (await Load(grains, tickets, created.Value.CustomerId))!)
            : ApiResults.Problem(created.Failure);
    }

    private static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains, ITicketReadModel tickets)
        => Caller.From(user).CanRead(id) && await Load(grains, tickets, id) is { } customer ? TypedResults.Ok(customer) : Problems.NotFound($"Customer '{id}'");

    private static async Task<Results<Ok<CustomerResponse>, ValidationProblem, ProblemHttpResult>> SetContract(
        string id, ContractRequest request, ClaimsPrincipal user, IGrainFactory grains, ITicketReadModel tickets)
    {
        if (await Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var errors = new InputErrors();
        var schedule = errors.Schedule(request.CreditSchedule, "creditSchedule");
        var agreement = errors.Any ? null : errors.Try("contract", () => new ServiceAgreement(
            id,
            request.SlaTargetPercent,
            request.MonthlyFee,
            request.Currency ?? string.Empty,
            schedule,
            request.SloTargetPercent,
            creditCapPercent: request.CreditCapPercent ?? ServiceAgreement.DefaultCreditCapPercent,
            maintenanceNotice: request.MaintenanceNoticeHours is { } hours ? Duration.FromSeconds((double)(hours * 3600m)) : null));
        if (agreement is null)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var result = await grains.GetGrain<ICustomerGrain>(id).SetAgreement(agreement);
        return result.Accepted ? TypedResults.Ok((await Load(grains, tickets, id))!) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Ok<CustomerResponse>, ValidationProblem, ProblemHttpResult>> SetCalendar(
        string id, CalendarInput request, ClaimsPrincipal user, IGrainFactory grains, ITicketReadModel tickets)
    {
        if (await Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var errors = new InputErrors();
        if (request.ToCalendar(errors, "$") is not { } calendar)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var result = await grains.GetGrain<ICustomerGrain>(id).SetCalendar(calendar);
        return result.Accepted ? TypedResults.Ok((await Load(grains, tickets, id))!) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Ok<CustomerResponse>, ValidationProblem, ProblemHttpResult>> SetPolicy(
        string id, PolicyInput request, ClaimsPrincipal user, IGrainFactory grains, ITicketReadModel tickets)
    {
        if (await Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var errors = new InputErrors();
        if (request.ToPolicy(errors) is not var (tier, overrides))
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var customer = grains.GetGrain<ICustomerGrain>(id);
        var result = await customer.SetTier(tier);
        if (!result.Accepted)
        {
            return Problems.Rejected(result.Rejection!);
        }

        foreach (var priority in Enum.GetValues<TicketPriority>())
        {
            result = overrides.TryGetValue(priority, out var targets) ? await customer.SetOverride(priority, targets) : await customer.ClearOverride(priority);
            if (!result.Accepted)
            {
                return Problems.Rejected(result.Rejection!);
            }
        }

        return TypedResults.Ok((await Load(grains, tickets, id))!);
    }

    private static async Task<Results<Ok<CustomerResponse>, ValidationProblem, ProblemHttpResult>> SetComponents(
        string id, List<ComponentInput> request, ClaimsPrincipal user, IGrainFactory grains, ITicketReadModel tickets)
    {
        if (await Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var errors = new InputErrors();
        for (var i = 0; i < request.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(request[i].MonitorId))
            {
                errors.Add($"$[{i}].monitorId", "A component names its monitor.");
            }
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var result = await grains.GetGrain<ICustomerGrain>(id).SetComponents([.. request.Select(c => new CustomerComponent(c.MonitorId!, c.Critical))]);
        return result.Accepted ? TypedResults.Ok((await Load(grains, tickets, id))!) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Ok<ImmutableArray<CreditEntry>>, ProblemHttpResult>> Credits(string id, ClaimsPrincipal user, IGrainFactory grains)
        => await SlaReads.CustomerAsync(grains, Caller.From(user), id) is not null
            ? TypedResults.Ok(await grains.GetGrain<ICustomerGrain>(id).GetCredits())
            : Problems.NotFound($"Customer '{id}'");

    /// <summary>Null when the caller may change the customer's contract; otherwise the 403/404 to answer.</summary>
    internal static async Task<ProblemHttpResult?> Managed(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = Caller.From(user);
        if (await SlaReads.CustomerAsync(grains, caller, id) is null)
        {
            return Problems.NotFound($"Customer '{id}'");
        }

        return caller.ManagesContracts ? null : Problems.Forbidden("Only admins and managers change contracts, calendars, policies and components.");
    }

    internal static async Task<bool> Exists(IGrainFactory grains, string id)
        => await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(id) is not null;

    internal static async Task<CustomerResponse?> Load(IGrainFactory grains, ITicketReadModel tickets, string id)
    {
        if (await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(id) is not { } entry)
        {
            return null;
        }

        var view = await grains.GetGrain<ICustomerGrain>(id).Get();
        var open = (await tickets.StatsAsync(new TicketStatsQuery { Customers = [id], OpenOnly = true })).Sum(t => t.OpenTickets);
        return new CustomerResponse(
            entry.CustomerId,
            entry.Name,
            view?.Agreement is { } a ? Contract(a) : null,
            view?.Calendar is { } calendar ? CalendarInput.From(calendar) : null,
            view?.Policy is { } policy ? new PolicyResponse(policy.Name, policy.Targets.ToDictionary(t => t.Key, t => Targets(t.Value))) : null,
            view?.Components ?? [],
            open,
            (view?.Status.Status ?? Domain.Availability.ServiceStatus.Operational).ToString(),
            view?.NextMonthToClose,
            view?.NextMonthCloseAt,
            entry.Group);
    }

    private static ContractResponse Contract(ServiceAgreement a) => new(
        a.SlaTargetPercent,
        a.SloTargetPercent,
        a.MonthlyFee,
        a.Currency,
        [.. a.CreditSchedule.Tiers.Select(t => new CreditTierInput(t.MinPercent, t.MaxPercent, t.CreditPercent))],
        a.CreditCapPercent,
        (decimal)a.MaintenanceNotice.TotalHours);

    private static PriorityTargetsInput Targets(PriorityTargets t) => new(t.FirstResponse, t.Resolution, t.NextReply, t.Coverage);
}
