using System.Collections.Immutable;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Tickets;

/// <summary>
/// One ticket event from another system, mapped to our words and ready to apply at <see cref="At"/>: what
/// <see cref="ITicketGrain.Sync"/> keeps (every one received, in <c>at</c> order) and replays.
/// </summary>
/// <param name="EventId">Unique per (source, ticket): a replay with the same id changes nothing.</param>
/// <param name="Fingerprint">The event's content: the same id with another fingerprint is a conflict.</param>
/// <param name="Type">One of the generic types (<c>created</c>, <c>status</c>, <c>agentReply</c>, ...).</param>
/// <param name="At">When it happened in the other system.</param>
/// <param name="CustomerId">The customer (for <c>created</c>).</param>
/// <param name="Subject">The subject (for <c>created</c>).</param>
/// <param name="Status">Our status (for <c>created</c>, optional, and <c>status</c>).</param>
/// <param name="Priority">Our priority (for <c>created</c> and <c>priority</c>).</param>
/// <param name="Targets">The customer's targets for <see cref="Priority"/>.</param>
/// <param name="Options">The customer's clock options (for <c>created</c>).</param>
/// <param name="Team">The team (for <c>assigned</c>).</param>
/// <param name="Assignee">The assignee (for <c>assigned</c>).</param>
[GenerateSerializer]
[Alias("slagrains.synced-ticket-event")]
[Immutable]
public sealed record SyncedTicketEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] string Type,
    [property: Id(3)] Instant At,
    [property: Id(4)] string? CustomerId = null,
    [property: Id(5)] string? Subject = null,
    [property: Id(6)] TicketStatus? Status = null,
    [property: Id(7)] TicketPriority? Priority = null,
    [property: Id(8)] TicketTargets? Targets = null,
    [property: Id(9)] SlaClockOptions? Options = null,
    [property: Id(10)] string? Team = null,
    [property: Id(11)] string? Assignee = null);

/// <summary>A source's events for one ticket, as one request brought them.</summary>
/// <param name="Source">The source's name (a ticket belongs to the source that created it).</param>
/// <param name="Events">The events, in any order.</param>
/// <param name="ReceivedAt">When the request was received: warnings and breaches due before it are past.</param>
/// <param name="EscalatePast">Hand past warnings and breaches to the escalation grain too (else they are only recorded).</param>
[GenerateSerializer]
[Alias("slagrains.ticket-sync-batch")]
[Immutable]
public sealed record TicketSyncBatch(
    [property: Id(0)] string Source,
    [property: Id(1)] ImmutableArray<SyncedTicketEvent> Events,
    [property: Id(2)] Instant ReceivedAt,
    [property: Id(3)] bool EscalatePast);

/// <summary>What became of one synced event.</summary>
public static class SyncOutcomes
{
    /// <summary>Applied to the ticket (at its instant).</summary>
    public const string Applied = "applied";
    /// <summary>Received before: nothing changed.</summary>
    public const string Replayed = "replayed";
    /// <summary>Kept, but waiting for the ticket's <c>created</c> event.</summary>
    public const string Pending = "pending";
    /// <summary>Kept, but the ticket refused it (e.g. a reply to a closed ticket): it changes nothing.</summary>
    public const string Rejected = "rejected";
    /// <summary>Not kept: the event id was used for other content, or the ticket id belongs to a ticket not from this source.</summary>
    public const string Conflict = "conflict";
}

/// <summary>One event's outcome.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Outcome">One of <see cref="SyncOutcomes"/>.</param>
/// <param name="Reason">Why, when not applied.</param>
[GenerateSerializer]
[Alias("slagrains.synced-event-result")]
[Immutable]
public sealed record SyncedEventResult([property: Id(0)] string EventId, [property: Id(1)] string Outcome, [property: Id(2)] string? Reason = null);
