using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Application.Credits;

/// <summary>
/// Reading credits, limited to what the caller may see: a customer's notices, disputes and ledger (its own users and
/// staff; another customer looks unknown), the disputes across the customers the caller sees, and — for admins and
/// managers — the credit trends and the month closes that are overdue.
/// </summary>
/// <remarks>
/// Notices, disputes and the ledger live in each customer's grain (there is no read-model table for them yet), so the
/// list across customers asks each visible customer's grain, concurrently.
/// </remarks>
[ApplicationService]
public sealed class CreditQueries(IGrainFactory grains, CustomerDirectory customers)
{
    /// <summary>Whether the caller watches credits across customers (trends, every dispute, overdue month closes): admins and managers.</summary>
    public static bool WatchesCredits(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.ManagesContracts;
    }

    /// <summary>The customer's credit notices (one per month that missed its commitment), newest first.</summary>
    public async Task<Result<ImmutableArray<CreditNotice>>> Notices(Caller caller, string customerId)
        => await customers.FindAsync(caller, customerId) is null
            ? Failure.NotFound($"Customer '{customerId}'")
            : await grains.GetGrain<ICustomerGrain>(customerId).GetNotices();

    /// <summary>The customer's disputes with their evidence and audit trail, newest month first.</summary>
    public async Task<Result<ImmutableArray<CreditDisputeView>>> Disputes(Caller caller, string customerId)
        => await customers.FindAsync(caller, customerId) is null
            ? Failure.NotFound($"Customer '{customerId}'")
            : await grains.GetGrain<ICustomerGrain>(customerId).GetDisputes();

    /// <summary>The customer's credit ledger (one credit per closed month, with any dispute's adjustment), newest month first.</summary>
    public async Task<Result<ImmutableArray<CreditEntry>>> Ledger(Caller caller, string customerId)
        => await customers.FindAsync(caller, customerId) is null
            ? Failure.NotFound($"Customer '{customerId}'")
            : await grains.GetGrain<ICustomerGrain>(customerId).GetCredits();

    /// <summary>
    /// The disputes of every customer the caller sees (a customer's user: its own): open ones first, then newest
    /// month first, then by customer.
    /// </summary>
    public async Task<ImmutableArray<CreditDisputeView>> VisibleDisputes(Caller caller)
    {
        var visible = await customers.VisibleAsync(caller);
        var lists = await Task.WhenAll(visible.Select(c => grains.GetGrain<ICustomerGrain>(c.CustomerId).GetDisputes()));
        return
        [
            .. lists.SelectMany(l => l)
                .OrderBy(d => d.Status != DisputeStatus.Filed)
                .ThenByDescending(d => d.Month)
                .ThenBy(d => d.CustomerId, StringComparer.Ordinal),
        ];
    }

    /// <summary>Credits per month across customers and the 3-month trend, per currency; admins and managers.</summary>
    public async Task<Result<CreditTrendsView>> Trends(Caller caller)
        => WatchesCredits(caller)
            ? await grains.GetGrain<ICreditTrendsGrain>(ICreditTrendsGrain.Key).Get()
            : Failure.Forbidden("Credit trends are for admins and managers.");

    /// <summary>Month closes that had not completed within their grace of the month's end, oldest first; admins and managers.</summary>
    public async Task<Result<ImmutableArray<MonthCloseOverdue>>> OverdueMonthCloses(Caller caller)
        => WatchesCredits(caller)
            ? await grains.GetGrain<IMonthCloseWatchGrain>(IMonthCloseWatchGrain.Key).GetOverdue()
            : Failure.Forbidden("Overdue month closes are for admins and managers.");
}
