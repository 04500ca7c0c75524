using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Contracts.Customers;

// Issue 20 — term and renewal

/// <summary>
/// A reminder before a renewing contract's notice deadline, for managers (live, in the app; the same reminder goes to
/// their notification channels as a <c>contract.notice-due</c> event). Raised once per reminder and deadline.
/// </summary>
/// <param name="At">When it was raised.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="RenewsOn">The renewal the notice would stop.</param>
/// <param name="NoticeDueBy">The last day notice can be given.</param>
/// <param name="DaysBefore">Which reminder (30 or 1 days before).</param>
/// <param name="Text">The reminder as a sentence.</param>
[GenerateSerializer]
[Alias("slagrains.notification.contract-notice-due")]
[Immutable]
public sealed record ContractNoticeDueRaised(
    Instant At,
    [property: Id(0)] string CustomerId,
    [property: Id(1)] LocalDate RenewsOn,
    [property: Id(2)] LocalDate NoticeDueBy,
    [property: Id(3)] int DaysBefore,
    [property: Id(4)] string Text) : SlaNotification(At);

/// <summary>The last reminder sent before a notice deadline (kept in the customer's state so a reminder never repeats).</summary>
/// <param name="NoticeDueBy">The deadline it was for.</param>
/// <param name="RenewsOn">The renewal.</param>
/// <param name="DaysBefore">Which reminder.</param>
/// <param name="SentAt">When it was sent.</param>
[GenerateSerializer]
[Alias("slagrains.term-reminder-sent")]
[Immutable]
public sealed record TermReminderSent(
    [property: Id(0)] LocalDate NoticeDueBy,
    [property: Id(1)] LocalDate RenewsOn,
    [property: Id(2)] int DaysBefore,
    [property: Id(3)] Instant SentAt);
