using System.Collections.Immutable;
using SlaGrains.Domain;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Customers;

/// <summary>A component of the customer's service: the monitor that watches it and whether it is critical.</summary>
/// <param name="MonitorId">The monitor (its grain key); also the component's id.</param>
/// <param name="IsCritical">While a critical component is down the customer is in an outage (SLA downtime); a
/// non-critical one down only degrades the service.</param>
[GenerateSerializer]
[Alias("slagrains.customer-component")]
[Immutable]
public sealed record CustomerComponent([property: Id(0)] string MonitorId, [property: Id(1)] bool IsCritical);

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
/// <param name="Status">Operational, degraded (only non-critical components down) or outage (a critical one down).</param>
/// <param name="DownComponents">The monitors reported down, sorted.</param>
/// <param name="AsOf">When it was derived.</param>
[GenerateSerializer]
[Alias("slagrains.customer-status-view")]
[Immutable]
public sealed record CustomerStatusView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ServiceStatus Status,
    [property: Id(2)] ImmutableArray<string> DownComponents,
    [property: Id(3)] Instant AsOf);

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
    [property: Id(19)] Duration ClosedLate);

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
    [property: Id(12)] Credits.CreditAdjustment? Adjustment = null)
{
    /// <summary>The month's credit as it stands: the dispute's recomputed amount when adjusted, else <see cref="Amount"/>.</summary>
    public decimal EffectiveAmount => Adjustment?.Amount ?? Amount;

    /// <summary>The ledger entry of a computed domain credit.</summary>
    public static CreditEntry From(MonthlyCredit credit)
    {
        ArgumentNullException.ThrowIfNull(credit);
        var r = credit.Result;
        return new(credit.IdempotencyKey, credit.Month, r.Inputs.AvailabilityPercent, r.Inputs.Terms.TargetPercent, r.Met,
            r.CreditPercent, r.Amount, r.Currency, r.Capped, r.Reason, CreditStatus.Computed, credit.ComputedAt);
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
/// <param name="SlaMet">Whether the month so far meets it.</param>
/// <param name="SloTargetPercent">The internal objective.</param>
/// <param name="SloMet">Whether the month so far meets it.</param>
/// <param name="Budget">The whole month's error budget: the downtime the commitment allows in the month.</param>
/// <param name="BudgetRemaining">The budget minus the downtime so far (negative once overspent).</param>
/// <param name="ProjectedCreditPercent">The credit the month would earn if it ended now, percent of the fee.</param>
/// <param name="ProjectedCreditAmount">The same, in money.</param>
/// <param name="Currency">The fee's currency.</param>
/// <param name="AsOf">When this was computed.</param>
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
    [property: Id(16)] Instant AsOf);

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
    [property: Id(7)] ImmutableArray<ExcludedMaintenance> ExcludedMaintenance);

/// <summary>One component's availability over the period.</summary>
[GenerateSerializer]
[Alias("slagrains.component-period-availability")]
[Immutable]
public sealed record ComponentPeriodAvailability(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] bool IsCritical,
    [property: Id(2)] decimal UptimePercent,
    [property: Id(3)] Duration Downtime);

/// <summary>A maintenance window announced with enough notice, excluded from the period's availability.</summary>
[GenerateSerializer]
[Alias("slagrains.excluded-maintenance")]
[Immutable]
public sealed record ExcludedMaintenance([property: Id(0)] string MonitorId, [property: Id(1)] Monitors.MaintenanceView Window);
