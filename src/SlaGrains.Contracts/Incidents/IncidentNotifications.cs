using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Contracts.Incidents;

/// <summary>
/// An update was posted to an incident (already written with its row): live pages show it, and the channels that
/// follow incidents (email subscribers, Slack, Teams) can send it. A manual incident's opening is its first update.
/// </summary>
/// <param name="At">When it was posted.</param>
/// <param name="Update">The update.</param>
/// <param name="MonitorId">The monitor whose outage it is; null for a manual incident.</param>
/// <param name="Manual">The manual incident after the update (resolved by a resolved update); null for a monitor's.</param>
[GenerateSerializer]
[Alias("slagrains.notification.incident-updated")]
[Immutable]
public sealed record IncidentUpdated(
    Instant At,
    [property: Id(0)] IncidentUpdateView Update,
    [property: Id(1)] string? MonitorId,
    [property: Id(2)] ManualIncidentView? Manual) : SlaNotification(At);
