using System.Collections.Immutable;
using SlaGrains.Domain;
using SlaGrains.Domain.Escalations;

namespace SlaGrains.Contracts.Escalations;

/// <summary>
/// A customer's escalations (key: customer id): the rules, applied to each alert; every escalation is an
/// <see cref="IEscalationRecordGrain"/> keyed by the alert's (ticket, metric, threshold, cycle), so a retried or
/// redelivered alert escalates once, and the <c>escalations</c> table keeps them all.
/// </summary>
public interface IEscalationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Replaces the rules (checked by <see cref="EscalationRules.Decide"/>): null when set, else why not (a threshold
    /// outside 1–100, a missing target or one with control characters, a reassignment that names no <c>team:</c> or
    /// <c>user:</c>, an id used twice), and nothing changed.
    /// </summary>
    Task<Rejection?> SetRules(ImmutableArray<EscalationRule> rules);

    /// <summary>The rules in force.</summary>
    Task<ImmutableArray<EscalationRule>> GetRules();

    /// <summary>
    /// Read-only: the actions of the rules <paramref name="alert"/> matches, in rule order (empty when none). The ticket
    /// asks before it commits a warning or breach and applies the actions that change it (reassign, escalate to
    /// management) in that same write; nothing is recorded here.
    /// </summary>
    Task<ImmutableArray<EscalationActionTriggered>> Plan(SlaAlert alert);

    /// <summary>
    /// Takes an alert from a ticket (after the ticket committed it with the actions of <see cref="Plan"/>): records it
    /// once, queues the webhooks and publishes it; it never calls back into the ticket. Returns the escalation it produced, or the existing one when the alert was
    /// seen before (nothing happens twice).
    /// </summary>
    Task<EscalationView> Raise(SlaAlert alert);

    /// <summary>Acknowledges an escalation; false when unknown. Acknowledging twice keeps the first.</summary>
    Task<bool> Acknowledge(string escalationId, string by);

    /// <summary>The newest escalations (from the <c>escalations</c> table), up to <paramref name="limit"/> (at most 500).</summary>
    Task<ImmutableArray<EscalationView>> GetLog(int limit);
}
