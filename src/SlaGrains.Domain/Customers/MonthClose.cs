using System.Collections.Immutable;
using System.Globalization;
using NodaTime;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Customers;

/// <summary>
/// One closed month as computed at its close: the customer's availability (<see cref="CustomerAvailability"/>), the
/// error budgets (<see cref="ErrorBudget"/>), the verdicts and the credit.
/// </summary>
/// <remarks>
/// A month whose SLA data coverage is under <see cref="MinimumCoveragePercent"/> is
/// <see cref="TargetVerdict.InsufficientData"/>: neither met nor missed, and it makes <b>no automatic credit</b>
/// (<see cref="Credit"/> is null); the ledger records <see cref="CreditReason"/> ("insufficient data — a manager
/// decides") and a manager may still decide a credit.
/// </remarks>
/// <param name="Month">The calendar month.</param>
/// <param name="TimeZoneId">The customer's zone it was taken in.</param>
/// <param name="Availability">The customer's availability over the month (SLA figures on <c>Availability.Sla</c>).</param>
/// <param name="SlaTargetPercent">The SLA target.</param>
/// <param name="SloTargetPercent">The internal SLO.</param>
/// <param name="MinimumCoveragePercent">The coverage the month needed to be judged.</param>
/// <param name="SlaVerdict">Met, missed or insufficient data against the SLA.</param>
/// <param name="SloVerdict">Met, missed or insufficient data against the SLO.</param>
/// <param name="SlaBudget">The SLA error budget.</param>
/// <param name="SloBudget">The SLO error budget.</param>
/// <param name="Credit">The month's credit; null when data was insufficient.</param>
/// <param name="CreditReason">Why, as a sentence (the credit's reason, or the insufficient-data sentence).</param>
/// <param name="ClosedAt">When it was closed.</param>
public sealed record MonthClose(
    YearMonth Month,
    string TimeZoneId,
    CustomerAvailability Availability,
    decimal SlaTargetPercent,
    decimal SloTargetPercent,
    decimal MinimumCoveragePercent,
    TargetVerdict SlaVerdict,
    TargetVerdict SloVerdict,
    ErrorBudget SlaBudget,
    ErrorBudget SloBudget,
    MonthlyCredit? Credit,
    string CreditReason,
    Instant ClosedAt)
{
    // Issue 20 — remedies over rolling windows
    /// <summary>
    /// The remedies the close fired beyond the month's credit (<see cref="RemedyClause.Decide"/>); empty when none fired,
    /// and always empty for a month that was not missed (met or insufficient data).
    /// </summary>
    public ImmutableArray<RemedyOutcome> Remedies { get; init; } = [];

    /// <summary>
    /// This close with the contract's remedies decided: only a month whose SLA verdict is <i>missed</i> can fire one (an
    /// insufficient-data month is not a miss), counting the missed months before it (<paramref name="missedBefore"/>)
    /// and itself, and only months after each rule's last firing (<paramref name="lastFired"/>).
    /// </summary>
    /// <param name="agreement">The contract the month closes under.</param>
    /// <param name="missedBefore">Closed months whose SLA verdict was missed.</param>
    /// <param name="lastFired">The month each rule last fired, by <see cref="RemedyRule.Key"/>.</param>
    public MonthClose WithRemedies(ServiceAgreement agreement, IEnumerable<YearMonth> missedBefore, IReadOnlyDictionary<string, YearMonth> lastFired)
    {
        Guard.NotNull(agreement, nameof(agreement));
        Guard.NotNull(missedBefore, nameof(missedBefore));
        if (SlaVerdict != TargetVerdict.Missed || agreement.Remedies.Rules.IsEmpty)
        {
            return this;
        }

        var missed = new HashSet<YearMonth>(missedBefore) { Month };
        return this with { Remedies = agreement.Remedies.Decide(Month, missed, lastFired, agreement.CreditTerms) };
    }

    /// <summary>The month as instants.</summary>
    public Interval Period => Availability.Sla.Period;

    /// <summary>How long after the month's end it was closed.</summary>
    public Duration ClosedLate => ClosedAt - Period.End;

    /// <summary>The idempotency key of the month's ledger entry, <c>sla-credit-{customer}-{yyyy-MM}</c>.</summary>
    public string CreditKey(string customerId) => MonthlyCredit.KeyFor(customerId, Month);

    /// <summary>Computes the close of <paramref name="month"/> from the month's availability.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="month">The month.</param>
    /// <param name="timeZoneId">The customer's zone.</param>
    /// <param name="availability">The month's availability.</param>
    /// <param name="agreement">The contract.</param>
    /// <param name="closedAt">Now.</param>
    /// <param name="minimumCoveragePercent">The coverage threshold in percent; default the agreement's
    /// <see cref="ServiceAgreement.MinimumCoveragePercent"/> (90 unless the contract says otherwise).</param>
    /// <param name="latency">The month's latency checks over the components with a latency SLO; null: none. They earn a
    /// credit only when the contract names a latency commitment (<see cref="LatencyCredit"/>).</param>
    /// <param name="ticketClocks">The month's decided ticket clocks by metric and priority; null: none. They earn a credit
    /// only under the contract's ticket-SLA clauses (<see cref="TicketCredit"/>).</param>
    public static MonthClose Compute(
        string customerId, YearMonth month, string timeZoneId, CustomerAvailability availability, ServiceAgreement agreement, Instant closedAt,
        decimal? minimumCoveragePercent = null, LatencyTally? latency = null, IReadOnlyCollection<TicketClockCount>? ticketClocks = null)
    {
        Guard.NotNull(availability, nameof(availability));
        Guard.NotNull(agreement, nameof(agreement));
        var threshold = minimumCoveragePercent ?? agreement.MinimumCoveragePercent;
        var sla = availability.Sla;
        var slaVerdict = sla.Verdict(agreement.SlaTargetPercent, threshold);
        var sloVerdict = sla.Verdict(agreement.SloTargetPercent, threshold);
        var credit = slaVerdict == TargetVerdict.InsufficientData
            ? null
            : new MonthlyCredit(customerId, month, TicketCredit.Fold(agreement.CreditFor(sla.UptimePercent, latency), ticketClocks, agreement), closedAt);
        var reason = credit?.Reason ?? InsufficientDataReason(sla.CoveragePercent, threshold);
        return new MonthClose(
            month, timeZoneId, availability, agreement.SlaTargetPercent, agreement.SloTargetPercent, threshold,
            slaVerdict, sloVerdict, ErrorBudget.Of(sla, agreement.SlaTargetPercent), ErrorBudget.Of(sla, agreement.SloTargetPercent),
            credit, reason, closedAt);
    }

    /// <summary>The sentence recorded instead of a credit when the data does not suffice.</summary>
    public static string InsufficientDataReason(decimal coveragePercent, decimal minimumCoveragePercent)
        => string.Create(CultureInfo.InvariantCulture,
            $"Insufficient data: measurements cover {coveragePercent:0.####} % of the month, under the {minimumCoveragePercent:0.##} % needed. No automatic credit — a manager decides.");
}
