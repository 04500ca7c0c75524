using System.Collections.Immutable;
using SlaGrains.Contracts.Escalations;

namespace SlaGrains.Grains.Escalations;

/// <summary>One escalation's durable state: the escalation (null until raised) and the webhook and channel hand-overs still due.</summary>
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

    /// <summary>
    /// The notify targets (users, roles, teams, Slack and Teams URLs) whose messages have not been queued in the channel
    /// outboxes yet; null once queued (and in state written before channels existed).
    /// </summary>
    [Id(2)]
    public ImmutableArray<string>? NoticesPending { get; set; }
}
