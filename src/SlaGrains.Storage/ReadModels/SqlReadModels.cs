using System.Data.Common;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// <see cref="ITicketReadModel"/>, <see cref="IEscalationReadModel"/> and <see cref="IMonitorReadModel"/> in SQL over any
/// ADO.NET connection to a store holding the <c>tickets</c>, <c>clock_transitions</c>, <c>escalations</c> and monitor
/// tables; a store supplies its connections, its <see cref="TicketQueries"/>, its <see cref="EscalationQueries"/> and its
/// <see cref="MonitorQueries"/>.
/// </summary>
/// <remarks>
/// Both interfaces have a <c>ListAsync</c> and a <c>FindAsync</c>; the escalation ones are implemented explicitly, so
/// they are reached through <see cref="IEscalationReadModel"/> (as services resolve them).
/// </remarks>
internal abstract partial class SqlReadModels(TicketQueries queries, EscalationQueries escalationQueries, MonitorQueries monitorQueries)
    : ITicketReadModel, IEscalationReadModel, IMonitorReadModel
{
    /// <inheritdoc />
    public async Task<TicketListPage> ListAsync(TicketListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Customers is { Count: 0 })
        {
            // No visible customer: nothing to list, and nothing to ask the database.
            return new TicketListPage([], null, query.IncludeTotal ? 0 : null);
        }

        var pageSize = TicketQueries.PageSize(query);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(connection, queries.List(query), TicketRowsSql.ReadTicket, cancellationToken).ConfigureAwait(false);
        long? total = null;
        if (query.IncludeTotal)
        {
            total = await ScalarInt64Async(connection, queries.Count(query), cancellationToken).ConfigureAwait(false);
        }

        var exact = total is not { } counted || counted <= query.TotalCap;
        total = exact ? total : query.TotalCap;
        if (rows.Count <= pageSize)
        {
            return new TicketListPage(rows, null, total, exact);
        }

        rows.RemoveAt(rows.Count - 1);
        return new TicketListPage(rows, TicketCursor.After(rows[^1]), total, exact);
    }

    /// <inheritdoc />
    public async Task<TicketSummary?> FindAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticketId);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(connection, TicketQueries.Find(ticketId), TicketRowsSql.ReadTicket, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> TransitionsAsync(string ticketId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticketId);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, TicketQueries.Transitions(ticketId), TicketRowsSql.ReadTransition, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TicketSlaStats>> StatsAsync(TicketStatsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Customers is { Count: 0 })
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, queries.Stats(query), ReadStats, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TicketBreach>> BreachesAsync(string customerId, Interval createdIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            connection,
            TicketQueries.Breaches(customerId, createdIn),
            r => new TicketBreach(r.GetString(0), (TicketPriority)r.GetInt32(1), (SlaMetric)r.GetInt32(2), ReadModelTime.Duration(r.GetInt64(3))),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string TicketId, TicketPriority Priority)>> NotClosedAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, TicketQueries.NotClosed(customerId), r => (r.GetString(0), (TicketPriority)r.GetInt32(1)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(SlaMetric Metric, ClockState State, long Count)>> OpenClocksAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, TicketQueries.OpenClocks(), r => ((SlaMetric)r.GetInt32(0), (ClockState)r.GetInt32(1), r.GetInt64(2)), cancellationToken).ConfigureAwait(false);
    }

    // Issue 20 — ticket-SLA credits
    /// <inheritdoc />
    public async Task<IReadOnlyList<Domain.Credits.TicketClockCount>> DecidedClocksAsync(string customerId, Interval decidedIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            connection,
            TicketQueries.DecidedClocks(customerId, decidedIn),
            r => new Domain.Credits.TicketClockCount((SlaMetric)r.GetInt32(0), (TicketPriority)r.GetInt32(1), checked((int)r.GetInt64(2)), checked((int)r.GetInt64(3))),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    async Task<EscalationListPage> IEscalationReadModel.ListAsync(EscalationListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Customers is { Count: 0 })
        {
            // No visible customer: nothing to list, and nothing to ask the database.
            return new EscalationListPage([], null, query.IncludeTotal ? 0 : null);
        }

        var pageSize = EscalationQueries.PageSize(query);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(connection, escalationQueries.List(query), EscalationRowsSql.ReadEscalation, cancellationToken).ConfigureAwait(false);
        long? total = null;
        if (query.IncludeTotal)
        {
            total = await ScalarInt64Async(connection, escalationQueries.Count(query), cancellationToken).ConfigureAwait(false);
        }

        var exact = total is not { } counted || counted <= query.TotalCap;
        total = exact ? total : query.TotalCap;
        if (rows.Count <= pageSize)
        {
            return new EscalationListPage(rows, null, total, exact);
        }

        rows.RemoveAt(rows.Count - 1);
        return new EscalationListPage(rows, EscalationCursor.After(rows[^1]), total, exact);
    }

    /// <inheritdoc />
    async Task<EscalationView?> IEscalationReadModel.FindAsync(string escalationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalationId);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(connection, EscalationQueries.Find(escalationId), EscalationRowsSql.ReadEscalation, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MonitorRow>> MonitorsAsync(IReadOnlyCollection<string>? customers, CancellationToken cancellationToken = default)
    {
        if (customers is { Count: 0 })
        {
            // No visible customer: nothing to list, and nothing to ask the database.
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, monitorQueries.Monitors(customers), MonitorRowsSql.ReadMonitor, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CheckRollupRow>> RollupsAsync(
        IReadOnlyCollection<string> monitorIds, RollupGranularity granularity, Instant from, Instant to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(monitorIds);
        if (!Enum.IsDefined(granularity))
        {
            throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "Unknown rollup granularity.");
        }

        if (monitorIds.Count == 0 || from >= to)
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, monitorQueries.Rollups(monitorIds, granularity, from, to), MonitorRowsSql.ReadRollup, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CheckResultRow>> CheckResultsAsync(string monitorId, Instant from, Instant to, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(monitorId);
        MonitorQueries.CheckLimit(limit);
        if (from >= to)
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, MonitorQueries.CheckResults(monitorId, from, to, limit), MonitorRowsSql.ReadCheckResult, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CheckResultRow>> CheckResultPageAsync(
        string monitorId, Instant from, Instant to, CheckResultPosition? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(monitorId);
        MonitorQueries.CheckLimit(limit);
        if (from >= to)
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, MonitorQueries.CheckResultPage(monitorId, from, to, after, limit), MonitorRowsSql.ReadCheckResult, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LatencyCountRow> LatencyCountsAsync(string monitorId, Instant from, Instant to, Duration threshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(monitorId);
        if (from >= to)
        {
            return new LatencyCountRow(0, 0);
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(
            connection, MonitorQueries.LatencyCounts(monitorId, from, to, threshold), r => new LatencyCountRow(Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)), cancellationToken)
            .ConfigureAwait(false);
        return rows.Count == 0 ? new LatencyCountRow(0, 0) : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CheckStatsRow>> CheckStatsAsync(IReadOnlyCollection<string> monitorIds, Instant from, Instant to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(monitorIds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(monitorIds.Count, CheckStatsRow.MonitorLimit);
        if (to - from > CheckStatsRow.MaxSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"Check statistics span at most {CheckStatsRow.MaxSpan.Days} days.");
        }

        if (monitorIds.Count == 0 || from >= to)
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var all = await QueryAsync(connection, monitorQueries.CheckStats(monitorIds, from, to, byRegion: false), r => MonitorRowsSql.ReadCheckStats(r, byRegion: false), cancellationToken)
            .ConfigureAwait(false);
        var regions = await QueryAsync(connection, monitorQueries.CheckStats(monitorIds, from, to, byRegion: true), r => MonitorRowsSql.ReadCheckStats(r, byRegion: true), cancellationToken)
            .ConfigureAwait(false);
        return [.. all.Concat(regions).OrderBy(r => r.MonitorId, StringComparer.Ordinal).ThenBy(r => r.Region is not null).ThenBy(r => r.Region, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<IncidentRow>> IncidentsAsync(IReadOnlyCollection<string>? customers, Instant since, int limit, CancellationToken cancellationToken = default)
    {
        MonitorQueries.CheckLimit(limit);
        if (customers is { Count: 0 })
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, monitorQueries.Incidents(customers, since, limit), MonitorRowsSql.ReadIncident, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MaintenanceRow>> MaintenanceAsync(
        IReadOnlyCollection<string>? customers, Instant endingAfter, int limit, CancellationToken cancellationToken = default)
    {
        MonitorQueries.CheckLimit(limit);
        if (customers is { Count: 0 })
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, monitorQueries.Maintenance(customers, endingAfter, limit), MonitorRowsSql.ReadMaintenance, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BudgetAlertRow>> BudgetAlertsAsync(
        IReadOnlyCollection<string>? customers, bool firingOnly, int limit, CancellationToken cancellationToken = default)
    {
        MonitorQueries.CheckLimit(limit);
        if (customers is { Count: 0 })
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, monitorQueries.BudgetAlerts(customers, firingOnly, limit), MonitorRowsSql.ReadBudgetAlert, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Opens a connection for reading; the caller disposes it.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="statement"/> on <paramref name="connection"/> and reads every row with <paramref name="read"/>.</summary>
    protected static Task<List<T>> QueryAsync<T>(DbConnection connection, SqlStatement statement, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        => statement.ReadAllAsync(connection, read, cancellationToken);

    private static async Task<long> ScalarInt64Async(DbConnection connection, SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = statement.Text;
        statement.Bind(command);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static TicketSlaStats ReadStats(DbDataReader reader)
    {
        // COUNT and SUM are 64-bit on both stores; a group of more than int.MaxValue tickets is not a thing we count.
        int Count(int ordinal) => checked((int)reader.GetInt64(ordinal));
        return new TicketSlaStats(
            reader.GetString(0),
            (TicketPriority)reader.GetInt32(1),
            Tickets: Count(2),
            OpenTickets: Count(3),
            FirstResponse: new ClockCompliance(Count(4), Count(5)),
            Resolution: new ClockCompliance(Count(6), Count(7)),
            AtRiskNow: Count(8),
            BreachedNow: Count(9),
            LinkedToIncidents: Count(10));
    }
}
