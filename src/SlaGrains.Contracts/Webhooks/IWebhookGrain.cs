using System.Collections.Immutable;

namespace SlaGrains.Contracts.Webhooks;

/// <summary>
/// A customer's webhooks (key: customer id): the subscriptions, the durable outbox of deliveries, the delivery log
/// and the dead letters. An event published here is written to the outbox before the call returns; delivery is at
/// least once, signed, and retried with exponential backoff; pending deliveries survive a silo restart.
/// </summary>
public interface IWebhookGrain : IGrainWithStringKey
{
    /// <summary>Adds a subscription (see <see cref="WebhookRules"/>; invalid input throws). The secret is in the result only.</summary>
    Task<CreatedWebhook> Subscribe(string url, ImmutableArray<string> eventTypes, string? description);

    /// <summary>The subscriptions, oldest first.</summary>
    Task<ImmutableArray<WebhookSubscriptionView>> GetSubscriptions();

    /// <summary>Enables or disables a subscription; null when unknown.</summary>
    Task<WebhookSubscriptionView?> SetEnabled(string webhookId, bool enabled);

    /// <summary>Removes a subscription and drops its queued deliveries; false when unknown.</summary>
    Task<bool> Remove(string webhookId);

    /// <summary>
    /// A new secret for the escalation rules' webhook URLs (they have no subscription of their own); returned this
    /// once. Until the first rotation deliveries to rule URLs are signed with a secret nobody has seen.
    /// </summary>
    Task<string> RotateRuleSecret();

    /// <summary>
    /// Queues <paramref name="e"/> for every enabled subscription to its type, durably, before returning. Publishing
    /// an event id seen before does nothing, so a publisher may retry until this returns.
    /// </summary>
    Task Publish(WebhookEvent e);

    /// <summary>
    /// Queues <paramref name="e"/> for one escalation rule's URL (signed with the rule secret). Idempotent per
    /// (event id, rule id).
    /// </summary>
    Task PublishToRule(WebhookEvent e, string ruleId, string url);

    /// <summary>The delivery log, newest attempt first: <paramref name="take"/> attempts after skipping <paramref name="skip"/>, and the total kept.</summary>
    Task<WebhookAttemptPage> GetAttempts(int skip, int take);

    /// <summary>Deliveries queued for an attempt, next due first.</summary>
    Task<ImmutableArray<WebhookDeliveryView>> GetPending();

    /// <summary>Deliveries whose every attempt failed, newest first.</summary>
    Task<ImmutableArray<WebhookDeliveryView>> GetDeadLetters();

    /// <summary>Moves a dead letter back to the outbox for a new round of attempts, due now; null when no such dead letter.</summary>
    Task<WebhookDeliveryView?> Redeliver(string deliveryId);
}
