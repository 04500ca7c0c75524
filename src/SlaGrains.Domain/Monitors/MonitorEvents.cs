using System.Collections.Immutable;
using NodaTime;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Monitors;

/// <summary>Something that happened to a monitor, folded by <see cref="MonitorRules.Apply"/>.</summary>
/// <param name="At">When it happened (for a result-dated event, the result's instant).</param>
public abstract record MonitorEvent(Instant At);

/// <summary>The rules were set or changed.</summary>
public sealed record MonitorConfigured(Instant At, MonitorPolicy Policy) : MonitorEvent(At);

/// <summary>Check results were kept (pushed, probed, back-filled).</summary>
public sealed record ResultsRecorded(Instant At, ImmutableArray<CheckResult> Results) : MonitorEvent(At);

/// <summary>A heartbeat arrived (a success at <see cref="MonitorEvent.At"/>); the next is due at <paramref name="NextDueAt"/>.</summary>
public sealed record HeartbeatReceived(Instant At, string? Region, Instant? NextDueAt) : MonitorEvent(At);

/// <summary>A heartbeat was not received by its due instant (<see cref="MonitorEvent.At"/>): a failure dated then.</summary>
public sealed record HeartbeatMissed(Instant At, string? Region, Instant? NextDueAt) : MonitorEvent(At);

/// <summary>An outage was confirmed.</summary>
public sealed record IncidentOpened(Instant At, MonitorIncident Incident) : MonitorEvent(At);

/// <summary>An outage ended (the incident as it is now, with its end).</summary>
public sealed record IncidentResolved(Instant At, MonitorIncident Incident) : MonitorEvent(At);

/// <summary>No result came for the monitor's stale-after time: unknown since <see cref="MonitorEvent.At"/> (when it fell due).</summary>
public sealed record BecameUnknown(Instant At) : MonitorEvent(At);

/// <summary>Results came again: the unknown time <paramref name="Unknown"/> is over (an empty interval withdraws it).</summary>
public sealed record DataResumed(Instant At, Interval Unknown) : MonitorEvent(At);

/// <summary>A gap in back-filled or late results longer than the stale-after time: unknown time in the past.</summary>
public sealed record UnknownRecorded(Instant At, Interval Unknown) : MonitorEvent(At);

/// <summary>Maintenance was announced.</summary>
public sealed record MaintenanceAnnounced(Instant At, MonitorMaintenance Window) : MonitorEvent(At);

/// <summary>Maintenance was cancelled.</summary>
public sealed record MaintenanceCancelled(Instant At, MonitorMaintenance Window) : MonitorEvent(At);

/// <summary>A burn-rate alert started firing.</summary>
/// <param name="At">When (the evaluation instant); with the monitor and the alert's name, it identifies the alert.</param>
/// <param name="Status">The evaluated alert, with both windows' burn rates.</param>
public sealed record BurnRateAlertStarted(Instant At, BurnRateAlertStatus Status) : MonitorEvent(At);

/// <summary>A burn-rate alert stopped firing.</summary>
/// <param name="At">When it was found no longer firing.</param>
/// <param name="StartedAt">When it had started (identifies the alert).</param>
/// <param name="Status">The evaluated alert, with both windows' burn rates now.</param>
public sealed record BurnRateAlertStopped(Instant At, Instant StartedAt, BurnRateAlertStatus Status) : MonitorEvent(At);

/// <summary>A firing of a burn-rate alert was acknowledged.</summary>
/// <param name="At">When it was acknowledged.</param>
/// <param name="Name">The alert's name.</param>
/// <param name="StartedAt">When the firing started (identifies it with the name).</param>
/// <param name="By">Who acknowledged it.</param>
public sealed record BurnRateAlertAcknowledged(Instant At, string Name, Instant StartedAt, string By) : MonitorEvent(At);

/// <summary>What the monitor tells its customer about its component changed.</summary>
public sealed record HealthChanged(Instant At, ComponentHealth Health) : MonitorEvent(At);

/// <summary>
/// Old evidence was dropped: results before <paramref name="ResultsBefore"/> (and beyond the newest
/// <paramref name="MaxResults"/>), incidents and unknown times that ended before <paramref name="HistoryBefore"/>.
/// </summary>
public sealed record HistoryPruned(Instant At, Instant ResultsBefore, int MaxResults, Instant HistoryBefore) : MonitorEvent(At);
