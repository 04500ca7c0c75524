using Orleans.Concurrency;
using System.Collections.Immutable;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Contracts.Customers;

/// <summary>
/// Watches the month close itself (one grain, key <see cref="Key"/>): each customer tells it the next month it will
/// close and when that month ends; a month not reported closed within <see cref="Grace"/> of its end raises an alert
/// to managers. A customer that moves on to a later month has closed the earlier one.
/// </summary>
public interface IMonthCloseWatchGrain : IGrainWithStringKey
{
    /// <summary>The single instance's key.</summary>
    const string Key = "month-close";

    /// <summary>How long after a month's end its close may take before managers are alerted.</summary>
    static readonly Duration Grace = Duration.FromMinutes(15);

    /// <summary>
    /// The customer's next month to close, ending at <paramref name="monthEnd"/>; every earlier month is closed. An
    /// open alert for an earlier month is resolved.
    /// </summary>
    Task Expect(string customerId, YearMonth month, Instant monthEnd);

    /// <summary>Month closes overdue now (alerted, not yet completed), oldest first.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<MonthCloseOverdue>> GetOverdue();
}

/// <summary>A customer's month close that had not completed <see cref="IMonthCloseWatchGrain.Grace"/> after the month ended.</summary>
[GenerateSerializer]
[Alias("slagrains.month-close-overdue")]
[Immutable]
public sealed record MonthCloseOverdue(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] YearMonth Month,
    [property: Id(2)] Instant MonthEnd,
    [property: Id(3)] Instant AlertedAt);

/// <summary>A month close is overdue: for managers.</summary>
[GenerateSerializer]
[Alias("slagrains.notification.month-close-overdue")]
[Immutable]
public sealed record MonthCloseOverdueRaised(Instant At, [property: Id(0)] MonthCloseOverdue Overdue) : SlaNotification(At);
