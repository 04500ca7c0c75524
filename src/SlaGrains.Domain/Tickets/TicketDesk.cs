using System.Collections.Immutable;
using NodaTime;
using SlaGrains.Domain.Escalations;

namespace SlaGrains.Domain.Tickets;

/// <summary>
/// The ticket-level facts next to its SLA (<see cref="TicketSla"/>): who works it, whether management was pulled
/// in, and the incident it belongs to. Changed only through <see cref="Decide"/> and <see cref="Apply"/>; an escalation's actions arrive here as events
/// the ticket applies in its own turn, so the escalation never calls back into the ticket.
/// </summary>
/// <remarks>
/// A reassignment that changes nothing, and an escalation to management of a ticket already escalated, make no event:
/// a rule firing again (a later cycle, a redelivery) leaves one entry in the audit.
/// </remarks>
/// <param name="Team">The team it is assigned to; null for none.</param>
/// <param name="Assignee">The person it is assigned to; null for none.</param>
/// <param name="EscalatedToManagement">True once a rule escalated it to management (it stays so).</param>
/// <param name="IncidentId">The incident the ticket is linked to (a monitor's or a manual one); null for none.</param>
public sealed record TicketDesk(string? Team, string? Assignee, bool EscalatedToManagement, string? IncidentId = null)
{
    /// <summary>A ticket nobody has been given yet.</summary>
    public static TicketDesk Unassigned { get; } = new(null, null, false);

    /// <summary>
    /// The events <paramref name="actions"/> (a matched rule's actions; those that do not change the ticket are skipped)
    /// make on <paramref name="desk"/>, dated <paramref name="at"/>, each folded before the next is decided.
    /// </summary>
    public static ImmutableArray<TicketDeskEvent> Decide(TicketDesk desk, IEnumerable<EscalationActionTriggered> actions, Instant at)
    {
        ArgumentNullException.ThrowIfNull(desk);
        ArgumentNullException.ThrowIfNull(actions);
        var events = ImmutableArray.CreateBuilder<TicketDeskEvent>();
        var current = desk;
        foreach (var action in actions)
        {
            TicketDeskEvent? e = action switch
            {
                ReassignTriggered r => Reassigned(current, r.To.Team ?? current.Team, r.To.User ?? current.Assignee, at, r.Reason, r.RuleId),
                EscalateToManagementTriggered m when !current.EscalatedToManagement => new TicketEscalatedToManagement(at, m.Target, m.Reason, m.RuleId),
                _ => null,
            };
            if (e is not null)
            {
                events.Add(e);
                current = Apply(current, e);
            }
        }

        return events.ToImmutable();
    }

    /// <summary>A person's reassignment: the event, or none when it changes nothing.</summary>
    public static ImmutableArray<TicketDeskEvent> Reassign(TicketDesk desk, string? team, string? assignee, Instant at)
    {
        ArgumentNullException.ThrowIfNull(desk);
        return Reassigned(desk, team, assignee, at, "assigned", null) is { } e ? [e] : [];
    }

    /// <summary>
    /// Links the ticket to <paramref name="incidentId"/> (null unlinks it): the event, or none when the ticket is linked
    /// to that incident already (a retried link or a second unlink leaves one entry in the audit). Which incidents may be
    /// linked (one of the ticket's customer) is the caller's to check; a ticket is linked to one incident at a time.
    /// </summary>
    public static ImmutableArray<TicketDeskEvent> LinkIncident(TicketDesk desk, string? incidentId, Instant at, string reason)
    {
        ArgumentNullException.ThrowIfNull(desk);
        var to = string.IsNullOrWhiteSpace(incidentId) ? null : incidentId;
        return to == desk.IncidentId ? [] : [new TicketIncidentLinked(at, desk.IncidentId, to, reason)];
    }

    /// <summary>Folds one event into the desk.</summary>
    public static TicketDesk Apply(TicketDesk desk, TicketDeskEvent @event)
    {
        ArgumentNullException.ThrowIfNull(desk);
        return @event switch
        {
            TicketReassigned r => desk with { Team = r.Team, Assignee = r.Assignee },
            TicketEscalatedToManagement => desk with { EscalatedToManagement = true },
            TicketIncidentLinked l => desk with { IncidentId = l.IncidentId },
            _ => throw new InvalidOperationException($"{@event?.GetType().Name} is not a ticket desk event."),
        };
    }

    private static TicketReassigned? Reassigned(TicketDesk desk, string? team, string? assignee, Instant at, string reason, string? ruleId)
        => team == desk.Team && assignee == desk.Assignee ? null : new TicketReassigned(at, desk.Team, desk.Assignee, team, assignee, reason, ruleId);
}

/// <summary>Something that happened to a ticket's team, assignee, escalation flag or incident link.</summary>
/// <param name="At">When it happened (an escalation's action: when the threshold fell due).</param>
public abstract record TicketDeskEvent(Instant At)
{
    /// <summary>A sentence for the audit trail.</summary>
    public abstract string Describe();
}

/// <summary>The ticket went to another team and/or person; <paramref name="RuleId"/> names the escalation rule that moved it, if one did.</summary>
public sealed record TicketReassigned(Instant At, string? FromTeam, string? FromAssignee, string? Team, string? Assignee, string Reason, string? RuleId) : TicketDeskEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"Reassigned from {Name(FromTeam, FromAssignee)} to {Name(Team, Assignee)}: {Reason}";

    private static string Name(string? team, string? person) => (team, person) switch
    {
        (null, null) => "nobody",
        ({ } t, null) => $"team {t}",
        (null, { } p) => p,
        ({ } t, { } p) => $"{p} (team {t})",
    };
}

/// <summary>An escalation rule escalated the ticket to management (<paramref name="Target"/>, e.g. managers).</summary>
public sealed record TicketEscalatedToManagement(Instant At, string Target, string Reason, string RuleId) : TicketDeskEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"Escalated to management ({Target}): {Reason}";
}

/// <summary>
/// The ticket was linked to incident <paramref name="IncidentId"/> (null: unlinked) from <paramref name="FromIncidentId"/>
/// (null: none); <paramref name="Reason"/> says why (<c>linked</c>, <c>opened for the incident</c>, <c>outage of a
/// critical component</c>, <c>unlinked</c>).
/// </summary>
public sealed record TicketIncidentLinked(Instant At, string? FromIncidentId, string? IncidentId, string Reason) : TicketDeskEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => (FromIncidentId, IncidentId) switch
    {
        (_, null) => $"Unlinked from incident {FromIncidentId}: {Reason}",
        (null, { } to) => $"Linked to incident {to}: {Reason}",
        ({ } from, { } to) => $"Linked to incident {to} instead of {from}: {Reason}",
    };
}
