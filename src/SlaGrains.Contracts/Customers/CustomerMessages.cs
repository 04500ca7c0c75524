using System.Collections.Immutable;
using SlaGrains.Domain;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Customers;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Customers;

/// <summary>A component of the customer's service: the monitor that watches it and whether it is critical.</summary>
/// <param name="MonitorId">The monitor (its grain key); also the component's id.</param>
/// <param name="IsCritical">While a critical component is down the customer is in an outage (SLA downtime); a
/// non-critical one down only degrades the service.</param>
/// <param name="OpenTicketOnOutage">An outage of the (critical) component opens a P1 ticket linked to its incident.</param>
[GenerateSerializer]
[Alias("slagrains.customer-component")]
[Immutable]
public sealed record CustomerComponent(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] bool IsCritical,
    // Issue 20 — incidents linked to tickets
    [property: Id(140)] bool OpenTicketOnOutage = false)
{
    /// <summary>The domain's component.</summary>
    public Domain.Availability.Component ToDomain() => new(MonitorId, IsCritical) { OpensTicketOnOutage = OpenTicketOnOutage };

    /// <summary>The component of the domain's <paramref name="component"/>.</summary>
    public static CustomerComponent From(Domain.Availability.Component component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return new(component.Id, component.IsCritical, component.OpensTicketOnOutage);
    }
}

/// <summary>What a new ticket gets: its targets and its clock options.</summary>
[GenerateSerializer]
[Alias("slagrains.ticket-terms")]
[Immutable]
public sealed record TicketTerms([property: Id(0)] TicketTargets Targets, [property: Id(1)] SlaClockOptions Options);

/// <summary>The answer to <see cref="ICustomerGrain.TermsFor"/>.</summary>
[GenerateSerializer]
[Alias("slagrains.ticket-terms-result")]
[Immutable]
public sealed record TicketTermsResult([property: Id(0)] TicketTerms? Terms, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when the terms could be resolved.</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>The customer's status rolled up from its components at <see cref="AsOf"/>.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Status">Outage (a critical component down), degraded (only non-critical ones down), under maintenance,
/// unknown (a component without data; never shown as operational) or operational.</param>
/// <param name="DownComponents">The monitors reported down, sorted.</param>
/// <param name="AsOf">When it was derived.</param>
/// <param name="Words">The status as a sentence, e.g. "Status unknown: no data from api" (component ids; pages
/// re-derive it with the components' names).</param>
/// <param name="MaintenanceComponents">The monitors under announced maintenance, sorted.</param>
/// <param name="UnknownComponents">The monitors without data, sorted.</param>
[GenerateSerializer]
[Alias("slagrains.customer-status-view")]
[Immutable]
public sealed record CustomerStatusView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ServiceStatus Status,
    [property: Id(2)] ImmutableArray<string> DownComponents,
    [property: Id(3)] Instant AsOf,
    [property: Id(4)] string Words = "",
    [property: Id(5)] ImmutableArray<string> MaintenanceComponents = default,
    [property: Id(6)] ImmutableArray<string> UnknownComponents = default)
{
    /// <summary>The view of a domain status summary.</summary>
    public static CustomerStatusView From(string customerId, StatusSummary summary, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(customerId, summary.Status, [.. summary.Down], asOf, summary.Words, [.. summary.UnderMaintenance], [.. summary.Unknown]);
    }
}

/// <summary>A customer's configuration and state.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Agreement">The contract, if set.</param>
/// <param name="Calendar">The business calendar, if set.</param>
/// <param name="Tier">The SLA tier as agreed, without overrides, if set.</param>
/// <param name="Policy">The tier with the customer's overrides applied (what tickets get), if a tier is set.</param>
/// <param name="Components">The components.</param>
/// <param name="OpenTickets">The tracked open tickets.</param>
/// <param name="Status">The rolled-up status.</param>
/// <param name="NextMonthToClose">The month the durable month-end deadline closes next; null until contract and calendar are set.</param>
/// <param name="NextMonthCloseAt">When: local midnight of the next month's 1st in the customer's zone.</param>
[GenerateSerializer]
[Alias("slagrains.customer-view")]
[Immutable]
public sealed record CustomerView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ServiceAgreement? Agreement,
    [property: Id(2)] BusinessCalendar? Calendar,
    [property: Id(3)] SlaPolicy? Tier,
    [property: Id(4)] SlaPolicy? Policy,
    [property: Id(5)] ImmutableArray<CustomerComponent> Components,
    [property: Id(6)] ImmutableArray<string> OpenTickets,
    [property: Id(7)] CustomerStatusView Status,
    [property: Id(8)] YearMonth? NextMonthToClose,
    [property: Id(9)] Instant? NextMonthCloseAt);

/// <summary>One closed month: availability, budget, compliance and the credit, as computed when it closed.</summary>
/// <param name="Month">The calendar month.</param>
/// <param name="TimeZoneId">The customer's zone it was taken in.</param>
/// <param name="Period">The month as instants.</param>
/// <param name="UptimePercent">SLA availability (critical components' union), percent, 4 decimals rounded down.</param>
/// <param name="Downtime">Counted SLA downtime.</param>
/// <param name="Excluded">Excluded (announced-in-time) maintenance.</param>
/// <param name="Degraded">Time only non-critical components were down (reported, not downtime).</param>
/// <param name="SlaTargetPercent">The SLA target.</param>
/// <param name="SlaMet">Whether the SLA was met.</param>
/// <param name="SloTargetPercent">The internal SLO.</param>
/// <param name="SloMet">Whether the SLO was met.</param>
/// <param name="SlaBudget">The downtime the SLA allowed.</param>
/// <param name="SlaBudgetRemaining">SLA budget − downtime; negative once overspent.</param>
/// <param name="SloBudget">The downtime the SLO allowed.</param>
/// <param name="SloBudgetRemaining">SLO budget − downtime; negative once overspent.</param>
/// <param name="CreditKey">The credit's idempotency key, <c>sla-credit-{customer}-{yyyy-MM}</c>.</param>
/// <param name="CreditAmount">The credit, money (0 when none is due).</param>
/// <param name="Currency">The currency of the credit.</param>
/// <param name="ClosedAt">When the month was closed.</param>
/// <param name="ClosedLate">How long after the month's end it was closed.</param>
/// <param name="Unknown">Time without data (critical components), neither up nor down; zero for months closed before it was kept.</param>
/// <param name="CoveragePercent">Share of the month with data, percent, 4 decimals rounded down; null for months closed
/// before coverage was kept.</param>
/// <param name="InsufficientData">True when coverage was under the threshold: neither met nor missed
/// (<see cref="SlaMet"/> and <see cref="SloMet"/> are false), no automatic credit — a manager decides.</param>
/// <param name="MinimumCoveragePercent">The coverage the month needed (90 by default); null for months closed before it was kept.</param>
[GenerateSerializer]
[Alias("slagrains.monthly-availability")]
[Immutable]
public sealed record MonthlyAvailability(
    [property: Id(0)] YearMonth Month,
    [property: Id(1)] string TimeZoneId,
    [property: Id(2)] Interval Period,
    [property: Id(3)] decimal UptimePercent,
    [property: Id(4)] Duration Downtime,
    [property: Id(5)] Duration Excluded,
    [property: Id(6)] Duration Degraded,
    [property: Id(7)] decimal SlaTargetPercent,
    [property: Id(8)] bool SlaMet,
    [property: Id(9)] decimal SloTargetPercent,
    [property: Id(10)] bool SloMet,
    [property: Id(11)] Duration SlaBudget,
    [property: Id(12)] Duration SlaBudgetRemaining,
    [property: Id(13)] Duration SloBudget,
    [property: Id(14)] Duration SloBudgetRemaining,
    [property: Id(15)] string CreditKey,
    [property: Id(16)] decimal CreditAmount,
    [property: Id(17)] string Currency,
    [property: Id(18)] Instant ClosedAt,
    [property: Id(19)] Duration ClosedLate,
    [property: Id(20)] Duration Unknown = default,
    [property: Id(21)] decimal? CoveragePercent = null,
    [property: Id(22)] bool InsufficientData = false,
    [property: Id(23)] decimal? MinimumCoveragePercent = null)
{
    /// <summary>The verdict in words: "met", "not met" or "insufficient data".</summary>
    public string SlaVerdictText => InsufficientData ? "insufficient data" : SlaMet ? "met" : "not met";

    /// <summary>The history entry of a domain month close.</summary>
    public static MonthlyAvailability From(string customerId, Domain.Customers.MonthClose close)
    {
        ArgumentNullException.ThrowIfNull(close);
        var sla = close.Availability.Sla;
        var credit = close.Credit;
        return new(
            close.Month, close.TimeZoneId, close.Period, sla.UptimePercent, sla.Downtime, sla.Excluded, close.Availability.Degraded,
            close.SlaTargetPercent, close.SlaVerdict == TargetVerdict.Met, close.SloTargetPercent, close.SloVerdict == TargetVerdict.Met,
            close.SlaBudget.Budget, close.SlaBudget.Remaining, close.SloBudget.Budget, close.SloBudget.Remaining,
            close.CreditKey(customerId), credit?.Amount ?? 0m, credit?.Currency ?? string.Empty, close.ClosedAt, close.ClosedLate,
            sla.Unknown, sla.CoveragePercent, close.SlaVerdict == TargetVerdict.InsufficientData, close.MinimumCoveragePercent);
    }
}

/// <summary>A credit in the customer's ledger (one per month, keyed <c>sla-credit-{customer}-{yyyy-MM}</c>).</summary>
/// <param name="Key">The idempotency key.</param>
/// <param name="Month">The month it is for.</param>
/// <param name="AvailabilityPercent">The availability it was computed from, 4 decimals.</param>
/// <param name="TargetPercent">The SLA target.</param>
/// <param name="Met">Whether the target was met (no credit then).</param>
/// <param name="CreditPercent">Percent of the monthly fee, after the cap.</param>
/// <param name="Amount">Money, 2 decimals.</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Capped">Whether the cap reduced it.</param>
/// <param name="Reason">Why, as a sentence for the customer.</param>
/// <param name="Status">Computed, announced or applied to an invoice.</param>
/// <param name="ComputedAt">When it was computed (the month close).</param>
/// <param name="Adjustment">The recomputation a resolved dispute decided; null when none. The month keeps one credit:
/// its amount as it stands is <see cref="EffectiveAmount"/>.</param>
/// <param name="InsufficientData">True when the month's data coverage was under the threshold: no automatic credit
/// (amount 0, <see cref="Met"/> false), the reason says "insufficient data — a manager decides"; a manager can still
/// decide a credit by ruling on the customer's dispute.</param>
/// <param name="Applied">The invoice the billing system applied the credit to; null until it says so.</param>
/// <param name="TicketCreditPercent">The ticket-SLA clauses' share of <see cref="CreditPercent"/>, percent of the fee before
/// the monthly cap (0 when the contract has none or none was missed); a dispute's recomputation keeps it.</param>
/// <param name="Remedies">Issue 20: the remedies the month's close fired beyond its credit (their extra credits are in
/// <see cref="EffectiveAmount"/>); null (entries closed before remedies existed) or empty: none.</param>
[GenerateSerializer]
[Alias("slagrains.credit-entry")]
[Immutable]
public sealed record CreditEntry(
    [property: Id(0)] string Key,
    [property: Id(1)] YearMonth Month,
    [property: Id(2)] decimal AvailabilityPercent,
    [property: Id(3)] decimal TargetPercent,
    [property: Id(4)] bool Met,
    [property: Id(5)] decimal CreditPercent,
    [property: Id(6)] decimal Amount,
    [property: Id(7)] string Currency,
    [property: Id(8)] bool Capped,
    [property: Id(9)] string Reason,
    [property: Id(10)] CreditStatus Status,
    [property: Id(11)] Instant ComputedAt,
    [property: Id(12)] Credits.CreditAdjustment? Adjustment = null,
    [property: Id(13)] bool InsufficientData = false,
    [property: Id(14)] Credits.CreditApplication? Applied = null,
    // Issue 20 — ticket-SLA credits
    [property: Id(120)] decimal TicketCreditPercent = 0m,
    // Issue 20 — remedies over rolling windows
    [property: Id(110)] ImmutableArray<Credits.RemedyAwarded>? Remedies = null)
{
    /// <summary>
    /// What the month's entry owes as it stands: the month's credit (the dispute's recomputed amount when adjusted, else
    /// <see cref="Amount"/>) plus the extra credits of the remedies the close fired (<see cref="ExtraCreditAmount"/>),
    /// which are beyond the month's credit and its cap and which a dispute of the month's availability does not change.
    /// </summary>
    public decimal EffectiveAmount => (Adjustment?.Amount ?? Amount) + ExtraCreditAmount;

    // Issue 20 — remedies over rolling windows
    /// <summary>The extra credits of the remedies the month's close fired; 0 when none.</summary>
    public decimal ExtraCreditAmount => Credits.RemedyAwarded.ExtraCredit(RemediesFired);

    /// <summary>The remedies the month's close fired (never default).</summary>
    public ImmutableArray<Credits.RemedyAwarded> RemediesFired => Remedies is { IsDefault: false } fired ? fired : [];

    /// <summary>The ledger entry of a computed domain credit.</summary>
    public static CreditEntry From(MonthlyCredit credit)
    {
        ArgumentNullException.ThrowIfNull(credit);
        var r = credit.Result;
        return new(credit.IdempotencyKey, credit.Month, r.Inputs.AvailabilityPercent, r.Inputs.Terms.TargetPercent, r.Met,
            r.CreditPercent, r.Amount, r.Currency, r.Capped, r.Reason, CreditStatus.Computed, credit.ComputedAt, TicketCreditPercent: TicketCredit.PercentOf(r));
    }

    /// <summary>The ledger entry of a domain month close: its credit, or, with insufficient data, no automatic credit.</summary>
    public static CreditEntry From(string customerId, Domain.Customers.MonthClose close, string currency)
    {
        ArgumentNullException.ThrowIfNull(close);
        var entry = close.Credit is { } credit
            ? From(credit)
            : new(close.CreditKey(customerId), close.Month, close.Availability.Sla.UptimePercent, close.SlaTargetPercent, false,
                0m, 0m, currency, false, close.CreditReason, CreditStatus.Computed, close.ClosedAt, null, InsufficientData: true);
        // Issue 20 — remedies: recorded in the month's one entry, with their sentences after the credit's reason.
        return close.Remedies.IsEmpty
            ? entry
            : entry with { Remedies = close.Remedies.Select(Credits.RemedyAwarded.From).ToImmutableArray(), Reason = string.Join(" ", close.Remedies.Select(r => r.Text).Prepend(entry.Reason)) };
    }
}

/// <summary>The answer to a customer command: the customer after it, or why nothing changed.</summary>
[GenerateSerializer]
[Alias("slagrains.customer-result")]
[Immutable]
public sealed record CustomerResult([property: Id(0)] CustomerView? Customer, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when the command was accepted (and is durable).</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>The answer to <see cref="ICustomerGrain.CloseMonth"/>.</summary>
/// <param name="Month">The month as closed (now or before); null when rejected.</param>
/// <param name="Credit">Its credit; null when rejected.</param>
/// <param name="AlreadyClosed">True when the month had been closed before: nothing was recomputed.</param>
/// <param name="Rejection">Why the month cannot be closed.</param>
[GenerateSerializer]
[Alias("slagrains.month-close-result")]
[Immutable]
public sealed record MonthCloseResult(
    [property: Id(0)] MonthlyAvailability? Month,
    [property: Id(1)] CreditEntry? Credit,
    [property: Id(2)] bool AlreadyClosed,
    [property: Id(3)] Rejection? Rejection)
{
    /// <summary>True when the month is closed (now or before).</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>The current month so far (not closed): availability from the month's start to <see cref="AsOf"/>.</summary>
/// <param name="Month">The month, in the customer's zone.</param>
/// <param name="TimeZoneId">The customer's zone.</param>
/// <param name="Period">The whole month.</param>
/// <param name="UptimePercent">SLA availability so far, 4 decimals.</param>
/// <param name="Downtime">SLA downtime so far (critical components).</param>
/// <param name="Excluded">Announced maintenance excluded so far.</param>
/// <param name="Degraded">Time only non-critical components were down.</param>
/// <param name="SlaTargetPercent">The commitment.</param>
/// <param name="SlaMet">Whether the commitment can still be met: false only once the downtime so far exceeds the whole
/// month's allowance (<see cref="Outlook"/> is not met). A month in progress is never "not met" before that.</param>
/// <param name="SloTargetPercent">The internal objective.</param>
/// <param name="SloMet">Whether the objective can still be met (the same rule against the SLO's allowance).</param>
/// <param name="Budget">The whole month's error budget: the downtime the commitment allows in the month.</param>
/// <param name="BudgetRemaining">The budget minus the downtime so far (negative once overspent).</param>
/// <param name="ProjectedCreditPercent">The credit the month earns <b>if nothing else fails</b> (the downtime so far over
/// the whole month), percent of the fee. (Until issue 15 this was "if the month ended now", which read a partial month
/// as a verdict.)</param>
/// <param name="ProjectedCreditAmount">The same, in money.</param>
/// <param name="Currency">The fee's currency.</param>
/// <param name="AsOf">When this was computed.</param>
/// <param name="Outlook">On track, at risk (over the allowance at the current burn rate) or not met (can no longer be met).</param>
/// <param name="ProjectedUptimePercent">Month-end availability if nothing else fails, percent, 4 decimals rounded down.</param>
/// <param name="ProjectedUptimePercentAtBurnRate">Month-end availability at the current burn rate (the downtime so far
/// extrapolated linearly to the month's end).</param>
/// <param name="ProjectedDowntimeAtBurnRate">The downtime the month ends with at the current burn rate.</param>
/// <param name="CreditPercentAtBurnRate">The credit at the current burn rate, percent of the fee.</param>
/// <param name="CreditAmountAtBurnRate">The same, in money.</param>
/// <param name="Unknown">Time without data so far (critical components), neither up nor down.</param>
/// <param name="CoveragePercent">Share of the month so far with data, percent, 4 decimals rounded down.</param>
/// <param name="InsufficientDataSoFar">True while the coverage so far is under the threshold (the month would close
/// with "insufficient data" if it stayed so).</param>
/// <param name="ExcludedByClass">Issue 20 — exclusions: the excluded time so far by cause; null from earlier versions.</param>
[GenerateSerializer]
[Alias("slagrains.month-to-date")]
[Immutable]
public sealed record MonthToDate(
    [property: Id(0)] YearMonth Month,
    [property: Id(1)] string TimeZoneId,
    [property: Id(2)] Interval Period,
    [property: Id(3)] decimal UptimePercent,
    [property: Id(4)] Duration Downtime,
    [property: Id(5)] Duration Excluded,
    [property: Id(6)] Duration Degraded,
    [property: Id(7)] decimal SlaTargetPercent,
    [property: Id(8)] bool SlaMet,
    [property: Id(9)] decimal SloTargetPercent,
    [property: Id(10)] bool SloMet,
    [property: Id(11)] Duration Budget,
    [property: Id(12)] Duration BudgetRemaining,
    [property: Id(13)] decimal ProjectedCreditPercent,
    [property: Id(14)] decimal ProjectedCreditAmount,
    [property: Id(15)] string Currency,
    [property: Id(16)] Instant AsOf,
    [property: Id(17)] MonthOutlook Outlook = MonthOutlook.OnTrack,
    [property: Id(18)] decimal ProjectedUptimePercent = 100m,
    [property: Id(19)] decimal ProjectedUptimePercentAtBurnRate = 100m,
    [property: Id(20)] Duration ProjectedDowntimeAtBurnRate = default,
    [property: Id(21)] decimal CreditPercentAtBurnRate = 0m,
    [property: Id(22)] decimal CreditAmountAtBurnRate = 0m,
    [property: Id(23)] Duration Unknown = default,
    [property: Id(24)] decimal CoveragePercent = 100m,
    [property: Id(25)] bool InsufficientDataSoFar = false,

    // Issue 20 — exclusions
    [property: Id(100)] ExcludedTimeView? ExcludedByClass = null)
{
    /// <summary>The outlook in words: "on track", "at risk" or "not met".</summary>
    public string OutlookText => Outlook switch
    {
        MonthOutlook.NotMet => "not met",
        MonthOutlook.AtRisk => "at risk",
        _ => "on track",
    };
}

/// <summary>The customer's availability over a period, with each component's and the maintenance that was excluded.</summary>
[GenerateSerializer]
[Alias("slagrains.period-availability")]
[Immutable]
public sealed record PeriodAvailability(
    [property: Id(0)] Interval Period,
    [property: Id(1)] decimal UptimePercent,
    [property: Id(2)] Duration Downtime,
    [property: Id(3)] Duration Excluded,
    [property: Id(4)] decimal SlaTargetPercent,
    [property: Id(5)] bool SlaMet,
    [property: Id(6)] ImmutableArray<ComponentPeriodAvailability> Components,
    [property: Id(7)] ImmutableArray<ExcludedMaintenance> ExcludedMaintenance,
    [property: Id(8)] Duration Unknown = default,
    [property: Id(9)] decimal CoveragePercent = 100m,
    [property: Id(10)] bool InsufficientData = false,
    [property: Id(11)] decimal MinimumCoveragePercent = AvailabilityReport.DefaultMinimumCoveragePercent,
    [property: Id(12)] ImmutableArray<Interval> UnknownIntervals = default,

    // Issue 20 — exclusions
    [property: Id(100)] ExcludedTimeView? ExcludedByClass = null)
{
    /// <summary>The verdict in words: "met", "not met" or "insufficient data".</summary>
    public string SlaVerdictText => InsufficientData ? "insufficient data" : SlaMet ? "met" : "not met";
}

/// <summary>One component's availability over the period.</summary>
[GenerateSerializer]
[Alias("slagrains.component-period-availability")]
[Immutable]
public sealed record ComponentPeriodAvailability(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] bool IsCritical,
    [property: Id(2)] decimal UptimePercent,
    [property: Id(3)] Duration Downtime,
    [property: Id(4)] decimal CoveragePercent = 100m);

/// <summary>A maintenance window announced with enough notice, excluded from the period's availability.</summary>
[GenerateSerializer]
[Alias("slagrains.excluded-maintenance")]
[Immutable]
public sealed record ExcludedMaintenance([property: Id(0)] string MonitorId, [property: Id(1)] Monitors.MaintenanceView Window);
