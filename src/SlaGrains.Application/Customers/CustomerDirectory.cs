using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;

namespace SlaGrains.Application.Customers;

/// <summary>
/// Which customers a caller may see, in one place: a customer's user only its own, staff every one; an unseen
/// customer looks exactly like one that does not exist.
/// </summary>
[ApplicationService]
public sealed class CustomerDirectory(IGrainFactory grains)
{
    private ICustomerDirectoryGrain Directory => grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key);

    /// <summary>The customers the caller may see (<paramref name="only"/> narrows to one; an unseen one gives none), by id.</summary>
    public async Task<IReadOnlyList<CustomerEntry>> VisibleAsync(Caller caller, string? only = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return caller.CustomerId is { } own && (only is null || only == own) && await Directory.Find(own) is { } entry ? [entry] : [];
        }

        var all = await Directory.List();
        return [.. all.Where(c => only is null || c.CustomerId == only).Where(c => caller.CanRead(c.CustomerId)).OrderBy(c => c.CustomerId, StringComparer.Ordinal)];
    }

    /// <summary>The customer when it exists and the caller may see it; otherwise null (the two look the same from outside).</summary>
    public async Task<CustomerEntry?> FindAsync(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Bounds.IsId(customerId) && caller.CanRead(customerId) ? await Directory.Find(customerId) : null;
    }

    /// <summary>Whether the customer exists (whoever asks).</summary>
    public async Task<bool> ExistsAsync(string customerId) => Bounds.IsId(customerId) && await Directory.Find(customerId) is not null;
}
