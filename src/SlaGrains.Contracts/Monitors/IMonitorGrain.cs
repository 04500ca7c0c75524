using Orleans.Concurrency;
using System.Collections.Immutable;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Contracts.Monitors;

/// <summary>
/// One uptime monitor (key: monitor id) of one customer component: check results and heartbeats in, incidents,
/// maintenance windows, month availability, error budget and burn-rate alerts out. Every accepted command is written
/// durably before the call returns; an up/down change is told to the customer grain and published.
/// </summary>
public interface IMonitorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Sets (or changes) the monitor's configuration; re-derives its status from the kept results. An http monitor
    /// starts (or re-plans) its probers; changing it to push stops them.
    /// </summary>
    Task<MonitorResult> Configure(MonitorSettings settings);

    /// <summary>
    /// Sets only the notice maintenance needs to be in time (<see cref="MonitorSettings.MaintenanceNotice"/>; null: 48
    /// hours), the notice of the customer's contract, which the application carries in; every other setting is kept.
    /// Incidents are re-derived from the kept results with it; the same notice again writes nothing. An unconfigured
    /// monitor is rejected (<c>monitor-not-configured</c>).
    /// </summary>
    Task<MonitorResult> SetMaintenanceNotice(Duration? notice);

    /// <summary>Ingests one check result (push). Results may arrive out of order within the kept window.</summary>
    Task<MonitorResult> Ingest(CheckResult result);

    /// <summary>Ingests several check results at once.</summary>
    Task<MonitorResult> IngestBatch(ImmutableArray<CheckResult> results);

    /// <summary>
    /// A heartbeat at now: a success. With a heartbeat grace configured, a heartbeat not followed by another within
    /// the grace is a failure dated when the grace ran out (a durable deadline).
    /// </summary>
    Task<MonitorResult> Heartbeat();

    /// <summary>Announces maintenance <c>[start, end)</c> now; the announcement instant is kept (it decides exclusion).</summary>
    Task<MaintenanceResult> AnnounceMaintenance(Instant start, Instant end, string description);

    /// <summary>Cancels an announced maintenance window; cancelling an unknown or cancelled window is rejected.</summary>
    Task<MaintenanceResult> CancelMaintenance(string maintenanceId);

    /// <summary>The maintenance windows not cancelled, by start.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<MaintenanceView>> GetMaintenance();

    /// <summary>Incidents, newest first, at most <paramref name="limit"/>.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<IncidentView>> GetIncidents(int limit);

    /// <summary>Links a postmortem to an incident.</summary>
    Task<IncidentResult> SetPostmortem(string incidentId, Uri postmortem);

    /// <summary>Records an incident's review: its root-cause category and how it was resolved (null clears either).</summary>
    Task<IncidentResult> Review(string incidentId, IncidentRootCause? rootCause, string? resolution);

    /// <summary>
    /// Ingests one probe of an http monitor from one of the regions it probes from, like a pushed check result (with
    /// its response time); rejected with <c>not-probing</c> when the monitor no longer probes from that region.
    /// </summary>
    Task<MonitorResult> IngestProbe(ProbeReport report);

    /// <summary>The monitor's configuration, status and open incident; null when never configured.</summary>
    [AlwaysInterleave]
    Task<MonitorView?> Get();

    /// <summary>
    /// Writes every read-model row the monitor's state gives (its <c>monitors</c> row, kept results and their rollups,
    /// incidents, maintenance) at the state's version: what start-up repair and a rebuild call. False when the
    /// monitor is not configured or the rows could not be written yet (they are retried).
    /// </summary>
    Task<bool> RefreshReadModel();

    /// <summary>
    /// The month's availability in <paramref name="timeZoneId"/>: downtime from the incidents, announced-in-time
    /// maintenance excluded, error budget against the internal SLO. Null when the monitor was never configured.
    /// </summary>
    [AlwaysInterleave]
    Task<MonitorMonthView?> GetMonth(YearMonth month, string timeZoneId);

    /// <summary>
    /// The raw evidence for <paramref name="period"/> (asked by the customer grain when it closes a month): the down
    /// intervals overlapping it (an ongoing one without an end) and the maintenance windows overlapping it.
    /// Interleaves with other calls: it only reads.
    /// </summary>
    [AlwaysInterleave]
    Task<MonitorDowntime> GetDowntime(Interval period);

    /// <summary>The SRE workbook's multi-window burn-rate alerts evaluated at now against the internal SLO.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<BurnRateView>> GetBurnRates();

    /// <summary>
    /// Acknowledges the firing of burn-rate alert <paramref name="name"/> that started at <paramref name="startedAt"/>
    /// (firing or stopped since) as <paramref name="by"/>, at now: written with its <c>budget_alerts</c> row and
    /// published as <see cref="BudgetAlertChanged"/>. Acknowledging again keeps the first (answered, nothing written);
    /// a firing not among the monitor's latest is rejected with <c>budget-alert-not-found</c>.
    /// </summary>
    Task<BudgetAlertResult> AcknowledgeBudgetAlert(string name, Instant startedAt, string by);
}
