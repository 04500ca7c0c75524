using System.Data;
using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The SQL of the monitor queries (<see cref="IMonitorReadModel"/>), for either store. The stores differ only in how a
/// list of customers or monitors is bound, as for <see cref="TicketQueries"/>.
/// </summary>
/// <remarks>
/// Ids sort in ordinal order on both stores (BINARY on SQLite, <c>COLLATE "C"</c> on PostgreSQL). Ties the interface
/// leaves open are broken so each order is total and read straight from an index: incidents of one start by id
/// descending, check results of one instant by region descending, maintenance windows of one start by id.
/// </remarks>
/// <param name="asArray">True on PostgreSQL (one <c>text[]</c> parameter), false on SQLite; see <see cref="SqlFilters.AnyOf"/>.</param>
internal sealed class MonitorQueries(bool asArray)
{
    /// <summary>The largest <c>limit</c> a query takes.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>For PostgreSQL.</summary>
    public static MonitorQueries Postgres { get; } = new(asArray: true);

    /// <summary>For SQLite.</summary>
    public static MonitorQueries Sqlite { get; } = new(asArray: false);

    /// <summary>Whether a list of customers or monitors is bound as one array parameter.</summary>
    public bool AsArray { get; } = asArray;

    /// <summary>Throws unless <paramref name="limit"/> is 1–<see cref="MaxLimit"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is not.</exception>
    public static void CheckLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
    }

    /// <summary>The monitors of the customers (null: all; not empty), by customer then monitor id.</summary>
    public SqlStatement Monitors(IReadOnlyCollection<string>? customers)
    {
        var where = new List<string>();
        var arguments = new List<SqlArgument>();
        if (customers is not null)
        {
            where.Add(SqlFilters.Customers(customers, AsArray, arguments));
        }

        return new($"SELECT {MonitorRowsSql.SelectMonitorColumns} FROM monitors{SqlFilters.Where(where)} ORDER BY customer_id, monitor_id", arguments);
    }

    /// <summary>The rollups of the monitors (not empty) at <paramref name="granularity"/> starting in [from, to), by monitor then bucket start.</summary>
    public SqlStatement Rollups(IReadOnlyCollection<string> monitorIds, RollupGranularity granularity, Instant from, Instant to)
    {
        var arguments = new List<SqlArgument>
        {
            new("@granularity", DbType.Int32, (int)granularity),
            new("@from", DbType.Int64, SqlFilters.Bound(from)),
            new("@to", DbType.Int64, SqlFilters.Bound(to)),
        };
        var where = new List<string>
        {
            SqlFilters.AnyOf("monitor_id", "monitor", monitorIds, AsArray, arguments),
            "granularity = @granularity",
            "bucket_start >= @from",
            "bucket_start < @to",
        };
        return new(
            $"SELECT {MonitorRowsSql.SelectRollupColumns} FROM check_rollups{SqlFilters.Where(where)} ORDER BY monitor_id, bucket_start",
            arguments);
    }

    /// <summary>One monitor's results in [from, to), newest first (one instant: by region descending), at most <paramref name="limit"/>.</summary>
    public static SqlStatement CheckResults(string monitorId, Instant from, Instant to, int limit)
        => new(
            $"SELECT {MonitorRowsSql.SelectCheckResultColumns} FROM check_results "
            + "WHERE monitor_id = @monitor AND at >= @from AND at < @to ORDER BY at DESC, region DESC LIMIT @limit",
            [
                new("@monitor", DbType.String, monitorId),
                new("@from", DbType.Int64, SqlFilters.Bound(from)),
                new("@to", DbType.Int64, SqlFilters.Bound(to)),
                new("@limit", DbType.Int32, limit),
            ]);

    /// <summary>
    /// One monitor's results in [from, to) after <paramref name="after"/> (null: from the first), oldest first (one
    /// instant: by region), at most <paramref name="limit"/>: a walk of the key (monitor, at, region).
    /// </summary>
    public static SqlStatement CheckResultPage(string monitorId, Instant from, Instant to, CheckResultPosition? after, int limit)
    {
        var arguments = new List<SqlArgument>
        {
            new("@monitor", DbType.String, monitorId),
            new("@from", DbType.Int64, SqlFilters.Bound(from)),
            new("@to", DbType.Int64, SqlFilters.Bound(to)),
            new("@limit", DbType.Int32, limit),
        };
        var resume = string.Empty;
        if (after is not null)
        {
            arguments.Add(new("@after_at", DbType.Int64, ReadModelTime.Nanoseconds(after.At)));
            arguments.Add(new("@after_region", DbType.String, after.Region));
            resume = " AND (at > @after_at OR (at = @after_at AND region > @after_region))";
        }

        return new(
            $"SELECT {MonitorRowsSql.SelectCheckResultColumns} FROM check_results "
            + $"WHERE monitor_id = @monitor AND at >= @from AND at < @to{resume} ORDER BY at, region LIMIT @limit",
            arguments);
    }

    /// <summary>
    /// One monitor's latency checks in [from, to): good (up, answered within the threshold) and total (failed, or up
    /// with a response time). <c>NOT is_down</c> reads the same on SQLite's 0/1 and PostgreSQL's boolean.
    /// </summary>
    public static SqlStatement LatencyCounts(string monitorId, Instant from, Instant to, Duration threshold)
        => new(
            "SELECT COALESCE(SUM(CASE WHEN NOT is_down AND response_time <= @threshold THEN 1 ELSE 0 END), 0), COUNT(*) FROM check_results "
            + "WHERE monitor_id = @monitor AND at >= @from AND at < @to AND (is_down OR response_time IS NOT NULL)",
            [
                new("@monitor", DbType.String, monitorId),
                new("@from", DbType.Int64, SqlFilters.Bound(from)),
                new("@to", DbType.Int64, SqlFilters.Bound(to)),
                new("@threshold", DbType.Int64, ReadModelTime.Nanoseconds(threshold)),
            ]);

    /// <summary>
    /// Check statistics of the monitors (not empty) over the results in [from, to), grouped by monitor and, when
    /// <paramref name="byRegion"/>, region (else the region column reads as the empty string): checks, failures, timed
    /// checks and the nearest-rank p50/p95/p99 and max of the response times. Window functions number each group's
    /// response times in order; the rank of percentile p among n is ceil(p·n/100), written (p·n + 99) / 100 in the
    /// integer division both stores share. Read by <see cref="MonitorRowsSql.ReadCheckStats"/>.
    /// </summary>
    public SqlStatement CheckStats(IReadOnlyCollection<string> monitorIds, Instant from, Instant to, bool byRegion)
    {
        var arguments = new List<SqlArgument>
        {
            new("@from", DbType.Int64, SqlFilters.Bound(from)),
            new("@to", DbType.Int64, SqlFilters.Bound(to)),
        };
        var monitors = SqlFilters.AnyOf("monitor_id", "monitor", monitorIds, AsArray, arguments);
        var region = byRegion ? "region" : "''";
        return new(
            $"""
            WITH base AS (
                SELECT monitor_id, {region} AS region, is_down, response_time FROM check_results
                WHERE {monitors} AND at >= @from AND at < @to),
            timed AS (
                SELECT monitor_id, region, response_time,
                       ROW_NUMBER() OVER (PARTITION BY monitor_id, region ORDER BY response_time) AS rn,
                       COUNT(*) OVER (PARTITION BY monitor_id, region) AS n
                FROM base WHERE response_time IS NOT NULL),
            ranks AS (
                SELECT monitor_id, region, MAX(n) AS timed,
                       MAX(CASE WHEN rn = (50 * n + 99) / 100 THEN response_time END) AS p50,
                       MAX(CASE WHEN rn = (95 * n + 99) / 100 THEN response_time END) AS p95,
                       MAX(CASE WHEN rn = (99 * n + 99) / 100 THEN response_time END) AS p99,
                       MAX(response_time) AS slowest
                FROM timed GROUP BY monitor_id, region),
            counts AS (
                SELECT monitor_id, region, COUNT(*) AS checks, SUM(CASE WHEN is_down THEN 1 ELSE 0 END) AS failed
                FROM base GROUP BY monitor_id, region)
            SELECT c.monitor_id, c.region, c.checks, c.failed, COALESCE(r.timed, 0), r.p50, r.p95, r.p99, r.slowest
            FROM counts c LEFT JOIN ranks r ON r.monitor_id = c.monitor_id AND r.region = c.region
            ORDER BY c.monitor_id, c.region
            """,
            arguments);
    }

    /// <summary>
    /// The customers' incidents (null: all; not empty) still open at <paramref name="since"/> or later — ongoing, or
    /// ended after it (an end is exclusive: one that ended at <paramref name="since"/> was over by then) — newest start
    /// first (one start: by id descending), at most <paramref name="limit"/>.
    /// </summary>
    public SqlStatement Incidents(IReadOnlyCollection<string>? customers, Instant since, int limit)
    {
        var arguments = new List<SqlArgument> { new("@since", DbType.Int64, SqlFilters.Bound(since)) };
        var where = new List<string>();
        if (customers is not null)
        {
            where.Add(SqlFilters.Customers(customers, AsArray, arguments));
        }

        where.Add("(end_at IS NULL OR end_at > @since)");
        arguments.Add(new("@limit", DbType.Int32, limit));
        return new(
            $"SELECT {MonitorRowsSql.SelectIncidentColumns} FROM incidents{SqlFilters.Where(where)} ORDER BY start_at DESC, incident_id DESC LIMIT @limit",
            arguments);
    }

    /// <summary>
    /// The customers' maintenance windows (null: all; not empty) that are not cancelled and end after
    /// <paramref name="endingAfter"/>, by start (one start: by id), at most <paramref name="limit"/>.
    /// </summary>
    public SqlStatement Maintenance(IReadOnlyCollection<string>? customers, Instant endingAfter, int limit)
    {
        var arguments = new List<SqlArgument> { new("@ending_after", DbType.Int64, SqlFilters.Bound(endingAfter)) };
        var where = new List<string>();
        if (customers is not null)
        {
            where.Add(SqlFilters.Customers(customers, AsArray, arguments));
        }

        // NOT cancelled reads the same on both stores: a boolean on PostgreSQL, 0 or 1 on SQLite.
        where.Add("NOT cancelled");
        where.Add("end_at > @ending_after");
        arguments.Add(new("@limit", DbType.Int32, limit));
        return new(
            $"SELECT {MonitorRowsSql.SelectMaintenanceColumns} FROM maintenance{SqlFilters.Where(where)} ORDER BY start_at, maintenance_id LIMIT @limit",
            arguments);
    }

    /// <summary>
    /// The customers' burn-rate alerts (null: all; not empty), newest start first (one start: by id descending), only
    /// those still firing when <paramref name="firingOnly"/>, at most <paramref name="limit"/>.
    /// </summary>
    public SqlStatement BudgetAlerts(IReadOnlyCollection<string>? customers, bool firingOnly, int limit)
    {
        var arguments = new List<SqlArgument>();
        var where = new List<string>();
        if (customers is not null)
        {
            where.Add(SqlFilters.Customers(customers, AsArray, arguments));
        }

        if (firingOnly)
        {
            where.Add("stopped_at IS NULL");
        }

        arguments.Add(new("@limit", DbType.Int32, limit));
        return new(
            $"SELECT {MonitorRowsSql.SelectBudgetAlertColumns} FROM budget_alerts{SqlFilters.Where(where)} ORDER BY started_at DESC, alert_id DESC LIMIT @limit",
            arguments);
    }
}
