using System.Collections.Immutable;
using SlaGrains.Contracts.Escalations;

namespace SlaGrains.Grains.Escalations;

/// <summary>A customer's escalation rules and log; the log is keyed by the alert's de-duplication key.</summary>
[GenerateSerializer]
[Alias("slagrains.escalation-state")]
public sealed class EscalationState
{
    /// <summary>The rules in force.</summary>
    [Id(0)]
    public List<EscalationRule> Rules { get; set; } = [];

    /// <summary>Escalations kept here by older versions; moved into their <c>IEscalationRecordGrain</c>s at activation, then empty.</summary>
    [Id(1)]
    public List<EscalationView> Log { get; set; } = [];

    /// <summary>Older versions' pending webhook hand-overs; moved with their escalations, then empty.</summary>
    [Id(2)]
    public List<PendingEscalationWebhook> WebhooksPending { get; set; } = [];
}

/// <summary>An escalation to publish as <c>escalation.raised</c>, with the webhook rules it matched when raised.</summary>
[GenerateSerializer]
[Alias("slagrains.pending-escalation-webhook")]
[Immutable]
public sealed record PendingEscalationWebhook([property: Id(0)] string EscalationId, [property: Id(1)] ImmutableArray<EscalationRule> Rules);
