using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Contracts.Monitors;

/// <summary>A monitor went down (an outage was confirmed) or came back up.</summary>
/// <param name="At">When the change happened (the outage's start, or its end).</param>
/// <param name="MonitorId">The monitor.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="ComponentName">The component it watches.</param>
/// <param name="IsDown">The new status.</param>
[GenerateSerializer]
[Alias("slagrains.notification.monitor-status-changed")]
[Immutable]
public sealed record MonitorStatusChanged(
    Instant At,
    [property: Id(0)] string MonitorId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string ComponentName,
    [property: Id(3)] bool IsDown) : SlaNotification(At);

/// <summary>An incident was opened (already written into the monitor).</summary>
[GenerateSerializer]
[Alias("slagrains.notification.incident-opened")]
[Immutable]
public sealed record IncidentOpened(Instant At, [property: Id(0)] IncidentView Incident) : SlaNotification(At);

/// <summary>An incident was resolved (already written into the monitor).</summary>
[GenerateSerializer]
[Alias("slagrains.notification.incident-resolved")]
[Immutable]
public sealed record IncidentResolved(Instant At, [property: Id(0)] IncidentView Incident) : SlaNotification(At);
