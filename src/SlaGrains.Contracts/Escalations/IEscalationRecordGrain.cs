using System.Collections.Immutable;

namespace SlaGrains.Contracts.Escalations;

/// <summary>
/// One escalation (key: its id, the alert's de-duplication key <see cref="SlaAlert.Key"/>): raised once, with the
/// actions of the rules it matched, then acknowledged once. Its state is what de-duplication needs and what the
/// <c>escalations</c> table is rebuilt from; the customer's <see cref="IEscalationGrain"/> keeps only the rules.
/// </summary>
public interface IEscalationRecordGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the alert with the rules it matched (written before anything happens), then hands the webhooks over and
    /// publishes it; an alert raised before returns the existing escalation and nothing happens twice. The ticket has
    /// already applied the actions that change it (see <see cref="IEscalationGrain.Plan"/>): nothing calls back into it.
    /// </summary>
    Task<EscalationView> Raise(SlaAlert alert, ImmutableArray<EscalationRule> matched);

    /// <summary>Acknowledges it; null when it was never raised. Acknowledging twice keeps the first.</summary>
    Task<EscalationView?> Acknowledge(string by);

    /// <summary>The escalation; null when it was never raised.</summary>
    Task<EscalationView?> Get();

    /// <summary>Takes an escalation kept by an older version of the customer's escalation grain, with the webhook rules still to hand over.</summary>
    Task Import(EscalationView escalation, ImmutableArray<EscalationRule>? webhooksPending);

    /// <summary>Writes its row again from its state (start-up repair, rebuild); false when there is nothing to write.</summary>
    Task<bool> RefreshReadModel();
}
