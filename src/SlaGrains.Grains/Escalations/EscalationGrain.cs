using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Collections.Immutable;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain;
using SlaGrains.Domain.Escalations;
using SlaGrains.Grains.Shell;

namespace SlaGrains.Grains.Escalations;

/// <summary>
/// A customer's escalation rules: a thin shell around the domain's <see cref="EscalationRules"/> (rules checked as
/// rejections, alerts matched into typed actions). The ticket asks <see cref="Plan"/> before it commits a warning or
/// breach and applies the actions that change it in its own write. An alert is matched against them and handed to its
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

    private EscalationRules Rules => state.State.Rules.ToDomain();

    /// <summary>The domain's actions for <paramref name="alert"/> under the rules in force, in rule order.</summary>
    private ImmutableArray<EscalationActionTriggered> Match(SlaAlert alert)
        => [.. EscalationRules.Decide(Rules, alert.ToMatch(), time.Now()).Events.OfType<EscalationActionTriggered>()];

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
    public async Task<Rejection?> SetRules(ImmutableArray<EscalationRule> rules)
    {
        var given = rules.IsDefault ? [] : rules;
        var decision = EscalationRules.Decide(Rules, new SetEscalationRules([.. given.Select(r => r.ToDomain())]), time.Now());
        if (!decision.IsAccepted)
        {
            return decision.Rejection;
        }

        // The contract's rules are what is stored (state written by earlier versions reads back the same way).
        await GrainShell.CommitAsync(this, state, s => s.Rules = [.. given]);
        return null;
    }

    /// <inheritdoc />
    public Task<ImmutableArray<EscalationActionTriggered>> Plan(SlaAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return Task.FromResult(Match(alert));
    }

    /// <inheritdoc />
    public Task<ImmutableArray<EscalationRule>> GetRules() => Task.FromResult(state.State.Rules.ToImmutableArray());

    /// <inheritdoc />
    public async Task<EscalationView> Raise(SlaAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var actions = Match(alert).Select(a => a.RuleId).ToHashSet(StringComparer.Ordinal);
        var matched = state.State.Rules.Where(r => actions.Contains(r.RuleId)).ToImmutableArray();
        if (matched.IsEmpty)
        {
            // Not an escalation: the ticket's audit has the warning or breach; nothing to record. Out of the box (no
            // rules at all) a breach still reaches the managers by email; the outbox drops a repeat (the message id
            // is the alert's key + recipient), and a failure here makes the ticket deliver the alert again.
            var view = new EscalationView(alert.Key, alert, [], time.Now(), null, null);
            if (alert.IsBreach && state.State.Rules.Count == 0)
            {
                await Channels.EscalationNotices.QueueAsync(GrainFactory, ServiceProvider, view with { Actions = [Channels.EscalationNotices.DefaultAction] }, ["role:manager"]);
            }

            return view;
        }

        return await GrainFactory.GetGrain<IEscalationRecordGrain>(alert.Key).Raise(alert, matched);
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
