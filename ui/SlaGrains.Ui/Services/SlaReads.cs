using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Escalations;

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

    /// <summary>Escalations (alerts that matched a rule) the caller may see, newest first; only staff see any.</summary>
    public static async Task<ImmutableArray<EscalationView>> EscalationsAsync(IGrainFactory grains, Caller caller, string? only = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return [];
        }

        var customers = await VisibleCustomersAsync(grains, caller, only);
        var logs = await Task.WhenAll(customers.Select(c => grains.GetGrain<IEscalationGrain>(c).GetLog(1000)));

        // An alert that matched no rule is recorded (for de-duplication) but is not an escalation.
        return [.. logs.SelectMany(l => l).Where(e => !e.Actions.IsDefaultOrEmpty).OrderByDescending(e => e.RaisedAt)];
    }

    /// <summary>Disputes the caller may see (a customer's user: its own), open ones first, then newest month first.</summary>
    public static async Task<ImmutableArray<Contracts.Credits.CreditDisputeView>> DisputesAsync(IGrainFactory grains, Caller caller)
    {
        var customers = await VisibleCustomersAsync(grains, caller);
        var lists = await Task.WhenAll(customers.Select(c => grains.GetGrain<ICustomerGrain>(c).GetDisputes()));
        return [.. lists.SelectMany(l => l).OrderBy(d => d.Status != Domain.Credits.DisputeStatus.Filed).ThenByDescending(d => d.Month).ThenBy(d => d.CustomerId, StringComparer.Ordinal)];
    }
}
