using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains.Tests.Webhooks;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Escalations;

/// <summary>
/// An escalation is published as <c>escalation.raised</c>: to each matched webhook rule's URL (signed with the
/// customer's rule secret) and to the customer's subscriptions, through the durable webhook outbox, once per alert.
/// </summary>
public sealed class EscalationWebhookTests(WebhookCluster world) : IClassFixture<WebhookCluster>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly SqliteCluster _cluster = world.Cluster;
    private readonly WebhookReceiver _receiver = world.Receiver;

    [Fact]
    public async Task A_breach_reaches_the_rules_webhook_and_the_subscribers_signed_and_once()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var hooks = _cluster.Grains.GetGrain<IWebhookGrain>(customer);
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("hook", SlaMetric.Resolution, 100, EscalationActionKind.Webhook, _receiver.Url("rule"))]);
        _receiver.Expect("rule", await hooks.RotateRuleSecret());
        var subscription = await hooks.Subscribe(_receiver.Url("subscriber"), [WebhookEventTypes.EscalationRaised], null);
        _receiver.Expect("subscriber", subscription.Secret);
        var now = Instant.FromUtc(2026, 11, 23, 10, 0);
        var alert = new SlaAlert("ticket-42", customer, SlaMetric.Resolution, 100, 1, now, now + Duration.FromMilliseconds(3), TicketPriority.P1, "network", null);

        var escalation = await escalations.Raise(alert);
        var rule = await _receiver.WaitFor(r => r.Path == "rule", Bound);
        var subscriber = await _receiver.WaitFor(r => r.Path == "subscriber", Bound);
        await escalations.Raise(alert); // a redelivery of the alert: nothing is queued again

        Assert.True(rule.SignatureValid);
        Assert.True(subscriber.SignatureValid);
        Assert.Equal("escalation.raised", rule.Event);
        var data = rule.Json.GetProperty("data");
        Assert.Equal("ticket-42", data.GetProperty("ticketId").GetString());
        Assert.Equal("breach", data.GetProperty("kind").GetString());
        Assert.Equal("resolution", data.GetProperty("metric").GetString());
        Assert.Equal("p1", data.GetProperty("priority").GetString());
        Assert.Equal("2026-11-23T10:00:00Z", data.GetProperty("dueAt").GetString());
        Assert.Equal(rule.Json.GetProperty("id").GetString(), subscriber.Json.GetProperty("id").GetString());
        Assert.Contains($"call webhook {_receiver.Url("rule")}", escalation.Actions);
        Assert.Empty(await hooks.GetPending());
        var log = (await hooks.GetAttempts(0, 10)).Items;
        Assert.Equal(2, log.Length);
        Assert.Contains(log, a => a.WebhookId == "rule:hook" && a.Result == WebhookDeliveryState.Delivered);
        Assert.Contains(log, a => a.WebhookId == subscription.Webhook.WebhookId && a.Result == WebhookDeliveryState.Delivered);
    }

    [Fact]
    public async Task A_webhook_that_is_not_an_http_url_is_recorded_as_failed()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("hook", SlaMetric.FirstResponse, 75, EscalationActionKind.Webhook, "ftp://example.invalid/x")]);
        var now = Instant.FromUtc(2026, 11, 23, 10, 0);

        var escalation = await escalations.Raise(new SlaAlert("ticket-7", customer, SlaMetric.FirstResponse, 75, 1, now, now, TicketPriority.P3, null, null));

        Assert.Contains("webhook ftp://example.invalid/x: failed: not an http(s) URL", escalation.Actions);
        Assert.Empty(await _cluster.Grains.GetGrain<IWebhookGrain>(customer).GetPending());
    }
}
