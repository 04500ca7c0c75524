using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Contracts.Credits;

/// <summary>A credit notice was created for a customer (once per month, already stored).</summary>
[GenerateSerializer]
[Alias("slagrains.notification.credit-notice-issued")]
[Immutable]
public sealed record CreditNoticeIssued(Instant At, [property: Id(0)] CreditNotice Notice) : SlaNotification(At);

/// <summary>A dispute was filed or resolved (already stored).</summary>
[GenerateSerializer]
[Alias("slagrains.notification.credit-dispute-changed")]
[Immutable]
public sealed record CreditDisputeChanged(Instant At, [property: Id(0)] CreditDisputeView Dispute) : SlaNotification(At);

/// <summary>Credits in a currency are increasing over 3 months (once per currency and latest month): an alert for managers.</summary>
[GenerateSerializer]
[Alias("slagrains.notification.credit-trend-increasing")]
[Immutable]
public sealed record CreditTrendIncreasing(Instant At, [property: Id(0)] CurrencyCreditTrend Trend) : SlaNotification(At);
