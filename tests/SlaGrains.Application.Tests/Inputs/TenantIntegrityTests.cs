using SlaGrains.Application.Customers;
using SlaGrains.Application.Escalations;
using SlaGrains.Application.Monitors;
using SlaGrains.Application.Tickets;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Tests.Inputs;

/// <summary>
/// Tenant integrity: ticket ids are global, so customers never choose them (the answer never depends on another
/// customer's tickets); a customer's components are only its own monitors.
/// </summary>
public sealed class TenantIntegrityTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    [Fact]
    public async Task A_customer_user_choosing_a_ticket_id_is_refused_the_same_whether_or_not_another_customer_has_it()
    {
        var (mine, theirs) = (await world.CustomerAsync(), await world.CustomerAsync());
        var taken = $"SPR-{Guid.NewGuid():N}"[..12];
        Assert.True((await world.Get<TicketCommands>().Open(world.Manager, new OpenTicketInput(taken, theirs, TicketPriority.P2, "Theirs"))).Succeeded);
        var user = ApplicationWorld.CustomerUser(mine);

        var onTaken = await world.Get<TicketCommands>().Open(user, new OpenTicketInput(taken, mine, TicketPriority.P2, "Mine"));
        var onFree = await world.Get<TicketCommands>().Open(user, new OpenTicketInput($"FREE-{Guid.NewGuid():N}"[..12], mine, TicketPriority.P2, "Mine"));

        Assert.Equal(FailureKind.Invalid, onTaken.Failure!.Kind);
        Assert.Equal(["id"], onTaken.Failure.Errors!.Keys);
        Assert.Equal(onTaken.Failure.Errors["id"], onFree.Failure!.Errors!["id"]);
        Assert.Equal(theirs, (await world.Grains.GetGrain<ITicketGrain>(taken).Get())!.CustomerId);
    }

    [Fact]
    public async Task A_customer_user_gets_a_generated_ticket_id_and_staff_still_choose_theirs()
    {
        var customer = await world.CustomerAsync();
        var chosen = $"EXT-{Guid.NewGuid():N}"[..12];

        var generated = await world.Get<TicketCommands>().Open(ApplicationWorld.CustomerUser(customer), new OpenTicketInput(null, customer, TicketPriority.P3, "VPN"));
        var staff = await world.Get<TicketCommands>().Open(world.Manager, new OpenTicketInput(chosen, customer, TicketPriority.P3, "Chosen"));

        Assert.StartsWith("T-", generated.Value!.TicketId, StringComparison.Ordinal);
        Assert.Equal(chosen, staff.Value!.TicketId);
    }

    [Fact]
    public async Task A_component_of_another_customers_monitor_is_refused_like_an_unknown_monitor_and_changes_nothing()
    {
        var (mine, theirs) = (await world.CustomerAsync(), await world.CustomerAsync());
        var own = $"m-{Guid.NewGuid():N}"[..14];
        var foreign = $"m-{Guid.NewGuid():N}"[..14];
        var monitors = world.Get<MonitorCommands>();
        Assert.True((await monitors.Create(world.Manager, new NewMonitorRequest(own, mine, "API", true, null, null, null, null))).Succeeded);
        Assert.True((await monitors.Create(world.Manager, new NewMonitorRequest(foreign, theirs, "Their API", true, null, null, null, null))).Succeeded);
        var commands = world.Get<CustomerCommands>();

        var toForeign = await commands.SetComponents(world.Manager, mine, [new ComponentInput(own, true), new ComponentInput(foreign, false)]);
        var toNothing = await commands.SetComponents(world.Manager, mine, [new ComponentInput(own, true), new ComponentInput("no-such-monitor", false)]);

        Assert.Equal(["$[1].monitorId"], toForeign.Failure!.Errors!.Keys);
        Assert.Equal(["$[1].monitorId"], toNothing.Failure!.Errors!.Keys);
        Assert.Equal(toForeign.Failure.Errors["$[1].monitorId"][0].Replace(foreign, "X", StringComparison.Ordinal), toNothing.Failure.Errors["$[1].monitorId"][0].Replace("no-such-monitor", "X", StringComparison.Ordinal));
        Assert.Equal<CustomerComponent>([new(own, true)], (await world.Grains.GetGrain<ICustomerGrain>(mine).Get())!.Components);
    }

    [Fact]
    public async Task Escalation_rules_without_metric_or_action_are_invalid_naming_them()
    {
        var customer = await world.CustomerAsync();

        var result = await world.Get<EscalationRules>().Add(world.Manager, customer, new EscalationRuleInput(null, null, 75, null, "role:manager", null));

        Assert.Equal(["$.action", "$.metric"], result.Failure!.Errors!.Keys.Order());
        Assert.Empty((await world.Get<EscalationRules>().Get(world.Manager, customer)).Value);
    }

    [Fact]
    public async Task Maintenance_beyond_the_date_window_is_invalid_naming_end()
    {
        var customer = await world.CustomerAsync();
        var monitor = $"m-{Guid.NewGuid():N}"[..14];
        var monitors = world.Get<MonitorCommands>();
        Assert.True((await monitors.Create(world.Manager, new NewMonitorRequest(monitor, customer, "API", true, null, null, null, null))).Succeeded);

        var result = await monitors.AnnounceMaintenance(world.Manager, monitor, Instant.FromUtc(2027, 1, 1, 0, 0), Instant.FromUtc(9999, 1, 1, 0, 0), null);

        Assert.Equal(["end"], result.Failure!.Errors!.Keys);
        Assert.Empty((await world.Get<MonitorQueries>().Maintenance(world.Manager, monitor)).Value);
    }
}
