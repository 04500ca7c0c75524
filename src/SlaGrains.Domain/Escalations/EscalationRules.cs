using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Escalations;

/// <summary>
/// A customer's escalation rules: set as a whole (each rule checked, a bad rule refuses the set, nothing changes), and
/// matched against a ticket's warnings and breaches, which yields each matched rule's action as an event. Changed only
/// through <see cref="Decide"/> and <see cref="Apply"/>; both are pure, time is a parameter.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A threshold is 1–99 (a warning) or 100 (the breach).</item>
/// <item>Every rule names a target without control characters; a reassignment names <c>team:y</c>, <c>user:x</c> or
/// <c>team:y/user:x</c> (the Application resolves names to those at save time).</item>
/// <item>Rule ids are unique. Matching is in rule order, so the actions come out in the order people wrote the rules.</item>
/// </list>
/// </remarks>
public sealed record EscalationRules
{
    /// <summary>No rules: nothing escalates.</summary>
    public static EscalationRules None { get; } = new() { Rules = [] };

    /// <summary>The rules in force, in the order they were given.</summary>
    public required ImmutableArray<EscalationRuleDefinition> Rules { get; init; }

    /// <summary>What <paramref name="command"/> does at <paramref name="now"/>: events, or a rejection; never throws for expected failures.</summary>
    public static EscalationDecision Decide(EscalationRules state, EscalationCommand command, Instant now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        switch (command)
        {
            case SetEscalationRules set:
                var rules = set.Rules.IsDefault ? [] : set.Rules;
                if (Check(rules) is { } rejection)
                {
                    return EscalationDecision.Reject(state, rejection.Code, rejection.Message);
                }

                ImmutableArray<EscalationEvent> events = [new EscalationRulesSet(now, rules)];
                return EscalationDecision.Accept(events, Apply(state, events[0]));
            case MatchAlert alert:
                return EscalationDecision.Accept([.. Match(state, alert, now)], state);
            default:
                return EscalationDecision.Reject(state, "unknown-command", $"{command.GetType().Name} is not an escalation command.");
        }
    }

    /// <summary>Folds one event into the rules (actions leave them unchanged).</summary>
    public static EscalationRules Apply(EscalationRules state, EscalationEvent @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        return @event switch
        {
            EscalationRulesSet set => state with { Rules = set.Rules },
            EscalationActionTriggered => state,
            _ => throw new InvalidOperationException($"{@event?.GetType().Name} is not an escalation event."),
        };
    }

    /// <summary>The first problem with <paramref name="rules"/>, naming the rule; null when every rule is acceptable.</summary>
    public static Rejection? Check(ImmutableArray<EscalationRuleDefinition> rules)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (rule is null)
            {
                return new Rejection("rule-missing", "A rule set has no empty entries.");
            }

            if (string.IsNullOrWhiteSpace(rule.RuleId) || rule.RuleId.Any(char.IsControl))
            {
                return new Rejection("rule-id", "Every rule has an id without control characters.");
            }

            if (!ids.Add(rule.RuleId))
            {
                return new Rejection("rule-id-twice", $"Rule id '{rule.RuleId}' is used twice.");
            }

            if (rule.Percent is < 1 or > 100)
            {
                return new Rejection("rule-percent", $"Rule {rule.RuleId}: the threshold must be a warning percentage (1–99) or 100 for the breach; got {rule.Percent}.");
            }

            if (!Enum.IsDefined(rule.Action))
            {
                return new Rejection("rule-action", $"Rule {rule.RuleId}: unknown action {(int)rule.Action}.");
            }

            if (string.IsNullOrWhiteSpace(rule.Target))
            {
                return new Rejection("rule-target", $"Rule {rule.RuleId}: say who or what the {rule.Action} addresses.");
            }

            if (rule.Target.Any(char.IsControl))
            {
                return new Rejection("rule-target", $"Rule {rule.RuleId}: a target has no control characters.");
            }

            if (rule.Action == EscalationAction.Reassign && Assignment.Parse(rule.Target) is null)
            {
                return new Rejection("rule-target", $"Rule {rule.RuleId}: a reassignment names team:<id>, user:<id> or team:<id>/user:<id>; got '{rule.Target}'.");
            }
        }

        return null;
    }

    private static IEnumerable<EscalationActionTriggered> Match(EscalationRules state, MatchAlert alert, Instant now)
    {
        foreach (var rule in state.Rules.Where(r => r.Matches(alert.Metric, alert.Percent, alert.Priority)))
        {
            var reason = $"{alert.Reason} (rule {rule.RuleId})";
            yield return rule.Action switch
            {
                EscalationAction.Notify => new NotifyTriggered(now, rule.RuleId, reason, rule.Target),
                // Checked when set; a rule stored by an older version that does not parse keeps the ticket as it is.
                EscalationAction.Reassign => new ReassignTriggered(now, rule.RuleId, reason, Assignment.Parse(rule.Target) ?? new Assignment(null, null)),
                EscalationAction.EscalateToManagement => new EscalateToManagementTriggered(now, rule.RuleId, reason, rule.Target),
                _ => new WebhookTriggered(now, rule.RuleId, reason, rule.Target),
            };
        }
    }
}
