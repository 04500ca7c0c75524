using NodaTime;

namespace SlaGrains.Domain.Credits;

/// <summary>A maintenance window excluded from the month, with the instant it was announced.</summary>
public sealed record MaintenanceExclusion
{
    /// <summary>Creates an exclusion.</summary>
    /// <param name="window">The half-open maintenance window [start, end); both ends must be finite.</param>
    /// <param name="announcedAt">When the window was announced to the customer.</param>
    /// <exception cref="ArgumentException">The window is unbounded.</exception>
    public MaintenanceExclusion(Interval window, Instant announcedAt)
    {
        Disputes.Bounded(window, nameof(window));
        Window = window;
        AnnouncedAt = announcedAt;
    }

    /// <summary>The half-open maintenance window [start, end).</summary>
    public Interval Window { get; }

    /// <summary>When the window was announced.</summary>
    public Instant AnnouncedAt { get; }

    /// <summary>Notice given: window start − announcement (negative when announced after it began).</summary>
    public Duration Notice => Window.Start - AnnouncedAt;
}

/// <summary>The contract clause a dispute is judged by, as it read when the month closed.</summary>
public sealed record ContractClause
{
    /// <summary>Creates the clause.</summary>
    /// <param name="targetPercent">Committed availability percent, in (0, 100].</param>
    /// <param name="scheduleText">The credit schedule as text (see <see cref="CreditSchedule.Describe"/>); not blank.</param>
    /// <param name="capPercent">Credit cap, percent of the monthly fee, in [0, 100].</param>
    /// <param name="maintenanceNotice">Notice the contract requires for maintenance to be excluded, ≥ 0.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public ContractClause(decimal targetPercent, string scheduleText, decimal capPercent, Duration maintenanceNotice)
    {
        TargetPercent = Guard.TargetPercent(targetPercent, nameof(targetPercent));
        if (string.IsNullOrWhiteSpace(scheduleText))
        {
            throw new ArgumentException($"{nameof(scheduleText)} must state the credit schedule.", nameof(scheduleText));
        }

        ScheduleText = scheduleText;
        CapPercent = Guard.Percent(capPercent, nameof(capPercent));
        if (maintenanceNotice < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maintenanceNotice), maintenanceNotice, $"{nameof(maintenanceNotice)} must not be negative; got {maintenanceNotice}.");
        }

        MaintenanceNotice = maintenanceNotice;
    }

    /// <summary>Committed availability percent.</summary>
    public decimal TargetPercent { get; }

    /// <summary>The credit schedule as text.</summary>
    public string ScheduleText { get; }

    /// <summary>Credit cap, percent of the monthly fee.</summary>
    public decimal CapPercent { get; }

    /// <summary>Notice the contract requires for maintenance to be excluded.</summary>
    public Duration MaintenanceNotice { get; }

    /// <summary>The clause for credit terms and a maintenance notice.</summary>
    /// <param name="terms">The credit terms.</param>
    /// <param name="maintenanceNotice">Notice required for maintenance exclusions (≥ 0).</param>
    public static ContractClause From(CreditTerms terms, Duration maintenanceNotice)
    {
        Guard.NotNull(terms, nameof(terms));
        return new ContractClause(terms.TargetPercent, terms.Schedule.Describe(), terms.CapPercent, maintenanceNotice);
    }

    /// <summary>The clause as a sentence.</summary>
    public override string ToString() =>
        $"Target {CreditText.Bound(TargetPercent)} % monthly availability; credits {ScheduleText}; "
        + $"cap {CreditText.Share(CapPercent)} % of the monthly fee; maintenance excluded with {CreditText.Hours(MaintenanceNotice)} h notice.";
}

/// <summary>What we keep to answer a dispute: our downtime, our exclusions, and the clause.</summary>
public sealed record DisputeEvidence
{
    /// <summary>Creates the evidence.</summary>
    /// <param name="ourDowntime">Our measured downtime intervals in the month, half-open, bounded.</param>
    /// <param name="exclusions">Maintenance windows excluded, with their announcement instants.</param>
    /// <param name="clause">The contract clause.</param>
    /// <exception cref="ArgumentException">An interval is unbounded or an argument is missing.</exception>
    public DisputeEvidence(IEnumerable<Interval> ourDowntime, IEnumerable<MaintenanceExclusion> exclusions, ContractClause clause)
    {
        OurDowntime = [.. Guard.NotNull(ourDowntime, nameof(ourDowntime)).Select(i => Disputes.Bounded(i, nameof(ourDowntime)))];
        Exclusions = [.. Guard.NotNull(exclusions, nameof(exclusions)).Select(e => Guard.NotNull(e, nameof(exclusions)))];
        Clause = Guard.NotNull(clause, nameof(clause));
    }

    /// <summary>Our downtime intervals, in the order given.</summary>
    public IReadOnlyList<Interval> OurDowntime { get; }

    /// <summary>Maintenance exclusions, in the order given.</summary>
    public IReadOnlyList<MaintenanceExclusion> Exclusions { get; }

    /// <summary>The contract clause.</summary>
    public ContractClause Clause { get; }

    /// <summary>Sum of <see cref="OurDowntime"/> lengths (intervals are summed as given, not merged).</summary>
    public Duration TotalDowntime => OurDowntime.Aggregate(Duration.Zero, (sum, i) => sum + i.Duration);

    /// <summary>Equal when the intervals, exclusions (in order) and clause are equal.</summary>
    /// <param name="other">The other evidence.</param>
    public bool Equals(DisputeEvidence? other) =>
        other is not null
        && OurDowntime.SequenceEqual(other.OurDowntime)
        && Exclusions.SequenceEqual(other.Exclusions)
        && Clause == other.Clause;

    /// <summary>A hash over the counts and the clause.</summary>
    public override int GetHashCode() => HashCode.Combine(OurDowntime.Count, Exclusions.Count, Clause);
}

/// <summary>A customer's claim about a month's availability against our measurement.</summary>
public sealed record CreditDispute
{
    /// <summary>Creates a dispute.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="month">The disputed calendar month.</param>
    /// <param name="claimedPercent">Availability the customer claims, percent in [0, 100].</param>
    /// <param name="measuredPercent">Availability we measured, percent in [0, 100].</param>
    /// <param name="evidence">Our evidence.</param>
    /// <exception cref="ArgumentException">A value is out of range or missing; the message names it.</exception>
    public CreditDispute(string customerId, YearMonth month, decimal claimedPercent, decimal measuredPercent, DisputeEvidence evidence)
    {
        CustomerId = MonthlyCredit.ValidCustomerId(customerId, nameof(customerId));
        Month = month;
        ClaimedPercent = Guard.Percent(claimedPercent, nameof(claimedPercent));
        MeasuredPercent = Guard.Percent(measuredPercent, nameof(measuredPercent));
        Evidence = Guard.NotNull(evidence, nameof(evidence));
    }

    /// <summary>The customer's id.</summary>
    public string CustomerId { get; }

    /// <summary>The disputed month.</summary>
    public YearMonth Month { get; }

    /// <summary>The customer's claimed availability percent.</summary>
    public decimal ClaimedPercent { get; }

    /// <summary>Our measured availability percent.</summary>
    public decimal MeasuredPercent { get; }

    /// <summary>Our evidence.</summary>
    public DisputeEvidence Evidence { get; }

    /// <summary>|claimed − measured|, in percentage points.</summary>
    public decimal DiscrepancyPoints => Math.Abs(ClaimedPercent - MeasuredPercent);

    /// <summary>Claimed − measured, in percentage points: negative when the customer saw less availability than we did.</summary>
    public decimal SignedDiscrepancyPoints => ClaimedPercent - MeasuredPercent;
}

/// <summary>How a dispute is settled, by the size of the discrepancy.</summary>
public enum DisputeResolution
{
    /// <summary>Discrepancy &lt; 0.1 pt: the customer's claim is accepted.</summary>
    AcceptCustomerClaim,

    /// <summary>0.1 pt ≤ discrepancy &lt; 0.5 pt: the average of both, 4 decimals.</summary>
    MeetInTheMiddle,

    /// <summary>Discrepancy ≥ 0.5 pt: no settled value until the logs are reconciled.</summary>
    ReconciliationRequired,
}

/// <summary>The outcome of a dispute.</summary>
/// <param name="Dispute">The dispute, with its evidence.</param>
/// <param name="Resolution">How it is settled.</param>
/// <param name="SettledAvailabilityPercent">The availability to compute the credit from, or <see langword="null"/>
/// when reconciliation is required.</param>
/// <param name="ToCompare">What must be compared in a reconciliation; empty otherwise.</param>
/// <param name="Reason">Why, as a sentence.</param>
public sealed record DisputeOutcome(
    CreditDispute Dispute,
    DisputeResolution Resolution,
    decimal? SettledAvailabilityPercent,
    IReadOnlyList<string> ToCompare,
    string Reason)
{
    /// <summary>|claimed − measured|, in percentage points.</summary>
    public decimal DiscrepancyPoints => Dispute.DiscrepancyPoints;

    /// <summary>Equal when every field is equal, comparing <see cref="ToCompare"/> item by item.</summary>
    /// <param name="other">The other outcome.</param>
    public bool Equals(DisputeOutcome? other) =>
        other is not null
        && Dispute == other.Dispute
        && Resolution == other.Resolution
        && SettledAvailabilityPercent == other.SettledAvailabilityPercent
        && ToCompare.SequenceEqual(other.ToCompare)
        && Reason == other.Reason;

    /// <summary>A hash over the dispute, resolution and settled value.</summary>
    public override int GetHashCode() => HashCode.Combine(Dispute, Resolution, SettledAvailabilityPercent);
}

/// <summary>Settles availability disputes and turns the settled value into a credit. Pure functions.</summary>
public static class Disputes
{
    /// <summary>Below this discrepancy (percentage points, exclusive) the customer's claim is accepted.</summary>
    public const decimal AcceptBelowPoints = 0.1m;

    /// <summary>Below this discrepancy (percentage points, exclusive) both values are averaged; at or above it the
    /// logs must be reconciled.</summary>
    public const decimal MeetInTheMiddleBelowPoints = 0.5m;

    /// <summary>
    /// Settles a dispute: discrepancy &lt; 0.1 pt → the claim; &lt; 0.5 pt → the average rounded to 4 decimals
    /// (midpoints away from zero); otherwise reconciliation, with the list of what must be compared.
    /// Exactly 0.1 pt meets in the middle; exactly 0.5 pt needs reconciliation.
    /// </summary>
    /// <param name="dispute">The dispute.</param>
    public static DisputeOutcome Resolve(CreditDispute dispute)
    {
        Guard.NotNull(dispute, nameof(dispute));
        var gap = dispute.DiscrepancyPoints;
        var claimed = CreditText.Availability(dispute.ClaimedPercent);
        var measured = CreditText.Availability(dispute.MeasuredPercent);
        var points = CreditText.Bound(gap);

        if (gap < AcceptBelowPoints)
        {
            return new DisputeOutcome(dispute, DisputeResolution.AcceptCustomerClaim, dispute.ClaimedPercent, [],
                $"Claimed {claimed} % and measured {measured} % differ by {points} pt (< 0.1): the customer's claim is accepted.");
        }

        if (gap < MeetInTheMiddleBelowPoints)
        {
            var settled = Math.Round((dispute.ClaimedPercent + dispute.MeasuredPercent) / 2m, 4, MidpointRounding.AwayFromZero);
            return new DisputeOutcome(dispute, DisputeResolution.MeetInTheMiddle, settled, [],
                $"Claimed {claimed} % and measured {measured} % differ by {points} pt (0.1 to < 0.5): settled in the middle at {CreditText.Availability(settled)} %.");
        }

        return new DisputeOutcome(dispute, DisputeResolution.ReconciliationRequired, null, ToCompare(dispute),
            $"Claimed {claimed} % and measured {measured} % differ by {points} pt (≥ 0.5): a detailed reconciliation of both logs is required.");
    }

    /// <summary>
    /// The credit for a settled dispute: <see cref="CreditCalculator.Calculate(decimal, CreditTerms)"/> on the
    /// settled availability; <see langword="null"/> while reconciliation is required.
    /// </summary>
    /// <param name="outcome">The dispute's outcome.</param>
    /// <param name="terms">The contract's credit terms.</param>
    public static CreditResult? CreditFor(DisputeOutcome outcome, CreditTerms terms)
    {
        Guard.NotNull(outcome, nameof(outcome));
        return outcome.SettledAvailabilityPercent is { } settled ? CreditCalculator.Calculate(settled, terms) : null;
    }

    internal static Interval Bounded(Interval interval, string name)
    {
        if (!interval.HasStart || !interval.HasEnd)
        {
            throw new ArgumentException($"{name} must contain only intervals with a start and an end; got {interval}.", name);
        }

        return interval;
    }

    private static IReadOnlyList<string> ToCompare(CreditDispute dispute)
    {
        var evidence = dispute.Evidence;
        var clause = evidence.Clause;
        var items = new List<string>
        {
            $"Our {evidence.OurDowntime.Count} downtime interval(s), {evidence.TotalDowntime} in total, against the outages in the customer's log for {dispute.Month}.",
            $"The {evidence.Exclusions.Count} maintenance exclusion(s) and their announcement instants against the contract's {CreditText.Hours(clause.MaintenanceNotice)} h notice, and whether the customer's figure counts them as downtime.",
            $"The measurement definition in the clause ({clause}) against the customer's method: probe locations, check interval, and failures of the customer's own network.",
        };
        items.AddRange(evidence.Exclusions
            .Where(e => e.Notice < clause.MaintenanceNotice)
            .Select(e => $"Maintenance {e.Window} was announced at {e.AnnouncedAt}, with less notice than the contract requires: check that it may be excluded."));
        return items;
    }
}
