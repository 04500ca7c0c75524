using System.Collections.Immutable;
using SlaGrains.Contracts.Escalations;

namespace SlaGrains.Grains.Escalations;

/// <summary>One escalation's durable state: the escalation (null until raised) and the webhook hand-over still due.</summary>
[GenerateSerializer]
[Alias("slagrains.escalation-record-state")]
public sealed class EscalationRecordState
{
    /// <summary>The escalation; null until raised.</summary>
    [Id(0)]
    public EscalationView? Escalation { get; set; }

    /// <summary>The webhook rules it matched, while <c>escalation.raised</c> has not been handed to the webhook grain; null once handed.</summary>
    [Id(1)]
    public ImmutableArray<EscalationRule>? WebhooksPending { get; set; }
}
