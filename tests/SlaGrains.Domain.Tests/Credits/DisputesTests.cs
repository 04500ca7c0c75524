using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Tests.Credits;

public class DisputesTests
{
    private static readonly CreditTerms Terms = new(99.9m, 1000m, "USD", CreditSchedule.Default);
    private static readonly Instant MarchStart = Instant.FromUtc(2026, 3, 1, 0, 0);

    private static DisputeEvidence Evidence() => new(
        [new Interval(MarchStart + Duration.FromDays(4), MarchStart + Duration.FromDays(4) + Duration.FromHours(7))],
        [
            new MaintenanceExclusion(
                new Interval(MarchStart + Duration.FromDays(10), MarchStart + Duration.FromDays(10) + Duration.FromHours(2)),
                MarchStart + Duration.FromDays(7)),
            new MaintenanceExclusion(
                new Interval(MarchStart + Duration.FromDays(20), MarchStart + Duration.FromDays(20) + Duration.FromHours(1)),
                MarchStart + Duration.FromDays(19)),
        ],
        ContractClause.From(Terms, Duration.FromHours(48)));

    private static DisputeOutcome Resolve(decimal claimed, decimal measured) =>
        Disputes.Resolve(new CreditDispute("acme", new YearMonth(2026, 3), claimed, measured, Evidence()));

    [Fact]
    public void A_discrepancy_of_0_05_points_accepts_the_customers_claim()
    {
        var outcome = Resolve(claimed: 98.95m, measured: 99.0m);

        Assert.Equal(DisputeResolution.AcceptCustomerClaim, outcome.Resolution);
        Assert.Equal(98.95m, outcome.SettledAvailabilityPercent);
        Assert.Empty(outcome.ToCompare);
    }

    [Fact]
    public void A_discrepancy_of_exactly_0_1_points_meets_in_the_middle()
    {
        var outcome = Resolve(claimed: 98.9m, measured: 99.0m);

        Assert.Equal(DisputeResolution.MeetInTheMiddle, outcome.Resolution);
        Assert.Equal(98.95m, outcome.SettledAvailabilityPercent);
    }

    [Fact]
    public void A_discrepancy_of_0_3_points_meets_in_the_middle_to_four_decimals()
    {
        var outcome = Resolve(claimed: 98.7001m, measured: 99.0m);

        Assert.Equal(DisputeResolution.MeetInTheMiddle, outcome.Resolution);
        Assert.Equal(98.8501m, outcome.SettledAvailabilityPercent); // 98.85005 rounded away from zero
    }

    [Fact]
    public void A_discrepancy_of_exactly_0_5_points_requires_reconciliation()
    {
        var outcome = Resolve(claimed: 98.5m, measured: 99.0m);

        Assert.Equal(DisputeResolution.ReconciliationRequired, outcome.Resolution);
        Assert.Null(outcome.SettledAvailabilityPercent);
        Assert.NotEmpty(outcome.ToCompare);
    }

    [Fact]
    public void A_discrepancy_of_2_points_requires_reconciliation_listing_what_to_compare()
    {
        var outcome = Resolve(claimed: 97.0m, measured: 99.0m);

        Assert.Equal(DisputeResolution.ReconciliationRequired, outcome.Resolution);
        Assert.Contains(outcome.ToCompare, item => item.Contains("downtime interval", StringComparison.Ordinal));
        Assert.Contains(outcome.ToCompare, item => item.Contains("maintenance exclusion", StringComparison.Ordinal));
        Assert.Contains(outcome.ToCompare, item => item.Contains("measurement definition", StringComparison.Ordinal));
        Assert.Single(outcome.ToCompare, item => item.Contains("less notice", StringComparison.Ordinal));
    }

    [Fact]
    public void The_discrepancy_is_symmetric_whoever_claims_more()
    {
        Assert.Equal(DisputeResolution.AcceptCustomerClaim, Resolve(claimed: 99.05m, measured: 99.0m).Resolution);
        Assert.Equal(DisputeResolution.MeetInTheMiddle, Resolve(claimed: 99.3m, measured: 99.0m).Resolution);
    }

    [Fact]
    public void The_evidence_is_kept_with_the_outcome()
    {
        var outcome = Resolve(claimed: 97.0m, measured: 99.0m);
        var evidence = outcome.Dispute.Evidence;

        Assert.Equal(Duration.FromHours(7), evidence.TotalDowntime);
        Assert.Equal(2, evidence.Exclusions.Count);
        Assert.Equal(Duration.FromDays(3), evidence.Exclusions[0].Notice);
        Assert.Equal(99.9m, evidence.Clause.TargetPercent);
        Assert.Equal(CreditSchedule.Default.Describe(), evidence.Clause.ScheduleText);
    }

    [Fact]
    public void The_settled_availability_feeds_the_credit_calculation()
    {
        // Measured 99.0 % earns 10 %; settling in the middle at 98.95 % moves the month into the 25 % tier.
        var middle = Resolve(claimed: 98.9m, measured: 99.0m);

        var credit = Disputes.CreditFor(middle, Terms);

        Assert.Equal(98.95m, credit?.Inputs.AvailabilityPercent);
        Assert.Equal(25m, credit?.CreditPercent);
        Assert.Equal(250.00m, credit?.Amount);
    }

    [Fact]
    public void No_credit_is_computed_while_reconciliation_is_pending()
    {
        Assert.Null(Disputes.CreditFor(Resolve(claimed: 97.0m, measured: 99.0m), Terms));
    }

    [Fact]
    public void An_unbounded_downtime_interval_is_rejected()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            new DisputeEvidence([new Interval(MarchStart, null)], [], ContractClause.From(Terms, Duration.FromHours(48))));

        Assert.Equal("ourDowntime", ex.ParamName);
    }

    [Fact]
    public void Resolving_the_same_dispute_twice_gives_equal_outcomes()
    {
        Assert.Equal(Resolve(claimed: 97.0m, measured: 99.0m), Resolve(claimed: 97.0m, measured: 99.0m));
        Assert.Equal(2.0m, Resolve(claimed: 97.0m, measured: 99.0m).DiscrepancyPoints);
    }

    [Fact]
    public void A_contract_clause_without_a_schedule_or_with_negative_notice_is_rejected()
    {
        Assert.Equal("scheduleText", Assert.ThrowsAny<ArgumentException>(() =>
            new ContractClause(99.9m, " ", 50m, Duration.FromHours(48))).ParamName);
        Assert.Equal("maintenanceNotice", Assert.ThrowsAny<ArgumentException>(() =>
            new ContractClause(99.9m, "x", 50m, Duration.FromHours(-1))).ParamName);
    }
}
