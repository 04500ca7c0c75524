using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaGrains.Domain.Escalations;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Tests.Escalations;

public class EscalationRulesTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 10, 0);

    private static EscalationRules With(params EscalationRuleDefinition[] rules)
    {
        var decision = EscalationRules.Decide(EscalationRules.None, new SetEscalationRules([.. rules]), Now);
        Assert.True(decision.IsAccepted, decision.Rejection?.Message);
        return decision.State;
    }

    [Theory]
    [InlineData(0, "managers", "rule-percent")]
    [InlineData(101, "managers", "rule-percent")]
    [InlineData(100, " ", "rule-target")]
    [InlineData(100, "mana\ngers", "rule-target")]
    public void A_rule_with_a_bad_threshold_or_target_is_rejected_as_a_value_and_changes_nothing(int percent, string target, string code)
    {
        var before = With(new EscalationRuleDefinition("keep", SlaMetric.Resolution, 100, EscalationAction.Notify, "managers"));

        var decision = EscalationRules.Decide(before, new SetEscalationRules([new("bad", SlaMetric.Resolution, percent, EscalationAction.Notify, target)]), Now);

        Assert.Equal(code, decision.Rejection?.Code);
        Assert.Contains("bad", decision.Rejection!.Message, StringComparison.Ordinal);
        Assert.Same(before, decision.State);
        Assert.Empty(decision.Events);
    }

    [Theory]
    [InlineData("lena.fischer")]
    [InlineData("group:ops")]
    [InlineData("team:")]
    [InlineData("user:a/user:b")]
    public void A_reassignment_to_a_target_without_team_or_user_is_rejected(string target)
    {
        var decision = EscalationRules.Decide(EscalationRules.None, new SetEscalationRules([new("move", SlaMetric.Resolution, 100, EscalationAction.Reassign, target)]), Now);

        Assert.Equal("rule-target", decision.Rejection?.Code);
    }

    [Fact]
    public void A_rule_id_used_twice_is_rejected()
    {
        var rule = new EscalationRuleDefinition("same", SlaMetric.Resolution, 100, EscalationAction.Notify, "managers");

        Assert.Equal("rule-id-twice", EscalationRules.Decide(EscalationRules.None, new SetEscalationRules([rule, rule with { Percent = 75 }]), Now).Rejection?.Code);
    }

    [Fact]
    public void A_breach_yields_each_matching_rules_action_in_rule_order_as_typed_events()
    {
        var rules = With(
            new("mgmt", SlaMetric.Resolution, 100, EscalationAction.EscalateToManagement, "managers"),
            new("warn", SlaMetric.Resolution, 75, EscalationAction.Notify, "team-lead"),
            new("move", SlaMetric.Resolution, 100, EscalationAction.Reassign, "team:tier2/user:erin"),
            new("p1-only", SlaMetric.Resolution, 100, EscalationAction.Notify, "role:manager", TicketPriority.P1),
            new("hook", SlaMetric.Resolution, 100, EscalationAction.Webhook, "https://hooks.example.com/x"),
            new("first", SlaMetric.FirstResponse, 100, EscalationAction.Notify, "managers"));

        var decision = EscalationRules.Decide(rules, new MatchAlert(SlaMetric.Resolution, 100, TicketPriority.P2, "Resolution breached"), Now);

        Assert.True(decision.IsAccepted);
        Assert.Same(rules, decision.State);
        Assert.Collection(
            decision.Events,
            e => Assert.Equal(new EscalateToManagementTriggered(Now, "mgmt", "Resolution breached (rule mgmt)", "managers"), e),
            e => Assert.Equal(new ReassignTriggered(Now, "move", "Resolution breached (rule move)", new Assignment("tier2", "erin")), e),
            e => Assert.Equal(new WebhookTriggered(Now, "hook", "Resolution breached (rule hook)", "https://hooks.example.com/x"), e));
        Assert.Equal(["escalate to management (managers)", "reassign to team:tier2/user:erin", "call webhook https://hooks.example.com/x"], decision.Events.Select(e => e.Describe()));
    }

    [Fact]
    public void A_warning_no_rule_watches_yields_no_action()
    {
        var rules = With(new EscalationRuleDefinition("breach", SlaMetric.Resolution, 100, EscalationAction.Notify, "managers"));

        Assert.Empty(EscalationRules.Decide(rules, new MatchAlert(SlaMetric.Resolution, 75, TicketPriority.P1, "warned"), Now).Events);
    }

    [Theory]
    [InlineData("team:tier2", "tier2", null)]
    [InlineData("user:erin", null, "erin")]
    [InlineData("team:tier2/user:erin", "tier2", "erin")]
    [InlineData("USER:erin / TEAM:tier2", "tier2", "erin")]
    public void A_canonical_reassignment_target_names_the_team_and_or_the_user(string target, string? team, string? user)
        => Assert.Equal(new Assignment(team, user), Assignment.Parse(target));

    /// <summary>Any set of valid rules is accepted and then matched exactly by metric, percent and priority.</summary>
    [Property(MaxTest = 300)]
    public Property Matching_yields_one_action_per_rule_that_watches_the_alert_and_never_changes_the_rules()
    {
        var rule = from metric in Gen.Elements(SlaMetric.FirstResponse, SlaMetric.Resolution)
                   from percent in Gen.Elements(50, 75, 90, 100)
                   from action in Gen.Elements(Enum.GetValues<EscalationAction>())
                   from only in Gen.Elements<TicketPriority?>(null, TicketPriority.P1, TicketPriority.P3)
                   select (metric, percent, action, only);
        var gen = from specs in Gen.ListOf(rule)
                  from metric in Gen.Elements(SlaMetric.FirstResponse, SlaMetric.Resolution)
                  from percent in Gen.Elements(50, 75, 90, 100)
                  from priority in Gen.Elements(TicketPriority.P1, TicketPriority.P2, TicketPriority.P3)
                  select (specs, metric, percent, priority);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var rules = t.specs.Select((s, i) => new EscalationRuleDefinition($"r{i}", s.metric, s.percent, s.action, s.action == EscalationAction.Reassign ? "team:t" : "managers", s.only)).ToImmutableArray();
            var set = EscalationRules.Decide(EscalationRules.None, new SetEscalationRules(rules), Now);
            var matched = EscalationRules.Decide(set.State, new MatchAlert(t.metric, t.percent, t.priority, "x"), Now);
            var expected = rules.Where(r => r.Metric == t.metric && r.Percent == t.percent && (r.OnlyPriority ?? t.priority) == t.priority).Select(r => r.RuleId);
            var folded = matched.Events.Aggregate(set.State, EscalationRules.Apply);
            return set.IsAccepted
                && matched.Events.Cast<EscalationActionTriggered>().Select(e => e.RuleId).SequenceEqual(expected)
                && folded.Rules.SequenceEqual(rules);
        });
    }
}
