using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Grains.Channels;
using SlaGrains.Grains.Shell;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Escalations;

/// <summary>
/// One escalation. Raised: written (with the webhook hand-over pending) before anything happens, so no retry,
/// reactivation or silo failure notifies twice; then its row, the webhooks (at least once, the webhook grain
/// de-duplicates by event id) and the live notification. It never calls the ticket: the ticket applied the actions that
/// change it (reassign, escalate to management) in the write that committed the alert. Rows carry the state's version, so the <c>escalations</c> table never goes back.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class EscalationRecordGrain(
    [PersistentState("escalation")] IPersistentState<EscalationRecordState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ISlaNotifications notifications,
    IReadModelWriter readModel,
    ILogger<EscalationRecordGrain> logger) : Grain, IEscalationRecordGrain
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);

    private RetrySoon? _retry;
    private bool _rowPending;

    private RetrySoon RetryLater => _retry ??= new(this, DeliverAsync);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.WebhooksPending is not null || state.State.NoticesPending is not null)
        {
            RetryLater.After(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<EscalationView> Raise(SlaAlert alert, ImmutableArray<EscalationRule> matched)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (state.State.Escalation is { } seen)
        {
            return seen;
        }

        // A webhook rule whose target is no http(s) URL (kept from older versions) says so in the escalation itself.
        var failed = matched.Where(r => r.Action == EscalationActionKind.Webhook && !WebhookRules.IsUrl(r.Target))
            .Select(r => $"webhook {r.Target}: failed: not an http(s) URL");
        var escalation = new EscalationView(alert.Key, alert, [.. matched.Select(Describe), .. failed], time.Now(), null, null);
        // Recorded before anything happens; a failed write forgets it (the ticket's redelivery records it then).
        await GrainShell.CommitAsync(this, state, s =>
        {
            s.Escalation = escalation;
            s.WebhooksPending = [.. matched.Where(r => r.Action == EscalationActionKind.Webhook && WebhookRules.IsUrl(r.Target))];
            var notices = EscalationNotices.Targets(matched);
            s.NoticesPending = notices.IsEmpty ? null : notices;
        });
        SlaMetrics.Escalated(alert);
        _rowPending = escalation is { Actions.IsDefaultOrEmpty: false };
        await WriteRowAsync();

        // The ticket applied the reassignment and the management flag in the write that committed the alert.
        await DeliverAsync();
        notifications.Publish(new EscalationRaised(escalation.RaisedAt, escalation));
        return escalation;
    }

    /// <inheritdoc />
    public async Task<EscalationView?> Acknowledge(string by)
    {
        if (state.State.Escalation is not { } escalation || escalation.AcknowledgedBy is not null)
        {
            return state.State.Escalation;
        }

        state.State.Escalation = escalation = escalation with { AcknowledgedBy = by, AcknowledgedAt = time.Now() };
        await WriteAsync();
        notifications.Publish(new EscalationAcknowledged(escalation.AcknowledgedAt!.Value, escalation));
        return escalation;
    }

    /// <inheritdoc />
    public Task<EscalationView?> Get() => Task.FromResult(state.State.Escalation);

    /// <inheritdoc />
    public async Task Import(EscalationView escalation, ImmutableArray<EscalationRule>? webhooksPending)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        if (state.State.Escalation is not null)
        {
            return;
        }

        state.State.Escalation = escalation;
        state.State.WebhooksPending = webhooksPending;
        await WriteAsync();
        await DeliverAsync();
    }

    /// <inheritdoc />
    public async Task<bool> RefreshReadModel()
    {
        if (state.State.Escalation is not { Actions.IsDefaultOrEmpty: false } || state.Etag is null)
        {
            return false;
        }

        _rowPending = true;
        await WriteRowAsync();
        return !_rowPending;
    }

    /// <summary>The state, then its row.</summary>
    private async Task WriteAsync()
    {
        await state.WriteStateAsync();
        _rowPending = state.State.Escalation is { Actions.IsDefaultOrEmpty: false };
        await WriteRowAsync();
    }

    private async Task WriteRowAsync()
    {
        if (!_rowPending)
        {
            return;
        }

        try
        {
            var version = StateVersion.Of(state, $"Escalation '{this.GetPrimaryKeyString()}'");
            await readModel.WriteAsync(new ReadModelBatch([], []) { Escalations = [new EscalationRow(state.State.Escalation!, version)] });
            _rowPending = false;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Escalation {Escalation}: row not written yet; will retry", this.GetPrimaryKeyString());
            RetryLater.After(Retry);
        }
    }

    /// <summary>
    /// The pending webhook hand-over (<c>escalation.raised</c> to the customer's subscriptions and to each matched
    /// rule's URL) and a row not yet written; a failure is retried shortly and at the next activation.
    /// </summary>
    private async Task DeliverAsync()
    {
        await WriteRowAsync();
        await QueueNoticesAsync();
        if (state.State is not { Escalation: { } escalation, WebhooksPending: { } rules })
        {
            return;
        }

        try
        {
            var raised = WebhookPayloads.EscalationRaised(escalation);
            var hooks = GrainFactory.GetGrain<IWebhookGrain>(escalation.Alert.CustomerId);
            await hooks.Publish(raised);
            foreach (var rule in rules)
            {
                await hooks.PublishToRule(raised, rule.RuleId, rule.Target);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Escalation {Escalation}: webhooks not queued yet; will retry", escalation.EscalationId);
            RetryLater.After(Retry);
            return;
        }

        state.State.WebhooksPending = null;
        await state.WriteStateAsync();
        _rowPending = true;
        await WriteRowAsync();
    }

    /// <summary>
    /// The pending channel hand-over: the email, Slack and Teams messages of the notify rules, queued in the outboxes
    /// (idempotent by message id: escalation id + recipient), then marked done; a failure is retried shortly and at the
    /// next activation.
    /// </summary>
    private async Task QueueNoticesAsync()
    {
        if (state.State is not { Escalation: { } escalation, NoticesPending: { } targets })
        {
            return;
        }

        try
        {
            await EscalationNotices.QueueAsync(GrainFactory, ServiceProvider, escalation, targets);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Escalation {Escalation}: notifications not queued yet; will retry", escalation.EscalationId);
            RetryLater.After(Retry);
            return;
        }

        state.State.NoticesPending = null;
        await state.WriteStateAsync();
        _rowPending = true;
        await WriteRowAsync();
    }

    private static string Describe(EscalationRule rule) => rule.Action switch
    {
        // A Slack or Teams webhook URL is a secret (whoever has it can post): the inbox shows only its host.
        EscalationActionKind.Notify when ChannelTargets.Parse(rule.Target) is { } channel
            => $"notify {OutboxKeys.Of(channel.Channel)} ({(Uri.TryCreate(channel.Url, UriKind.Absolute, out var url) ? url.Host : "?")})",
        EscalationActionKind.Notify => $"notify {rule.Target}",
        EscalationActionKind.Reassign => $"reassign to {rule.Target}",
        EscalationActionKind.EscalateToManagement => $"escalate to management ({rule.Target})",
        EscalationActionKind.Webhook => $"call webhook {rule.Target}",
        _ => rule.Action.ToString(),
    };
}
