using System.Collections.Immutable;
using SlaGrains.Domain;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Contracts.Incidents;

/// <summary>One update of an incident's timeline, as stored, listed and pushed.</summary>
/// <param name="IncidentId">The incident: a monitor's (<c>{monitor}-{sequence}</c>) or a manual one (<c>{customer}.m{hex}</c>).</param>
/// <param name="CustomerId">The incident's customer.</param>
/// <param name="Sequence">1 for the first update, then 2, 3, … in the order posted.</param>
/// <param name="Status">Where the work stands.</param>
/// <param name="Message">What people are told (up to 10,000 characters).</param>
/// <param name="By">Who posted it (a user name); empty when shown to someone who is not staff.</param>
/// <param name="At">When it was posted, on the SLA clock.</param>
[GenerateSerializer]
[Alias("slagrains.incident-update-view")]
[Immutable]
public sealed record IncidentUpdateView(
    [property: Id(0)] string IncidentId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] int Sequence,
    [property: Id(3)] IncidentUpdateStatus Status,
    [property: Id(4)] string Message,
    [property: Id(5)] string By,
    [property: Id(6)] Instant At)
{
    /// <summary>The view of a domain update.</summary>
    public static IncidentUpdateView From(string incidentId, string customerId, IncidentUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return new(incidentId, customerId, update.Sequence, update.Status, update.Message, update.By, update.At);
    }

    /// <summary>The domain's update.</summary>
    public IncidentUpdate ToDomain() => new(Sequence, Status, Message, By, At);
}

/// <summary>A manual incident: opened by staff for a customer, not by a monitor.</summary>
/// <param name="IncidentId">Stable id, <c>{customer}.m{hex}</c> (never ends in <c>-{digits}</c>, so never a monitor's).</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Title">Its title.</param>
/// <param name="Components">The affected components (monitor ids of the customer's components), sorted.</param>
/// <param name="Impact">How badly they are affected while it is open.</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="OpenedBy">Who opened it.</param>
/// <param name="ResolvedAt">When it was resolved; null while open.</param>
[GenerateSerializer]
[Alias("slagrains.manual-incident-view")]
[Immutable]
public sealed record ManualIncidentView(
    [property: Id(0)] string IncidentId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Title,
    [property: Id(3)] ImmutableArray<string> Components,
    [property: Id(4)] IncidentImpact Impact,
    [property: Id(5)] Instant OpenedAt,
    [property: Id(6)] string OpenedBy,
    [property: Id(7)] Instant? ResolvedAt)
{
    /// <summary>True until resolved.</summary>
    public bool IsOpen => ResolvedAt is null;

    /// <summary>The view of a domain manual incident.</summary>
    public static ManualIncidentView From(string incidentId, string customerId, ManualIncident manual)
    {
        ArgumentNullException.ThrowIfNull(manual);
        return new(incidentId, customerId, manual.Title, manual.Components, manual.Impact, manual.OpenedAt, manual.OpenedBy, manual.ResolvedAt);
    }

    /// <summary>The domain's manual incident.</summary>
    public ManualIncident ToDomain() => new(Title, Components.IsDefault ? [] : Components, Impact, OpenedAt, OpenedBy, ResolvedAt);
}

/// <summary>An incident's timeline as its grain keeps it.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="MonitorId">The monitor whose outage it is; null for a manual incident.</param>
/// <param name="Manual">The manual incident; null for a monitor's.</param>
/// <param name="Updates">The updates, newest first.</param>
[GenerateSerializer]
[Alias("slagrains.incident-timeline-view")]
[Immutable]
public sealed record IncidentTimelineView(
    [property: Id(0)] string IncidentId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string? MonitorId,
    [property: Id(3)] ManualIncidentView? Manual,
    [property: Id(4)] ImmutableArray<IncidentUpdateView> Updates);

/// <summary>The answer to an incident command: the timeline after it, or why nothing changed.</summary>
[GenerateSerializer]
[Alias("slagrains.incident-timeline-result")]
[Immutable]
public sealed record IncidentTimelineResult([property: Id(0)] IncidentTimelineView? Timeline, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when the command was accepted (and is durable).</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>Opens a manual incident (checked by the application before it reaches the grain).</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Title">Its title.</param>
/// <param name="Components">The affected components (monitor ids of the customer's components).</param>
/// <param name="Impact">How badly they are affected.</param>
/// <param name="Status">The first update's status (not resolved).</param>
/// <param name="Message">The first update's message.</param>
/// <param name="By">Who opens it.</param>
[GenerateSerializer]
[Alias("slagrains.open-manual-incident")]
[Immutable]
public sealed record ManualIncidentOpening(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string Title,
    [property: Id(2)] ImmutableArray<string> Components,
    [property: Id(3)] IncidentImpact Impact,
    [property: Id(4)] IncidentUpdateStatus Status,
    [property: Id(5)] string Message,
    [property: Id(6)] string By);

/// <summary>Posts an update (checked by the application before it reaches the grain).</summary>
/// <param name="CustomerId">The incident's customer.</param>
/// <param name="MonitorId">For a monitor's incident, its monitor; null for a manual one.</param>
/// <param name="Status">Where the work stands.</param>
/// <param name="Message">What people are told.</param>
/// <param name="By">Who posts it.</param>
[GenerateSerializer]
[Alias("slagrains.incident-update-posting")]
[Immutable]
public sealed record IncidentUpdatePosting(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? MonitorId,
    [property: Id(2)] IncidentUpdateStatus Status,
    [property: Id(3)] string Message,
    [property: Id(4)] string By);
