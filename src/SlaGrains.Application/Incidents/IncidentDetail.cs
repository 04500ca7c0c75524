using System.Collections.Immutable;

namespace SlaGrains.Application.Incidents;

/// <summary>
/// An incident with its update timeline, as every reader gets it (the API, the signed-in status page, and the public
/// status page through <see cref="IncidentQueries.PublicCaller"/>).
/// </summary>
/// <param name="Id">The incident id: a monitor's (<c>{monitor}-{n}</c>) or a manual one (<c>{customer}.m{hex}</c>).</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="Kind"><c>monitor</c> (a confirmed outage of a monitor) or <c>manual</c> (opened by staff).</param>
/// <param name="Title">What it is called: a manual incident's title, or <c>{component} outage</c> for a monitor's.</param>
/// <param name="MonitorId">The monitor whose outage it is; null for a manual incident.</param>
/// <param name="Components">The affected components, by name.</param>
/// <param name="ComponentIds">The affected components, by monitor id.</param>
/// <param name="Impact">For a manual incident <c>degraded</c>, <c>partialOutage</c> or <c>majorOutage</c>; for a monitor's <c>majorOutage</c> (its component was down).</param>
/// <param name="Start">When it began: the outage's first failure, or when the manual incident was opened.</param>
/// <param name="End">When it ended (the monitor's first success, or the manual incident's resolved update); null while ongoing.</param>
/// <param name="Resolved">Whether it is over.</param>
/// <param name="Status">The newest update's status (<c>investigating</c>, <c>identified</c>, <c>monitoring</c>, <c>resolved</c>); null before any update.</param>
/// <param name="Updates">The updates, newest first.</param>
public sealed record IncidentDetail(
    string Id,
    string CustomerId,
    string Kind,
    string Title,
    string? MonitorId,
    ImmutableArray<string> Components,
    ImmutableArray<string> ComponentIds,
    string Impact,
    Instant Start,
    Instant? End,
    bool Resolved,
    string? Status,
    ImmutableArray<IncidentUpdateDetail> Updates)
{
    /// <summary>Kind of an incident a monitor detected.</summary>
    public const string MonitorKind = "monitor";

    /// <summary>Kind of an incident staff opened by hand.</summary>
    public const string ManualKind = "manual";

    // Issue 20 — exclusions
    /// <summary>Its reclassifications (a monitor's incident only), newest first: never silent, each with its reason and effect.</summary>
    public ImmutableArray<IncidentClassificationDetail> Classifications { get; init; } = [];
}

/// <summary>One update of an incident's timeline.</summary>
/// <param name="Sequence">1 for the first update, then 2, 3, ….</param>
/// <param name="Status"><c>investigating</c>, <c>identified</c>, <c>monitoring</c> or <c>resolved</c>.</param>
/// <param name="Message">What people are told.</param>
/// <param name="By">Who posted it; null for readers who are not staff (customers and the public see no staff names).</param>
/// <param name="At">When it was posted.</param>
public sealed record IncidentUpdateDetail(int Sequence, string Status, string Message, string? By, Instant At);
