using System.Collections.Immutable;
using SlaGrains.Domain;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Contracts.Credits;

/// <summary>An incident of a credited month, with where the customer reads about it.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="MonitorId">The monitor (component) it was on.</param>
/// <param name="Start">When the outage started.</param>
/// <param name="End">When it ended; null while it goes on.</param>
/// <param name="StatusPage">The customer's status page (relative URL).</param>
/// <param name="Postmortem">The postmortem, once linked.</param>
[GenerateSerializer]
[Alias("slagrains.credit-notice-incident")]
[Immutable]
public sealed record NoticeIncident(
    [property: Id(0)] string IncidentId,
    [property: Id(1)] string MonitorId,
    [property: Id(2)] Instant Start,
    [property: Id(3)] Instant? End,
    [property: Id(4)] string StatusPage,
    [property: Id(5)] Uri? Postmortem);

/// <summary>
/// A proactive notice to the customer that a month missed its commitment, created with the month's credit (one per
/// customer and month, as the credit). Kept durably; the customer marks it read.
/// </summary>
/// <param name="NoticeId"><c>notice-{yyyy-MM}</c>, unique within the customer.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Month">The closed month.</param>
/// <param name="CreditKey">The credit it announces, <c>sla-credit-{customer}-{yyyy-MM}</c>.</param>
/// <param name="Summary">What happened, as plain sentences.</param>
/// <param name="AvailabilityPercent">The month's availability, 4 decimals.</param>
/// <param name="TargetPercent">The commitment.</param>
/// <param name="Downtime">Counted downtime.</param>
/// <param name="CreditPercent">Credit, percent of the monthly fee.</param>
/// <param name="Amount">Credit, money.</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="MonthlyFee">The fee the percentage is of.</param>
/// <param name="Incidents">The month's incidents.</param>
/// <param name="CreatedAt">When the month closed.</param>
/// <param name="ReadAt">When the customer marked it read; null while unread.</param>
/// <param name="ReadBy">Who marked it read.</param>
/// <param name="Applied">The invoice the credit was applied to, once billing said so: where the credit went.</param>
/// <param name="Remedies">Issue 20: the remedies the close fired beyond the month's credit (an extra credit, a termination right); null or empty: none.</param>
[GenerateSerializer]
[Alias("slagrains.credit-notice")]
[Immutable]
public sealed record CreditNotice(
    [property: Id(0)] string NoticeId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] YearMonth Month,
    [property: Id(3)] string CreditKey,
    [property: Id(4)] string Summary,
    [property: Id(5)] decimal AvailabilityPercent,
    [property: Id(6)] decimal TargetPercent,
    [property: Id(7)] Duration Downtime,
    [property: Id(8)] decimal CreditPercent,
    [property: Id(9)] decimal Amount,
    [property: Id(10)] string Currency,
    [property: Id(11)] decimal MonthlyFee,
    [property: Id(12)] ImmutableArray<NoticeIncident> Incidents,
    [property: Id(13)] Instant CreatedAt,
    [property: Id(14)] Instant? ReadAt,
    [property: Id(15)] string? ReadBy,
    [property: Id(16)] CreditApplication? Applied = null,
    // Issue 20 — remedies over rolling windows
    [property: Id(110)] ImmutableArray<RemedyAwarded>? Remedies = null)
{
    // Issue 20 — remedies over rolling windows
    /// <summary>The remedies the month's close fired (never default): an extra credit beyond <see cref="Amount"/>, or a termination right.</summary>
    public ImmutableArray<RemedyAwarded> RemediesFired => Remedies is { IsDefault: false } fired ? fired : [];

    /// <summary>The notice id of a month.</summary>
    public static string IdFor(YearMonth month) => $"notice-{month.ToString("uuuu-MM", System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>Where a month's credit went: the invoice the billing system applied it to.</summary>
/// <param name="InvoiceReference">The invoice's number in the billing system.</param>
/// <param name="InvoiceDate">The invoice's date, as billing dated it.</param>
/// <param name="AppliedAt">When we were told.</param>
/// <param name="AppliedBy">Who told us (a user name or <c>key:{id}</c>).</param>
[GenerateSerializer]
[Alias("slagrains.credit-application")]
[Immutable]
public sealed record CreditApplication(
    [property: Id(0)] string InvoiceReference,
    [property: Id(1)] LocalDate InvoiceDate,
    [property: Id(2)] Instant AppliedAt,
    [property: Id(3)] string AppliedBy);

/// <summary>The answer to <c>ApplyCredit</c>: the ledger entry as it now stands, or why nothing changed.</summary>
[GenerateSerializer]
[Alias("slagrains.credit-apply-result")]
[Immutable]
public sealed record CreditApplyResult([property: Id(0)] CreditEntry? Credit, [property: Id(1)] Rejection? Rejection);

/// <summary>The answer to <c>MarkNoticeRead</c>: the notice, or why not.</summary>
[GenerateSerializer]
[Alias("slagrains.credit-notice-result")]
[Immutable]
public sealed record NoticeResult([property: Id(0)] CreditNotice? Notice, [property: Id(1)] Rejection? Rejection);

/// <summary>A change of a credit decided by a dispute: the month's credit recomputed from the decided availability.
/// It replaces the amount of the month's one credit; it is never a second credit.</summary>
/// <param name="DisputeId">The dispute that decided it.</param>
/// <param name="DecidedAvailabilityPercent">The availability decided, 4 decimals.</param>
/// <param name="CreditPercent">The recomputed credit, percent of the fee.</param>
/// <param name="Amount">The recomputed credit, money: what the month's credit now is.</param>
/// <param name="Delta">Amount − the credit computed at month close (negative when it went down).</param>
/// <param name="Reason">The recomputation's reason and the manager's note.</param>
/// <param name="At">When it was decided.</param>
/// <param name="By">Who decided.</param>
[GenerateSerializer]
[Alias("slagrains.credit-adjustment")]
[Immutable]
public sealed record CreditAdjustment(
    [property: Id(0)] string DisputeId,
    [property: Id(1)] decimal DecidedAvailabilityPercent,
    [property: Id(2)] decimal CreditPercent,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] decimal Delta,
    [property: Id(5)] string Reason,
    [property: Id(6)] Instant At,
    [property: Id(7)] string By);

/// <summary>A maintenance window we excluded from the disputed month, with its announcement.</summary>
[GenerateSerializer]
[Alias("slagrains.dispute-exclusion")]
[Immutable]
public sealed record DisputeExclusion(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] Instant Start,
    [property: Id(2)] Instant End,
    [property: Id(3)] Instant AnnouncedAt,
    [property: Id(4)] string Description);

/// <summary>The contract clause the month was closed under.</summary>
/// <param name="TargetPercent">Committed availability.</param>
/// <param name="Schedule">The credit schedule as text.</param>
/// <param name="CapPercent">Credit cap, percent of the fee.</param>
/// <param name="MaintenanceNotice">Notice maintenance needs to be excluded.</param>
/// <param name="Text">The clause as a sentence.</param>
[GenerateSerializer]
[Alias("slagrains.dispute-clause")]
[Immutable]
public sealed record DisputeClause(
    [property: Id(0)] decimal TargetPercent,
    [property: Id(1)] string Schedule,
    [property: Id(2)] decimal CapPercent,
    [property: Id(3)] Duration MaintenanceNotice,
    [property: Id(4)] string Text);

/// <summary>One step of a dispute: who did what, when.</summary>
[GenerateSerializer]
[Alias("slagrains.dispute-audit-entry")]
[Immutable]
public sealed record DisputeAuditEntry([property: Id(0)] Instant At, [property: Id(1)] string By, [property: Id(2)] string What);

/// <summary>A customer's claim about a closed month.</summary>
/// <param name="Month">The month disputed.</param>
/// <param name="ClaimedPercent">The availability the customer measured.</param>
/// <param name="Evidence">The customer's evidence as text (may be the CSV itself).</param>
/// <param name="DownIntervals">The customer's own measured down intervals (from the CSV), if any.</param>
/// <param name="By">Who files it.</param>
[GenerateSerializer]
[Alias("slagrains.dispute-claim")]
[Immutable]
public sealed record DisputeClaim(
    [property: Id(0)] YearMonth Month,
    [property: Id(1)] decimal ClaimedPercent,
    [property: Id(2)] string? Evidence,
    [property: Id(3)] ImmutableArray<Interval> DownIntervals,
    [property: Id(4)] string By);

/// <summary>A manager's ruling on a dispute.</summary>
/// <param name="Verdict">Accept the claim, adjust to <paramref name="DecidedPercent"/>, or reject.</param>
/// <param name="DecidedPercent">The decided availability (adjust only).</param>
/// <param name="Note">Why (required to adjust or reject).</param>
/// <param name="By">Who decides.</param>
[GenerateSerializer]
[Alias("slagrains.dispute-ruling")]
[Immutable]
public sealed record DisputeRuling(
    [property: Id(0)] DisputeVerdict Verdict,
    [property: Id(1)] decimal? DecidedPercent,
    [property: Id(2)] string? Note,
    [property: Id(3)] string By);

/// <summary>A dispute of a closed month, with the evidence bundle kept when it was filed and every step taken.</summary>
/// <param name="DisputeId"><c>dispute-{yyyy-MM}</c>, unique within the customer (one dispute per month).</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Month">The month.</param>
/// <param name="ClaimedPercent">The customer's availability.</param>
/// <param name="MeasuredPercent">Ours, as the month closed.</param>
/// <param name="DiscrepancyPoints">Claimed − ours, percentage points.</param>
/// <param name="Path">Accept (&lt; 0.1 pt), meet in the middle (&lt; 0.5 pt) or reconcile.</param>
/// <param name="SuggestedPercent">The availability the path suggests; null when reconciliation is required.</param>
/// <param name="PathReason">The path as a sentence.</param>
/// <param name="CustomerEvidence">The customer's evidence text.</param>
/// <param name="CustomerDownIntervals">The customer's measured down intervals.</param>
/// <param name="OurDownIntervals">Our counted down intervals in the month.</param>
/// <param name="Exclusions">The maintenance windows we excluded, with their announcements.</param>
/// <param name="Clause">The contract clause.</param>
/// <param name="ToCompare">What a reconciliation compares (empty unless reconciling).</param>
/// <param name="Status">Filed, or how it was resolved.</param>
/// <param name="DecidedPercent">The decided availability, once resolved.</param>
/// <param name="Note">The manager's note.</param>
/// <param name="FiledBy">Who filed it.</param>
/// <param name="FiledAt">When.</param>
/// <param name="ResolvedBy">Who resolved it.</param>
/// <param name="ResolvedAt">When.</param>
/// <param name="Audit">Every step: who, when, what.</param>
/// <param name="Analysis">The claimed down intervals compared with our per-monitor, per-region evidence, computed once at
/// filing so the evidence stays fixed; null when no intervals were claimed (and on disputes filed before it existed).</param>
[GenerateSerializer]
[Alias("slagrains.credit-dispute")]
[Immutable]
public sealed record CreditDisputeView(
    [property: Id(0)] string DisputeId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] YearMonth Month,
    [property: Id(3)] decimal ClaimedPercent,
    [property: Id(4)] decimal MeasuredPercent,
    [property: Id(5)] decimal DiscrepancyPoints,
    [property: Id(6)] DisputeResolution Path,
    [property: Id(7)] decimal? SuggestedPercent,
    [property: Id(8)] string PathReason,
    [property: Id(9)] string? CustomerEvidence,
    [property: Id(10)] ImmutableArray<Interval> CustomerDownIntervals,
    [property: Id(11)] ImmutableArray<Interval> OurDownIntervals,
    [property: Id(12)] ImmutableArray<DisputeExclusion> Exclusions,
    [property: Id(13)] DisputeClause Clause,
    [property: Id(14)] ImmutableArray<string> ToCompare,
    [property: Id(15)] DisputeStatus Status,
    [property: Id(16)] decimal? DecidedPercent,
    [property: Id(17)] string? Note,
    [property: Id(18)] string FiledBy,
    [property: Id(19)] Instant FiledAt,
    [property: Id(20)] string? ResolvedBy,
    [property: Id(21)] Instant? ResolvedAt,
    [property: Id(22)] ImmutableArray<DisputeAuditEntry> Audit,
    // Issue 20 — dispute analysis
    [property: Id(130)] DisputeAnalysisView? Analysis = null)
{
    /// <summary>The dispute id of a month.</summary>
    public static string IdFor(YearMonth month) => $"dispute-{month.ToString("uuuu-MM", System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>The answer to filing or resolving a dispute: the dispute, or why nothing changed.</summary>
[GenerateSerializer]
[Alias("slagrains.dispute-result")]
[Immutable]
public sealed record DisputeResult([property: Id(0)] CreditDisputeView? Dispute, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when accepted (and durable).</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>Credits issued for one month across customers, in one currency.</summary>
[GenerateSerializer]
[Alias("slagrains.credit-trend-month")]
[Immutable]
public sealed record CreditTrendMonth(
    [property: Id(0)] YearMonth Month,
    [property: Id(1)] decimal Total,
    [property: Id(2)] int AccountsWithCredits,
    [property: Id(3)] decimal LargestCredit);

/// <summary>Credits per month and the 3-month trend in one currency (amounts in different currencies are not added).</summary>
[GenerateSerializer]
[Alias("slagrains.currency-credit-trend")]
[Immutable]
public sealed record CurrencyCreditTrend(
    [property: Id(0)] string Currency,
    [property: Id(1)] ImmutableArray<CreditTrendMonth> Months,
    [property: Id(2)] CreditTrendDirection Direction,
    [property: Id(3)] decimal? LastThreeMonths,
    [property: Id(4)] decimal? PreviousThreeMonths,
    [property: Id(5)] decimal? ChangePercent,
    [property: Id(6)] string Explanation);

/// <summary>Credit trends across all customers.</summary>
[GenerateSerializer]
[Alias("slagrains.credit-trends")]
[Immutable]
public sealed record CreditTrendsView([property: Id(0)] ImmutableArray<CurrencyCreditTrend> Currencies, [property: Id(1)] Instant AsOf);
