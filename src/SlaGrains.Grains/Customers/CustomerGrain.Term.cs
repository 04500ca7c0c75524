using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Agreements;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Customers;

// Issue 20 — term and renewal

/// <summary>
/// Reminders before a renewing contract's notice deadline (<see cref="TermReminders"/>: 30 days and 1 day before it):
/// a durable deadline of its own (a grain timer while active, an Orleans reminder as the backstop, like the month
/// close), due at the start of the reminder's day in the customer's zone (UTC without a calendar). A reminder is written
/// into state before it is sent, so it is sent once per deadline whatever restarts; it reaches managers live in the app
/// (<see cref="ContractNoticeDueRaised"/>) and, as a <c>contract.notice-due</c> event handed to the customer's webhook
/// grain until it takes it, through the channels they get escalations on (email, Slack, Teams, digests).
/// </summary>
public sealed partial class CustomerGrain
{
    internal const string TermReminderName = "contract-notice";

    private DurableDeadline TermDeadline => _termDeadline ??= new(this, TermReminderName, ReminderPeriod, CheckTermReminders);

    private static readonly Duration LongestReminder = Duration.FromDays(28);

    private DurableDeadline? _termDeadline;

    /// <inheritdoc />
    public Task<TermReminderSent?> GetLastTermReminder() => Task.FromResult(Customer.LastTermReminder);

    /// <summary>The customer's zone: the calendar's, UTC until one is set.</summary>
    private DateTimeZone Zone => Customer.Calendar?.Zone ?? DateTimeZone.Utc;

    private TermReminder? LastSent => Customer.LastTermReminder is { } sent ? new TermReminder(sent.NoticeDueBy, sent.RenewsOn, sent.DaysBefore, 0) : null;

    /// <summary>When the next reminder is due (now when one is due or a sent one is not handed over yet); null when none is.</summary>
    private Instant? NextTermReminderAt(Instant now) => Customer.TermNoticesPending.Count > 0 ? now : NextReminderDay(now);

    /// <summary>The start of the next reminder's day in the customer's zone (now when one is due today); null when none is left.</summary>
    private Instant? NextReminderDay(Instant now)
    {
        if (Customer.Agreement?.Term is not { } term)
        {
            return null;
        }

        var today = now.InZone(Zone).Date;
        return TermReminders.NextDue(term, today, LastSent) is { } day
            ? (day <= today ? now : day.AtStartOfDayInZone(Zone).ToInstant())
            : null;
    }

    /// <summary>Sends the reminder due now, if any (written first, then published), hands pending ones over, then re-arms.</summary>
    private async Task CheckTermReminders()
    {
        var now = time.Now();
        if (Customer.Agreement?.Term is { } term
            && TermReminders.Due(term, now.InZone(Zone).Date, LastSent) is { } due)
        {
            var text = due.Text(CustomerId);
            var sent = new TermReminderSent(due.NoticeDueBy, due.RenewsOn, due.DaysBefore, now);
            await Commit(c =>
            {
                c.LastTermReminder = sent;
                c.TermNoticesPending.Add(WebhookPayloads.ContractNoticeDue(CustomerId, due, text, now));
            });
            notifications.Publish(new ContractNoticeDueRaised(now, CustomerId, due.RenewsOn, due.NoticeDueBy, due.DaysBefore, text));
        }

        var handed = new List<string>();
        foreach (var e in Customer.TermNoticesPending.ToList())
        {
            try
            {
                await GrainFactory.GetGrain<IWebhookGrain>(CustomerId).Publish(e);
                handed.Add(e.EventId);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Customer {Customer}: notice reminder {Event} not handed over yet", CustomerId, e.EventId);
            }
        }

        // One not handed over is retried a minute later (the reminder's period); else the next reminder's day.
        var next = Customer.TermNoticesPending.Any(e => !handed.Contains(e.EventId)) ? now + Duration.FromMinutes(1) : NextReminderDay(now);
        // A reminder months away wakes the customer every four weeks instead (a reminder's due time is bounded); it re-arms.
        var wake = next is { } n && n - now > LongestReminder ? now + LongestReminder : next;
        var registered = await TermDeadline.ArmReminder(wake, Customer.TermReminderDueAt, now);
        if (handed.Count > 0 || registered != Customer.TermReminderDueAt)
        {
            await Commit(c =>
            {
                c.TermNoticesPending.RemoveAll(e => handed.Contains(e.EventId));
                c.TermReminderDueAt = registered;
            });
        }

        TermDeadline.ArmTimer(next, now, LongestTimer, clampToHorizon: true);
    }

    /// <summary>A timer for the next reminder, armed at activation (the reminder re-arms it beyond a day).</summary>
    private void ArmTermTimer(Instant now) => TermDeadline.ArmTimer(NextTermReminderAt(now), now, LongestTimer, clampToHorizon: true);
}
