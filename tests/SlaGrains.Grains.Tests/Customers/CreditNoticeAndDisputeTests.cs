using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Credits;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>
/// The credit notice written with a month's credit, and disputes of the month adjusting that credit, on a real
/// two-silo SQLite cluster. March 2026 in UTC; one critical monitor down 1 h on the 10th (99.8655 %: 10 % credit),
/// measured throughout from February to mid-April so March is a measured month, not "insufficient data".
/// </summary>
public sealed class CreditNoticeAndDisputeTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly YearMonth March = new(2026, 3);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Closing_a_missed_month_twice_creates_one_notice_with_the_figures_and_the_incident()
    {
        var (id, customer, monitor) = await MissedMarch();
        await using var recorder = new NotificationRecorder(_cluster.Notifications);

        await Task.WhenAll(customer.CloseMonth(March), customer.CloseMonth(March));
        var again = await customer.CloseMonth(March);

        var notice = Assert.Single(await customer.GetNotices());
        Assert.Equal("notice-2026-03", notice.NoticeId);
        Assert.Equal($"sla-credit-{id}-2026-03", notice.CreditKey);
        Assert.Equal(99.8655m, notice.AvailabilityPercent);
        Assert.Equal(99.9m, notice.TargetPercent);
        Assert.Equal(Duration.FromHours(1), notice.Downtime);
        Assert.Equal(10m, notice.CreditPercent);
        Assert.Equal(100.00m, notice.Amount);
        var incident = Assert.Single(notice.Incidents);
        Assert.Equal(monitor, incident.MonitorId);
        Assert.Equal($"/status/{id}", incident.StatusPage);
        Assert.Contains("99.8655 %", notice.Summary, StringComparison.Ordinal);
        Assert.Null(notice.ReadAt);
        await recorder.WaitFor<CreditNoticeIssued>(n => n.Notice.CustomerId == id, Bound);
        Assert.Single(recorder.All.OfType<CreditNoticeIssued>(), n => n.Notice.CustomerId == id);
        Assert.True(again.AlreadyClosed);
    }

    [Fact]
    public async Task A_met_month_gets_no_notice()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var customer = await Customer(id, new ServiceAgreement(id, 99.0m, 1000m, "EUR"), monitor: null);

        await customer.CloseMonth(March);

        Assert.Empty(await customer.GetNotices());
    }

    [Fact]
    public async Task Marking_a_notice_read_records_who_and_keeps_the_first_reading()
    {
        var (_, customer, _) = await MissedMarch();
        await customer.CloseMonth(March);

        var first = await customer.MarkNoticeRead("notice-2026-03", "alice");
        var second = await customer.MarkNoticeRead("notice-2026-03", "bob");
        var unknown = await customer.MarkNoticeRead("notice-2026-02", "alice");

        Assert.Equal("alice", first.Notice?.ReadBy);
        Assert.Equal((first.Notice!.ReadAt, "alice"), (second.Notice?.ReadAt, second.Notice?.ReadBy));
        Assert.Equal("notice-not-found", unknown.Rejection?.Code);
    }

    [Fact]
    public async Task Accepting_a_dispute_adjusts_the_months_one_credit_with_the_domain_rules_and_audits_both_steps()
    {
        var (_, customer, _) = await MissedMarch();
        await customer.CloseMonth(March);

        var filed = await customer.FileDispute(new DisputeClaim(March, 98.9m, "Our probes saw two more outages.", [], "alice"));
        var resolved = await customer.ResolveDispute(filed.Dispute!.DisputeId, new DisputeRuling(DisputeVerdict.Accept, null, null, "mona"));
        var twice = await customer.ResolveDispute(filed.Dispute.DisputeId, new DisputeRuling(DisputeVerdict.Reject, null, "no", "mona"));
        var credit = Assert.Single(await customer.GetCredits());

        Assert.True(filed.Accepted, filed.Rejection?.Message);
        Assert.Equal(-0.9655m, filed.Dispute.DiscrepancyPoints);
        Assert.Equal(DisputeResolution.ReconciliationRequired, filed.Dispute.Path);
        Assert.Equal(Duration.FromHours(1), Assert.Single(filed.Dispute.OurDownIntervals).Duration);
        Assert.Equal(99.9m, filed.Dispute.Clause.TargetPercent);
        Assert.Equal(DisputeStatus.ResolvedAccepted, resolved.Dispute?.Status);
        Assert.Equal(["alice", "mona"], resolved.Dispute!.Audit.Select(a => a.By).ToArray());
        Assert.Equal("dispute-already-resolved", twice.Rejection?.Code);
        Assert.Equal(100.00m, credit.Amount);
        Assert.Equal(CreditCalculator.Calculate(98.9m, new ServiceAgreement("x", 99.9m, 1000m, "EUR").CreditTerms).Amount, credit.EffectiveAmount);
        Assert.Equal(250.00m, credit.EffectiveAmount);
        Assert.Equal(150.00m, credit.Adjustment?.Delta);
        Assert.Equal(filed.Dispute.DisputeId, credit.Adjustment?.DisputeId);
        Assert.Equal("mona", credit.Adjustment?.By);
    }

    [Fact]
    public async Task A_month_is_disputed_once_and_only_after_it_closed()
    {
        var (_, customer, _) = await MissedMarch();

        var early = await customer.FileDispute(new DisputeClaim(March, 99m, null, [], "alice"));
        await customer.CloseMonth(March);
        var first = await customer.FileDispute(new DisputeClaim(March, 99.85m, null, [], "alice"));
        var second = await customer.FileDispute(new DisputeClaim(March, 99m, null, [], "alice"));

        Assert.Equal("month-not-closed", early.Rejection?.Code);
        Assert.Equal(DisputeResolution.AcceptCustomerClaim, first.Dispute?.Path);
        Assert.Equal(99.85m, first.Dispute?.SuggestedPercent);
        Assert.Equal("dispute-already-filed", second.Rejection?.Code);
        Assert.Single(await customer.GetDisputes());
    }

    [Fact]
    public async Task Claimed_down_intervals_are_compared_with_our_checks_at_filing_and_kept_with_the_dispute()
    {
        var (_, customer, monitor) = await MissedMarch();
        await customer.CloseMonth(March);
        var ours = new Interval(Instant.FromUtc(2026, 3, 10, 10, 0), Instant.FromUtc(2026, 3, 10, 10, 30));
        var up = new Interval(Instant.FromUtc(2026, 3, 12, 10, 0), Instant.FromUtc(2026, 3, 12, 10, 30));
        var outside = new Interval(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2026, 1, 1, 1, 0));

        var filed = await customer.FileDispute(new DisputeClaim(March, 99m, null, [ours, outside, up], "alice"));
        var stored = Assert.Single(await customer.GetDisputes());

        Assert.True(filed.Accepted, filed.Rejection?.Message);
        var analysis = filed.Dispute!.Analysis!;
        Assert.Equal([ours.Start, up.Start], analysis.Intervals.Select(i => i.From));
        Assert.Equal([SuggestedCause.SameOutage, SuggestedCause.CustomerSide], analysis.Intervals.Select(i => i.Cause));
        Assert.Equal(monitor, Assert.Single(analysis.Intervals[0].Monitors).MonitorId);
        Assert.Equal(ClaimMarking.MeasuredDown, Assert.Single(analysis.Intervals[0].Monitors[0].Segments).Marking);
        Assert.Equal(ClaimMarking.ProbesSawUp, Assert.Single(analysis.Intervals[1].Monitors[0].Segments).Marking);
        Assert.Equal(SuggestedCause.Mixed, analysis.Cause);
        Assert.Equal(analysis.Explanation, stored.Analysis?.Explanation);
        Assert.Null((await MissedMarchDispute()).Analysis);
    }

    private async Task<CreditDisputeView> MissedMarchDispute()
    {
        var (_, customer, _) = await MissedMarch();
        await customer.CloseMonth(March);
        return (await customer.FileDispute(new DisputeClaim(March, 99m, null, [], "alice"))).Dispute!;
    }

    private async Task<(string Id, ICustomerGrain Customer, string Monitor)> MissedMarch()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var monitor = $"monitor-{Guid.NewGuid():N}";
        return (id, await Customer(id, new ServiceAgreement(id, 99.9m, 1000m, "EUR"), monitor), monitor);
    }

    private async Task<ICustomerGrain> Customer(string id, ServiceAgreement agreement, string? monitor)
    {
        var components = new List<CustomerComponent>();
        if (monitor is not null)
        {
            var down = Instant.FromUtc(2026, 3, 10, 10, 0);
            var grain = _cluster.Grains.GetGrain<IMonitorGrain>(monitor);
            Assert.True((await grain.Configure(new MonitorSettings(id, "API", true, 1, 99.98m, StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
            var history = MeasuredHistory.Between(Instant.FromUtc(2026, 2, 1, 0, 0), Instant.FromUtc(2026, 4, 15, 0, 0), new Interval(down, down + Duration.FromHours(1)));
            Assert.True((await grain.IngestBatch([.. history])).Accepted);
            components.Add(new CustomerComponent(monitor, true));
        }

        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetAgreement(agreement)).Accepted);
        Assert.True((await customer.SetCalendar(BusinessCalendar.Create("UTC", WeeklySchedule.Weekdays("09:00", "17:00")))).Accepted);
        Assert.True((await customer.SetComponents([.. components])).Accepted);
        return customer;
    }
}
