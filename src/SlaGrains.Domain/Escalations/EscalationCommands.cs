using System.Collections.Immutable;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Escalations;

/// <summary>Something asked of a customer's escalation rules; <see cref="EscalationRules.Decide"/> accepts or rejects it.</summary>
public abstract record EscalationCommand;

/// <summary>Replace the rules with <paramref name="Rules"/> (each checked; one bad rule refuses the whole set).</summary>
public sealed record SetEscalationRules(ImmutableArray<EscalationRuleDefinition> Rules) : EscalationCommand;

/// <summary>
/// A ticket clock crossed a threshold: which rules match, and what they do. Read-only: the decision's events are the
/// actions (<see cref="EscalationActionTriggered"/>), and applying them leaves the rules as they are.
/// </summary>
/// <param name="Metric">The clock.</param>
/// <param name="Percent">The threshold reached, in percent of the target (100: the breach).</param>
/// <param name="Priority">The ticket's priority when it was reached.</param>
/// <param name="Reason">Why, for the actions' sentences (e.g. "Resolution reached 100 %").</param>
public sealed record MatchAlert(SlaMetric Metric, int Percent, TicketPriority Priority, string Reason) : EscalationCommand;

/// <summary>The outcome of an escalation command: the events to apply and the state after them, or why nothing changed.</summary>
public sealed record EscalationDecision
{
    private EscalationDecision(ImmutableArray<EscalationEvent> events, EscalationRules state, Rejection? rejection)
    {
        Events = events;
        State = state;
        Rejection = rejection;
    }

    /// <summary>The events, in order; empty when rejected or when nothing matched.</summary>
    public ImmutableArray<EscalationEvent> Events { get; }

    /// <summary>The rules after the events; the unchanged rules when rejected.</summary>
    public EscalationRules State { get; }

    /// <summary>Why the command was refused; null when accepted.</summary>
    public Rejection? Rejection { get; }

    /// <summary>True when accepted.</summary>
    public bool IsAccepted => Rejection is null;

    internal static EscalationDecision Accept(ImmutableArray<EscalationEvent> events, EscalationRules state) => new(events, state, null);

    internal static EscalationDecision Reject(EscalationRules state, string code, string message) => new([], state, new Rejection(code, message));
}
