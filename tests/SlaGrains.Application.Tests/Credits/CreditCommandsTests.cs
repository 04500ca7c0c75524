using SlaGrains.Application.Credits;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Application.Tests.Credits;

/// <summary>Credit commands: the customer's own users read notices and dispute, admins and managers resolve, bounds name their field.</summary>
public sealed class CreditCommandsTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private static readonly string Notice = "notice-2026-03";
    private static readonly string Dispute = "dispute-2026-03";

    private CreditCommands Commands => world.Get<CreditCommands>();

    private CreditQueries Queries => world.Get<CreditQueries>();

    [Fact]
    public async Task The_customers_own_user_marks_its_notice_read_and_staff_may_not_mark_it_for_them()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);
        var user = ApplicationWorld.CustomerUser(customer, "cora");

        var byManager = await Commands.MarkNoticeRead(world.Manager, customer, Notice);
        var read = await Commands.MarkNoticeRead(user, customer, Notice);
        var unknown = await Commands.MarkNoticeRead(user, customer, "notice-1999-01");

        Assert.Equal(FailureKind.Forbidden, byManager.Failure!.Kind);
        Assert.Equal("cora", read.Value!.ReadBy);
        Assert.Equal(FailureKind.Rejected, unknown.Failure!.Kind);
        Assert.Equal("notice-not-found", unknown.Failure.Rejection!.Code);
    }

    [Fact]
    public async Task Another_customers_user_finds_the_customer_unknown_for_every_credit_command()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);
        var stranger = ApplicationWorld.CustomerUser(await world.CustomerAsync(), "sam");

        var read = await Commands.MarkNoticeRead(stranger, customer, Notice);
        var filed = await Commands.FileDispute(stranger, customer, new DisputeInput(CreditScenario.March, 90m));
        var resolved = await Commands.ResolveDispute(stranger, customer, Dispute, new DisputeRulingInput(DisputeVerdict.Accept));

        Assert.Equal([FailureKind.NotFound, FailureKind.NotFound, FailureKind.NotFound], [read.Failure!.Kind, filed.Failure!.Kind, resolved.Failure!.Kind]);
        Assert.Empty((await Queries.Disputes(world.Manager, customer)).Value);
    }

    [Fact]
    public async Task The_customer_files_a_dispute_with_its_evidence_and_a_manager_accepts_it_adjusting_the_months_one_credit()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);
        var user = ApplicationWorld.CustomerUser(customer, "cora");
        var csv = "start,end\n2026-03-10T10:00:00Z,2026-03-10T13:00:00Z";

        var filed = await Commands.FileDispute(user, customer, new DisputeInput(CreditScenario.March, 98.9m, "Our probes saw it down longer.", csv));
        var byCustomer = await Commands.ResolveDispute(user, customer, Dispute, new DisputeRulingInput(DisputeVerdict.Accept));
        var resolved = await Commands.ResolveDispute(world.Manager, customer, Dispute, new DisputeRulingInput(DisputeVerdict.Accept));
        var again = await Commands.ResolveDispute(world.Manager, customer, Dispute, new DisputeRulingInput(DisputeVerdict.Reject, Note: "late"));
        var credit = Assert.Single((await Queries.Ledger(user, customer)).Value);

        Assert.Equal(DisputeStatus.Filed, filed.Value!.Status);
        Assert.Equal("cora", filed.Value.FiledBy);
        Assert.Single(filed.Value.CustomerDownIntervals);
        Assert.Equal("Our probes saw it down longer.\n\n" + csv, filed.Value.CustomerEvidence);
        Assert.Equal(FailureKind.Forbidden, byCustomer.Failure!.Kind);
        Assert.Equal(DisputeStatus.ResolvedAccepted, resolved.Value!.Status);
        Assert.Equal("mia", resolved.Value.ResolvedBy);
        Assert.Equal("dispute-already-resolved", again.Failure!.Rejection!.Code);
        Assert.Equal(100m, credit.Amount);
        Assert.Equal(250m, credit.Adjustment!.Amount);
    }

    [Fact]
    public async Task Staff_do_not_file_disputes_for_the_customer()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);

        var filed = await Commands.FileDispute(world.Manager, customer, new DisputeInput(CreditScenario.March, 98m));

        Assert.Equal(FailureKind.Forbidden, filed.Failure!.Kind);
        Assert.Empty((await Queries.Disputes(world.Manager, customer)).Value);
    }

    [Fact]
    public async Task A_dispute_without_month_or_claim_is_invalid_naming_both_and_files_nothing()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);

        var result = await Commands.FileDispute(ApplicationWorld.CustomerUser(customer), customer, new DisputeInput(null, null, "no figures"));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(["claimedAvailabilityPercent", "month"], result.Failure.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Empty((await Queries.Disputes(world.Manager, customer)).Value);
    }

    [Theory]
    [InlineData(99, null, "2026-03-10,2026-03-11", "downIntervalsCsv")]
    [InlineData(101, null, null, "claimedAvailabilityPercent")]
    [InlineData(99, "too long", null, "evidence")]
    [InlineData(99, "a bell \a in the evidence", null, "evidence")]
    public async Task Bad_dispute_input_is_invalid_naming_its_field_and_files_nothing(double claimed, string? evidence, string? csv, string field)
    {
        var customer = await CreditScenario.MissedMarchAsync(world);
        var text = evidence == "too long" ? new string('x', Bounds.TextLength + 1) : evidence;

        var result = await Commands.FileDispute(ApplicationWorld.CustomerUser(customer), customer, new DisputeInput(CreditScenario.March, (decimal)claimed, text, csv));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal([field], result.Failure.Errors!.Keys);
        Assert.Empty((await Queries.Disputes(world.Manager, customer)).Value);
    }

    [Fact]
    public async Task Claimed_downtime_is_checked_interval_by_interval_naming_each_bad_one_and_files_nothing()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);
        ClaimedDownInterval?[] claimed =
        [
            new(Instant.FromUtc(2026, 3, 12, 10, 0), Instant.FromUtc(2026, 3, 12, 11, 0)),
            new(Instant.FromUtc(2026, 2, 27, 23, 0), Instant.FromUtc(2026, 3, 1, 1, 0)),
            new(null, Instant.FromUtc(2026, 3, 2, 0, 0)),
            null,
            new(Instant.FromUtc(2026, 3, 5, 1, 0), Instant.FromUtc(2026, 3, 5, 0, 0)),
            new(Instant.FromUtc(2026, 3, 31, 23, 0), Instant.FromUtc(2026, 4, 1, 1, 0)),
        ];

        var result = await Commands.FileDispute(ApplicationWorld.CustomerUser(customer), customer, new DisputeInput(CreditScenario.March, 99m, ClaimedDowntime: claimed));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(
            ["claimedDowntime[1].from", "claimedDowntime[2].from", "claimedDowntime[3]", "claimedDowntime[4].to", "claimedDowntime[5].to"],
            result.Failure.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Empty((await Queries.Disputes(world.Manager, customer)).Value);
    }

    [Fact]
    public async Task Claimed_downtime_and_the_csvs_intervals_are_both_claimed_and_compared_with_our_checks()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);
        var ours = new ClaimedDownInterval(Instant.FromUtc(2026, 3, 10, 10, 0), Instant.FromUtc(2026, 3, 10, 10, 30));

        var filed = await Commands.FileDispute(ApplicationWorld.CustomerUser(customer), customer,
            new DisputeInput(CreditScenario.March, 99m, DownIntervalsCsv: "2026-03-12T10:00:00Z,2026-03-12T10:30:00Z", ClaimedDowntime: [ours]));

        Assert.True(filed.Succeeded, filed.Failure?.Message);
        Assert.Equal([ours.From!.Value, Instant.FromUtc(2026, 3, 12, 10, 0)], filed.Value!.CustomerDownIntervals.Select(i => i.Start));
        Assert.Equal([SuggestedCause.SameOutage, SuggestedCause.CustomerSide], filed.Value.Analysis!.Intervals.Select(i => i.Cause));
    }

    [Fact]
    public async Task Multi_line_evidence_is_text_not_control_characters()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);

        var result = await Commands.FileDispute(ApplicationWorld.CustomerUser(customer), customer, new DisputeInput(CreditScenario.March, 99.8m, "Probe A:\r\n\tdown 10:00–11:30"));

        Assert.True(result.Succeeded, result.Failure?.Message);
    }

    [Fact]
    public async Task A_month_not_closed_cannot_be_disputed()
    {
        var customer = await CreditScenario.MissedMarchAsync(world, close: false);

        var result = await Commands.FileDispute(ApplicationWorld.CustomerUser(customer), customer, new DisputeInput(CreditScenario.March, 99m));

        Assert.Equal(FailureKind.Rejected, result.Failure!.Kind);
        Assert.Equal("month-not-closed", result.Failure.Rejection!.Code);
    }

    [Fact]
    public async Task A_ruling_without_a_decision_or_the_note_it_needs_is_invalid_naming_the_field_and_leaves_the_dispute_filed()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);
        Assert.True((await Commands.FileDispute(ApplicationWorld.CustomerUser(customer), customer, new DisputeInput(CreditScenario.March, 99.7m))).Succeeded);

        var nothing = await Commands.ResolveDispute(world.Manager, customer, Dispute, new DisputeRulingInput(null, Note: "?"));
        var rejectWithoutNote = await Commands.ResolveDispute(world.Manager, customer, Dispute, new DisputeRulingInput(DisputeVerdict.Reject));
        var adjustWithout = await Commands.ResolveDispute(world.Manager, customer, Dispute, new DisputeRulingInput(DisputeVerdict.Adjust, Note: "middle"));
        var undefined = await Commands.ResolveDispute(world.Manager, customer, Dispute, new DisputeRulingInput((DisputeVerdict)42, Note: "?"));

        Assert.Equal(["decision"], nothing.Failure!.Errors!.Keys);
        Assert.Equal(["note"], rejectWithoutNote.Failure!.Errors!.Keys);
        Assert.Equal(["availabilityPercent"], adjustWithout.Failure!.Errors!.Keys);
        Assert.Equal(["decision"], undefined.Failure!.Errors!.Keys);
        Assert.Equal(DisputeStatus.Filed, Assert.Single((await Queries.Disputes(world.Manager, customer)).Value).Status);
    }

    [Fact]
    public async Task An_availability_without_a_decision_adjusts_to_it()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);
        Assert.True((await Commands.FileDispute(ApplicationWorld.CustomerUser(customer), customer, new DisputeInput(CreditScenario.March, 99.6m))).Succeeded);

        var resolved = await Commands.ResolveDispute(world.Manager, customer, Dispute, new DisputeRulingInput(null, 99.7m, "Meet in the middle."));

        Assert.Equal(DisputeStatus.ResolvedAdjusted, resolved.Value!.Status);
        Assert.Equal(99.7m, resolved.Value.DecidedPercent);
    }
}
