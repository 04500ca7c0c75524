using SlaGrains.Application.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Tests.Tickets;

/// <summary>Ticket commands: bounds, who may do what, terms from the customer's policy, the audit's "by whom".</summary>
public sealed class TicketCommandsTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private TicketCommands Commands => world.Get<TicketCommands>();

    [Fact]
    public async Task Opening_without_a_priority_or_subject_is_invalid_naming_both_fields()
    {
        var customer = await world.CustomerAsync();

        var result = await Commands.Open(world.Manager, new OpenTicketInput(null, customer, null, "  "));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(["priority", "subject"], result.Failure.Errors!.Keys.Order());
    }

    [Fact]
    public async Task An_id_out_of_bounds_is_invalid_and_opens_nothing()
    {
        var customer = await world.CustomerAsync();
        var id = new string('x', 65);

        var result = await Commands.Open(world.Manager, new OpenTicketInput(id, customer, TicketPriority.P2, "Printer"));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Contains("id", result.Failure.Errors!.Keys);
    }

    [Fact]
    public async Task A_customer_user_cannot_open_a_ticket_for_another_customer_which_looks_unknown()
    {
        var mine = await world.CustomerAsync();
        var theirs = await world.CustomerAsync();

        var result = await Commands.Open(ApplicationWorld.CustomerUser(mine), new OpenTicketInput(null, theirs, TicketPriority.P2, "Their printer"));

        Assert.Equal(FailureKind.NotFound, result.Failure!.Kind);
    }

    [Fact]
    public async Task An_existing_ticket_id_is_a_conflict()
    {
        var customer = await world.CustomerAsync();
        var id = $"T-{Guid.NewGuid():N}"[..12];
        Assert.True((await Commands.Open(world.Manager, new OpenTicketInput(id, customer, TicketPriority.P2, "First"))).Succeeded);

        var again = await Commands.Open(world.Manager, new OpenTicketInput(id, customer, TicketPriority.P3, "Second"));

        Assert.Equal(FailureKind.Conflict, again.Failure!.Kind);
    }

    [Fact]
    public async Task A_customer_user_may_reply_and_reopen_but_not_resolve()
    {
        var customer = await world.CustomerAsync();
        var user = ApplicationWorld.CustomerUser(customer);
        var ticket = (await Commands.Open(user, new OpenTicketInput(null, customer, TicketPriority.P3, "VPN drops"))).Value!;

        var resolve = await Commands.Resolve(user, ticket.TicketId);
        var reply = await Commands.Reply(user, ticket.TicketId, "customer");

        Assert.Equal(FailureKind.Forbidden, resolve.Failure!.Kind);
        Assert.True(reply.Succeeded);
        Assert.Null(ticket.Team);
    }

    [Fact]
    public async Task A_priority_change_takes_the_new_priority_targets_from_the_customers_policy_keeping_elapsed_time()
    {
        var customer = await world.CustomerAsync(firstResponse: Duration.FromHours(4), resolution: Duration.FromHours(16));
        var ticket = (await Commands.Open(world.Technician, new OpenTicketInput(null, customer, TicketPriority.P3, "Mail queue"))).Value!;

        var changed = await Commands.ChangePriority(world.Technician, ticket.TicketId, TicketPriority.P1);

        var resolution = changed.Value!.Clocks.Single(c => c.Metric == SlaMetric.Resolution);
        Assert.Equal(TicketPriority.P1, changed.Value.Priority);
        Assert.Equal(Duration.FromHours(8), resolution.Target);
        Assert.True(resolution.Elapsed > Duration.Zero);
    }

    [Fact]
    public async Task The_audit_records_who_changed_the_ticket()
    {
        var customer = await world.CustomerAsync();
        var ticket = (await Commands.Open(world.Manager, new OpenTicketInput(null, customer, TicketPriority.P2, "Backup failed"))).Value!;

        var paused = await Commands.ChangeStatus(world.Technician, ticket.TicketId, TicketStatus.WaitingOnCustomer);

        Assert.Contains(paused.Value!.Audit, a => a.Kind == "ClockStarted" && a.By == world.Manager.Name);
        Assert.Contains(paused.Value.Audit, a => a.Kind == "ClockPaused" && a.By == world.Technician.Name);
    }
}
