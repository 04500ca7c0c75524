using Orleans.Serialization.Configuration;
using SlaGrains.Domain.Escalations;

[assembly: TypeManifestProvider(typeof(SlaGrains.Contracts.Escalations.EscalationActionAliases))]

namespace SlaGrains.Contracts.Escalations;

// The domain's escalation actions travel from the escalation grain to the ticket (IEscalationGrain.Plan) behind their
// base type: one surrogate and converter per concrete action, and a stable name for each.

/// <summary>Stable names for the domain's escalation actions that travel behind <see cref="EscalationActionTriggered"/>.</summary>
internal sealed class EscalationActionAliases : TypeManifestProviderBase
{
    public override object Key => typeof(EscalationActionAliases);

    protected override void ConfigureInner(TypeManifestOptions options)
    {
        options.WellKnownTypeAliases["slagrains.domain.escalation-event"] = typeof(EscalationEvent);
        options.WellKnownTypeAliases["slagrains.domain.escalation-action"] = typeof(EscalationActionTriggered);
        options.WellKnownTypeAliases["slagrains.domain.notify-triggered"] = typeof(NotifyTriggered);
        options.WellKnownTypeAliases["slagrains.domain.reassign-triggered"] = typeof(ReassignTriggered);
        options.WellKnownTypeAliases["slagrains.domain.escalate-to-management-triggered"] = typeof(EscalateToManagementTriggered);
        options.WellKnownTypeAliases["slagrains.domain.webhook-triggered"] = typeof(WebhookTriggered);
    }
}

/// <summary>An escalation action: when, which rule, why, and whom or what it addresses (a reassignment: team and user).</summary>
[GenerateSerializer, Alias("slagrains.escalation-action-surrogate")]
internal readonly record struct EscalationActionSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public string RuleId { get; init; }

    [Id(2)] public string Reason { get; init; }

    [Id(3)] public string? Target { get; init; }

    [Id(4)] public string? Team { get; init; }

    [Id(5)] public string? User { get; init; }
}

[RegisterConverter]
internal sealed class NotifyTriggeredConverter : IConverter<NotifyTriggered, EscalationActionSurrogate>
{
    public NotifyTriggered ConvertFromSurrogate(in EscalationActionSurrogate s) => new(s.At, s.RuleId, s.Reason, s.Target!);

    public EscalationActionSurrogate ConvertToSurrogate(in NotifyTriggered v) => new() { At = v.At, RuleId = v.RuleId, Reason = v.Reason, Target = v.Target };
}

[RegisterConverter]
internal sealed class ReassignTriggeredConverter : IConverter<ReassignTriggered, EscalationActionSurrogate>
{
    public ReassignTriggered ConvertFromSurrogate(in EscalationActionSurrogate s) => new(s.At, s.RuleId, s.Reason, new Assignment(s.Team, s.User));

    public EscalationActionSurrogate ConvertToSurrogate(in ReassignTriggered v) => new() { At = v.At, RuleId = v.RuleId, Reason = v.Reason, Team = v.To.Team, User = v.To.User };
}

[RegisterConverter]
internal sealed class EscalateToManagementTriggeredConverter : IConverter<EscalateToManagementTriggered, EscalationActionSurrogate>
{
    public EscalateToManagementTriggered ConvertFromSurrogate(in EscalationActionSurrogate s) => new(s.At, s.RuleId, s.Reason, s.Target!);

    public EscalationActionSurrogate ConvertToSurrogate(in EscalateToManagementTriggered v) => new() { At = v.At, RuleId = v.RuleId, Reason = v.Reason, Target = v.Target };
}

[RegisterConverter]
internal sealed class WebhookTriggeredConverter : IConverter<WebhookTriggered, EscalationActionSurrogate>
{
    public WebhookTriggered ConvertFromSurrogate(in EscalationActionSurrogate s) => new(s.At, s.RuleId, s.Reason, s.Target!);

    public EscalationActionSurrogate ConvertToSurrogate(in WebhookTriggered v) => new() { At = v.At, RuleId = v.RuleId, Reason = v.Reason, Target = v.Url };
}

/// <summary>Maps the contract's <see cref="EscalationRule"/> to and from the domain's <see cref="EscalationRuleDefinition"/>.</summary>
public static class EscalationRuleMapping
{
    /// <summary>The domain rule (the action kinds share their numbering).</summary>
    public static EscalationRuleDefinition ToDomain(this EscalationRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new(rule.RuleId, rule.Metric, rule.Percent, (EscalationAction)(int)rule.Action, rule.Target, rule.OnlyPriority);
    }

    /// <summary>The domain rules of <paramref name="rules"/>.</summary>
    public static EscalationRules ToDomain(this IEnumerable<EscalationRule> rules) => new() { Rules = [.. rules.Select(ToDomain)] };

    /// <summary>The domain's check of a matched alert: which rules, for the alert's metric, threshold and priority.</summary>
    public static MatchAlert ToMatch(this SlaAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new(alert.Metric, alert.Percent, alert.Priority, alert.IsBreach ? $"{alert.Metric} breached" : $"{alert.Metric} reached {alert.Percent} %");
    }
}
