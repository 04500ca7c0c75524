using SlaGrains.Contracts.Webhooks;
using SlaGrains.Grains.Webhooks;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Webhooks;

/// <summary>
/// The webhook grain posts each event to each subscription, signed so a receiver can verify it, retries failures
/// with backoff, dead-letters a delivery after the last attempt and redelivers it on request.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookCluster world) : IClassFixture<WebhookCluster>
{
    private static readonly TimeSpan Bound = WebhookCluster.Bound;
    private readonly string _customer = $"customer-{Guid.NewGuid():N}";

    private IWebhookGrain Hooks => world.Cluster.Grains.GetGrain<IWebhookGrain>(_customer);

    private WebhookReceiver Receiver => world.Receiver;

    [Fact]
    public async Task An_event_is_posted_as_json_with_its_headers_and_a_signature_the_receiver_can_recompute()
    {
        var path = Path();
        var created = await Hooks.Subscribe(Receiver.Url(path), [WebhookEventTypes.MaintenanceAnnounced], "status page");
        Receiver.Expect(path, created.Secret);
        var e = Event(WebhookEventTypes.MaintenanceAnnounced);

        await Hooks.Publish(e);
        var received = await Receiver.WaitFor(r => r.Path == path, Bound);

        Assert.True(received.SignatureValid, $"signature {received.Signature} does not verify over {received.Timestamp}.{received.Delivery}.{received.Body}");
        Assert.False(WebhookReceiver.Verify(created.Secret, (long.Parse(received.Timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), received.Delivery, received.Body, received.Signature));
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.Equal("maintenance.announced", received.Event);
        Assert.StartsWith("application/json", received.ContentType, StringComparison.Ordinal);
        Assert.Equal(e.EventId, received.Json.GetProperty("id").GetString());
        Assert.Equal(_customer, received.Json.GetProperty("customerId").GetString());
        Assert.Equal("2026-11-23T10:00:00Z", received.Json.GetProperty("occurredAt").GetString());
        Assert.Equal("m-1", received.Json.GetProperty("data").GetProperty("maintenanceId").GetString());
        var attempt = Assert.Single((await Hooks.GetAttempts(0, 10)).Items);
        Assert.Equal((received.Delivery, 1, 204, "delivered", WebhookDeliveryState.Delivered), (attempt.DeliveryId, attempt.Attempt, attempt.StatusCode, attempt.Outcome, attempt.Result));
        Assert.Empty(await Hooks.GetPending());
    }

    [Fact]
    public async Task Publishing_an_event_id_again_queues_nothing_more()
    {
        var path = Path();
        Receiver.Expect(path, (await Hooks.Subscribe(Receiver.Url(path), [WebhookEventTypes.IncidentOpened], null)).Secret);
        var e = Event(WebhookEventTypes.IncidentOpened);

        await Hooks.Publish(e);
        await Receiver.WaitFor(r => r.Path == path, Bound);
        await Hooks.Publish(e);

        Assert.Empty(await Hooks.GetPending());
        Assert.Single((await Hooks.GetAttempts(0, 10)).Items);
    }

    [Fact]
    public async Task Only_enabled_subscriptions_to_the_events_type_get_a_delivery()
    {
        var wanted = await Hooks.Subscribe(Receiver.Url(Path()), [WebhookEventTypes.IncidentOpened, WebhookEventTypes.IncidentResolved], null);
        var otherType = await Hooks.Subscribe(Receiver.Url(Path()), [WebhookEventTypes.CreditNotice], null);
        var disabled = await Hooks.Subscribe(Receiver.Url(Path()), [WebhookEventTypes.IncidentResolved], null);
        await Hooks.SetEnabled(disabled.Webhook.WebhookId, enabled: false);
        Receiver.Fail(new Uri(wanted.Webhook.Url).AbsolutePath.TrimStart('/'), int.MaxValue);

        await Hooks.Publish(Event(WebhookEventTypes.IncidentResolved));

        var queued = (await Hooks.GetPending()).Select(d => d.WebhookId)
            .Concat((await Hooks.GetAttempts(0, 100)).Items.Select(a => a.WebhookId))
            .Concat((await Hooks.GetDeadLetters()).Select(d => d.WebhookId))
            .Distinct();
        Assert.Equal([wanted.Webhook.WebhookId], queued);
        Assert.False((await Hooks.GetSubscriptions()).Single(s => s.WebhookId == disabled.Webhook.WebhookId).Enabled);
        Assert.NotNull(otherType);
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_event_on_the_third_attempt_and_the_log_shows_each_attempt()
    {
        var path = Path();
        Receiver.Expect(path, (await Hooks.Subscribe(Receiver.Url(path), [WebhookEventTypes.IncidentOpened], null)).Secret);
        Receiver.Fail(path, 2);

        await Hooks.Publish(Event(WebhookEventTypes.IncidentOpened));
        var third = await Receiver.WaitFor(r => r.Path == path && r.AnsweredStatus == 204, Bound);

        var requests = Receiver.Received.Where(r => r.Path == path).ToList();
        Assert.Equal([500, 500, 204], requests.Select(r => r.AnsweredStatus));
        Assert.All(requests, r => Assert.True(r.SignatureValid));
        Assert.All(requests, r => Assert.Equal(third.Delivery, r.Delivery));
        Assert.All(requests, r => Assert.Equal(third.Body, r.Body));
        var log = (await Hooks.GetAttempts(0, 10)).Items;
        Assert.Equal([3, 2, 1], log.Select(a => a.Attempt));
        Assert.Equal([204, 500, 500], log.Select(a => a.StatusCode));
        Assert.Equal(["delivered", "HTTP 500", "HTTP 500"], log.Select(a => a.Outcome));
        Assert.Equal([WebhookDeliveryState.Delivered, WebhookDeliveryState.Pending, WebhookDeliveryState.Pending], log.Select(a => a.Result));
        Assert.Empty(await Hooks.GetPending());
        Assert.Empty(await Hooks.GetDeadLetters());
    }

    [Fact]
    public async Task A_receiver_that_always_fails_gets_the_event_dead_lettered_after_the_last_attempt_and_redelivered_once_fixed()
    {
        var path = Path();
        Receiver.Expect(path, (await Hooks.Subscribe(Receiver.Url(path), [WebhookEventTypes.CreditNotice], null)).Secret);
        Receiver.Fail(path, int.MaxValue);

        await Hooks.Publish(Event(WebhookEventTypes.CreditNotice));
        await Receiver.WaitFor(r => r.Path == path && r.NumberOnPath == 3, Bound);

        var dead = Assert.Single(await Hooks.GetDeadLetters());
        Assert.Equal((3, "HTTP 500", WebhookDeliveryState.DeadLettered), (dead.Attempts, dead.LastOutcome, dead.State));
        Assert.Empty(await Hooks.GetPending());
        Assert.Equal(WebhookDeliveryState.DeadLettered, (await Hooks.GetAttempts(0, 1)).Items.Single().Result);

        Receiver.Fail(path, 0);
        var again = await Hooks.Redeliver(dead.DeliveryId);
        var delivered = await Receiver.WaitFor(r => r.Path == path && r.AnsweredStatus == 204, Bound);

        Assert.Equal(WebhookDeliveryState.Pending, again!.State);
        Assert.Equal(dead.DeliveryId, delivered.Delivery);
        Assert.True(delivered.SignatureValid);
        Assert.Equal(4, Receiver.Received.Count(r => r.Path == path));
        Assert.Equal((4, WebhookDeliveryState.Delivered), ((await Hooks.GetAttempts(0, 1)).Items.Single().Attempt, (await Hooks.GetAttempts(0, 1)).Items.Single().Result));
        Assert.Empty(await Hooks.GetDeadLetters());
        Assert.Null(await Hooks.Redeliver(dead.DeliveryId));
    }

    [Fact]
    public async Task An_invalid_subscription_or_event_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Hooks.Subscribe("/relative", [WebhookEventTypes.IncidentOpened], null));
        await Assert.ThrowsAsync<ArgumentException>(() => Hooks.Subscribe("ftp://127.0.0.1/x", [WebhookEventTypes.IncidentOpened], null));
        await Assert.ThrowsAsync<ArgumentException>(() => Hooks.Subscribe(Receiver.Url(Path()), ["ticket.created"], null));
        await Assert.ThrowsAsync<ArgumentException>(() => Hooks.Publish(Event("ticket.created")));

        Assert.Empty(await Hooks.GetSubscriptions());
    }

    [Fact]
    public void Retry_delays_double_from_the_first_and_stop_at_the_cap()
    {
        var options = new WebhookOptions { FirstRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromSeconds(60) };

        Assert.Equal([10, 20, 40, 60, 60], Enumerable.Range(1, 5).Select(n => options.RetryDelay(n).TotalSeconds));
    }

    private WebhookEvent Event(string type)
    {
        var at = Instant.FromUtc(2026, 11, 23, 10, 0);
        return new WebhookEvent($"{type}/{Guid.NewGuid():N}", type, _customer, at, """{"maintenanceId": "m-1"}""");
    }

    private static string Path() => $"hooks/{Guid.NewGuid():N}";
}
