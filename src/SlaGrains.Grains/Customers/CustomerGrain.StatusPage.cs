using SlaGrains.Contracts.Customers;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// The customer's public status-page setting: kept in the customer's state, written before the call returns. The rules
/// (slug format, uniqueness, who may change it) are the application's and the directory's; the customer only keeps it.
/// </summary>
public sealed partial class CustomerGrain : ICustomerStatusPageGrain
{
    /// <inheritdoc />
    public async Task<StatusPageSettings?> SetStatusPage(StatusPageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var previous = Customer.StatusPage;
        if (previous != settings)
        {
            await Commit(c => c.StatusPage = settings);
        }

        return previous;
    }

    /// <inheritdoc />
    public Task<StatusPageSettings?> GetStatusPage() => Task.FromResult(Customer.StatusPage);
}
