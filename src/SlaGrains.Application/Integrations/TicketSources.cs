using System.Collections.Immutable;

namespace SlaGrains.Application.Integrations;

/// <summary>
/// One ticket event as another system (a helpdesk, a PSA, a CSV file) reported it, still in that system's words: its
/// status, priority and organisation are mapped to ours by the source's mapping before anything is applied.
/// </summary>
/// <param name="EventId">Unique per (source, external ticket): what makes a replay change nothing.</param>
/// <param name="ExternalTicketId">The ticket's id in the other system.</param>
/// <param name="Type">One of <see cref="TicketEventTypes"/>.</param>
/// <param name="At">When it happened in the other system (the clocks run as if it had arrived live then).</param>
/// <param name="Organisation">The other system's organisation/company id, mapped to a customer (or our customer id for the generic source).</param>
/// <param name="Status">The other system's status name (for <c>created</c> and <c>status</c>).</param>
/// <param name="Priority">The other system's priority name (for <c>created</c> and <c>priority</c>).</param>
/// <param name="Subject">The ticket's subject (for <c>created</c>).</param>
/// <param name="Team">The team (for <c>assigned</c>).</param>
/// <param name="Assignee">The assignee (for <c>assigned</c>).</param>
public sealed record ExternalTicketEvent(
    string EventId,
    string ExternalTicketId,
    string Type,
    Instant At,
    string? Organisation = null,
    string? Status = null,
    string? Priority = null,
    string? Subject = null,
    string? Team = null,
    string? Assignee = null);

/// <summary>The event types of the generic shape (DESIGN §6a).</summary>
public static class TicketEventTypes
{
    /// <summary>The ticket was opened (priority, subject, optional status).</summary>
    public const string Created = "created";
    /// <summary>The status changed.</summary>
    public const string Status = "status";
    /// <summary>An agent replied publicly.</summary>
    public const string AgentReply = "agentReply";
    /// <summary>The customer wrote.</summary>
    public const string CustomerReply = "customerReply";
    /// <summary>The priority changed.</summary>
    public const string Priority = "priority";
    /// <summary>The team and/or assignee changed.</summary>
    public const string Assigned = "assigned";
    /// <summary>The ticket was resolved.</summary>
    public const string Resolved = "resolved";
    /// <summary>A resolved ticket was reopened.</summary>
    public const string Reopened = "reopened";
    /// <summary>The ticket was closed for good.</summary>
    public const string Closed = "closed";

    /// <summary>Every type, in the spelling the API takes.</summary>
    public static readonly ImmutableArray<string> All = [Created, Status, AgentReply, CustomerReply, Priority, Assigned, Resolved, Reopened, Closed];
}

/// <summary>A request as it reached <c>POST /api/v1/integrations/{source}/events</c>: the raw body (signatures cover it) and its headers.</summary>
/// <param name="Body">The body's bytes, exactly as received.</param>
/// <param name="ContentType">The Content-Type header, if any.</param>
/// <param name="Headers">Every header, by case-insensitive name (the first value of each).</param>
/// <param name="Url">The request's full URL as the sender addressed it (some schemes sign it).</param>
public sealed record IntegrationRequest(ReadOnlyMemory<byte> Body, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Url);

/// <summary>
/// Reads one system's payloads into <see cref="ExternalTicketEvent"/>s. Pure: no storage, no clock (a signature's
/// age is judged against <c>now</c>, which the caller passes).
/// </summary>
public interface ITicketSource
{
    /// <summary>The source's name in the route (<c>zendesk</c>, <c>jira</c>, <c>connectwise</c>, <c>halopsa</c>, <c>generic</c>, <c>csv</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The source's own status names mapped to ours (<c>new</c>, <c>open</c>, <c>inProgress</c>, <c>waitingOnCustomer</c>,
    /// <c>onHold</c>, <c>resolved</c>, <c>closed</c>), used where the source's configured mapping says nothing. Case-insensitive keys.
    /// </summary>
    IReadOnlyDictionary<string, string> DefaultStatuses { get; }

    /// <summary>The source's own priority names mapped to ours (<c>p1</c>–<c>p4</c>), where the configured mapping says nothing.</summary>
    IReadOnlyDictionary<string, string> DefaultPriorities { get; }

    /// <summary>
    /// Null when <paramref name="request"/> carries a valid proof of origin for <paramref name="secret"/> (or the source
    /// has no signature scheme and <paramref name="secret"/> is null); else the reason it does not (a 401).
    /// </summary>
    string? VerifySignature(IntegrationRequest request, string? secret, Instant now);

    /// <summary>The payload's events, or the fields that are wrong (a 400 naming each).</summary>
    Result<ImmutableArray<ExternalTicketEvent>> Read(IntegrationRequest request);
}
