using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Grains.Webhooks;

/// <summary>
/// A customer's webhooks. Publishing writes one delivery per matching endpoint into the outbox before it returns;
/// the deliveries are then attempted on a grain timer (precise while active) with an Orleans reminder as the durable
/// backstop while anything is queued, so a delivery pending when the grain deactivated or its silo died is attempted
/// after it comes back. Each attempt is written to the log with its outcome; a 2xx ends the delivery, a failure
/// schedules the next attempt with exponential backoff, the last failure moves it to the dead letters.
/// </summary>
/// <remarks>
/// Attempts run inside the grain's turn (non-reentrant), at most <see cref="Batch"/> at once with a per-attempt
/// timeout, so state is only ever changed by one turn; a publisher waits at most one batch's timeout.
/// </remarks>
public sealed class WebhookGrain(
    [PersistentState("webhooks")] IPersistentState<WebhookState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    IOptions<WebhookOptions> options,
    WebhookHttp http) : Grain, IWebhookGrain, IRemindable
{
    internal const string ReminderName = "webhook-outbox";
    internal const int LogLimit = 1_000;
    internal const int DeadLetterLimit = 1_000;
    internal const int SeenLimit = 5_000;
    private const int Batch = 16;
    private const string RulePrefix = "rule:";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private DurableDeadline? _deadline;

    private WebhookState Hooks => state.State;

    private string CustomerId => this.GetPrimaryKeyString();

    private WebhookOptions Options => options.Value;

    private DurableDeadline Deadline => _deadline ??= new(this, ReminderName, ReminderPeriod, DeliverDue);

    private Instant? NextDue => Hooks.Outbox.Count == 0 ? null : Hooks.Outbox.Min(d => d.NextAttemptAt);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Woken by the reminder (or any call) with deliveries queued: attempt those due, on a timer.
        Deadline.ArmTimer(NextDue, time.Now(), LongestTimer, clampToHorizon: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<CreatedWebhook> Subscribe(string url, ImmutableArray<string> eventTypes, string? description)
    {
        var types = eventTypes.IsDefault ? [] : eventTypes.Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (WebhookRules.Check(url, types) is [var (field, message), ..])
        {
            throw new ArgumentException($"{field}: {message}", nameof(url));
        }

        var secret = WebhookSignature.NewSecret();
        var view = new WebhookSubscriptionView($"wh-{Guid.NewGuid():N}"[..15], url.Trim(), types, true, time.Now(), description?.Trim() ?? string.Empty);
        Hooks.Subscriptions.Add(new WebhookSubscriptionRecord(view, secret));
        await state.WriteStateAsync();
        return new CreatedWebhook(view, secret);
    }

    /// <inheritdoc />
    public Task<ImmutableArray<WebhookSubscriptionView>> GetSubscriptions()
        => Task.FromResult(Hooks.Subscriptions.Select(s => s.View).ToImmutableArray());

    /// <inheritdoc />
    public async Task<WebhookSubscriptionView?> SetEnabled(string webhookId, bool enabled)
    {
        var index = Hooks.Subscriptions.FindIndex(s => s.View.WebhookId == webhookId);
        if (index < 0)
        {
            return null;
        }

        var record = Hooks.Subscriptions[index];
        if (record.View.Enabled != enabled)
        {
            Hooks.Subscriptions[index] = record with { View = record.View with { Enabled = enabled } };
            await state.WriteStateAsync();
        }

        return Hooks.Subscriptions[index].View;
    }

    /// <inheritdoc />
    public async Task<bool> Remove(string webhookId)
    {
        if (Hooks.Subscriptions.RemoveAll(s => s.View.WebhookId == webhookId) == 0)
        {
            return false;
        }

        // Without the subscription there is no secret to sign with: its queued and dead deliveries go too.
        Hooks.Outbox.RemoveAll(d => d.WebhookId == webhookId);
        Hooks.DeadLetters.RemoveAll(d => d.WebhookId == webhookId);
        await WriteAndArm(time.Now());
        return true;
    }

    /// <inheritdoc />
    public async Task<string> RotateRuleSecret()
    {
        Hooks.RuleSecret = WebhookSignature.NewSecret();
        await state.WriteStateAsync();
        return Hooks.RuleSecret;
    }

    /// <inheritdoc />
    public async Task Publish(WebhookEvent e)
    {
        Check(e);

        // Every customer event passes here at least once (from its publisher's durable outbox): the people it concerns
        // are told through their notification preferences, idempotently by event id, before the webhooks are queued,
        // so a failure makes the publisher hand the event over again. Planned at the event's own time: a repeat plans the same.
        await Channels.EventNotices.TellAsync(GrainFactory, e, e.OccurredAt);
        var targets = Hooks.Subscriptions
            .Where(s => s.View.Enabled && s.View.EventTypes.Contains(e.Type))
            .Select(s => (s.View.WebhookId, s.View.Url))
            .ToList();
        await Queue(e, e.EventId, targets);
    }

    /// <inheritdoc />
    public Task PublishToRule(WebhookEvent e, string ruleId, string url)
    {
        Check(e);
        if (!WebhookRules.IsUrl(url))
        {
            throw new ArgumentException($"Rule {ruleId}: a webhook target is an absolute http(s) URL; got '{url}'.", nameof(url));
        }

        Hooks.RuleSecret ??= WebhookSignature.NewSecret();
        return Queue(e, $"{e.EventId}@{RulePrefix}{ruleId}", [($"{RulePrefix}{ruleId}", url.Trim())]);
    }

    /// <inheritdoc />
    public Task<WebhookAttemptPage> GetAttempts(int skip, int take)
        => Task.FromResult(new WebhookAttemptPage(
            [.. Hooks.Log.AsEnumerable().Reverse().Skip(Math.Max(0, skip)).Take(Math.Max(0, take))],
            Hooks.Log.Count));

    /// <inheritdoc />
    public Task<ImmutableArray<WebhookDeliveryView>> GetPending()
        => Task.FromResult(Hooks.Outbox.OrderBy(d => d.NextAttemptAt).Select(d => d.View(WebhookDeliveryState.Pending)).ToImmutableArray());

    /// <inheritdoc />
    public Task<ImmutableArray<WebhookDeliveryView>> GetDeadLetters()
        => Task.FromResult(Hooks.DeadLetters.AsEnumerable().Reverse().Select(d => d.View(WebhookDeliveryState.DeadLettered)).ToImmutableArray());

    /// <inheritdoc />
    public async Task<WebhookDeliveryView?> Redeliver(string deliveryId)
    {
        var dead = Hooks.DeadLetters.Find(d => d.DeliveryId == deliveryId);
        if (dead is null)
        {
            return null;
        }

        var now = time.Now();
        var again = dead with { AttemptsThisRound = 0, NextAttemptAt = now };
        Hooks.DeadLetters.Remove(dead);
        Hooks.Outbox.Add(again);
        await WriteAndArm(now);
        return again.View(WebhookDeliveryState.Pending);
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        Hooks.ReminderDueAt = Deadline.AfterTick(NextDue, time.Now());
        await DeliverDue();
    }

    private static void Check(WebhookEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!WebhookEventTypes.IsKnown(e.Type))
        {
            throw new ArgumentException($"'{e.Type}' is not a webhook event type.", nameof(e));
        }

        if (JsonNode.Parse(e.Data) is not JsonObject)
        {
            throw new ArgumentException($"Event {e.EventId}: the data is not a JSON object.", nameof(e));
        }
    }

    /// <summary>Queues the event for the targets, durably, unless its key was queued before; the first attempt follows on a timer.</summary>
    private async Task Queue(WebhookEvent e, string key, IReadOnlyList<(string WebhookId, string Url)> targets)
    {
        if (targets.Count == 0 || Hooks.Seen.Contains(key))
        {
            return;
        }

        var now = time.Now();
        var body = Body(e);
        foreach (var (webhookId, url) in targets)
        {
            Hooks.Outbox.Add(new QueuedDelivery($"dlv_{Guid.NewGuid():N}", webhookId, url, e.EventId, e.Type, body, now, 0, 0, now, null));
        }

        Hooks.Seen.Add(key);
        if (Hooks.Seen.Count > SeenLimit)
        {
            Hooks.Seen.RemoveRange(0, Hooks.Seen.Count - SeenLimit);
        }

        await WriteAndArm(now);
    }

    /// <summary>Attempts the deliveries that are due (a batch at a time), records the outcomes, writes, re-arms.</summary>
    private async Task DeliverDue()
    {
        var now = time.Now();
        var due = Hooks.Outbox.Where(d => d.NextAttemptAt <= now).OrderBy(d => d.NextAttemptAt).Take(Batch).ToList();
        if (due.Count > 0)
        {
            var attempts = await Task.WhenAll(due.Select(d => Attempt(d, now)));
            now = time.Now();
            foreach (var (delivery, attempt) in due.Zip(attempts))
            {
                Record(delivery, attempt, now);
            }
        }

        await WriteAndArm(now);
    }

    private async Task<WebhookAttemptView> Attempt(QueuedDelivery d, Instant now)
    {
        var secret = d.WebhookId.StartsWith(RulePrefix, StringComparison.Ordinal)
            ? Hooks.RuleSecret
            : Hooks.Subscriptions.Find(s => s.View.WebhookId == d.WebhookId)?.Secret;
        var attempt = d.Attempts + 1;
        if (secret is null)
        {
            return new WebhookAttemptView(d.DeliveryId, d.WebhookId, d.EventId, d.EventType, d.Url, attempt, now, null, "no secret to sign with", Duration.Zero, WebhookDeliveryState.DeadLettered);
        }

        var timestamp = now.ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>
        {
            [WebhookSignature.EventHeader] = d.EventType,
            [WebhookSignature.DeliveryHeader] = d.DeliveryId,
            [WebhookSignature.TimestampHeader] = timestamp.ToString(CultureInfo.InvariantCulture),
            [WebhookSignature.SignatureHeader] = WebhookSignature.Sign(secret, timestamp, d.DeliveryId, d.Body),
        };
        var started = time.GetTimestamp();
        var (status, outcome) = await http.PostAsync(new Uri(d.Url), d.Body, headers, Options.Timeout);
        var took = Duration.FromTimeSpan(time.GetElapsedTime(started));
        var result = outcome == "delivered" ? WebhookDeliveryState.Delivered
            : d.AttemptsThisRound + 1 >= Options.MaxAttempts ? WebhookDeliveryState.DeadLettered
            : WebhookDeliveryState.Pending;
        return new WebhookAttemptView(d.DeliveryId, d.WebhookId, d.EventId, d.EventType, d.Url, attempt, now, status, outcome, took, result);
    }

    private void Record(QueuedDelivery d, WebhookAttemptView attempt, Instant now)
    {
        Hooks.Log.Add(attempt);
        if (Hooks.Log.Count > LogLimit)
        {
            Hooks.Log.RemoveRange(0, Hooks.Log.Count - LogLimit);
        }

        var index = Hooks.Outbox.FindIndex(o => o.DeliveryId == d.DeliveryId);
        if (index < 0)
        {
            return;
        }

        var after = d with { Attempts = attempt.Attempt, AttemptsThisRound = d.AttemptsThisRound + 1, LastOutcome = attempt.Outcome };
        switch (attempt.Result)
        {
            case WebhookDeliveryState.Delivered:
                Hooks.Outbox.RemoveAt(index);
                break;
            case WebhookDeliveryState.DeadLettered:
                Hooks.Outbox.RemoveAt(index);
                Hooks.DeadLetters.Add(after);
                if (Hooks.DeadLetters.Count > DeadLetterLimit)
                {
                    Hooks.DeadLetters.RemoveRange(0, Hooks.DeadLetters.Count - DeadLetterLimit);
                }

                break;
            default:
                Hooks.Outbox[index] = after with { NextAttemptAt = now + Duration.FromTimeSpan(Options.RetryDelay(after.AttemptsThisRound)) };
                break;
        }
    }

    /// <summary>Keeps the reminder while anything is queued, writes, and arms the timer for the next due attempt.</summary>
    private async Task WriteAndArm(Instant now)
    {
        // The timer makes the attempt that is due now; the reminder only has to wake a grain that is gone by then, so
        // it need not be re-registered for every event published.
        var backstop = NextDue is { } next ? Instant.Max(next, now + Duration.FromTimeSpan(ReminderPeriod)) : (Instant?)null;
        Hooks.ReminderDueAt = await Deadline.ArmReminder(backstop, Hooks.ReminderDueAt, now);
        await state.WriteStateAsync();
        Deadline.ArmTimer(NextDue, now, LongestTimer, clampToHorizon: true);
    }

    /// <summary>The JSON body: <c>id</c>, <c>type</c>, <c>customerId</c>, <c>occurredAt</c> and the event's <c>data</c>.</summary>
    private static string Body(WebhookEvent e) => new JsonObject
    {
        ["id"] = e.EventId,
        ["type"] = e.Type,
        ["customerId"] = e.CustomerId,
        ["occurredAt"] = WebhookPayloads.Time(e.OccurredAt),
        ["data"] = JsonNode.Parse(e.Data),
    }.ToJsonString();
}
