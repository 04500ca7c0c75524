using System.Collections.Immutable;
using NodaTime;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Monitors;

/// <summary>How a monitor's rules are set: what confirms an outage, the SLO, the maintenance notice, the data it expects.</summary>
/// <param name="ConsecutiveFailures">N: failures in a row, per region, that confirm an outage; at least 1.</param>
/// <param name="SloPercent">The internal SLO in percent, in (0, 100): burn rates are measured against it.</param>
/// <param name="Notice">The notice maintenance needs to be excluded (and to keep an outage inside it off the customer's record).</param>
/// <param name="Regions">The regions results may come from; empty: any (a single location).</param>
/// <param name="HeartbeatGrace">For heartbeat monitors: how long after a heartbeat the next must come before a failure
/// is recorded; null: not a heartbeat monitor.</param>
/// <param name="StaleAfter">How long without any result before the monitor is <em>unknown</em> (neither up nor down);
/// null: never (a heartbeat monitor records a failure when its grace runs out instead).</param>
/// <param name="Latency">The latency objective (threshold and objective), with its own budget and burn-rate alerts;
/// null: none.</param>
public sealed record MonitorPolicy(
    int ConsecutiveFailures,
    decimal SloPercent,
    Duration Notice,
    ImmutableArray<string> Regions,
    Duration? HeartbeatGrace = null,
    Duration? StaleAfter = null,
    LatencyObjective? Latency = null)
{
    /// <summary>The staleness of a push monitor fed by results when nothing else is configured: 10 minutes (twice a 5-minute push interval).</summary>
    public static readonly Duration DefaultPushStaleAfter = Duration.FromMinutes(10);

    /// <summary>Why the policy cannot be used; null when it can.</summary>
    public Rejection? Problem()
    {
        if (ConsecutiveFailures < 1)
        {
            return new Rejection("invalid-monitor", $"Consecutive failures must be at least 1; got {ConsecutiveFailures}.");
        }

        if (SloPercent is <= 0m or >= 100m)
        {
            return new Rejection("invalid-monitor", $"The internal SLO must be in (0, 100) percent; got {SloPercent}.");
        }

        if (HeartbeatGrace is { } grace && grace <= Duration.Zero)
        {
            return new Rejection("invalid-monitor", $"The heartbeat grace must be positive; got {grace}.");
        }

        if (Notice < Duration.Zero)
        {
            return new Rejection("invalid-monitor", $"The maintenance notice must not be negative; got {Notice}.");
        }

        if (StaleAfter is { } stale && stale <= Duration.Zero)
        {
            return new Rejection("invalid-monitor", $"The time without data before a monitor is unknown must be positive; got {stale}.");
        }

        if (Latency?.Problem() is { } latency)
        {
            return new Rejection("invalid-monitor", latency.Message);
        }

        return null;
    }
}

/// <summary>
/// An incident: a confirmed outage from its first failure to the first success after it (see <see cref="OutageTimeline"/>).
/// </summary>
/// <param name="Id">Stable id, <c>{monitor}-{sequence}</c>.</param>
/// <param name="Start">When the service failed (the first failure of the confirming run).</param>
/// <param name="End">When it came back (the first success); null while open.</param>
/// <param name="OpenedAt">When the outage was confirmed: the instant of the check result that confirmed it (the N-th
/// failure, or the end of the maintenance it started in), never later than the decision that recorded it. Time to
/// detect is <c>OpenedAt − Start</c>, so back-filled history gives honest figures.</param>
/// <param name="ResolvedAt">When the monitor recorded its end; null while open.</param>
/// <param name="MaintenanceId">The announced, in-time maintenance window it happened in: such an incident is internal
/// (no customer-visible incident, no webhook, no alert); null for an ordinary incident.</param>
/// <param name="Note">Why it counts although it fell in a maintenance window (announced too late), in words; else null.</param>
public sealed record MonitorIncident(
    string Id,
    Instant Start,
    Instant? End,
    Instant OpenedAt,
    Instant? ResolvedAt,
    string? MaintenanceId = null,
    string? Note = null)
{
    /// <summary>True while the outage goes on.</summary>
    public bool IsOpen => End is null;

    /// <summary>True when it happened inside announced, in-time maintenance (internal, not shown to customers).</summary>
    public bool DuringMaintenance => MaintenanceId is not null;

    /// <summary>The outage as a half-open interval; without an end while open.</summary>
    public Interval Interval => new(Start, End);
}

/// <summary>An announced maintenance window.</summary>
/// <param name="Id">Stable id, <c>{monitor}-m{sequence}</c>.</param>
/// <param name="Start">First instant (inclusive).</param>
/// <param name="End">End (exclusive).</param>
/// <param name="AnnouncedAt">When it was announced (decides exclusion against the notice).</param>
/// <param name="Description">What is done.</param>
public sealed record MonitorMaintenance(string Id, Instant Start, Instant End, Instant AnnouncedAt, string Description)
{
    /// <summary>The availability domain's window.</summary>
    public MaintenanceWindow Window => new(Start, End, AnnouncedAt);
}

/// <summary>A burn-rate alert that is firing, and since when.</summary>
/// <param name="Name">The alert's name, e.g. <c>page-fast</c>.</param>
/// <param name="StartedAt">When it started firing (with the monitor and name, the key that de-duplicates its delivery).</param>
public sealed record FiringAlert(string Name, Instant StartedAt);

/// <summary>
/// One firing of a burn-rate alert, from its start to its stop, and whether someone acknowledged it. Kept for the
/// newest <see cref="MonitorRules.MaxRecentAlerts"/> firings: what an acknowledgement can name.
/// </summary>
/// <param name="Name">The alert's name, e.g. <c>page-fast</c>.</param>
/// <param name="StartedAt">When it started firing (with the name, the firing's key).</param>
/// <param name="StoppedAt">When it stopped; null while it fires.</param>
/// <param name="AcknowledgedAt">When it was acknowledged; null while nobody has.</param>
/// <param name="AcknowledgedBy">Who acknowledged it; null while nobody has.</param>
public sealed record AlertFiring(string Name, Instant StartedAt, Instant? StoppedAt = null, Instant? AcknowledgedAt = null, string? AcknowledgedBy = null)
{
    /// <summary>True once someone acknowledged it.</summary>
    public bool IsAcknowledged => AcknowledgedAt is not null;

    /// <summary>True when this is the firing of <paramref name="name"/> that started at <paramref name="startedAt"/>.</summary>
    public bool Is(string name, Instant startedAt) => Name == name && StartedAt == startedAt;
}
