using SlaGrains.Contracts.Escalations;

namespace SlaGrains.Application.Escalations;

/// <summary>What acknowledging one escalation of a bulk acknowledgement did.</summary>
/// <param name="Id">The escalation id as asked.</param>
/// <param name="Outcome"><c>acknowledged</c>, <c>alreadyAcknowledged</c> (the first acknowledgement stands) or <c>notFound</c>.</param>
/// <param name="Escalation">The escalation afterwards; null when not found.</param>
public sealed record EscalationAcknowledgement(string Id, string Outcome, EscalationView? Escalation)
{
    /// <summary>The caller acknowledged it now.</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>It was acknowledged before; nothing changed.</summary>
    public const string AlreadyAcknowledged = "alreadyAcknowledged";

    /// <summary>No escalation has this id.</summary>
    public const string NotFound = "notFound";
}
