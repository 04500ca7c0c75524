using SlaGrains.Contracts.Escalations;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Tests.Escalations;

/// <summary>The escalation grain refuses bad rules as a value (no exception) and keeps the rules in force.</summary>
public sealed class EscalationRulesGrainTests(OneSiloClusterFixture fixture) : IClassFixture<OneSiloClusterFixture>
{
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Theory]
    [InlineData(101, EscalationActionKind.Notify, "managers", "rule-percent")]
    [InlineData(100, EscalationActionKind.Notify, "", "rule-target")]
    [InlineData(100, EscalationActionKind.Reassign, "lena.fischer", "rule-target")]
    public async Task A_bad_rule_is_refused_as_a_rejection_and_the_rules_in_force_stay(int percent, EscalationActionKind action, string target, string code)
    {
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>($"customer-{Guid.NewGuid():N}");
        var keep = new EscalationRule("keep", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "managers");
        Assert.Null(await escalations.SetRules([keep]));

        var refused = await escalations.SetRules([keep, new EscalationRule("bad", SlaMetric.Resolution, percent, action, target)]);

        Assert.Equal(code, refused?.Code);
        Assert.Equal([keep], (await escalations.GetRules()).ToArray());
    }

    [Fact]
    public async Task Planning_an_alert_returns_the_matched_rules_actions_typed_and_records_nothing()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([
            new EscalationRule("move", SlaMetric.Resolution, 100, EscalationActionKind.Reassign, "team:tier2/user:erin"),
            new EscalationRule("mgmt", SlaMetric.Resolution, 100, EscalationActionKind.EscalateToManagement, "managers"),
        ]);
        var at = Instant.FromUtc(2026, 11, 23, 10, 0);
        var alert = new SlaAlert("ticket-plan", customer, SlaMetric.Resolution, 100, 1, at, at, TicketPriority.P2, null, null);

        var actions = await escalations.Plan(alert);

        Assert.Equal(["reassign to team:tier2/user:erin", "escalate to management (managers)"], actions.Select(a => a.Describe()));
        Assert.Null(await _cluster.Grains.GetGrain<IEscalationRecordGrain>(alert.Key).Get());
    }
}
