using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Contracts.Customers;

/// <summary>A customer's rolled-up status changed (operational / degraded / outage).</summary>
[GenerateSerializer]
[Alias("slagrains.notification.customer-status-changed")]
[Immutable]
public sealed record CustomerStatusChanged(Instant At, [property: Id(0)] CustomerStatusView Status) : SlaNotification(At);

/// <summary>A customer's month was closed (once per month): availability, compliance and the credit, already stored.</summary>
[GenerateSerializer]
[Alias("slagrains.notification.month-closed")]
[Immutable]
public sealed record MonthClosed(
    Instant At,
    [property: Id(0)] string CustomerId,
    [property: Id(1)] MonthlyAvailability Month,
    [property: Id(2)] CreditEntry Credit) : SlaNotification(At);
