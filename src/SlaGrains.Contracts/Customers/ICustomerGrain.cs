using Orleans.Concurrency;
using System.Collections.Immutable;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Customers;

/// <summary>
/// One customer (key: customer id): contract, business calendar, SLA tier with bespoke overrides, components, open
/// tickets to re-target, the status rolled up from its monitors, and the month close in its own time zone with the
/// monthly history and the credit ledger. Every accepted command is written durably before the call returns.
/// </summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Sets the contract (SLA target, SLO, fee, credit schedule and cap, maintenance notice).</summary>
    Task<CustomerResult> SetAgreement(ServiceAgreement agreement);

    /// <summary>Sets the business calendar (its zone is the customer's zone for month close); re-targets open tickets.</summary>
    Task<CustomerResult> SetCalendar(BusinessCalendar calendar);

    /// <summary>Sets the SLA tier (e.g. Gold) and the clock options new tickets get; re-targets open tickets at once.</summary>
    Task<CustomerResult> SetTier(SlaPolicy tier, SlaClockOptions? options = null);

    /// <summary>A bespoke override of one priority's targets (<see cref="SlaPolicy.WithOverride"/>); re-targets open tickets.</summary>
    Task<CustomerResult> SetOverride(TicketPriority priority, PriorityTargets targets);

    /// <summary>Removes the override of <paramref name="priority"/> (back to the tier); re-targets open tickets.</summary>
    Task<CustomerResult> ClearOverride(TicketPriority priority);

    /// <summary>Sets the components: which monitors, which of them are critical.</summary>
    Task<CustomerResult> SetComponents(ImmutableArray<CustomerComponent> components);

    /// <summary>
    /// The targets and clock options a new ticket of <paramref name="priority"/> gets now:
    /// <c>policy.For(priority).For(calendar)</c>, the policy being the tier with the customer's overrides. Null
    /// (with a rejection) when the tier or calendar is not set.
    /// </summary>
    [AlwaysInterleave]
    Task<TicketTermsResult> TermsFor(TicketPriority priority);

    /// <summary>Tracks an open ticket so a tier, override or calendar change re-targets it.</summary>
    Task TrackTicket(string ticketId, TicketPriority priority);

    /// <summary>Stops tracking a ticket (resolved, closed).</summary>
    Task UntrackTicket(string ticketId);

    /// <summary>A monitor tells its health (up, down, unknown, under maintenance); the customer re-derives its status.</summary>
    Task<CustomerStatusView> ReportComponentStatus(string monitorId, ComponentHealth health, Instant at);

    /// <summary>The current status rolled up from the components.</summary>
    [AlwaysInterleave]
    Task<CustomerStatusView> GetStatus();

    /// <summary>The customer's configuration and state; null when nothing was ever set.</summary>
    [AlwaysInterleave]
    Task<CustomerView?> Get();

    // Issue 20 — term and renewal
    /// <summary>The last reminder sent before the contract's notice deadline; null when none was.</summary>
    [AlwaysInterleave]
    Task<TermReminderSent?> GetLastTermReminder();

    /// <summary>
    /// Closes <paramref name="month"/> (in the customer's zone) exactly once: availability of the critical
    /// components' union, budget, SLA/SLO compliance and the credit, stored in the history and the credit ledger.
    /// A month already closed is returned as it was closed (<see cref="MonthCloseResult.AlreadyClosed"/>), never
    /// recomputed. The durable month-end deadline calls this; it may also be called directly (back-fill, tests).
    /// Rejected for a month not yet over, or without a contract and calendar.
    /// </summary>
    Task<MonthCloseResult> CloseMonth(YearMonth month);

    /// <summary>
    /// The current month so far, in the customer's zone (from the month's start to now), as it would close if it
    /// ended now; the error budget is the whole month's. Null until the customer has a contract and a calendar.
    /// </summary>
    [AlwaysInterleave]
    Task<MonthToDate?> GetMonthToDate();

    /// <summary>
    /// The customer's availability over any ended <paramref name="period"/> (a report's month or quarter), computed as a
    /// month close computes it: critical components' downtime, announced maintenance excluded under the contract's notice.
    /// Null until the customer has a contract.
    /// </summary>
    [AlwaysInterleave]
    Task<PeriodAvailability?> GetAvailability(Interval period);

    /// <summary>The closed months, newest first, at most <paramref name="months"/> (12 for a year).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<MonthlyAvailability>> GetHistory(int months);

    /// <summary>The credit ledger, newest month first.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<CreditEntry>> GetCredits();

    /// <summary>The credit notices (one per month that missed its commitment), newest first.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<Credits.CreditNotice>> GetNotices();

    /// <summary>Marks a notice read by <paramref name="by"/>; marking it again keeps the first reading.</summary>
    Task<Credits.NoticeResult> MarkNoticeRead(string noticeId, string by);

    /// <summary>
    /// Files the customer's dispute of a closed month: the discrepancy, the path and the evidence bundle (our down
    /// intervals, excluded maintenance with announcements, the clause the month closed under) are kept with it.
    /// Rejected for a month not closed or already disputed, or a claim outside [0, 100].
    /// </summary>
    Task<Credits.DisputeResult> FileDispute(Credits.DisputeClaim claim);

    /// <summary>
    /// A manager's ruling: the dispute moves to its final state and the month's credit gets an adjustment recomputed
    /// from the decided availability (never a second credit). Rejected when unknown or already resolved.
    /// </summary>
    Task<Credits.DisputeResult> ResolveDispute(string disputeId, Credits.DisputeRuling ruling);

    /// <summary>
    /// Billing says the month's credit went on invoice <paramref name="invoiceReference"/> dated
    /// <paramref name="invoiceDate"/>: the ledger entry, the notice and the customer's webhooks (<c>credit.applied</c>)
    /// learn it. Applying again to the same invoice changes nothing; rejected when the month has no credit
    /// (<c>credit-not-found</c>) or it is already on another invoice (<c>credit-already-applied</c>).
    /// </summary>
    Task<Credits.CreditApplyResult> ApplyCredit(YearMonth month, string invoiceReference, LocalDate invoiceDate, string by);

    /// <summary>The disputes, newest month first.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<Credits.CreditDisputeView>> GetDisputes();

    // Issue 20 — exclusions
    /// <summary>
    /// Reclassifies a monitor's incident (or a part of it) to a cause the contract names, with the reason, durably and
    /// audited. Time of a class the contract excludes leaves the measured period from then on; a closed month it reaches is
    /// never rewritten: its credit gets a ledger adjustment (reason "reclassified …"). Bad input names the field
    /// (<see cref="ClassificationResult.Field"/>); a month under dispute is refused (<c>month-disputed</c>).
    /// </summary>
    Task<ClassificationResult> Reclassify(IncidentReclassification reclassification);

    /// <summary>The reclassifications, newest first; only <paramref name="incidentId"/>'s when given.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<IncidentClassificationView>> GetClassifications(string? incidentId);
}
