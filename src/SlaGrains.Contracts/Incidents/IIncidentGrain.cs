using Orleans.Concurrency;

namespace SlaGrains.Contracts.Incidents;

/// <summary>
/// One incident's timeline (key: the incident id): the updates staff post to a monitor's incident, or a manual incident
/// with its updates. Every accepted command is written durably, with its <c>incident_updates</c> (and
/// <c>manual_incidents</c>) rows, before the call returns; then it is published (<c>IncidentUpdated</c>) and handed to the
/// customer's webhooks (<c>incident.updated</c>). The rules are the domain's <c>IncidentTimeline</c>.
/// </summary>
public interface IIncidentGrain : IGrainWithStringKey
{
    /// <summary>Opens a manual incident with its first update; rejected with <c>incident-exists</c> when the id is taken.</summary>
    Task<IncidentTimelineResult> OpenManual(ManualIncidentOpening opening);

    /// <summary>
    /// Posts an update. A monitor's incident (with <see cref="IncidentUpdatePosting.MonitorId"/>) gets its timeline with
    /// the first; a manual one is resolved by a resolved update and takes nothing after it (<c>incident-resolved</c>).
    /// </summary>
    Task<IncidentTimelineResult> PostUpdate(IncidentUpdatePosting posting);

    /// <summary>The timeline; null when nothing was ever posted to this id.</summary>
    [AlwaysInterleave]
    Task<IncidentTimelineView?> Get();
}
