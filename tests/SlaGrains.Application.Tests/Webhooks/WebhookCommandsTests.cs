using SlaGrains.Application.Webhooks;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Application.Tests.Webhooks;

/// <summary>Webhook commands: who manages a customer's webhooks, what a customer may never touch, bounds naming their field, redelivery of a dead letter.</summary>
public sealed class WebhookCommandsTests(WebhookWorld world) : IClassFixture<WebhookWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private WebhookCommands Commands => world.Commands;

    private WebhookQueries Queries => world.Queries;

    [Fact]
    public async Task The_customers_own_user_subscribes_and_gets_the_signing_secret_once_in_the_result()
    {
        var customer = await world.CustomerAsync();
        var user = ApplicationWorld.CustomerUser(customer);

        var created = await Commands.Subscribe(user, customer, new NewWebhookInput(" https://customer.example.com/hook ", ["incident.opened", "incident.opened"], "pager"));

        Assert.StartsWith("whsec_", created.Value!.Secret, StringComparison.Ordinal);
        Assert.Equal(("https://customer.example.com/hook", "pager", true), (created.Value.Webhook.Url, created.Value.Webhook.Description, created.Value.Webhook.Enabled));
        Assert.Equal(new[] { "incident.opened" }, created.Value.Webhook.EventTypes.ToArray());
        Assert.Equal([created.Value.Webhook.WebhookId], (await Queries.List(user, customer)).Value.Select(w => w.WebhookId));
    }

    [Theory]
    [InlineData("/relative/path", "incident.opened", "url")]
    [InlineData("ftp://127.0.0.1/x", "incident.opened", "url")]
    [InlineData(null, "incident.opened", "url")]
    [InlineData("https://hooks.example.com/x", "ticket.created", "eventTypes")]
    [InlineData("https://hooks.example.com/x", null, "eventTypes")]
    public async Task Bad_webhook_input_is_invalid_naming_its_field_and_subscribes_nothing(string? url, string? eventType, string field)
    {
        var customer = await world.CustomerAsync();

        var result = await Commands.Subscribe(world.Manager, customer, new NewWebhookInput(url, eventType is null ? [] : [eventType]));

        Assert.Equal(FailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal([field], result.Failure.Errors!.Keys);
        Assert.Empty((await Queries.List(world.Manager, customer)).Value);
    }

    [Fact]
    public async Task A_url_or_description_out_of_bounds_is_invalid_naming_it()
    {
        var customer = await world.CustomerAsync();
        var longUrl = "https://hooks.example.com/" + new string('a', WebhookCommands.MaxUrlLength);

        var url = await Commands.Subscribe(world.Manager, customer, new NewWebhookInput(longUrl, ["incident.opened"]));
        var description = await Commands.Subscribe(world.Manager, customer, new NewWebhookInput("https://hooks.example.com/x", ["incident.opened"], "line\nbreak"));

        Assert.Equal(["url"], url.Failure!.Errors!.Keys);
        Assert.Equal(["description"], description.Failure!.Errors!.Keys);
    }

    [Fact]
    public async Task A_customer_user_cannot_subscribe_to_escalations_which_are_internal_to_the_service_provider()
    {
        var customer = await world.CustomerAsync();

        var result = await Commands.Subscribe(ApplicationWorld.CustomerUser(customer), customer, new NewWebhookInput("https://customer.example.com/hook", [WebhookEventTypes.EscalationRaised]));

        Assert.Equal(["eventTypes"], result.Failure!.Errors!.Keys);
        Assert.Empty((await Queries.List(world.Manager, customer)).Value);
    }

    [Fact]
    public async Task A_technician_only_reads_and_another_customers_user_finds_the_customer_unknown()
    {
        var customer = await world.CustomerAsync();
        var stranger = ApplicationWorld.CustomerUser(await world.CustomerAsync(), "sam");
        var input = new NewWebhookInput("https://x.example.com/", ["incident.opened"]);

        var byTechnician = await Commands.Subscribe(world.Technician, customer, input);
        var byStranger = await Commands.Subscribe(stranger, customer, input);
        var rotateByStranger = await Commands.RotateRuleSecret(stranger, customer);

        Assert.Equal(FailureKind.Forbidden, byTechnician.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, byStranger.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, rotateByStranger.Failure!.Kind);
        Assert.True((await Queries.List(world.Technician, customer)).Succeeded);
    }

    [Fact]
    public async Task Disabling_needs_a_value_and_then_disables_the_webhook()
    {
        var customer = await world.CustomerAsync();
        var (_, hook) = await world.SubscribeAsync(world.Manager, customer, "incident.opened");

        var nothing = await Commands.SetEnabled(world.Manager, customer, hook.WebhookId, null);
        var disabled = await Commands.SetEnabled(ApplicationWorld.CustomerUser(customer), customer, hook.WebhookId, false);
        var unknown = await Commands.SetEnabled(world.Manager, customer, "wh-unknown", true);

        Assert.Equal(["enabled"], nothing.Failure!.Errors!.Keys);
        Assert.False(disabled.Value!.Enabled);
        Assert.False(Assert.Single((await Queries.List(world.Manager, customer)).Value).Enabled);
        Assert.Equal(FailureKind.NotFound, unknown.Failure!.Kind);
    }

    [Fact]
    public async Task A_customer_user_cannot_see_change_or_delete_a_staff_escalation_webhook_which_a_manager_deletes()
    {
        var customer = await world.CustomerAsync();
        var user = ApplicationWorld.CustomerUser(customer);
        var (_, staffHook) = await world.SubscribeAsync(world.Manager, customer, WebhookEventTypes.EscalationRaised);

        var disable = await Commands.SetEnabled(user, customer, staffHook.WebhookId, false);
        var delete = await Commands.Remove(user, customer, staffHook.WebhookId);
        var listedForUser = (await Queries.List(user, customer)).Value;
        var deleted = await Commands.Remove(world.Manager, customer, staffHook.WebhookId);

        Assert.Equal(FailureKind.NotFound, disable.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, delete.Failure!.Kind);
        Assert.Empty(listedForUser);
        Assert.Equal(staffHook.WebhookId, deleted.Value!.WebhookId);
        Assert.Empty((await Queries.List(world.Manager, customer)).Value);
    }

    [Fact]
    public async Task The_rule_secret_is_rotated_by_admins_and_managers_only()
    {
        var customer = await world.CustomerAsync();

        var byCustomer = await Commands.RotateRuleSecret(ApplicationWorld.CustomerUser(customer), customer);
        var byTechnician = await Commands.RotateRuleSecret(world.Technician, customer);
        var first = await Commands.RotateRuleSecret(world.Manager, customer);
        var second = await Commands.RotateRuleSecret(world.Manager, customer);

        Assert.Equal(FailureKind.Forbidden, byCustomer.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, byTechnician.Failure!.Kind);
        Assert.StartsWith("whsec_", first.Value, StringComparison.Ordinal);
        Assert.NotEqual(first.Value, second.Value);
    }

    [Fact]
    public async Task A_dead_letter_redelivered_once_the_receiver_is_fixed_is_delivered_and_is_no_longer_a_dead_letter()
    {
        var customer = await world.CustomerAsync();
        var user = ApplicationWorld.CustomerUser(customer);
        var (path, _) = await world.SubscribeAsync(user, customer, "incident.opened");
        world.Receiver.Fail(path, int.MaxValue);

        await world.PublishAsync(customer, "incident.opened");
        await world.Receiver.WaitFor(r => r.Path == path && r.NumberOnPath == WebhookWorld.MaxAttempts, Bound);
        var letter = Assert.Single((await Queries.DeadLetters(user, customer)).Value);
        world.Receiver.Fail(path, 0);
        var byTechnician = await Commands.Redeliver(world.Technician, customer, letter.DeliveryId);
        var queued = await Commands.Redeliver(user, customer, letter.DeliveryId);
        var delivered = await world.Receiver.WaitFor(r => r.Path == path && r.AnsweredStatus == 204, Bound);
        var again = await Commands.Redeliver(user, customer, letter.DeliveryId);

        Assert.Equal(FailureKind.Forbidden, byTechnician.Failure!.Kind);
        Assert.Equal((letter.DeliveryId, WebhookDeliveryState.Pending), (queued.Value!.DeliveryId, queued.Value.State));
        Assert.Equal(letter.DeliveryId, delivered.Delivery);
        Assert.True(delivered.SignatureValid);
        Assert.Equal(FailureKind.NotFound, again.Failure!.Kind);
        Assert.Empty((await Queries.DeadLetters(user, customer)).Value);
    }
}
