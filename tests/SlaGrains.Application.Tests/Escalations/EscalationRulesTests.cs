using SlaGrains.Application.Escalations;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Tests.Escalations;

/// <summary>Escalation rules: internal to staff, changed by admins and managers, each rule checked and named by its JSON path.</summary>
public sealed class EscalationRulesTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private EscalationRules Rules => world.Get<EscalationRules>();

    private static EscalationRuleInput Warn(string? id = null, string target = "role:manager") => new(id, SlaMetric.Resolution, 75, EscalationActionKind.Notify, target, null);

    [Fact]
    public async Task A_customers_own_user_is_refused_its_rules_and_another_customers_user_finds_no_customer()
    {
        var customer = await world.CustomerAsync();
        var other = await world.CustomerAsync();

        var own = await Rules.Get(ApplicationWorld.CustomerUser(customer), customer);
        var foreign = await Rules.Get(ApplicationWorld.CustomerUser(other), customer);
        var foreignAdd = await Rules.Add(ApplicationWorld.CustomerUser(other), customer, Warn());

        Assert.Equal(FailureKind.Forbidden, own.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, foreign.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, foreignAdd.Failure!.Kind);
        Assert.Empty(await world.Grains.GetGrain<IEscalationGrain>(customer).GetRules());
    }

    [Fact]
    public async Task A_technician_reads_the_rules_but_does_not_change_them()
    {
        var customer = await world.CustomerAsync();
        await Rules.Replace(world.Manager, customer, [Warn("warn")]);

        var read = await Rules.Get(world.Technician, customer);
        var change = await Rules.Remove(world.Technician, customer, "warn");

        Assert.Equal("warn", Assert.Single(read.Value).RuleId);
        Assert.Equal(FailureKind.Forbidden, change.Failure!.Kind);
    }

    [Fact]
    public async Task Replacing_with_rules_outside_the_bounds_is_invalid_naming_each_path_and_keeps_the_rules()
    {
        var customer = await world.CustomerAsync();
        await Rules.Replace(world.Manager, customer, [Warn("keep")]);

        var result = await Rules.Replace(world.Manager, customer,
        [
            new EscalationRuleInput("a", SlaMetric.Resolution, 150, EscalationActionKind.Notify, "role:manager", null),
            new EscalationRuleInput("b", SlaMetric.FirstResponse, 100, EscalationActionKind.Webhook, "ftp://x", null),
            new EscalationRuleInput("has space", SlaMetric.FirstResponse, 100, EscalationActionKind.Notify, " ", null),
        ]);
        var twice = await Rules.Replace(world.Manager, customer, [Warn("same"), Warn("same")]);

        Assert.Equal(["$[0].percent", "$[1].target", "$[2].id", "$[2].target"], result.Failure!.Errors!.Keys.Order());
        Assert.Equal(["$"], twice.Failure!.Errors!.Keys);
        Assert.Equal("keep", Assert.Single(await world.Grains.GetGrain<IEscalationGrain>(customer).GetRules()).RuleId);
    }

    [Fact]
    public async Task A_rule_is_added_with_a_generated_id_a_taken_id_is_a_conflict_and_removing_it_twice_is_not_found()
    {
        var customer = await world.CustomerAsync();

        var added = await Rules.Add(world.Manager, customer, Warn(target: " manager "));
        var again = await Rules.Add(world.Manager, customer, Warn(added.Value!.RuleId));
        var removed = await Rules.Remove(world.Manager, customer, added.Value.RuleId);
        var removedAgain = await Rules.Remove(world.Manager, customer, added.Value.RuleId);

        Assert.StartsWith("rule-", added.Value.RuleId, StringComparison.Ordinal);
        Assert.Equal("role:manager", added.Value.Target);
        Assert.Equal(FailureKind.Conflict, again.Failure!.Kind);
        Assert.Equal(added.Value, removed.Value);
        Assert.Equal(FailureKind.NotFound, removedAgain.Failure!.Kind);
        Assert.Empty(await world.Grains.GetGrain<IEscalationGrain>(customer).GetRules());
    }
}
