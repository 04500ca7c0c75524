using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Tests.Credits;

public class DisputeLifecycleTests
{
    private static readonly CreditTerms Terms = new(99.9m, 1000m, "USD", CreditSchedule.Default);
    private static readonly DisputeEvidence Evidence = new([], [], ContractClause.From(Terms, Duration.FromHours(48)));

    private static CreditDispute Dispute(decimal claimed, decimal measured) => new("acme", new YearMonth(2026, 3), claimed, measured, Evidence);

    [Theory]
    [InlineData(98.95, 99.0, DisputeResolution.AcceptCustomerClaim)]
    [InlineData(99.05, 99.0, DisputeResolution.AcceptCustomerClaim)]
    [InlineData(98.90, 99.0, DisputeResolution.MeetInTheMiddle)]
    [InlineData(98.51, 99.0, DisputeResolution.MeetInTheMiddle)]
    [InlineData(98.50, 99.0, DisputeResolution.ReconciliationRequired)]
    [InlineData(95.00, 99.0, DisputeResolution.ReconciliationRequired)]
    public void The_path_is_accept_below_0_1_points_middle_below_0_5_and_reconcile_otherwise(double claimed, double measured, DisputeResolution path)
        => Assert.Equal(path, Disputes.Resolve(Dispute((decimal)claimed, (decimal)measured)).Resolution);

    [Fact]
    public void The_discrepancy_is_claimed_minus_ours_in_points()
    {
        Assert.Equal(-0.4m, Dispute(98.6m, 99.0m).SignedDiscrepancyPoints);
        Assert.Equal(0.4m, Dispute(99.4m, 99.0m).SignedDiscrepancyPoints);
    }

    [Fact]
    public void A_month_can_be_disputed_once_only_after_it_closed_and_with_a_percentage()
    {
        Assert.Null(DisputeLifecycle.CanFile(monthClosed: true, existing: null, 98.5m));
        Assert.Equal("month-not-closed", DisputeLifecycle.CanFile(monthClosed: false, existing: null, 98.5m)?.Code);
        Assert.Equal("dispute-already-filed", DisputeLifecycle.CanFile(true, DisputeStatus.Filed, 98.5m)?.Code);
        Assert.Equal("dispute-already-filed", DisputeLifecycle.CanFile(true, DisputeStatus.ResolvedRejected, 98.5m)?.Code);
        Assert.Equal("invalid-claimed-availability", DisputeLifecycle.CanFile(true, null, 100.5m)?.Code);
        Assert.Equal("invalid-claimed-availability", DisputeLifecycle.CanFile(true, null, -1m)?.Code);
    }

    [Fact]
    public void Accepting_takes_the_claim_and_recomputes_the_credit_with_the_domain_rules()
    {
        // Ours 99.5 % earns 10 %; the customer's 98.9 % falls in the 25 % tier.
        var resolved = DisputeLifecycle.Resolve(DisputeStatus.Filed, Dispute(98.9m, 99.5m), new DisputeDecision(DisputeVerdict.Accept, null, null, "mona"), Terms);

        Assert.Equal(DisputeStatus.ResolvedAccepted, resolved.Status);
        Assert.Equal(98.9m, resolved.DecidedPercent);
        Assert.Equal(25m, resolved.Credit?.CreditPercent);
        Assert.Equal(250.00m, resolved.Credit?.Amount);
    }

    [Fact]
    public void Adjusting_takes_the_stated_availability()
    {
        var resolved = DisputeLifecycle.Resolve(DisputeStatus.Filed, Dispute(97.0m, 99.5m), new DisputeDecision(DisputeVerdict.Adjust, 99.2m, "Logs reconciled: two of the customer's outages were their own network.", "mona"), Terms);

        Assert.Equal(DisputeStatus.ResolvedAdjusted, resolved.Status);
        Assert.Equal(99.2m, resolved.DecidedPercent);
        Assert.Equal(100.00m, resolved.Credit?.Amount);
    }

    [Fact]
    public void Rejecting_keeps_our_measurement_and_its_credit()
    {
        var resolved = DisputeLifecycle.Resolve(DisputeStatus.Filed, Dispute(97.0m, 99.5m), new DisputeDecision(DisputeVerdict.Reject, null, "The claimed outages were maintenance announced a week ahead.", "mona"), Terms);

        Assert.Equal(DisputeStatus.ResolvedRejected, resolved.Status);
        Assert.Equal(99.5m, resolved.DecidedPercent);
        Assert.Equal(CreditCalculator.Calculate(99.5m, Terms), resolved.Credit);
    }

    [Theory]
    [InlineData(DisputeStatus.ResolvedAccepted)]
    [InlineData(DisputeStatus.ResolvedAdjusted)]
    [InlineData(DisputeStatus.ResolvedRejected)]
    public void A_resolved_dispute_is_final(DisputeStatus resolvedAlready)
    {
        var again = DisputeLifecycle.Resolve(resolvedAlready, Dispute(98.9m, 99.5m), new DisputeDecision(DisputeVerdict.Accept, null, null, "mona"), Terms);

        Assert.Equal("dispute-already-resolved", again.Rejection?.Code);
        Assert.Equal(resolvedAlready, again.Status);
        Assert.Null(again.Credit);
    }

    [Fact]
    public void Adjusting_needs_an_availability_in_range_and_rejecting_or_adjusting_needs_a_note()
    {
        var dispute = Dispute(98.9m, 99.5m);

        Assert.Equal("invalid-decided-availability", DisputeLifecycle.Resolve(DisputeStatus.Filed, dispute, new DisputeDecision(DisputeVerdict.Adjust, null, "why", "m"), Terms).Rejection?.Code);
        Assert.Equal("invalid-decided-availability", DisputeLifecycle.Resolve(DisputeStatus.Filed, dispute, new DisputeDecision(DisputeVerdict.Adjust, 101m, "why", "m"), Terms).Rejection?.Code);
        Assert.Equal("invalid-note", DisputeLifecycle.Resolve(DisputeStatus.Filed, dispute, new DisputeDecision(DisputeVerdict.Reject, null, " ", "m"), Terms).Rejection?.Code);
        Assert.Equal(DisputeStatus.Filed, DisputeLifecycle.Resolve(DisputeStatus.Filed, dispute, new DisputeDecision(DisputeVerdict.Reject, null, null, "m"), Terms).Status);
    }

    [Fact]
    public void The_customers_csv_reads_start_end_lines_after_an_optional_header()
    {
        var (intervals, error) = CustomerDowntimeCsv.Parse("start,end\n2026-03-04T10:00:00Z,2026-03-04T10:45:00Z\n\n2026-03-09T01:00:00Z, 2026-03-09T01:30:00Z\n");

        Assert.Null(error);
        Assert.Equal([Duration.FromMinutes(45), Duration.FromMinutes(30)], intervals.Select(i => i.Duration).ToArray());
    }

    [Fact]
    public void A_csv_line_with_the_end_before_the_start_is_named()
    {
        var (intervals, error) = CustomerDowntimeCsv.Parse("2026-03-04T10:00:00Z,2026-03-04T09:00:00Z");

        Assert.Empty(intervals);
        Assert.StartsWith("Line 1 ", error, StringComparison.Ordinal);
    }
}
