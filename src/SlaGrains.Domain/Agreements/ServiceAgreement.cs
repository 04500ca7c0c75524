using NodaTime;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Agreements;

/// <summary>
/// The contract a customer signs: the customer-facing SLA target, a tighter internal SLO, the monthly fee, the credit
/// schedule and cap, and the notice maintenance needs to be excluded from availability.
/// </summary>
/// <remarks>
/// The SLO defaults to keeping <see cref="DefaultSloBudgetFraction"/> (20 %) of the SLA's error budget:
/// SLO = 100 − (100 − SLA) × fraction, so SLA 99.5 % → SLO 99.9 % and SLA 99.9 % → SLO 99.98 %.
/// </remarks>
public sealed record ServiceAgreement
{
    /// <summary>Default share of the SLA's error budget the internal SLO keeps: 0.2 (20 %).</summary>
    public const decimal DefaultSloBudgetFraction = 0.2m;

    /// <summary>Default credit cap: 50 % of the monthly fee.</summary>
    public const decimal DefaultCreditCapPercent = CreditTerms.DefaultCapPercent;

    /// <summary>Creates an agreement.</summary>
    /// <param name="customerId">The customer's id: not blank, no whitespace.</param>
    /// <param name="slaTargetPercent">Customer-facing availability commitment, percent in (0, 100].</param>
    /// <param name="monthlyFee">Monthly fee, money ≥ 0 in <paramref name="currency"/>.</param>
    /// <param name="currency">ISO 4217 code, three upper-case letters (for example <c>USD</c>).</param>
    /// <param name="creditSchedule">Credit schedule; default <see cref="CreditSchedule.Default"/>.</param>
    /// <param name="sloTargetPercent">Explicit internal SLO percent: ≥ the SLA and &lt; 100. When omitted it is
    /// derived from <paramref name="sloBudgetFraction"/> (and equals 100 only for an SLA of 100).</param>
    /// <param name="sloBudgetFraction">Share of the SLA's error budget the derived SLO keeps, in (0, 1]; default 0.2.
    /// Validated even when an explicit SLO is given, but then unused.</param>
    /// <param name="creditCapPercent">Largest credit in a month, percent of the fee, in [0, 100]; default 50.</param>
    /// <param name="maintenanceNotice">Notice maintenance must be announced with to be excluded, ≥ 0; default 48 h.</param>
    /// <param name="minimumCoveragePercent">Share of a period that must have data for the period to be judged, percent
    /// in (0, 100]; default 90. Under it a period is insufficient data: neither met nor missed, no automatic credit.</param>
    /// <param name="latencyCommitmentPercent">The latency commitment, when the contract names one: the share of checks,
    /// percent in (0, 100), that must be answered within their monitor's latency threshold in a month; null: none
    /// (latency then never earns a credit).</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names the field.</exception>
    public ServiceAgreement(
        string customerId,
        decimal slaTargetPercent,
        decimal monthlyFee,
        string currency,
        CreditSchedule? creditSchedule = null,
        decimal? sloTargetPercent = null,
        decimal sloBudgetFraction = DefaultSloBudgetFraction,
        decimal creditCapPercent = DefaultCreditCapPercent,
        Duration? maintenanceNotice = null,
        decimal minimumCoveragePercent = DefaultMinimumCoveragePercent,
        decimal? latencyCommitmentPercent = null)
    {
        CustomerId = MonthlyCredit.ValidCustomerId(customerId, nameof(customerId));
        SlaTargetPercent = Guard.TargetPercent(slaTargetPercent, nameof(slaTargetPercent));
        MonthlyFee = Guard.NonNegative(monthlyFee, nameof(monthlyFee));
        Currency = CreditText.CurrencyCode(currency, nameof(currency));
        CreditSchedule = creditSchedule ?? CreditSchedule.Default;
        CreditCapPercent = Guard.Percent(creditCapPercent, nameof(creditCapPercent));
        MinimumCoveragePercent = Guard.TargetPercent(minimumCoveragePercent, nameof(minimumCoveragePercent));

        if (sloBudgetFraction <= 0m || sloBudgetFraction > 1m)
        {
            throw new ArgumentOutOfRangeException(
                nameof(sloBudgetFraction), sloBudgetFraction, $"{nameof(sloBudgetFraction)} must be in (0, 1]; got {sloBudgetFraction}.");
        }

        if (sloTargetPercent is { } slo && (slo < slaTargetPercent || slo >= 100m))
        {
            throw new ArgumentOutOfRangeException(
                nameof(sloTargetPercent), slo,
                $"{nameof(sloTargetPercent)} must be at least the SLA target {slaTargetPercent} and below 100; got {slo}.");
        }

        SloTargetPercent = sloTargetPercent ?? DeriveSlo(slaTargetPercent, sloBudgetFraction);

        var notice = maintenanceNotice ?? DefaultMaintenanceNotice;
        if (notice < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maintenanceNotice), notice, $"{nameof(maintenanceNotice)} must not be negative; got {notice}.");
        }

        MaintenanceNotice = notice;
        if (latencyCommitmentPercent is <= 0m or >= 100m)
        {
            throw new ArgumentOutOfRangeException(
                nameof(latencyCommitmentPercent), latencyCommitmentPercent, $"{nameof(latencyCommitmentPercent)} must be a percentage in (0, 100); got {latencyCommitmentPercent}.");
        }

        LatencyCommitmentPercent = latencyCommitmentPercent;
        CreditTerms = new CreditTerms(SlaTargetPercent, MonthlyFee, Currency, CreditSchedule, CreditCapPercent);
    }

    /// <summary>Default data coverage a period needs to be judged: 90 %.</summary>
    public const decimal DefaultMinimumCoveragePercent = Availability.AvailabilityReport.DefaultMinimumCoveragePercent;

    /// <summary>Default maintenance notice: 48 hours.</summary>
    public static Duration DefaultMaintenanceNotice => Availability.MaintenanceWindow.DefaultNotice;

    /// <summary>The customer's id.</summary>
    public string CustomerId { get; }

    /// <summary>Customer-facing availability commitment, percent (99.9 means 99.9 %).</summary>
    public decimal SlaTargetPercent { get; }

    /// <summary>Internal availability objective, percent; ≥ <see cref="SlaTargetPercent"/>.</summary>
    public decimal SloTargetPercent { get; }

    /// <summary>Monthly fee, money in <see cref="Currency"/>.</summary>
    public decimal MonthlyFee { get; }

    /// <summary>ISO 4217 currency code.</summary>
    public string Currency { get; }

    /// <summary>The credit schedule.</summary>
    public CreditSchedule CreditSchedule { get; }

    /// <summary>Largest credit in one calendar month, percent of the monthly fee.</summary>
    public decimal CreditCapPercent { get; }

    /// <summary>Notice maintenance must be announced with to be excluded from availability.</summary>
    public Duration MaintenanceNotice { get; }

    /// <summary>
    /// Share of a period that must have data (not unknown) for the period to be judged, percent in (0, 100]; default 90.
    /// Under it the period is insufficient data: neither met nor missed, and no automatic credit.
    /// </summary>
    public decimal MinimumCoveragePercent { get; }

    /// <summary>
    /// The latency commitment, percent of a month's checks answered within their monitor's latency threshold; null when
    /// the contract names none. A month that misses it earns a credit through the same schedule and cap, folded into the
    /// month's one credit (<see cref="LatencyCredit"/>).
    /// </summary>
    public decimal? LatencyCommitmentPercent { get; }

    /// <summary>The credit clause: SLA target, fee, currency, schedule and cap.</summary>
    public CreditTerms CreditTerms { get; }

    /// <summary>The contract clause kept as dispute evidence.</summary>
    public ContractClause Clause => ContractClause.From(CreditTerms, MaintenanceNotice);

    // Issue 20 — remedies and term
    /// <summary>
    /// Remedies over rolling windows beyond the monthly credit (an extra credit or a termination right after N missed
    /// months within W); none by default. Check <see cref="RemedyClause.Problem"/> before setting it.
    /// </summary>
    public RemedyClause Remedies { get; init; } = RemedyClause.None;

    /// <summary>The contract's term (start, term, renewal, notice); null when the contract names none. Check <see cref="ContractTerm.Problem"/>.</summary>
    public ContractTerm? Term { get; init; }

    /// <summary>SLO = 100 − (100 − SLA) × fraction, exact in decimal.</summary>
    /// <param name="slaTargetPercent">SLA percent in (0, 100].</param>
    /// <param name="sloBudgetFraction">Share of the SLA's error budget kept, in (0, 1].</param>
    public static decimal DeriveSlo(decimal slaTargetPercent, decimal sloBudgetFraction) =>
        100m - ((100m - slaTargetPercent) * sloBudgetFraction);

    /// <summary>The credit for a month's availability under this agreement (against the SLA, never the SLO).</summary>
    /// <param name="availabilityPercent">Availability percent in [0, 100] (rounded to 4 decimals).</param>
    public CreditResult CreditFor(decimal availabilityPercent) => CreditCalculator.Calculate(availabilityPercent, CreditTerms);

    /// <summary>
    /// The month's one credit with latency folded in (<see cref="LatencyCredit.Fold"/>): the availability credit, or the
    /// latency credit when the contract names a latency commitment, the month's latency SLI misses it and it earns more.
    /// </summary>
    /// <param name="availabilityPercent">Availability percent in [0, 100] (rounded to 4 decimals).</param>
    /// <param name="latency">The month's latency checks; null or empty: no latency measured.</param>
    public CreditResult CreditFor(decimal availabilityPercent, LatencyTally? latency)
        => LatencyCredit.Fold(CreditFor(availabilityPercent), latency, this);

    /// <summary>Computes the month's credit for this customer, ready for the <see cref="CreditLedger"/>.</summary>
    /// <param name="month">The calendar month that closed.</param>
    /// <param name="availabilityPercent">The month's availability percent in [0, 100].</param>
    /// <param name="computedAt">When it is computed.</param>
    public MonthlyCredit CloseMonth(YearMonth month, decimal availabilityPercent, Instant computedAt) =>
        MonthlyCredit.Compute(CustomerId, month, availabilityPercent, CreditTerms, computedAt);

    /// <summary>
    /// SLA and SLO side by side for an availability over a period: met or not for each, and each one's allowed
    /// downtime = (1 − target / 100) × (period − excluded).
    /// </summary>
    /// <param name="availabilityPercent">Availability percent in [0, 100].</param>
    /// <param name="period">Length of the period (for a month, the calendar month's real length), &gt; 0.</param>
    /// <param name="excluded">Excluded time (announced maintenance) in the period, in [0, period]; default zero.</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public TargetReport Report(decimal availabilityPercent, Duration period, Duration excluded = default) =>
        TargetReport.For(availabilityPercent, SlaTargetPercent, SloTargetPercent, period, excluded);

    // Issue 20 — ticket-SLA credits
    /// <summary>
    /// The ticket-SLA credit clauses (at most <see cref="TicketCreditClause.MaxClauses"/>), each judged on the month's
    /// compliance of its metric and priorities and folded into the month's one credit (<see cref="TicketCredit"/>); empty
    /// (the default): tickets earn no credit.
    /// </summary>
    /// <exception cref="ArgumentException">More than <see cref="TicketCreditClause.MaxClauses"/> clauses, or a clause has a
    /// <see cref="TicketCreditClause.Problem"/>.</exception>
    public System.Collections.Immutable.ImmutableArray<TicketCreditClause> TicketCredits
    {
        get => _ticketCredits.Clauses;
        init
        {
            var clauses = value.IsDefault ? [] : value;
            if (clauses.Length > TicketCreditClause.MaxClauses)
            {
                throw new ArgumentException($"A contract has at most {TicketCreditClause.MaxClauses} ticket-SLA credit clauses; got {clauses.Length}.", nameof(TicketCredits));
            }

            for (var i = 0; i < clauses.Length; i++)
            {
                if (Guard.NotNull(clauses[i], nameof(TicketCredits)).Problem() is { } problem)
                {
                    throw new ArgumentException($"ticketCredits[{i}].{problem.Field}: {problem.Message}", nameof(TicketCredits));
                }
            }

            _ticketCredits = new TicketCreditList(clauses);
        }
    }

    // Compared clause by clause, so a stored agreement equals the one it was written from (an array compares by reference).
    private readonly TicketCreditList _ticketCredits = TicketCreditList.None;

    // Issue 20 — exclusions
    /// <summary>
    /// The contract's exclusion clauses besides maintenance (customer-caused, force majeure, third-party), at most one per
    /// class (<see cref="ExclusionClause.Problem"/>), compared by value; empty by default: no class is excluded. Time a manager reclassifies
    /// to an excluded class is taken out of the measured period like announced maintenance.
    /// </summary>
    public ExclusionClauses Exclusions { get; init; } = ExclusionClauses.None;
}
