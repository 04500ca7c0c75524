using System.Collections.Immutable;

namespace SlaGrains.Contracts.Escalations;

/// <summary>
/// A customer's escalations (key: customer id): the rules, applied to each alert; every escalation is an
/// <see cref="IEscalationRecordGrain"/> keyed by the alert's (ticket, metric, threshold, cycle), so a retried or
/// redelivered alert escalates once, and the <c>escalations</c> table keeps them all.
/// </summary>
public interface IEscalationGrain : IGrainWithStringKey
{
    /// <summary>Replaces the rules; a rule with an unknown threshold or empty target is rejected.</summary>
    Task SetRules(ImmutableArray<EscalationRule> rules);

    /// <summary>The rules in force.</summary>
    Task<ImmutableArray<EscalationRule>> GetRules();

    /// <summary>
    /// Takes an alert from a ticket. Returns the escalation it produced, or the existing one when the alert was
    /// seen before (nothing happens twice).
    /// </summary>
    Task<EscalationView> Raise(SlaAlert alert);

    /// <summary>Acknowledges an escalation; false when unknown. Acknowledging twice keeps the first.</summary>
    Task<bool> Acknowledge(string escalationId, string by);

    /// <summary>The newest escalations (from the <c>escalations</c> table), up to <paramref name="limit"/> (at most 500).</summary>
    Task<ImmutableArray<EscalationView>> GetLog(int limit);
}
