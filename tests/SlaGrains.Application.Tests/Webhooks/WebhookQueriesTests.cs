using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Application.Tests.Webhooks;

/// <summary>Webhook queries: readable by whoever may read the customer, never showing a customer what is internal to the service provider; the delivery log's pages.</summary>
public sealed class WebhookQueriesTests(WebhookWorld world) : IClassFixture<WebhookWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_customer_user_sees_its_own_deliveries_but_never_escalation_ones_which_staff_see()
    {
        var customer = await world.CustomerAsync();
        var user = ApplicationWorld.CustomerUser(customer);
        var (staffPath, _) = await world.SubscribeAsync(world.Manager, customer, WebhookEventTypes.EscalationRaised);
        var (ownPath, _) = await world.SubscribeAsync(user, customer, WebhookEventTypes.IncidentOpened);

        await world.PublishAsync(customer, WebhookEventTypes.EscalationRaised);
        await world.PublishAsync(customer, WebhookEventTypes.IncidentOpened);
        await world.Receiver.WaitFor(r => r.Path == staffPath, Bound);
        await world.Receiver.WaitFor(r => r.Path == ownPath, Bound);
        var forUser = (await world.Queries.Deliveries(user, customer)).Value!;
        var forTechnician = (await world.Queries.Deliveries(world.Technician, customer)).Value!;
        var hooksForUser = (await world.Queries.List(user, customer)).Value;

        Assert.Equal([WebhookEventTypes.IncidentOpened], forUser.Items.Select(a => a.EventType));
        Assert.Equal(1, forUser.Total);
        Assert.Equal(2, forTechnician.Total);
        Assert.Equal([WebhookEventTypes.IncidentOpened], hooksForUser.SelectMany(h => h.EventTypes));
    }

    [Fact]
    public async Task The_delivery_log_pages_newest_first_and_refuses_pages_out_of_bounds()
    {
        var customer = await world.CustomerAsync();
        var (path, _) = await world.SubscribeAsync(world.Manager, customer, WebhookEventTypes.IncidentOpened, WebhookEventTypes.IncidentResolved);

        await world.PublishAsync(customer, WebhookEventTypes.IncidentOpened);
        await world.Receiver.WaitFor(r => r.Path == path && r.Event == WebhookEventTypes.IncidentOpened, Bound);
        await world.PublishAsync(customer, WebhookEventTypes.IncidentResolved);
        await world.Receiver.WaitFor(r => r.Path == path && r.Event == WebhookEventTypes.IncidentResolved, Bound);
        var second = (await world.Queries.Deliveries(world.Manager, customer, page: 2, pageSize: 1)).Value!;
        var first = (await world.Queries.Deliveries(world.Manager, customer, page: 1, pageSize: 200)).Value!;
        var outOfBounds = await world.Queries.Deliveries(world.Manager, customer, page: 0, pageSize: 10_000);

        Assert.Equal((2, 2, 1), (second.Total, second.Page, second.PageSize));
        Assert.Equal([WebhookEventTypes.IncidentOpened], second.Items.Select(a => a.EventType));
        Assert.Equal((1, 200), (first.Page, first.PageSize));
        Assert.Equal([WebhookEventTypes.IncidentResolved, WebhookEventTypes.IncidentOpened], first.Items.Select(a => a.EventType));
        Assert.Equal(["page", "pageSize"], outOfBounds.Failure!.Errors!.Keys.Order());
    }

    [Fact]
    public async Task Another_customers_user_finds_every_webhook_list_of_the_customer_unknown()
    {
        var customer = await world.CustomerAsync();
        var stranger = ApplicationWorld.CustomerUser(await world.CustomerAsync(), "sam");

        var kinds = new[]
        {
            (await world.Queries.List(stranger, customer)).Failure?.Kind,
            (await world.Queries.Deliveries(stranger, customer)).Failure?.Kind,
            (await world.Queries.Pending(stranger, customer)).Failure?.Kind,
            (await world.Queries.DeadLetters(stranger, customer)).Failure?.Kind,
        };

        Assert.All(kinds, k => Assert.Equal(FailureKind.NotFound, k));
        Assert.True((await world.Queries.Pending(ApplicationWorld.CustomerUser(customer), customer)).Succeeded);
    }
}
