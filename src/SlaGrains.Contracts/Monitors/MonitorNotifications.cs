using SlaGrains.Contracts.Notifications;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Contracts.Monitors;

/// <summary>
/// A monitor's health changed: it went down (an outage was confirmed), came back up, went silent (unknown) or into
/// maintenance. Pages show <see cref="Health"/> in words; <see cref="IsDown"/> is kept for clients that only know up/down.
/// </summary>
/// <param name="At">When the change happened (the outage's start or end, the instant the data went missing).</param>
/// <param name="MonitorId">The monitor.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="ComponentName">The component it watches.</param>
/// <param name="IsDown">Whether the component is now down.</param>
/// <param name="Health">The new health; state written before it existed reads <see cref="ComponentHealth.Up"/>.</param>
[GenerateSerializer]
[Alias("slagrains.notification.monitor-status-changed")]
[Immutable]
public sealed record MonitorStatusChanged(
    Instant At,
    [property: Id(0)] string MonitorId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string ComponentName,
    [property: Id(3)] bool IsDown,
    [property: Id(4)] ComponentHealth Health = ComponentHealth.Up) : SlaNotification(At);

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
