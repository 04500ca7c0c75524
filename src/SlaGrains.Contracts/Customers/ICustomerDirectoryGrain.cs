using System.Collections.Immutable;

namespace SlaGrains.Contracts.Customers;

/// <summary>
/// The list of customers (one grain, key <see cref="Key"/>): what cross-customer views (manager lists, the ticket
/// board, the escalation inbox) enumerate.
/// </summary>
public interface ICustomerDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The single instance's key.</summary>
    const string Key = "customers";

    /// <summary>Adds a customer; false (and nothing changes) when its id is taken — an existing customer is never renamed by it.</summary>
    Task<bool> Register(CustomerEntry customer);

    /// <summary>The customer, or null.</summary>
    Task<CustomerEntry?> Find(string customerId);

    /// <summary>Every customer, by id.</summary>
    Task<ImmutableArray<CustomerEntry>> List();
}

/// <summary>A customer as listed.</summary>
/// <param name="CustomerId">The customer's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="Group">An account group managers filter reports by (a region, a segment, a reseller); null: none.</param>
[GenerateSerializer]
[Alias("slagrains.customer-entry")]
[Immutable]
public sealed record CustomerEntry([property: Id(0)] string CustomerId, [property: Id(1)] string Name, [property: Id(2)] Instant CreatedAt, [property: Id(3)] string? Group = null);
