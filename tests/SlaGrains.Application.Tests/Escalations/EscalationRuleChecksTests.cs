using SlaGrains.Application.Customers;
using SlaGrains.Application.Escalations;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Tests.Escalations;

/// <summary>
/// Escalation rules are checked against the customer's policy and the people they name when saved: a rule fires at a
/// percent the policy warns at (or the breach), and a notify or reassign target is an existing user, team or role.
/// </summary>
public sealed class EscalationRuleChecksTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private EscalationRules Rules => world.Get<EscalationRules>();

    private static EscalationRuleInput Rule(int percent, EscalationActionKind action, string target, TicketPriority? only = null)
        => new(null, SlaMetric.Resolution, percent, action, target, only);

    private static PriorityTargetsInput Targets(params int[] warnings) => new(Duration.FromHours(1), Duration.FromHours(4), null, CoverageHours.AroundTheClock, warnings);

    /// <summary>A customer whose P1 warns at 50 and 90 % and whose other priorities warn at 75 %.</summary>
    private async Task<string> CustomerAsync()
    {
        var customer = await world.CustomerAsync();
        var targets = Enum.GetValues<TicketPriority>().ToDictionary(p => p, p => p == TicketPriority.P1 ? Targets(50, 90) : Targets(75));
        Assert.True((await world.Get<CustomerCommands>().SetPolicy(world.Manager, customer, new PolicyInput("Gold", targets, null))).Succeeded);
        return customer;
    }

    private async Task<string> TechnicianAsync(string team)
    {
        var name = $"tech-{Guid.NewGuid():N}"[..16];
        Assert.True(await world.Grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).AddUser(new UserAccount(name, "unused-hash", UserRole.Technician, null, team)));
        return name;
    }

    [Fact]
    public async Task A_rule_at_a_percent_no_priority_warns_at_is_invalid_saying_which_percents_exist()
    {
        var customer = await CustomerAsync();

        var sixty = await Rules.Add(world.Manager, customer, Rule(60, EscalationActionKind.Notify, "role:manager"));
        var fifty = await Rules.Add(world.Manager, customer, Rule(50, EscalationActionKind.Notify, "role:manager"));
        var breach = await Rules.Add(world.Manager, customer, Rule(100, EscalationActionKind.Notify, "role:manager"));

        Assert.Equal($"Customer '{customer}' warns at 50, 75 and 90 %; a rule fires at one of those or at 100 (the breach).", Assert.Single(sixty.Failure!.Errors!["$.percent"]));
        Assert.True(fifty.Succeeded);
        Assert.True(breach.Succeeded);
        Assert.Equal(2, (await world.Grains.GetGrain<IEscalationGrain>(customer).GetRules()).Length);
    }

    [Fact]
    public async Task A_rule_for_one_priority_fires_only_at_that_priority_s_warnings()
    {
        var customer = await CustomerAsync();

        var p2AtFifty = await Rules.Replace(world.Manager, customer, [Rule(50, EscalationActionKind.Notify, "role:manager", TicketPriority.P2)]);
        var p1AtFifty = await Rules.Replace(world.Manager, customer, [Rule(50, EscalationActionKind.Notify, "role:manager", TicketPriority.P1)]);

        Assert.Contains("warns for P2 at 75 %", Assert.Single(p2AtFifty.Failure!.Errors!["$[0].percent"]), StringComparison.Ordinal);
        Assert.True(p1AtFifty.Succeeded);
    }

    [Fact]
    public async Task Targets_are_resolved_to_an_existing_user_team_or_role_and_stored_prefixed()
    {
        var customer = await CustomerAsync();
        var team = $"team-{Guid.NewGuid():N}"[..14];
        var user = await TechnicianAsync(team);

        var saved = await Rules.Replace(world.Manager, customer,
        [
            Rule(75, EscalationActionKind.Reassign, user.ToUpperInvariant()),
            Rule(75, EscalationActionKind.Reassign, team),
            Rule(75, EscalationActionKind.Reassign, $"team:{team} / user:{user}"),
            Rule(75, EscalationActionKind.Notify, "Manager"),
            Rule(100, EscalationActionKind.Notify, $"team:{team}"),
        ]);

        Assert.Equal([$"user:{user}", $"team:{team}", $"team:{team}/user:{user}", "role:manager", $"team:{team}"], saved.Value.Select(r => r.Target));
    }

    [Fact]
    public async Task Bug_reassign_to_an_unknown_user_is_invalid_naming_the_target_and_saves_nothing()
    {
        var customer = await CustomerAsync();

        var result = await Rules.Replace(world.Manager, customer,
        [
            Rule(100, EscalationActionKind.Reassign, "lena.fischer"),
            Rule(100, EscalationActionKind.Reassign, "role:manager"),
            Rule(100, EscalationActionKind.Notify, "user:nobody-here"),
            Rule(100, EscalationActionKind.Notify, "team:nowhere"),
        ]);

        Assert.Equal(["$[0].target", "$[1].target", "$[2].target", "$[3].target"], result.Failure!.Errors!.Keys.Order());
        Assert.Contains("'lena.fischer' is no user, team", result.Failure.Errors["$[0].target"][0], StringComparison.Ordinal);
        Assert.Empty(await world.Grains.GetGrain<IEscalationGrain>(customer).GetRules());
    }

    [Fact]
    public async Task A_bare_name_that_is_both_a_user_and_a_team_is_ambiguous()
    {
        var customer = await CustomerAsync();
        var name = await TechnicianAsync("desk");
        await TechnicianAsync(name);

        var result = await Rules.Add(world.Manager, customer, Rule(100, EscalationActionKind.Notify, name));

        Assert.Contains("ambiguous", Assert.Single(result.Failure!.Errors!["$.target"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_that_drops_a_percent_a_rule_fires_at_is_invalid_naming_the_rule_and_changes_nothing()
    {
        var customer = await CustomerAsync();
        Assert.True((await Rules.Replace(world.Manager, customer, [new EscalationRuleInput("p1-half", SlaMetric.Resolution, 50, EscalationActionKind.Notify, "role:manager", TicketPriority.P1)])).Succeeded);
        var before = (await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Policy;

        var targets = Enum.GetValues<TicketPriority>().ToDictionary(p => p, _ => Targets(75));
        var dropped = await world.Get<CustomerCommands>().SetPolicy(world.Manager, customer, new PolicyInput("Gold", targets, null));
        var kept = await world.Get<CustomerCommands>().SetPolicy(world.Manager, customer, new PolicyInput("Gold", targets, new() { [TicketPriority.P1] = Targets(50, 75) }));

        Assert.Contains("Escalation rule 'p1-half' fires at 50 %", Assert.Single(dropped.Failure!.Errors!["targets.p1.warnings"]), StringComparison.Ordinal);
        Assert.True(kept.Succeeded);
        Assert.NotEqual(before, (await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Policy);
    }

    [Fact]
    public async Task Warnings_outside_1_to_99_twice_or_too_many_are_invalid_naming_each_entry()
    {
        var customer = await world.CustomerAsync();
        var targets = new Dictionary<TicketPriority, PriorityTargetsInput>
        {
            [TicketPriority.P1] = Targets(50, 100, 0),
            [TicketPriority.P2] = Targets(75, 60, 75),
            [TicketPriority.P3] = Targets(10, 20, 30, 40, 50, 60),
            [TicketPriority.P4] = Targets(),
        };

        var result = await world.Get<CustomerCommands>().SetPolicy(world.Manager, customer, new PolicyInput("Gold", targets, null));

        Assert.Equal(["targets.p1.warnings[1]", "targets.p1.warnings[2]", "targets.p2.warnings[2]", "targets.p3.warnings"], result.Failure!.Errors!.Keys.Order());
    }

    [Fact]
    public async Task Warnings_are_stored_ascending_shown_back_and_default_to_75()
    {
        var customer = await world.CustomerAsync();
        var targets = Enum.GetValues<TicketPriority>().ToDictionary(p => p, p => p == TicketPriority.P4
            ? new PriorityTargetsInput(Duration.FromHours(1), Duration.FromHours(4), null)
            : Targets(90, 50));

        var saved = await world.Get<CustomerCommands>().SetPolicy(world.Manager, customer, new PolicyInput("Gold", targets, null));

        Assert.Equal<int>([50, 90], saved.Value!.Policy!.Targets[TicketPriority.P1].Warnings!);
        Assert.Equal<int>([75], saved.Value.Policy.Targets[TicketPriority.P4].Warnings!);
        Assert.Equal<int>([50, 90], PolicyInput.From(await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Targets![TicketPriority.P2].Warnings!);
    }
}
