using SlaGrains.Application.Customers;
using SlaGrains.Application.Tickets;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Tests.Customers;

/// <summary>Customer queries: a customer's user sees only its own customer, an ingestion key none; the API's shape of one customer.</summary>
public sealed class CustomerQueriesTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private CustomerQueries Queries => world.Get<CustomerQueries>();

    [Fact]
    public async Task A_customer_user_lists_only_its_own_customer_and_another_one_looks_unknown()
    {
        var mine = await world.CustomerAsync();
        var theirs = await world.CustomerAsync();
        var user = ApplicationWorld.CustomerUser(mine);

        var listed = await Queries.List(user);
        var overview = await Queries.Overview(user);
        var other = await Queries.Get(user, theirs);
        var otherSetup = await Queries.Configuration(user, theirs);

        Assert.Equal([mine], listed.Select(c => c.CustomerId));
        Assert.Equal([mine], overview.Select(c => c.Entry.CustomerId));
        Assert.Equal(FailureKind.NotFound, other.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, otherSetup.Failure!.Kind);
    }

    [Fact]
    public async Task Staff_list_every_customer_with_its_configuration_and_an_ingestion_key_lists_none()
    {
        var customer = await world.CustomerAsync();
        var key = new Caller("key:k1", UserRole.Customer, customer, null, IngestionOnly: true);

        var overview = await Queries.Overview(world.Technician);
        var byKey = await Queries.List(key);
        var readByKey = await Queries.Get(key, customer);

        Assert.Equal("Test", overview.Single(c => c.Entry.CustomerId == customer).View!.Policy!.Name);
        Assert.Empty(byKey);
        Assert.Equal(FailureKind.NotFound, readByKey.Failure!.Kind);
    }

    [Fact]
    public async Task A_customer_shows_its_calendar_policy_and_open_tickets()
    {
        var customer = await world.CustomerAsync();
        await world.Get<TicketCommands>().Open(world.Manager, new OpenTicketInput(null, customer, TicketPriority.P2, "Printer"));

        var shown = (await Queries.Get(ApplicationWorld.CustomerUser(customer), customer)).Value!;

        Assert.Equal(customer, shown.Id);
        Assert.Null(shown.Calendar!.WeeklyHours);
        Assert.Equal(Duration.FromHours(1), shown.Policy!.Targets[TicketPriority.P1].FirstResponse);
        Assert.Equal(1, shown.OpenTickets);
        Assert.Equal("Operational", shown.Status);
    }
}
