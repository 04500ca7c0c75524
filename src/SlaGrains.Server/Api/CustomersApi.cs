using System.Security.Claims;
using SlaGrains.Application.Credits;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Api;

/// <summary>Customers: HTTP over the application layer's customer commands and queries (the list, contract, calendar, SLA policy, components, credit ledger).</summary>
internal static class CustomersApi
{
    public static void MapCustomersApi(this RouteGroupBuilder api)
    {
        // Every customer route finds the customer through CustomerDirectory (Caller.CanRead): keys restricted to listed customers may use them.
        var customers = api.MapGroup("/customers").WithTags("Customers").AcceptsRestrictedKeys();
        customers.MapGet("/", async (ClaimsPrincipal user, CustomerQueries queries) => TypedResults.Ok(await queries.List(Caller.From(user))))
            .Produces<IReadOnlyList<CustomerEntry>>().WithSummary("The customers the caller may see.");
        customers.MapPost("/", Create).Produces<CustomerResponse>(StatusCodes.Status201Created).WithSummary("Creates a customer (admins and managers).");
        customers.MapGet("/{id}", async (string id, ClaimsPrincipal user, CustomerQueries queries) => ApiResults.Ok(await queries.Get(Caller.From(user), id)))
            .Produces<CustomerResponse>().WithSummary("A customer with its contract, calendar, policy and components.");
        customers.MapPut("/{id}/contract", async (string id, ContractRequest request, ClaimsPrincipal user, CustomerCommands commands) => ApiResults.Ok(await commands.SetContract(Caller.From(user), id, request)))
            .Produces<CustomerResponse>().WithSummary("Sets the contract (admins and managers).");
        customers.MapPut("/{id}/calendar", async (string id, CalendarInput request, ClaimsPrincipal user, CustomerCommands commands) => ApiResults.Ok(await commands.SetCalendar(Caller.From(user), id, request)))
            .Produces<CustomerResponse>().WithSummary("Sets the business calendar (admins and managers).");
        customers.MapPut("/{id}/policy", async (string id, PolicyInput request, ClaimsPrincipal user, CustomerCommands commands) => ApiResults.Ok(await commands.SetPolicy(Caller.From(user), id, request)))
            .Produces<CustomerResponse>().WithSummary("Sets the SLA tier and per-priority overrides; open tickets are re-targeted, keeping elapsed time.");
        customers.MapPut("/{id}/components", async (string id, List<ComponentInput?> request, ClaimsPrincipal user, CustomerCommands commands) => ApiResults.Ok(await commands.SetComponents(Caller.From(user), id, request)))
            .Produces<CustomerResponse>().WithSummary("Sets which monitors make up the service and which are critical.");
        customers.MapGet("/{id}/credits", async (string id, ClaimsPrincipal user, CreditQueries credits) => ApiResults.Ok(await credits.Ledger(Caller.From(user), id)))
            .Produces<IReadOnlyList<CreditEntry>>().WithSummary("The customer's credit ledger, one entry per closed month.");
    }

    private static async Task<IResult> Create(NewCustomerInput request, ClaimsPrincipal user, CustomerCommands commands, CustomerQueries queries)
    {
        var caller = Caller.From(user);
        var created = await commands.Create(caller, request);
        if (!created.Succeeded)
        {
            return ApiResults.Problem(created.Failure);
        }

        var customer = await queries.Get(caller, created.Value.CustomerId);
        return customer.Succeeded
            ? TypedResults.Created($"/api/v1/customers/{created.Value.CustomerId}", customer.Value)
            : ApiResults.Problem(customer.Failure);
    }
}
