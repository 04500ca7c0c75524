using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;

namespace SlaGrains.Ui.Services;

/// <summary>
/// Reads that cut across customers, limited to what the caller may see: the pages and the REST API both use these,
/// so a customer user sees the same (only its own) data everywhere.
/// </summary>
public static class SlaReads
{
    /// <summary>The customers the caller may see (<paramref name="only"/> narrows to one; an unseen one gives none).</summary>
    public static async Task<IReadOnlyList<string>> VisibleCustomersAsync(IGrainFactory grains, Caller caller, string? only = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.CustomerId is { } own && !caller.IsStaff)
        {
            return only is null || only == own ? [own] : [];
        }

        if (!caller.IsStaff)
        {
            return [];
        }

        var all = await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).List();
        return [.. all.Select(c => c.CustomerId).Where(c => only is null || c == only)];
    }

    /// <summary>The customer when it exists and the caller may see it; otherwise null (the two look the same from outside).</summary>
    public static async Task<CustomerEntry?> CustomerAsync(IGrainFactory grains, Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(caller);
        return caller.CanRead(customerId) ? await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(customerId) : null;
    }

    /// <summary>Disputes the caller may see (a customer's user: its own), open ones first, then newest month first.</summary>
    public static async Task<ImmutableArray<Contracts.Credits.CreditDisputeView>> DisputesAsync(IGrainFactory grains, Caller caller)
    {
        var customers = await VisibleCustomersAsync(grains, caller);
        var lists = await Task.WhenAll(customers.Select(c => grains.GetGrain<ICustomerGrain>(c).GetDisputes()));
        return [.. lists.SelectMany(l => l).OrderBy(d => d.Status != Domain.Credits.DisputeStatus.Filed).ThenByDescending(d => d.Month).ThenBy(d => d.CustomerId, StringComparer.Ordinal)];
    }
}
