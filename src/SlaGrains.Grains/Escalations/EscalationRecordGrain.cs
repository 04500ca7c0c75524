using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Escalations;

/// <summary>
/// One escalation. Raised: written (with the webhook hand-over pending) before anything happens, so no retry,
/// reactivation or silo failure notifies twice; then its row, the webhooks (at least once, the webhook grain
/// de-duplicates by event id), the reassignment or management flag on the ticket (idempotent there), and the live
/// notification. Rows carry the state's version, so the <c>escalations</c> table never goes back.
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
        if (state.State.WebhooksPending is not null)
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

        var escalation = new EscalationView(alert.Key, alert, [.. matched.Select(Describe)], time.Now(), null, null);
        state.State.Escalation = escalation;
        state.State.WebhooksPending = [.. matched.Where(r => r.Action == EscalationActionKind.Webhook && WebhookRules.IsUrl(r.Target))];
        await WriteAsync();

        await DeliverAsync();
        var outcomes = new List<string>();
        foreach (var rule in matched)
        {
            var ticket = GrainFactory.GetGrain<ITicketGrain>(alert.TicketId);
            switch (rule.Action)
            {
                case EscalationActionKind.Reassign:
                    var (team, user) = ParseAssignee(rule.Target, alert);
                    await ticket.Assign(team, user);
                    break;
                case EscalationActionKind.EscalateToManagement:
                    await ticket.FlagEscalated($"{alert.Metric} reached {alert.Percent} % (rule {rule.RuleId})");
                    break;
                case EscalationActionKind.Webhook when !WebhookRules.IsUrl(rule.Target):
                    outcomes.Add($"webhook {rule.Target}: failed: not an http(s) URL");
                    break;
            }
        }

        if (outcomes.Count > 0)
        {
            state.State.Escalation = escalation = escalation with { Actions = [.. escalation.Actions, .. outcomes] };
            await WriteAsync();
        }

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

    private static string Describe(EscalationRule rule) => rule.Action switch
    {
        EscalationActionKind.Notify => $"notify {rule.Target}",
        EscalationActionKind.Reassign => $"reassign to {rule.Target}",
        EscalationActionKind.EscalateToManagement => $"escalate to management ({rule.Target})",
        EscalationActionKind.Webhook => $"call webhook {rule.Target}",
        _ => rule.Action.ToString(),
    };

    /// <summary><c>team:network</c>, <c>user:ana</c>, or <c>team:network/user:ana</c>; a part not named stays as it was.</summary>
    private static (string? Team, string? User) ParseAssignee(string target, SlaAlert alert)
    {
        string? team = alert.Team, user = alert.Assignee;
        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("team:", StringComparison.OrdinalIgnoreCase))
            {
                team = part[5..];
            }
            else if (part.StartsWith("user:", StringComparison.OrdinalIgnoreCase))
            {
                user = part[5..];
            }
        }

        return (team, user);
    }
}
