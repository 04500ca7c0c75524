using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Customers;

/// <summary>
/// Reading customers, limited to what the caller may see (<see cref="CustomerDirectory"/>): the list, the admin
/// list with each customer's configuration, and one customer as the API shows it (its open tickets counted in the
/// <c>tickets</c> table).
/// </summary>
[ApplicationService]
public sealed class CustomerQueries(IGrainFactory grains, CustomerDirectory customers, ITicketReadModel tickets, ISlaNow clock)
{
    /// <summary>The customers the caller may see, by id (a customer's user: its own; an ingestion key: none).</summary>
    public async Task<IReadOnlyList<CustomerEntry>> List(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IngestionOnly ? [] : await customers.VisibleAsync(caller);
    }

    /// <summary>The customers the caller may see with their configuration (contract, calendar, tier, components), by id: what the admin list shows.</summary>
    public async Task<IReadOnlyList<CustomerConfiguration>> Overview(Caller caller)
    {
        var entries = await List(caller);
        var views = await Task.WhenAll(entries.Select(e => grains.GetGrain<ICustomerGrain>(e.CustomerId).Get()));
        return [.. entries.Select((e, i) => new CustomerConfiguration(e, views[i]))];
    }

    /// <summary>One customer with its configuration (what the customer editor starts from); not found when the caller may not see it.</summary>
    public async Task<Result<CustomerConfiguration>> Configuration(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await customers.FindAsync(caller, customerId) is { } entry
            ? new CustomerConfiguration(entry, await grains.GetGrain<ICustomerGrain>(customerId).Get())
            : Failure.NotFound($"Customer '{customerId}'");
    }

    /// <summary>A customer as <c>GET /api/v1/customers/{id}</c> shows it; not found when the caller may not see it.</summary>
    public async Task<Result<CustomerResponse>> Get(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await customers.FindAsync(caller, customerId) is { } entry ? await Response(entry) : Failure.NotFound($"Customer '{customerId}'");
    }

    /// <summary>The response for a customer known to exist (after a command changed it).</summary>
    internal async Task<CustomerResponse> Response(CustomerEntry entry)
    {
        var view = await grains.GetGrain<ICustomerGrain>(entry.CustomerId).Get();
        var stats = await tickets.StatsAsync(new TicketStatsQuery { Customers = [entry.CustomerId], OpenOnly = true, Now = clock.Now });
        return new CustomerResponse(
            entry.CustomerId,
            entry.Name,
            view?.Agreement is { } agreement ? ContractResponse.From(agreement) : null,
            view?.Calendar is { } calendar ? CalendarInput.From(calendar) : null,
            view?.Policy is { } policy ? new PolicyResponse(policy.Name, policy.Targets.ToDictionary(t => t.Key, t => PriorityTargetsInput.From(t.Value))) : null,
            view?.Components ?? [],
            stats.Sum(t => t.OpenTickets),
            (view?.Status.Status ?? ServiceStatus.Operational).ToString(),
            view?.NextMonthToClose,
            view?.NextMonthCloseAt,
            entry.Group);
    }
}
