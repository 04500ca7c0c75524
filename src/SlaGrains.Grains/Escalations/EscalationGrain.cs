using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Collections.Immutable;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Grains.Escalations;

/// <summary>
/// A customer's escalation rules. An alert is matched against them and handed to its
/// <see cref="IEscalationRecordGrain"/> (keyed by the alert's de-duplication key), which records it once and carries
/// out the actions; this grain's state stays the size of the rules however many escalations there are, and the
/// inbox reads the <c>escalations</c> table. An alert that matches no rule is no escalation: nothing is recorded.
/// </summary>
public sealed class EscalationGrain(
    [PersistentState("escalations")] IPersistentState<EscalationState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    IEscalationReadModel escalations,
    ILogger<EscalationGrain> logger) : Grain, IEscalationGrain
{
    private const int MaxLog = 500;

    private string CustomerId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // State written by an older version kept up to 1,000 escalations in a log here: each becomes its own record
        // (and row), with its webhook hand-over if still pending, then the log is dropped.
        if (state.State.Log.Count == 0)
        {
            return;
        }

        var pending = state.State.WebhooksPending.ToDictionary(p => p.EscalationId, p => p.Rules, StringComparer.Ordinal);
        foreach (var escalation in state.State.Log)
        {
            await GrainFactory.GetGrain<IEscalationRecordGrain>(escalation.EscalationId)
                .Import(escalation, pending.TryGetValue(escalation.EscalationId, out var rules) ? rules : null);
        }

        logger.LogInformation("Escalations of {Customer}: {Count} escalations moved from the log into their records", CustomerId, state.State.Log.Count);
        state.State.Log.Clear();
        state.State.WebhooksPending.Clear();
        await state.WriteStateAsync(cancellationToken);
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

            if (rule.Target.Any(char.IsControl))
            {
                throw new ArgumentException($"Rule {rule.RuleId}: a target has no control characters.", nameof(rules));
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
        var matched = state.State.Rules
            .Where(r => r.Metric == alert.Metric && r.Percent == alert.Percent && (r.OnlyPriority is null || r.OnlyPriority == alert.Priority))
            .ToImmutableArray();
        if (matched.IsEmpty)
        {
            // Not an escalation: the ticket's audit has the warning or breach; nothing to record or to do.
            return new EscalationView(alert.Key, alert, [], time.Now(), null, null);
        }

        // The escalation may call back into the ticket that raised it (reassign, flag): let it, within this call chain.
        using (RequestContext.AllowCallChainReentrancy())
        {
            return await GrainFactory.GetGrain<IEscalationRecordGrain>(alert.Key).Raise(alert, matched);
        }
    }

    /// <inheritdoc />
    public async Task<bool> Acknowledge(string escalationId, string by)
    {
        var record = GrainFactory.GetGrain<IEscalationRecordGrain>(escalationId);
        return await record.Get() is { } escalation && escalation.Alert.CustomerId == CustomerId && await record.Acknowledge(by) is not null;
    }

    /// <inheritdoc />
    public async Task<ImmutableArray<EscalationView>> GetLog(int limit)
    {
        var page = await escalations.ListAsync(new EscalationListQuery { Customers = [CustomerId], PageSize = Math.Clamp(limit, 1, MaxLog) });
        return [.. page.Items];
    }
}
