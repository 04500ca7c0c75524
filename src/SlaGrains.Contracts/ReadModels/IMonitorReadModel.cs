using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Contracts.ReadModels;

/// <summary>
/// Queries over the monitor tables: <c>monitors</c> (one row per monitor), <c>check_results</c> (raw results, kept
/// <see cref="ReadModelRetention.CheckResults"/>), <c>check_rollups</c> (per monitor per hour and per UTC day, kept
/// <see cref="ReadModelRetention.Rollups"/>), <c>incidents</c> and <c>maintenance</c>.
/// </summary>
public interface IMonitorReadModel
{
    /// <summary>The monitors of the listed customers (null: every customer), by customer then monitor id.</summary>
    Task<IReadOnlyList<MonitorRow>> MonitorsAsync(IReadOnlyCollection<string>? customers, CancellationToken cancellationToken = default);

    /// <summary>
    /// The rollups of the listed monitors at one granularity whose bucket starts in <paramref name="from"/> ≤ start &lt;
    /// <paramref name="to"/>, by monitor then bucket start.
    /// </summary>
    Task<IReadOnlyList<CheckRollupRow>> RollupsAsync(
        IReadOnlyCollection<string> monitorIds, RollupGranularity granularity, Instant from, Instant to, CancellationToken cancellationToken = default);

    /// <summary>One monitor's raw results with <paramref name="from"/> ≤ at &lt; <paramref name="to"/>, newest first, at most <paramref name="limit"/> (1–10,000).</summary>
    Task<IReadOnlyList<CheckResultRow>> CheckResultsAsync(string monitorId, Instant from, Instant to, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// One monitor's raw results with <paramref name="from"/> ≤ at &lt; <paramref name="to"/> after <paramref name="after"/>
    /// (null: from the first), oldest first (one instant: by region), at most <paramref name="limit"/> (1–10,000): a page of
    /// a keyset walk, so an export of a month never holds more than a page.
    /// </summary>
    Task<IReadOnlyList<CheckResultRow>> CheckResultPageAsync(
        string monitorId, Instant from, Instant to, CheckResultPosition? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// One monitor's latency checks with <paramref name="from"/> ≤ at &lt; <paramref name="to"/> counted against
    /// <paramref name="threshold"/>: total = failed checks and up checks with a response time; good = up checks answered
    /// within the threshold (inclusive). Failures count as not good (see <c>LatencyObjective</c>). A count, not rows:
    /// a month of results never leaves the store.
    /// </summary>
    Task<LatencyCountRow> LatencyCountsAsync(string monitorId, Instant from, Instant to, Duration threshold, CancellationToken cancellationToken = default);

    /// <summary>
    /// Check statistics of the listed monitors (at most <see cref="CheckStatsRow.MonitorLimit"/>) over the raw results with
    /// <paramref name="from"/> ≤ at &lt; <paramref name="to"/> (a span of at most <see cref="CheckStatsRow.MaxSpan"/>), aggregated
    /// in the store: one row per monitor over all its regions (<see cref="CheckStatsRow.Region"/> null) and one per monitor
    /// and region, by monitor then region (the all-regions row first). Monitors without results in the span have no rows.
    /// </summary>
    Task<IReadOnlyList<CheckStatsRow>> CheckStatsAsync(IReadOnlyCollection<string> monitorIds, Instant from, Instant to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Incidents of the listed customers (null: every customer) that were open at some point at or after
    /// <paramref name="since"/> (ongoing, or ended after it), newest start first, at most <paramref name="limit"/> (1–10,000).
    /// </summary>
    Task<IReadOnlyList<IncidentRow>> IncidentsAsync(IReadOnlyCollection<string>? customers, Instant since, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Maintenance windows (not cancelled) of the listed customers (null: every customer) that end after
    /// <paramref name="endingAfter"/>, by start, at most <paramref name="limit"/> (1–10,000).
    /// </summary>
    Task<IReadOnlyList<MaintenanceRow>> MaintenanceAsync(IReadOnlyCollection<string>? customers, Instant endingAfter, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The burn-rate alerts of the listed customers (null: every customer; empty: none), newest start first, at most
    /// <paramref name="limit"/>; only those still firing when <paramref name="firingOnly"/>.
    /// </summary>
    Task<IReadOnlyList<BudgetAlertRow>> BudgetAlertsAsync(IReadOnlyCollection<string>? customers, bool firingOnly, int limit, CancellationToken cancellationToken = default);
}

/// <summary>One row of <c>monitors</c>: what a monitor list shows, and the version of the monitor grain's state it was made from.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="Component">The component it watches (the status page's name).</param>
/// <param name="IsCritical">The monitor's own critical label.</param>
/// <param name="Kind"><c>push</c>, <c>heartbeat</c> or <c>http</c>.</param>
/// <param name="IsDown">Whether an outage is confirmed.</param>
/// <param name="LastResultAt">The newest result; null when none yet.</param>
/// <param name="Version">The monitor grain's state version (its storage ETag).</param>
public sealed record MonitorRow(string MonitorId, string CustomerId, string Component, bool IsCritical, string Kind, bool IsDown, Instant? LastResultAt, long Version);

/// <summary>One row of <c>check_results</c>: inserted once by (monitor, region, at); a replay changes nothing.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="Region">The region that checked; empty for a single-location monitor.</param>
/// <param name="At">When it checked.</param>
/// <param name="IsDown">Whether the check failed.</param>
/// <param name="ResponseTime">How long the service took to answer, when measured.</param>
public sealed record CheckResultRow(string MonitorId, string CustomerId, string Region, Instant At, bool IsDown, Duration? ResponseTime);

/// <summary>Where a walk of one monitor's results stopped: the last row's instant and region (results are unique by both).</summary>
/// <param name="At">The last row's instant.</param>
/// <param name="Region">The last row's region.</param>
public sealed record CheckResultPosition(Instant At, string Region);

/// <summary>
/// Checks of one monitor over a span, from one region or all of them: how many, how many failed, and the response
/// times of those that measured one (nearest-rank percentiles, as <see cref="CheckRollup"/>).
/// </summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Region">The region (empty: the single location); null for the row over all regions.</param>
/// <param name="Checks">Results in the span.</param>
/// <param name="FailedChecks">Of those, failures.</param>
/// <param name="TimedChecks">Of those, the ones with a response time.</param>
/// <param name="ResponseP50">Median response time; null when none was measured.</param>
/// <param name="ResponseP95">95th percentile.</param>
/// <param name="ResponseP99">99th percentile.</param>
/// <param name="ResponseMax">Slowest.</param>
public sealed record CheckStatsRow(
    string MonitorId, string? Region, long Checks, long FailedChecks, long TimedChecks,
    Duration? ResponseP50, Duration? ResponseP95, Duration? ResponseP99, Duration? ResponseMax)
{
    /// <summary>Most monitors one query takes: 1,000.</summary>
    public const int MonitorLimit = 1_000;

    /// <summary>The longest span one query takes: 93 days (a calendar quarter in any zone, with its DST hours).</summary>
    public static readonly Duration MaxSpan = Duration.FromDays(93);

    /// <summary>The share of checks that did not fail, in percent (4 decimals, rounded down); null without checks.</summary>
    public decimal? AvailabilityPercent => Checks == 0 ? null : Math.Floor(1_000_000m * (Checks - FailedChecks) / Checks) / 10_000m;
}

/// <summary>The bucket of a rollup. The numbers are stored: append only.</summary>
public enum RollupGranularity
{
    /// <summary>A UTC hour.</summary>
    Hour = 0,

    /// <summary>A UTC day.</summary>
    Day = 1,
}

/// <summary>One row of <c>check_rollups</c>: replaced only by a higher <paramref name="Version"/>.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="Granularity">Hour or day.</param>
/// <param name="BucketStart">The bucket's first instant (a UTC hour or midnight).</param>
/// <param name="Figures">Up, down and unknown time; checks; response-time percentiles.</param>
/// <param name="Version">The monitor grain's state version it was computed at.</param>
public sealed record CheckRollupRow(string MonitorId, string CustomerId, RollupGranularity Granularity, Instant BucketStart, CheckRollup Figures, long Version);

/// <summary>One row of <c>incidents</c>: replaced only by a higher <paramref name="Version"/>.</summary>
/// <param name="Incident">The incident.</param>
/// <param name="Component">The monitor's component when it was written.</param>
/// <param name="Version">The monitor grain's state version.</param>
public sealed record IncidentRow(IncidentView Incident, string Component, long Version);

/// <summary>One row of <c>maintenance</c>: replaced only by a higher <paramref name="Version"/>; a cancelled window keeps its row, marked.</summary>
/// <param name="Maintenance">The window.</param>
/// <param name="MonitorId">The monitor it was announced on.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="Component">The monitor's component.</param>
/// <param name="Cancelled">Whether it was cancelled.</param>
/// <param name="Version">The monitor grain's state version.</param>
public sealed record MaintenanceRow(MaintenanceView Maintenance, string MonitorId, string CustomerId, string Component, bool Cancelled, long Version);

/// <summary>How long the monitor history tables keep rows (a retention pass deletes older ones).</summary>
public static class ReadModelRetention
{
    /// <summary>Raw check results: 90 days by default (<c>ReadModels:CheckResultRetentionDays</c>).</summary>
    public static readonly Duration CheckResults = Duration.FromDays(90);

    /// <summary>Hourly and daily rollups: 400 days (a year of monthly history plus a margin, like incidents).</summary>
    public static readonly Duration Rollups = Duration.FromDays(400);
}

/// <summary>One row of the <c>budget_alerts</c> read model: one firing of a burn-rate alert, started or stopped.</summary>
/// <param name="Alert">The alert.</param>
/// <param name="Version">The monitor state version it was written from (a stop replaces the start).</param>
public sealed record BudgetAlertRow(BudgetAlertView Alert, long Version);

/// <summary>Good and total latency checks of one monitor over a period (see <see cref="IMonitorReadModel.LatencyCountsAsync"/>).</summary>
/// <param name="Good">Up checks answered within the threshold.</param>
/// <param name="Total">Failed checks and up checks with a response time.</param>
public sealed record LatencyCountRow(long Good, long Total);
