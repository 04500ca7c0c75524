using System.Collections.Immutable;
using NodaTime;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Monitors;

/// <summary>Something asked of a monitor, decided by <see cref="MonitorRules.Decide"/>.</summary>
public abstract record MonitorCommand;

/// <summary>Sets or changes the monitor's rules.</summary>
/// <param name="MonitorId">The monitor's id (kept when it is configured the first time).</param>
/// <param name="Policy">The rules.</param>
public sealed record ConfigureMonitor(string MonitorId, MonitorPolicy Policy) : MonitorCommand;

/// <summary>Check results pushed, probed or back-filled, in any order.</summary>
/// <param name="Results">At least one result.</param>
public sealed record RecordResults(ImmutableArray<CheckResult> Results) : MonitorCommand;

/// <summary>A heartbeat at now: a success; with a grace, the next is due a grace later.</summary>
public sealed record RecordHeartbeat : MonitorCommand;

/// <summary>Nothing but time passed: record missed heartbeats, staleness, maintenance boundaries, burn rates.</summary>
public sealed record CheckDeadlines : MonitorCommand;

/// <summary>Announces maintenance <c>[Start, End)</c> at now.</summary>
/// <param name="Start">First instant (inclusive).</param>
/// <param name="End">End (exclusive); after <paramref name="Start"/>.</param>
/// <param name="Description">What is done.</param>
public sealed record AnnounceMaintenance(Instant Start, Instant End, string Description) : MonitorCommand;

/// <summary>Cancels an announced maintenance window.</summary>
/// <param name="MaintenanceId">The window.</param>
public sealed record CancelMaintenance(string MaintenanceId) : MonitorCommand;

/// <summary>
/// Someone of the service provider's staff has seen one firing of a burn-rate alert (firing or stopped since).
/// Acknowledging a firing already acknowledged keeps the first acknowledgement and records nothing.
/// </summary>
/// <param name="Name">The alert's name, e.g. <c>page-fast</c>.</param>
/// <param name="StartedAt">When that firing started (with the name, it identifies the firing).</param>
/// <param name="By">Who acknowledges it (a user name); not blank.</param>
public sealed record AcknowledgeBurnRateAlert(string Name, Instant StartedAt, string By) : MonitorCommand;

/// <summary>The outcome of <see cref="MonitorRules.Decide"/>: the events and the state after them, or a rejection.</summary>
public sealed record MonitorDecision
{
    private MonitorDecision(IReadOnlyList<MonitorEvent> events, MonitorRules? state, Rejection? rejection)
    {
        Events = events;
        State = state;
        Rejection = rejection;
    }

    /// <summary>The events, in order; empty when rejected or when nothing changed.</summary>
    public IReadOnlyList<MonitorEvent> Events { get; }

    /// <summary>The state after the events; the unchanged state (null before configuration) when rejected.</summary>
    public MonitorRules? State { get; }

    /// <summary>Why the command was refused; null when accepted.</summary>
    public Rejection? Rejection { get; }

    /// <summary>True when accepted.</summary>
    public bool IsAccepted => Rejection is null;

    internal static MonitorDecision Accept(IReadOnlyList<MonitorEvent> events, MonitorRules state) => new(events, state, null);

    internal static MonitorDecision Reject(MonitorRules? state, string code, string message) => new([], state, new Rejection(code, message));
}
