using SlaGrains.Application.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Tests.Tickets;

/// <summary>Ticket queries: visibility, bad filters and cursors, lists and the audit from the read-model tables.</summary>
public sealed class TicketQueriesTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private TicketCommands Commands => world.Get<TicketCommands>();

    private TicketQueries Queries => world.Get<TicketQueries>();

    [Fact]
    public async Task A_customer_user_lists_only_its_own_tickets_and_another_customers_filter_gives_none()
    {
        var mine = await world.CustomerAsync();
        var theirs = await world.CustomerAsync();
        var own = (await Commands.Open(world.Manager, new OpenTicketInput(null, mine, TicketPriority.P2, "Ours"))).Value!;
        await Commands.Open(world.Manager, new OpenTicketInput(null, theirs, TicketPriority.P2, "Theirs"));
        var user = ApplicationWorld.CustomerUser(mine);

        var all = await Queries.List(user, new TicketListInput(PageSize: 500));
        var other = await Queries.List(user, new TicketListInput(Customer: theirs));

        Assert.Equal([own.TicketId], all.Value!.Items.Select(t => t.TicketId));
        Assert.Empty(other.Value!.Items);
        Assert.Equal(0, other.Value.Total);
    }

    [Theory]
    [InlineData("state", "sleeping")]
    [InlineData("cursor", "bm90IGEgY3Vyc29y")]
    [InlineData("customer", "no spaces")]
    public async Task A_bad_filter_or_cursor_is_invalid_naming_the_field(string field, string value)
    {
        var input = field switch
        {
            "state" => new TicketListInput(State: value),
            "cursor" => new TicketListInput(Cursor: value),
            _ => new TicketListInput(Customer: value),
        };

        var result = await Queries.List(world.Manager, input);

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal([field], result.Failure.Errors!.Keys);
    }

    [Fact]
    public async Task A_ticket_past_its_first_warning_is_at_risk_and_one_past_its_target_is_breached()
    {
        var customer = await world.CustomerAsync(firstResponse: Duration.FromHours(2), resolution: Duration.FromHours(8));
        var calm = (await Commands.Open(world.Manager, new OpenTicketInput(null, customer, TicketPriority.P3, "Calm"))).Value!;
        var tickets = world.Get<Contracts.ReadModels.ITicketReadModel>();
        var row = (await tickets.FindAsync(calm.TicketId))!;
        var firstResponse = row.Clock(SlaMetric.FirstResponse)!;

        // Judged at instants of the row's own deadlines: the warning at 75 % of two hours, the breach at two hours.
        var atRisk = Contracts.ReadModels.TicketListQuery.InState(row, Contracts.ReadModels.TicketListState.AtRisk, firstResponse.AtRiskAt!.Value);
        var breached = Contracts.ReadModels.TicketListQuery.InState(row, Contracts.ReadModels.TicketListState.Breached, firstResponse.BreachAt!.Value);
        var onTrack = Queries.Filter(world.Manager, new TicketListInput(Customer: customer, State: "atRisk"))!.Matches(row);

        Assert.Equal(row.CreatedAt + Duration.FromMinutes(90), firstResponse.AtRiskAt);
        Assert.True(atRisk);
        Assert.True(breached);
        Assert.False(onTrack);
    }

    [Fact]
    public async Task Pages_walk_every_ticket_once_in_deadline_order()
    {
        var customer = await world.CustomerAsync();
        var opened = new List<string>();
        foreach (var priority in new[] { TicketPriority.P3, TicketPriority.P1, TicketPriority.P2, TicketPriority.P1, TicketPriority.P4 })
        {
            opened.Add((await Commands.Open(world.Manager, new OpenTicketInput(null, customer, priority, $"{priority}"))).Value!.TicketId);
        }

        var seen = new List<Contracts.Tickets.TicketSummary>();
        string? cursor = null;
        do
        {
            var page = (await Queries.List(world.Manager, new TicketListInput(Customer: customer, Cursor: cursor, PageSize: 2))).Value!;
            seen.AddRange(page.Items);
            cursor = page.NextCursor?.ToString();
        }
        while (cursor is not null);

        Assert.Equal(opened.Order(), seen.Select(t => t.TicketId).Order());
        Assert.Equal(seen.OrderBy(t => t.NextDeadline).ThenBy(t => t.CreatedAt).Select(t => t.TicketId), seen.Select(t => t.TicketId));
    }

    [Fact]
    public async Task The_audit_comes_from_the_transitions_table_and_another_customers_user_cannot_read_it()
    {
        var customer = await world.CustomerAsync();
        var ticket = (await Commands.Open(world.Manager, new OpenTicketInput(null, customer, TicketPriority.P2, "Audit me"))).Value!;
        await Commands.Reply(world.Technician, ticket.TicketId, "agent");
        var view = (await Queries.Get(world.Manager, ticket.TicketId)).Value!;

        var audit = await Queries.Audit(world.Manager, ticket.TicketId);
        var refused = await Queries.Audit(ApplicationWorld.CustomerUser(await world.CustomerAsync()), ticket.TicketId);

        Assert.Equal(view.Audit, audit.Value);
        Assert.Equal(FailureKind.NotFound, refused.Failure!.Kind);
    }
}
