using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;

namespace SlaGrains.Grains.Customers;

/// <summary>The customer list; a registration is written before the call returns.</summary>
public sealed class CustomerDirectoryGrain([PersistentState("customers")] IPersistentState<CustomerDirectoryState> state) : Grain, ICustomerDirectoryGrain
{
    /// <inheritdoc />
    public async Task<bool> Register(CustomerEntry customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (!state.State.Customers.TryAdd(customer.CustomerId, customer))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<CustomerEntry?> Find(string customerId) => Task.FromResult(state.State.Customers.GetValueOrDefault(customerId));

    /// <inheritdoc />
    public Task<ImmutableArray<CustomerEntry>> List()
        => Task.FromResult(state.State.Customers.Values.OrderBy(c => c.CustomerId, StringComparer.Ordinal).ToImmutableArray());
}

/// <summary>The directory's durable state.</summary>
[GenerateSerializer]
[Alias("slagrains.customer-directory-state")]
public sealed class CustomerDirectoryState
{
    /// <summary>Customers by id.</summary>
    [Id(0)]
    public Dictionary<string, CustomerEntry> Customers { get; set; } = [];
}
