using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Escalations;

/// <summary>What an escalation rule does when it matches an alert.</summary>
public enum EscalationAction
{
    /// <summary>Notify a role (e.g. <c>role:manager</c>) or a user.</summary>
    Notify,

    /// <summary>Reassign the ticket to a team and/or a user (<c>team:y</c>, <c>user:x</c>, <c>team:y/user:x</c>).</summary>
    Reassign,

    /// <summary>Flag the ticket as escalated to management (and notify managers).</summary>
    EscalateToManagement,

    /// <summary>Call a webhook URL (delivered by the host).</summary>
    Webhook,
}

/// <summary>
/// On <paramref name="Metric"/> reaching <paramref name="Percent"/> % of its target (a warning threshold, or 100 for the
/// breach), for every priority or only <paramref name="OnlyPriority"/>, do <paramref name="Action"/> to
/// <paramref name="Target"/> (a role, user, team or URL).
/// </summary>
/// <param name="RuleId">The rule's id, unique within a customer's rules.</param>
/// <param name="Metric">The clock it watches.</param>
/// <param name="Percent">The threshold in percent of the target, 1–100; 100 is the breach.</param>
/// <param name="Action">What it does.</param>
/// <param name="Target">Whom or what the action addresses; for a reassignment, canonical (<c>team:y</c>, <c>user:x</c>, <c>team:y/user:x</c>).</param>
/// <param name="OnlyPriority">The only priority it applies to; null for every priority.</param>
public sealed record EscalationRuleDefinition(string RuleId, SlaMetric Metric, int Percent, EscalationAction Action, string Target, TicketPriority? OnlyPriority = null)
{
    /// <summary>True when an alert of <paramref name="metric"/> at <paramref name="percent"/> % on a ticket of <paramref name="priority"/> triggers it.</summary>
    public bool Matches(SlaMetric metric, int percent, TicketPriority priority)
        => Metric == metric && Percent == percent && (OnlyPriority is null || OnlyPriority == priority);
}

/// <summary>A reassignment target: the team and/or the user; a part not named leaves the ticket's as it is.</summary>
/// <param name="Team">The team id, or null to keep the ticket's team.</param>
/// <param name="User">The user id, or null to keep the ticket's assignee.</param>
public sealed record Assignment(string? Team, string? User)
{
    /// <summary>
    /// Reads a canonical target: <c>team:y</c>, <c>user:x</c> or <c>team:y/user:x</c> (prefixes case-insensitive, parts
    /// non-empty, each named once). Null when <paramref name="target"/> is not one of those.
    /// </summary>
    public static Assignment? Parse(string? target)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            return null;
        }

        string? team = null, user = null;
        foreach (var part in target.Split('/'))
        {
            var value = part.Trim();
            if (value.StartsWith("team:", StringComparison.OrdinalIgnoreCase) && team is null && value.Length > 5)
            {
                team = value[5..].Trim();
            }
            else if (value.StartsWith("user:", StringComparison.OrdinalIgnoreCase) && user is null && value.Length > 5)
            {
                user = value[5..].Trim();
            }
            else
            {
                return null;
            }
        }

        return team is { Length: 0 } || user is { Length: 0 } ? null : new Assignment(team, user);
    }

    /// <summary>The canonical text: <c>team:y/user:x</c>, or the part named.</summary>
    public override string ToString() => (Team, User) switch
    {
        ({ } t, { } u) => $"team:{t}/user:{u}",
        ({ } t, null) => $"team:{t}",
        (null, { } u) => $"user:{u}",
        _ => string.Empty,
    };
}
