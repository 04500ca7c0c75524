using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Escalations;

/// <summary>
/// A customer's escalations. An alert is looked up by its key first: seen before → the existing escalation, nothing
/// repeated. Otherwise the escalation is written (the key with it) before anyone is notified, so no retry,
/// reactivation or silo failure notifies twice.
/// Webhooks (<c>escalation.raised</c> to the customer's subscriptions and to each matched rule's URL) are handed to
/// the customer's <see cref="IWebhookGrain"/> at least once: the hand-over is recorded as pending in the same write
/// as the escalation and retried until the webhook grain has queued it (it de-duplicates by event id).
/// </summary>
public sealed class EscalationGrain(
    [PersistentState("escalations")] IPersistentState<EscalationState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ISlaNotifications notifications,
    ILogger<EscalationGrain> logger) : Grain, IEscalationGrain
{
    /// <summary>How many escalations a customer's log keeps (newest); older ones belong in reports, not in grain state.</summary>
    internal const int LogLimit = 1_000;

    private static readonly TimeSpan WebhookRetry = TimeSpan.FromSeconds(5);

    private RetrySoon? _webhooksRetry;

    private RetrySoon WebhooksRetry => _webhooksRetry ??= new(this, DeliverWebhooks);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.WebhooksPending.Count > 0)
        {
            WebhooksRetry.After(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task SetRules(ImmutableArray<EscalationRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Percent is < 1 or > 100)
            {
                throw new ArgumentException($"Rule {rule.RuleId}: the threshold must be a warning percentage (1–99) or 100 for the breach; got {rule.Percent}.", nameof(rules));
            }

            if (string.IsNullOrWhiteSpace(rule.Target))
            {
                throw new ArgumentException($"Rule {rule.RuleId}: say who or what the {rule.Action} addresses.", nameof(rules));
            }
        }

        state.State.Rules = [.. rules];
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<ImmutableArray<EscalationRule>> GetRules() => Task.FromResult(state.State.Rules.ToImmutableArray());

    /// <inheritdoc />
    public async Task<EscalationView> Raise(SlaAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (state.State.Log.Find(e => e.EscalationId == alert.Key) is { } seen)
        {
            return seen;
        }

        var matched = state.State.Rules
            .Where(r => r.Metric == alert.Metric && r.Percent == alert.Percent && (r.OnlyPriority is null || r.OnlyPriority == alert.Priority))
            .ToList();
        var actions = matched.Select(Describe).ToImmutableArray();
        var escalation = new EscalationView(alert.Key, alert, actions, time.Now(), null, null);
        state.State.Log.Add(escalation);
        if (state.State.Log.Count > LogLimit)
        {
            // The whole state is written on every escalation: keep it bounded. Redeliveries come within seconds
            // (the ticket's outbox), far inside this window, so de-duplication is unaffected in practice.
            state.State.Log.RemoveRange(0, state.State.Log.Count - LogLimit);
        }

        if (matched.Count > 0)
        {
            var hooks = matched.Where(r => r.Action == EscalationActionKind.Webhook && WebhookRules.IsUrl(r.Target)).ToImmutableArray();
            state.State.WebhooksPending.Add(new PendingEscalationWebhook(escalation.EscalationId, hooks));
        }

        await state.WriteStateAsync();

        // Durable first, then the effects. Reassignment and the management flag are idempotent on the ticket;
        // webhooks are queued durably by the webhook grain (a target that is not an http(s) URL is recorded as failed).
        await DeliverWebhooks();
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
            escalation = escalation with { Actions = [.. escalation.Actions, .. outcomes] };
            state.State.Log[state.State.Log.FindIndex(e => e.EscalationId == escalation.EscalationId)] = escalation;
            await state.WriteStateAsync();
        }

        notifications.Publish(new EscalationRaised(escalation.RaisedAt, escalation));
        return escalation;
    }

    /// <inheritdoc />
    public async Task<bool> Acknowledge(string escalationId, string by)
    {
        var index = state.State.Log.FindIndex(e => e.EscalationId == escalationId);
        if (index < 0)
        {
            return false;
        }

        var escalation = state.State.Log[index];
        if (escalation.AcknowledgedBy is not null)
        {
            return true;
        }

        escalation = escalation with { AcknowledgedBy = by, AcknowledgedAt = time.Now() };
        state.State.Log[index] = escalation;
        await state.WriteStateAsync();
        notifications.Publish(new EscalationAcknowledged(escalation.AcknowledgedAt!.Value, escalation));
        return true;
    }

    /// <inheritdoc />
    public Task<ImmutableArray<EscalationView>> GetLog(int limit)
        => Task.FromResult(state.State.Log.AsEnumerable().Reverse().Take(Math.Max(0, limit)).ToImmutableArray());

    /// <summary>
    /// Hands pending escalations to the customer's webhook grain: <c>escalation.raised</c> to its subscriptions and to
    /// each matched rule's URL. A failure keeps the rest pending (in state) and retries shortly and at activation.
    /// </summary>
    private async Task DeliverWebhooks()
    {
        var handed = await HandOver.PendingAsync(
            state.State.WebhooksPending,
            async pending =>
            {
                if (state.State.Log.Find(e => e.EscalationId == pending.EscalationId) is { } escalation)
                {
                    var raised = WebhookPayloads.EscalationRaised(escalation);
                    var hooks = GrainFactory.GetGrain<IWebhookGrain>(this.GetPrimaryKeyString());
                    await hooks.Publish(raised);
                    foreach (var rule in pending.Rules)
                    {
                        await hooks.PublishToRule(raised, rule.RuleId, rule.Target);
                    }
                }
            },
            (pending, error) =>
            {
                logger.LogWarning(error, "Escalation {Escalation}: webhooks not queued yet; will retry", pending.EscalationId);
                WebhooksRetry.After(WebhookRetry);
            });
        if (handed)
        {
            await state.WriteStateAsync();
        }
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
