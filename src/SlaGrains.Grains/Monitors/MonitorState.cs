using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Grains.Monitors;

/// <summary>
/// A monitor's durable state. The durable record of downtime is the incident list (one interval per confirmed
/// outage, kept 13 months); raw check results are kept only for a short window before the newest one, enough to
/// confirm runs of N failures, apply the region majority and absorb late results (see <see cref="MonitorGrain"/>).
/// </summary>
[GenerateSerializer]
[Alias("slagrains.monitor-state")]
public sealed partial class MonitorState
{
    /// <summary>The configuration; null until configured.</summary>
    [Id(0)]
    public MonitorSettings? Settings { get; set; }

    /// <summary>Recent check results (and heartbeats as successes, missed heartbeats as failures), any order.</summary>
    [Id(1)]
    public List<CheckResult> Results { get; set; } = [];

    /// <summary>Incidents, oldest first.</summary>
    [Id(2)]
    public List<IncidentView> Incidents { get; set; } = [];

    /// <summary>Maintenance windows not cancelled, by announcement order.</summary>
    [Id(3)]
    public List<MaintenanceView> Maintenance { get; set; } = [];

    /// <summary>The next incident's sequence number.</summary>
    [Id(4)]
    public int NextIncident { get; set; } = 1;

    /// <summary>The next maintenance window's sequence number.</summary>
    [Id(5)]
    public int NextMaintenance { get; set; } = 1;

    /// <summary>The last heartbeat; null when none yet.</summary>
    [Id(6)]
    public Instant? LastHeartbeat { get; set; }

    /// <summary>When the next heartbeat is due (a failure is recorded then); null when none is awaited.</summary>
    [Id(7)]
    public Instant? HeartbeatDueAt { get; set; }

    /// <summary>When the durable reminder will next wake the monitor; null when none is registered.</summary>
    [Id(8)]
    public Instant? ReminderDueAt { get; set; }

    /// <summary>Names of the burn-rate alerts firing at the last evaluation (an alert is published when it starts firing).</summary>
    [Id(9)]
    public List<string> FiringAlerts { get; set; } = [];

    /// <summary>The up/down status last told to the customer grain; null when never told.</summary>
    [Id(10)]
    public bool? CustomerToldDown { get; set; }

    /// <summary>Heartbeats missed in a row since the last heartbeat (a failure each); none are awaited after N.</summary>
    [Id(11)]
    public int MissedHeartbeats { get; set; }

    /// <summary>The regions whose probers an http monitor runs (started, re-started by the probe reminder); empty for push.</summary>
    [Id(12)]
    public List<string> ProbeRegions { get; set; } = [];

    /// <summary>The newest probe per region (what the monitor view shows: status code, response time, why).</summary>
    [Id(13)]
    public Dictionary<string, ProbeReport> LatestProbes { get; set; } = [];

    /// <summary>Whether the probe reminder (the probers' durable backstop) is registered.</summary>
    [Id(14)]
    public bool ProbeReminder { get; set; }

    /// <summary>When the monitor was first configured; null in state written before it was kept (then: at the next load).</summary>
    [Id(15)]
    public Instant? ConfiguredAt { get; set; }

    /// <summary>Since when the monitor has had no data (unknown); null while it has data.</summary>
    [Id(16)]
    public Instant? UnknownSince { get; set; }

    /// <summary>Past times without data, oldest first (bounded like incidents).</summary>
    [Id(17)]
    public List<Interval> UnknownIntervals { get; set; } = [];

    /// <summary>When each firing burn-rate alert of <see cref="FiringAlerts"/> started (missing in older state: when next decided).</summary>
    [Id(18)]
    public Dictionary<string, Instant> AlertsStartedAt { get; set; } = [];

    /// <summary>The health the monitor's rules decided for the customer; null in older state (then from <see cref="CustomerToldDown"/>).</summary>
    [Id(19)]
    public ComponentHealth? Health { get; set; }

    /// <summary>The health last told to the customer grain (acknowledged); null when never told.</summary>
    [Id(20)]
    public ComponentHealth? CustomerToldHealth { get; set; }

    /// <summary>The newest result's instant (kept beyond the result window); null when none or in older state.</summary>
    [Id(21)]
    public Instant? LastDataAt { get; set; }

    /// <summary>
    /// The latest burn-rate alert firings, by start (those the rules keep, <see cref="Domain.Monitors.MonitorRules.MaxRecentAlerts"/>),
    /// as their rows last said, with their acknowledgement: the firings the rules can acknowledge (<c>ToRules</c> reads
    /// them), and what start-up repair writes again to <c>budget_alerts</c> if a crash lost a row after the state write.
    /// </summary>
    [Id(22)]
    public List<BudgetAlertView> RecentBudgetAlerts { get; set; } = [];

    /// <summary>
    /// Per-minute good/total latency checks over the longest burn-rate window (3 days): only what the latency burn-rate
    /// alerts need (the month's figures come from <c>check_results</c>). Empty without a latency SLO. Id 40 keeps clear
    /// of fields other work adds.
    /// </summary>
    [Id(40)]
    public List<LatencyBucket> LatencyBuckets { get; set; } = [];
}

/// <summary>Good and total latency checks in the minute starting at <paramref name="Start"/>.</summary>
[GenerateSerializer]
[Alias("slagrains.latency-bucket")]
[Immutable]
public sealed record LatencyBucket([property: Id(0)] Instant Start, [property: Id(1)] int Good, [property: Id(2)] int Total);
