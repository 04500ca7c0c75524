using System.Collections.Immutable;

namespace SlaGrains.Contracts.Webhooks;

/// <summary>A webhook subscription as shown (never its secret).</summary>
/// <param name="WebhookId">Stable id, <c>wh-…</c>.</param>
/// <param name="Url">The absolute http(s) URL events are posted to.</param>
/// <param name="EventTypes">The event types it receives (at least one).</param>
/// <param name="Enabled">Disabled: no new events are queued for it; deliveries already queued still run.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Description">What it is for (free text).</param>
[GenerateSerializer]
[Alias("slagrains.webhook-subscription")]
[Immutable]
public sealed record WebhookSubscriptionView(
    [property: Id(0)] string WebhookId,
    [property: Id(1)] string Url,
    [property: Id(2)] ImmutableArray<string> EventTypes,
    [property: Id(3)] bool Enabled,
    [property: Id(4)] Instant CreatedAt,
    [property: Id(5)] string Description)
{
    /// <summary>Whether it receives an internal (staff-only) event type.</summary>
    public bool IsInternal => EventTypes.Any(WebhookEventTypes.IsInternal);
}

/// <summary>A subscription just created: <see cref="Secret"/> is shown this once and cannot be retrieved again.</summary>
[GenerateSerializer]
[Alias("slagrains.created-webhook")]
[Immutable]
public sealed record CreatedWebhook([property: Id(0)] WebhookSubscriptionView Webhook, [property: Id(1)] string Secret);

/// <summary>Where a delivery stands.</summary>
public enum WebhookDeliveryState
{
    /// <summary>Queued: an attempt is due at <see cref="WebhookDeliveryView.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>A receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt failed: kept in the dead-letter list until redelivered.</summary>
    DeadLettered,
}

/// <summary>One event on its way to one endpoint (a subscription, or an escalation rule's URL).</summary>
/// <param name="DeliveryId">Stable across retries and redelivery: the <c>X-SlaGrains-Delivery</c> header.</param>
/// <param name="WebhookId">The subscription, or <c>rule:{ruleId}</c> for an escalation rule's webhook.</param>
/// <param name="Url">Where it is posted.</param>
/// <param name="EventId">The event's id.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="State">Pending, delivered or dead-lettered.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="NextAttemptAt">When the next attempt is due; null unless pending.</param>
/// <param name="LastOutcome">The last attempt's outcome (<c>HTTP 500</c>, <c>timeout</c>, …); null before the first.</param>
[GenerateSerializer]
[Alias("slagrains.webhook-delivery")]
[Immutable]
public sealed record WebhookDeliveryView(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string WebhookId,
    [property: Id(2)] string Url,
    [property: Id(3)] string EventId,
    [property: Id(4)] string EventType,
    [property: Id(5)] WebhookDeliveryState State,
    [property: Id(6)] int Attempts,
    [property: Id(7)] Instant CreatedAt,
    [property: Id(8)] Instant? NextAttemptAt,
    [property: Id(9)] string? LastOutcome);

/// <summary>One HTTP attempt in the delivery log.</summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="WebhookId">The subscription (or <c>rule:{ruleId}</c>).</param>
/// <param name="EventId">The event.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Url">Where it was posted.</param>
/// <param name="Attempt">1 for the first attempt of the delivery, counting on through retries and redeliveries.</param>
/// <param name="At">When the attempt started.</param>
/// <param name="StatusCode">The receiver's HTTP status; null when none came (timeout, connection refused).</param>
/// <param name="Outcome">An outcome class: <c>delivered</c>, <c>HTTP 500</c>, <c>redirectNotFollowed</c>, <c>timeout</c>, <c>connectionFailed</c>, <c>refusedAddress</c>, <c>tlsError</c> or <c>invalidResponse</c> — never socket error text (customers read the log).</param>
/// <param name="Duration">From sending the request to the answer (or the failure).</param>
/// <param name="Result">What the attempt left the delivery as: delivered, pending (a retry is due) or dead-lettered.</param>
[GenerateSerializer]
[Alias("slagrains.webhook-attempt")]
[Immutable]
public sealed record WebhookAttemptView(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string WebhookId,
    [property: Id(2)] string EventId,
    [property: Id(3)] string EventType,
    [property: Id(4)] string Url,
    [property: Id(5)] int Attempt,
    [property: Id(6)] Instant At,
    [property: Id(7)] int? StatusCode,
    [property: Id(8)] string Outcome,
    [property: Id(9)] Duration Duration,
    [property: Id(10)] WebhookDeliveryState Result);

/// <summary>A slice of the delivery log, newest first, and how many attempts the log keeps in all.</summary>
[GenerateSerializer]
[Alias("slagrains.webhook-attempt-page")]
[Immutable]
public sealed record WebhookAttemptPage([property: Id(0)] ImmutableArray<WebhookAttemptView> Items, [property: Id(1)] int Total);

/// <summary>The rules a new subscription must meet, shared by the API, the admin page and the grain.</summary>
public static class WebhookRules
{
    /// <summary>The problems with a new subscription, as (field, message); empty when valid.</summary>
    public static IReadOnlyList<(string Field, string Message)> Check(string? url, IReadOnlyCollection<string>? eventTypes)
    {
        var problems = new List<(string, string)>();
        if (!IsUrl(url))
        {
            problems.Add(("url", "A webhook URL is an absolute http or https URL, e.g. https://example.com/hooks/sla."));
        }

        if (eventTypes is null || eventTypes.Count == 0)
        {
            problems.Add(("eventTypes", $"Name at least one event type: {string.Join(", ", WebhookEventTypes.All)}."));
        }
        else if (eventTypes.FirstOrDefault(t => !WebhookEventTypes.IsKnown(t)) is { } unknown)
        {
            problems.Add(("eventTypes", $"'{unknown}' is not an event type; known: {string.Join(", ", WebhookEventTypes.All)}."));
        }

        return problems;
    }

    /// <summary>Whether <paramref name="url"/> is an absolute http(s) URL.</summary>
    public static bool IsUrl(string? url) => Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && IsUrl(uri);

    /// <summary>
    /// Whether <paramref name="uri"/> is absolute and http(s), written without control characters (Uri accepts a NUL or
    /// CR LF and keeps them in its original string, which is what we store and show): the one rule for webhook targets,
    /// probe URLs and postmortem links.
    /// </summary>
    public static bool IsUrl(Uri? uri) => uri is { IsAbsoluteUri: true, Scheme: "http" or "https" } && !uri.OriginalString.Any(char.IsControl);
}
