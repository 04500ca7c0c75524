using System.Data;
using System.Data.Common;
using System.Globalization;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The rows of the monitor tables — <c>monitors</c>, <c>check_results</c>, <c>check_rollups</c>, <c>incidents</c>,
/// <c>maintenance</c> — and the statements that write, clear and prune them, the same on SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// <para>Enums are their integer values; instants are nanoseconds since the Unix epoch and durations nanoseconds
/// (<see cref="ReadModelTime"/>), so a rollup's up, down and unknown time and every response time read back exactly.
/// A check result's region is the empty string for a single-location monitor (a key column cannot be NULL). A
/// postmortem link is stored as written (<see cref="Uri.OriginalString"/>).</para>
/// <para>A check result is inserted once by (monitor, instant, region): a replay changes nothing. Every other row is
/// replaced only by a higher <c>version</c> (the monitor grain's state ETag): a replay (same version) or an older
/// version arriving late changes nothing, so a reviewed incident or a cancelled window is never undone by a late write.</para>
/// </remarks>
internal static class MonitorRowsSql
{
    /// <summary>
    /// The most rows one prune statement deletes: a retention pass deletes in steps of this many, each its own
    /// transaction, so it never holds the SQLite writer — and the grain state writes queued behind it — for long.
    /// </summary>
    public const int PruneStep = 5_000;

    // The oldest rows first, at most @step, found through the table's index on the instant; the key columns then
    // find each row again. A row value IN (subquery) works on both stores.
    private const string PruneCheckResultsSql =
        "DELETE FROM check_results WHERE (monitor_id, at, region) IN "
        + "(SELECT monitor_id, at, region FROM check_results WHERE at < @before ORDER BY at LIMIT @step)";

    private const string PruneRollupsSql =
        "DELETE FROM check_rollups WHERE (monitor_id, granularity, bucket_start) IN "
        + "(SELECT monitor_id, granularity, bucket_start FROM check_rollups WHERE bucket_start < @before ORDER BY bucket_start LIMIT @step)";

    private static readonly string[] MonitorColumns =
        ["monitor_id", "customer_id", "component", "is_critical", "kind", "is_down", "last_result_at", "version"];

    private static readonly string[] CheckResultColumns =
        ["monitor_id", "customer_id", "region", "at", "is_down", "response_time"];

    private static readonly string[] RollupColumns =
    [
        "monitor_id", "customer_id", "granularity", "bucket_start", "up_time", "down_time", "unknown_time", "checks",
        "failed_checks", "response_p50", "response_p95", "response_max", "version", "response_p99",
    ];

    private static readonly string[] IncidentColumns =
    [
        "incident_id", "monitor_id", "customer_id", "component", "start_at", "end_at", "opened_at", "resolved_at",
        "postmortem", "root_cause", "resolution", "version",
    ];

    private static readonly string[] MaintenanceColumns =
    [
        "maintenance_id", "monitor_id", "customer_id", "component", "start_at", "end_at", "announced_at", "description",
        "cancelled", "version",
    ];

    private static readonly string[] BudgetAlertColumns =
    [
        "alert_id", "monitor_id", "customer_id", "component", "name", "severity", "factor", "long_window", "short_window",
        "long_burn_rate", "short_burn_rate", "started_at", "stopped_at", "acknowledged_at", "acknowledged_by", "version",
    ];

    /// <summary>The columns <see cref="ReadBudgetAlert"/> reads, in its order.</summary>
    public static readonly string SelectBudgetAlertColumns = string.Join(", ", BudgetAlertColumns);

    /// <summary>Inserts a burn-rate alert row, or replaces the stored one if it has a lower version (a start by its stop or acknowledgement).</summary>
    public static readonly string UpsertBudgetAlert = Upsert("budget_alerts", BudgetAlertColumns, "alert_id");

    /// <summary>The columns <see cref="ReadMonitor"/> reads, in its order.</summary>
    public static readonly string SelectMonitorColumns = string.Join(", ", MonitorColumns);

    /// <summary>The columns <see cref="ReadCheckResult"/> reads, in its order.</summary>
    public static readonly string SelectCheckResultColumns = string.Join(", ", CheckResultColumns);

    /// <summary>The columns <see cref="ReadRollup"/> reads, in its order.</summary>
    public static readonly string SelectRollupColumns = string.Join(", ", RollupColumns);

    /// <summary>The columns <see cref="ReadIncident"/> reads, in its order.</summary>
    public static readonly string SelectIncidentColumns = string.Join(", ", IncidentColumns);

    /// <summary>The columns <see cref="ReadMaintenance"/> reads, in its order.</summary>
    public static readonly string SelectMaintenanceColumns = string.Join(", ", MaintenanceColumns);

    /// <summary>Inserts a monitor row, or replaces the stored one if it has a lower version.</summary>
    public static readonly string UpsertMonitor = Upsert("monitors", MonitorColumns, "monitor_id");

    /// <summary>Inserts a check result unless its (monitor, instant, region) is there already.</summary>
    public static readonly string InsertCheckResult =
        $"INSERT INTO check_results ({SelectCheckResultColumns}) VALUES ({Placeholders(CheckResultColumns)}) "
        + "ON CONFLICT (monitor_id, at, region) DO NOTHING";

    /// <summary>Inserts a rollup row, or replaces the stored one if it has a lower version.</summary>
    public static readonly string UpsertRollup = Upsert("check_rollups", RollupColumns, "monitor_id", "granularity", "bucket_start");

    /// <summary>Inserts an incident row, or replaces the stored one if it has a lower version.</summary>
    public static readonly string UpsertIncident = Upsert("incidents", IncidentColumns, "incident_id");

    /// <summary>Inserts a maintenance row, or replaces the stored one if it has a lower version.</summary>
    public static readonly string UpsertMaintenance = Upsert("maintenance", MaintenanceColumns, "maintenance_id");

    /// <summary>
    /// Empties the tables a rebuild writes again from grain state: <c>monitors</c>, <c>incidents</c> and
    /// <c>maintenance</c>. Check results, rollups and burn-rate alerts (<c>budget_alerts</c>) are history the grains no
    /// longer hold, so they stay.
    /// </summary>
    public static readonly IReadOnlyList<SqlStatement> Clear =
    [
        new("DELETE FROM monitors", []),
        new("DELETE FROM incidents", []),
        new("DELETE FROM maintenance", []),
    ];

    /// <summary>
    /// The statements that write the monitor rows of <paramref name="batch"/>, with every value converted, so a batch
    /// that cannot be stored fails its caller before it is queued.
    /// </summary>
    /// <exception cref="ArgumentException">A row is null or holds null where a value is required, or a rollup has an unknown granularity.</exception>
    public static IReadOnlyList<SqlStatement> Statements(ReadModelBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(batch.Monitors, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.CheckResults, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Rollups, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Incidents, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Maintenance, nameof(batch));
        var statements = new List<SqlStatement>(
            batch.Monitors.Count + batch.CheckResults.Count + batch.Rollups.Count + batch.Incidents.Count + batch.Maintenance.Count);
        foreach (var monitor in batch.Monitors)
        {
            ArgumentNullException.ThrowIfNull(monitor, nameof(batch));
            statements.Add(new SqlStatement(UpsertMonitor, MonitorArguments(monitor), monitor.MonitorId));
        }

        foreach (var result in batch.CheckResults)
        {
            ArgumentNullException.ThrowIfNull(result, nameof(batch));
            statements.Add(new SqlStatement(InsertCheckResult, CheckResultArguments(result), Key(result.MonitorId, result.At, result.Region)));
        }

        foreach (var rollup in batch.Rollups)
        {
            ArgumentNullException.ThrowIfNull(rollup, nameof(batch));
            statements.Add(new SqlStatement(
                UpsertRollup,
                RollupArguments(rollup),
                Key(rollup.MonitorId, rollup.BucketStart, ((int)rollup.Granularity).ToString(CultureInfo.InvariantCulture))));
        }

        foreach (var incident in batch.Incidents)
        {
            ArgumentNullException.ThrowIfNull(incident, nameof(batch));
            ArgumentNullException.ThrowIfNull(incident.Incident, nameof(batch));
            statements.Add(new SqlStatement(UpsertIncident, IncidentArguments(incident), incident.Incident.IncidentId));
        }

        foreach (var maintenance in batch.Maintenance)
        {
            ArgumentNullException.ThrowIfNull(maintenance, nameof(batch));
            ArgumentNullException.ThrowIfNull(maintenance.Maintenance, nameof(batch));
            statements.Add(new SqlStatement(UpsertMaintenance, MaintenanceArguments(maintenance), maintenance.Maintenance.MaintenanceId));
        }

        foreach (var alert in batch.BudgetAlerts ?? [])
        {
            ArgumentNullException.ThrowIfNull(alert, nameof(batch));
            ArgumentNullException.ThrowIfNull(alert.Alert, nameof(batch));
            statements.Add(new SqlStatement(UpsertBudgetAlert, BudgetAlertArguments(alert), alert.Alert.AlertId));
        }

        return statements;
    }

    /// <summary>
    /// The statements of a retention pass: each deletes at most <see cref="PruneStep"/> check results older than
    /// <paramref name="checkResultsBefore"/>, or rollups whose bucket starts before <paramref name="rollupsBefore"/>,
    /// and is run again until it deletes fewer.
    /// </summary>
    public static IReadOnlyList<SqlStatement> Prune(Instant checkResultsBefore, Instant rollupsBefore) =>
    [
        new(PruneCheckResultsSql, [new("@before", DbType.Int64, SqlFilters.Bound(checkResultsBefore)), new("@step", DbType.Int32, PruneStep)]),
        new(PruneRollupsSql, [new("@before", DbType.Int64, SqlFilters.Bound(rollupsBefore)), new("@step", DbType.Int32, PruneStep)]),
    ];

    /// <summary>Reads a row selected with <see cref="SelectMonitorColumns"/>.</summary>
    public static MonitorRow ReadMonitor(DbDataReader reader) => new(
        MonitorId: reader.GetString(0),
        CustomerId: reader.GetString(1),
        Component: reader.GetString(2),
        IsCritical: reader.GetBoolean(3),
        Kind: reader.GetString(4),
        IsDown: reader.GetBoolean(5),
        LastResultAt: NullableInstant(reader, 6),
        Version: reader.GetInt64(7));

    /// <summary>Reads a row selected with <see cref="SelectCheckResultColumns"/>.</summary>
    public static CheckResultRow ReadCheckResult(DbDataReader reader) => new(
        MonitorId: reader.GetString(0),
        CustomerId: reader.GetString(1),
        Region: reader.GetString(2),
        At: ReadModelTime.Instant(reader.GetInt64(3)),
        IsDown: reader.GetBoolean(4),
        ResponseTime: NullableDuration(reader, 5));

    /// <summary>Reads a row selected with <see cref="SelectRollupColumns"/>.</summary>
    public static CheckRollupRow ReadRollup(DbDataReader reader) => new(
        MonitorId: reader.GetString(0),
        CustomerId: reader.GetString(1),
        Granularity: (RollupGranularity)reader.GetInt32(2),
        BucketStart: ReadModelTime.Instant(reader.GetInt64(3)),
        Figures: new CheckRollup(
            Up: ReadModelTime.Duration(reader.GetInt64(4)),
            Down: ReadModelTime.Duration(reader.GetInt64(5)),
            Unknown: ReadModelTime.Duration(reader.GetInt64(6)),
            Checks: reader.GetInt32(7),
            FailedChecks: reader.GetInt32(8),
            ResponseP50: NullableDuration(reader, 9),
            ResponseP95: NullableDuration(reader, 10),
            ResponseMax: NullableDuration(reader, 11),
            ResponseP99: NullableDuration(reader, 13)),
        Version: reader.GetInt64(12));

    /// <summary>Reads a row of <see cref="MonitorQueries.CheckStats"/>; <paramref name="byRegion"/> false makes it the all-regions row.</summary>
    public static CheckStatsRow ReadCheckStats(DbDataReader reader, bool byRegion) => new(
        MonitorId: reader.GetString(0),
        Region: byRegion ? reader.GetString(1) : null,
        Checks: reader.GetInt64(2),
        FailedChecks: reader.GetInt64(3),
        TimedChecks: reader.GetInt64(4),
        ResponseP50: NullableDuration(reader, 5),
        ResponseP95: NullableDuration(reader, 6),
        ResponseP99: NullableDuration(reader, 7),
        ResponseMax: NullableDuration(reader, 8));

    /// <summary>Reads a row selected with <see cref="SelectIncidentColumns"/>.</summary>
    public static IncidentRow ReadIncident(DbDataReader reader) => new(
        Incident: new IncidentView(
            IncidentId: reader.GetString(0),
            MonitorId: reader.GetString(1),
            CustomerId: reader.GetString(2),
            Start: ReadModelTime.Instant(reader.GetInt64(4)),
            End: NullableInstant(reader, 5),
            OpenedAt: ReadModelTime.Instant(reader.GetInt64(6)),
            ResolvedAt: NullableInstant(reader, 7),
            Postmortem: reader.IsDBNull(8) ? null : new Uri(reader.GetString(8), UriKind.RelativeOrAbsolute),
            RootCause: reader.IsDBNull(9) ? null : (IncidentRootCause)reader.GetInt32(9),
            Resolution: reader.IsDBNull(10) ? null : reader.GetString(10)),
        Component: reader.GetString(3),
        Version: reader.GetInt64(11));

    /// <summary>Reads a row selected with <see cref="SelectMaintenanceColumns"/>.</summary>
    public static MaintenanceRow ReadMaintenance(DbDataReader reader) => new(
        Maintenance: new MaintenanceView(
            MaintenanceId: reader.GetString(0),
            Start: ReadModelTime.Instant(reader.GetInt64(4)),
            End: ReadModelTime.Instant(reader.GetInt64(5)),
            AnnouncedAt: ReadModelTime.Instant(reader.GetInt64(6)),
            Description: reader.GetString(7)),
        MonitorId: reader.GetString(1),
        CustomerId: reader.GetString(2),
        Component: reader.GetString(3),
        Cancelled: reader.GetBoolean(8),
        Version: reader.GetInt64(9));

    /// <summary>An insert of <paramref name="columns"/> that replaces the row of the same key only when it has a lower <c>version</c>.</summary>
    private static string Upsert(string table, string[] columns, params string[] key)
        => $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({Placeholders(columns)}) "
            + $"ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET {string.Join(", ", columns.Except(key).Select(c => $"{c} = excluded.{c}"))} "
            + $"WHERE {table}.version < excluded.version";

    private static string Placeholders(string[] columns) => string.Join(", ", columns.Select(c => "@" + c));

    /// <summary>A row's lock key (see <see cref="SqlStatement.LockKey"/>): its key columns, NUL-separated.</summary>
    private static string Key(string monitorId, Instant at, string other)
        => string.Create(CultureInfo.InvariantCulture, $"{monitorId}\u0000{ReadModelTime.Nanoseconds(at):D20}\u0000{other}");

    private static SqlArgument[] MonitorArguments(MonitorRow row) =>
    [
        Text("@monitor_id", row.MonitorId),
        Text("@customer_id", row.CustomerId),
        Text("@component", row.Component),
        Bool("@is_critical", row.IsCritical),
        Text("@kind", row.Kind),
        Bool("@is_down", row.IsDown),
        Long("@last_result_at", Nanoseconds(row.LastResultAt)),
        Long("@version", row.Version),
    ];

    private static SqlArgument[] CheckResultArguments(CheckResultRow row) =>
    [
        Text("@monitor_id", row.MonitorId),
        Text("@customer_id", row.CustomerId),

        // The region is part of the key: "no region" is the empty string, never NULL (NULLs never conflict).
        Text("@region", row.Region ?? string.Empty),
        Long("@at", ReadModelTime.Nanoseconds(row.At)),
        Bool("@is_down", row.IsDown),
        Long("@response_time", Nanoseconds(row.ResponseTime)),
    ];

    private static SqlArgument[] RollupArguments(CheckRollupRow row)
    {
        if (!Enum.IsDefined(row.Granularity))
        {
            throw new ArgumentException($"The rollup of monitor '{row.MonitorId}' at {row.BucketStart} has unknown granularity {(int)row.Granularity}.", nameof(row));
        }

        var figures = row.Figures ?? throw new ArgumentException($"The rollup of monitor '{row.MonitorId}' at {row.BucketStart} has no figures.", nameof(row));
        return
        [
            Text("@monitor_id", row.MonitorId),
            Text("@customer_id", row.CustomerId),
            Int("@granularity", (int)row.Granularity),
            Long("@bucket_start", ReadModelTime.Nanoseconds(row.BucketStart)),
            Long("@up_time", ReadModelTime.Nanoseconds(figures.Up)),
            Long("@down_time", ReadModelTime.Nanoseconds(figures.Down)),
            Long("@unknown_time", ReadModelTime.Nanoseconds(figures.Unknown)),
            Int("@checks", figures.Checks),
            Int("@failed_checks", figures.FailedChecks),
            Long("@response_p50", Nanoseconds(figures.ResponseP50)),
            Long("@response_p95", Nanoseconds(figures.ResponseP95)),
            Long("@response_max", Nanoseconds(figures.ResponseMax)),
            Long("@version", row.Version),
            Long("@response_p99", Nanoseconds(figures.ResponseP99)),
        ];
    }

    private static SqlArgument[] IncidentArguments(IncidentRow row)
    {
        var incident = row.Incident;
        return
        [
            Text("@incident_id", incident.IncidentId),
            Text("@monitor_id", incident.MonitorId),
            Text("@customer_id", incident.CustomerId),
            Text("@component", row.Component),
            Long("@start_at", ReadModelTime.Nanoseconds(incident.Start)),
            Long("@end_at", Nanoseconds(incident.End)),
            Long("@opened_at", ReadModelTime.Nanoseconds(incident.OpenedAt)),
            Long("@resolved_at", Nanoseconds(incident.ResolvedAt)),
            Text("@postmortem", incident.Postmortem?.OriginalString),
            Int("@root_cause", incident.RootCause is { } cause ? (int)cause : null),
            Text("@resolution", incident.Resolution),
            Long("@version", row.Version),
        ];
    }

    private static SqlArgument[] MaintenanceArguments(MaintenanceRow row)
    {
        var window = row.Maintenance;
        return
        [
            Text("@maintenance_id", window.MaintenanceId),
            Text("@monitor_id", row.MonitorId),
            Text("@customer_id", row.CustomerId),
            Text("@component", row.Component),
            Long("@start_at", ReadModelTime.Nanoseconds(window.Start)),
            Long("@end_at", ReadModelTime.Nanoseconds(window.End)),
            Long("@announced_at", ReadModelTime.Nanoseconds(window.AnnouncedAt)),
            Text("@description", window.Description),
            Bool("@cancelled", row.Cancelled),
            Long("@version", row.Version),
        ];
    }

    /// <summary>Reads a row selected with <see cref="SelectBudgetAlertColumns"/>. Burn rates are stored as invariant decimal text.</summary>
    public static BudgetAlertRow ReadBudgetAlert(DbDataReader reader) => new(
        new BudgetAlertView(
            AlertId: reader.GetString(0),
            MonitorId: reader.GetString(1),
            CustomerId: reader.GetString(2),
            ComponentName: reader.GetString(3),
            Name: reader.GetString(4),
            Severity: (AlertSeverity)reader.GetInt32(5),
            Factor: decimal.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
            LongWindow: ReadModelTime.Duration(reader.GetInt64(7)),
            ShortWindow: ReadModelTime.Duration(reader.GetInt64(8)),
            LongWindowBurnRate: decimal.Parse(reader.GetString(9), CultureInfo.InvariantCulture),
            ShortWindowBurnRate: decimal.Parse(reader.GetString(10), CultureInfo.InvariantCulture),
            StartedAt: ReadModelTime.Instant(reader.GetInt64(11)),
            StoppedAt: NullableInstant(reader, 12),
            AcknowledgedAt: NullableInstant(reader, 13),
            AcknowledgedBy: reader.IsDBNull(14) ? null : reader.GetString(14)),
        reader.GetInt64(15));

    private static SqlArgument[] BudgetAlertArguments(BudgetAlertRow row)
    {
        var alert = row.Alert;
        return
        [
            Text("@alert_id", alert.AlertId),
            Text("@monitor_id", alert.MonitorId),
            Text("@customer_id", alert.CustomerId),
            Text("@component", alert.ComponentName),
            Text("@name", alert.Name),
            Int("@severity", (int)alert.Severity),
            Text("@factor", alert.Factor.ToString(CultureInfo.InvariantCulture)),
            Long("@long_window", ReadModelTime.Nanoseconds(alert.LongWindow)),
            Long("@short_window", ReadModelTime.Nanoseconds(alert.ShortWindow)),
            Text("@long_burn_rate", alert.LongWindowBurnRate.ToString(CultureInfo.InvariantCulture)),
            Text("@short_burn_rate", alert.ShortWindowBurnRate.ToString(CultureInfo.InvariantCulture)),
            Long("@started_at", ReadModelTime.Nanoseconds(alert.StartedAt)),
            Long("@stopped_at", Nanoseconds(alert.StoppedAt)),
            Long("@acknowledged_at", Nanoseconds(alert.AcknowledgedAt)),
            Text("@acknowledged_by", alert.AcknowledgedBy),
            Long("@version", row.Version),
        ];
    }

    private static Instant? NullableInstant(DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : ReadModelTime.Instant(reader.GetInt64(ordinal));

    private static Duration? NullableDuration(DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : ReadModelTime.Duration(reader.GetInt64(ordinal));

    private static long? Nanoseconds(Instant? instant) => instant is { } value ? ReadModelTime.Nanoseconds(value) : null;

    private static long? Nanoseconds(Duration? duration) => duration is { } value ? ReadModelTime.Nanoseconds(value) : null;

    private static SqlArgument Text(string name, string? value) => new(name, DbType.String, value);

    private static SqlArgument Int(string name, int? value) => new(name, DbType.Int32, value);

    private static SqlArgument Long(string name, long? value) => new(name, DbType.Int64, value);

    private static SqlArgument Bool(string name, bool value) => new(name, DbType.Boolean, value);
}
