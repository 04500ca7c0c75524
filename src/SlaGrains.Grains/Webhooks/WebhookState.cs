using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Grains.Webhooks;

/// <summary>A customer's webhooks: subscriptions (with secrets), the outbox, the delivery log and the dead letters.</summary>
[GenerateSerializer]
[Alias("slagrains.webhook-state")]
public sealed class WebhookState
{
    /// <summary>Subscriptions, oldest first.</summary>
    [Id(0)]
    public List<WebhookSubscriptionRecord> Subscriptions { get; set; } = [];

    /// <summary>The secret escalation rules' URLs are signed with; null until first needed.</summary>
    [Id(1)]
    public string? RuleSecret { get; set; }

    /// <summary>Deliveries waiting for an attempt.</summary>
    [Id(2)]
    public List<QueuedDelivery> Outbox { get; set; } = [];

    /// <summary>The delivery log, oldest attempt first (bounded).</summary>
    [Id(3)]
    public List<WebhookAttemptView> Log { get; set; } = [];

    /// <summary>Deliveries whose attempts all failed, oldest first (bounded).</summary>
    [Id(4)]
    public List<QueuedDelivery> DeadLetters { get; set; } = [];

    /// <summary>Keys of events already queued (event id, or event id and rule), oldest first (bounded): publishing is idempotent.</summary>
    [Id(5)]
    public List<string> Seen { get; set; } = [];

    /// <summary>When the durable reminder will next wake the grain; null when none is registered.</summary>
    [Id(6)]
    public Instant? ReminderDueAt { get; set; }
}

/// <summary>A subscription as stored: the view and its secret (kept to sign with; never shown after creation).</summary>
[GenerateSerializer]
[Alias("slagrains.webhook-subscription-record")]
[Immutable]
public sealed record WebhookSubscriptionRecord([property: Id(0)] WebhookSubscriptionView View, [property: Id(1)] string Secret);

/// <summary>
/// One event on its way to one endpoint. <see cref="Body"/> is rendered once, when queued, so every attempt sends
/// the same bytes; only the timestamp and the signature change between attempts.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.queued-webhook-delivery")]
[Immutable]
public sealed record QueuedDelivery(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string WebhookId,
    [property: Id(2)] string Url,
    [property: Id(3)] string EventId,
    [property: Id(4)] string EventType,
    [property: Id(5)] string Body,
    [property: Id(6)] Instant CreatedAt,
    [property: Id(7)] int Attempts,
    [property: Id(8)] int AttemptsThisRound,
    [property: Id(9)] Instant NextAttemptAt,
    [property: Id(10)] string? LastOutcome)
{
    /// <summary>The view, in <paramref name="state"/>.</summary>
    public WebhookDeliveryView View(WebhookDeliveryState state)
        => new(DeliveryId, WebhookId, Url, EventId, EventType, state, Attempts, CreatedAt, state == WebhookDeliveryState.Pending ? NextAttemptAt : null, LastOutcome);
}
