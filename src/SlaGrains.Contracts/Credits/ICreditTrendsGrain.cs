using Orleans.Concurrency;
using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;

namespace SlaGrains.Contracts.Credits;

/// <summary>
/// Credits across customers (one grain, key <see cref="Key"/>): a projection of every customer's ledger, kept in step
/// by the customer grains, for the managers' trend view; alerts managers once when a currency's trend turns increasing.
/// </summary>
public interface ICreditTrendsGrain : IGrainWithStringKey
{
    /// <summary>The single instance's key.</summary>
    const string Key = "all";

    /// <summary>Replaces a customer's ledger in the projection (idempotent); publishes an alert if a trend became increasing.</summary>
    Task Update(string customerId, ImmutableArray<CreditEntry> ledger);

    /// <summary>Credits per month and the trend, per currency.</summary>
    [AlwaysInterleave]
    Task<CreditTrendsView> Get();
}
