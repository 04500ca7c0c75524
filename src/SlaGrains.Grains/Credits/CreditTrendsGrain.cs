using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Grains.Credits;

/// <summary>The projection of every customer's credit ledger and the trend alerts already sent.</summary>
[GenerateSerializer]
[Alias("slagrains.credit-trends-state")]
public sealed class CreditTrendsState
{
    /// <summary>Each customer's ledger as last told.</summary>
    [Id(0)]
    public Dictionary<string, List<CreditEntry>> Ledgers { get; set; } = [];

    /// <summary><c>{currency}:{yyyy-MM}</c> of the latest month for which an increasing trend was alerted.</summary>
    [Id(1)]
    public HashSet<string> Alerted { get; set; } = [];
}

/// <summary>
/// Credits across customers for managers: per currency, credits per month and the 3-month trend computed by
/// <see cref="CreditTrends"/>. An increasing trend is published once per currency and latest month.
/// </summary>
public sealed class CreditTrendsGrain(
    [PersistentState("credit-trends")] IPersistentState<CreditTrendsState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ISlaNotifications notifications) : Grain, ICreditTrendsGrain
{
    /// <inheritdoc />
    public async Task Update(string customerId, ImmutableArray<CreditEntry> ledger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        state.State.Ledgers[customerId] = ledger.IsDefault ? [] : [.. ledger];
        var now = time.Now();
        var view = Compute(state.State.Ledgers, now);
        var alerts = view.Currencies
            .Where(c => c.Direction == CreditTrendDirection.Increasing && state.State.Alerted.Add($"{c.Currency}:{c.Months[^1].Month:yyyy-MM}"))
            .ToList();
        await state.WriteStateAsync();
        foreach (var trend in alerts)
        {
            notifications.Publish(new CreditTrendIncreasing(now, trend));
        }
    }

    /// <inheritdoc />
    public Task<CreditTrendsView> Get() => Task.FromResult(Compute(state.State.Ledgers, time.Now()));

    /// <summary>
    /// Per currency: every month from the first to the latest closed month (the months of data), each customer's
    /// credit as it stands after disputes, and the trend over them.
    /// </summary>
    internal static CreditTrendsView Compute(IReadOnlyDictionary<string, List<CreditEntry>> ledgers, Instant now)
    {
        var points = ledgers.SelectMany(l => l.Value.Select(e => (e.Currency, Point: new CreditPoint(l.Key, e.Month, e.EffectiveAmount))));
        var currencies = points.GroupBy(p => p.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var months = CreditTrends.PerMonth(g.Select(p => p.Point), g.Min(p => p.Point.Month), g.Max(p => p.Point.Month));
            var trend = CreditTrends.Trend(months);
            return new CurrencyCreditTrend(
                g.Key,
                [.. months.Select(m => new CreditTrendMonth(m.Month, m.Total, m.AccountsWithCredits, m.LargestCredit))],
                trend.Direction, trend.LastThreeMonths, trend.PreviousThreeMonths, trend.ChangePercent, trend.Explanation);
        });
        return new CreditTrendsView([.. currencies], now);
    }
}
