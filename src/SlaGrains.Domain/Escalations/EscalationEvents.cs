using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Escalations;

/// <summary>Something that happened to a customer's escalation rules, or an action a matched rule takes.</summary>
/// <param name="At">When it happened.</param>
public abstract record EscalationEvent(Instant At)
{
    /// <summary>A sentence for people.</summary>
    public abstract string Describe();
}

/// <summary>The rules were replaced.</summary>
public sealed record EscalationRulesSet(Instant At, ImmutableArray<EscalationRuleDefinition> Rules) : EscalationEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => Rules.Length == 1 ? "1 escalation rule in force." : $"{Rules.Length} escalation rules in force.";
}

/// <summary>A matched rule's action; applying it leaves the rules unchanged (the ticket or the host carries it out).</summary>
/// <param name="At">When the alert was matched.</param>
/// <param name="RuleId">The rule that matched.</param>
/// <param name="Reason">Why (the alert, in words).</param>
public abstract record EscalationActionTriggered(Instant At, string RuleId, string Reason) : EscalationEvent(At)
{
    /// <summary>True for the actions the ticket applies to itself (reassign, escalate to management).</summary>
    public abstract bool ChangesTicket { get; }
}

/// <summary>Notify <paramref name="Target"/> (a role or a user).</summary>
public sealed record NotifyTriggered(Instant At, string RuleId, string Reason, string Target) : EscalationActionTriggered(At, RuleId, Reason)
{
    /// <inheritdoc />
    public override bool ChangesTicket => false;

    /// <inheritdoc />
    public override string Describe() => $"notify {Target}";
}

/// <summary>Reassign the ticket (a part of <paramref name="To"/> not named keeps the ticket's).</summary>
public sealed record ReassignTriggered(Instant At, string RuleId, string Reason, Assignment To) : EscalationActionTriggered(At, RuleId, Reason)
{
    /// <inheritdoc />
    public override bool ChangesTicket => true;

    /// <inheritdoc />
    public override string Describe() => $"reassign to {To}";
}

/// <summary>Flag the ticket as escalated to management; <paramref name="Target"/> names whom (e.g. managers).</summary>
public sealed record EscalateToManagementTriggered(Instant At, string RuleId, string Reason, string Target) : EscalationActionTriggered(At, RuleId, Reason)
{
    /// <inheritdoc />
    public override bool ChangesTicket => true;

    /// <inheritdoc />
    public override string Describe() => $"escalate to management ({Target})";
}

/// <summary>Call the webhook at <paramref name="Url"/>.</summary>
public sealed record WebhookTriggered(Instant At, string RuleId, string Reason, string Url) : EscalationActionTriggered(At, RuleId, Reason)
{
    /// <inheritdoc />
    public override bool ChangesTicket => false;

    /// <inheritdoc />
    public override string Describe() => $"call webhook {Url}";
}
