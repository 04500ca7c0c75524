using System.Data;
using System.Data.Common;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Storage.Sqlite;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The read models (tickets, their transitions, escalations, the monitor tables) in the silo's SQLite file: queries on
/// pooled reader connections, writes through the file's one writer (<see cref="SqliteDatabase.WriteAsync"/>), so
/// concurrent batches — and grain state writes — share one transaction and one fsync, and a batch's task completes only
/// after that COMMIT.
/// </summary>
internal sealed class SqliteReadModels : SqlReadModels, IReadModelWriter, IReadModelMaintenance
{
    // Ticket grain states newer than their row, or without one, by grain key (the ticket id) in BINARY (ordinal)
    // order: the walk follows the grain_state_key index and stops after @limit hits.
    private static readonly string StaleTicketsSql = StaleSql("tickets", "ticket_id");

    // The same for escalation record grain states and escalation rows, keyed by the escalation id.
    private static readonly string StaleEscalationsSql = StaleSql("escalations", "escalation_id");

    // The same for monitor grain states and monitors rows, keyed by the monitor id.
    private static readonly string StaleMonitorsSql = StaleSql("monitors", "monitor_id");

    private readonly SqliteDatabase _database;
    private readonly string _serviceId;

    internal SqliteReadModels(SqliteDatabase database, string serviceId)
        : base(TicketQueries.Sqlite, EscalationQueries.Sqlite, MonitorQueries.Sqlite)
    {
        _database = database;
        _serviceId = serviceId;
    }

    /// <summary>The database written to: the one object per file that grain storage and reminders share.</summary>
    internal SqliteDatabase Database => _database;

    /// <inheritdoc />
    public Task WriteAsync(ReadModelBatch batch, CancellationToken cancellationToken = default)
    {
        var statements = ReadModelSql.Statements(batch);
        return statements.Count == 0 ? Task.CompletedTask : StorageMetrics.Timed(() => RunAsync(statements, cancellationToken), StorageMetrics.ReadModel, StorageMetrics.Sqlite);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> StaleTicketsAsync(string? after, int limit, CancellationToken cancellationToken = default)
        => StaleAsync(StaleTicketsSql, TicketGrainState.GrainType, TicketGrainState.StateName, after, limit, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Includes every escalation that matched no rule (it has state but never a row): see <see cref="EscalationGrainState"/>.</remarks>
    public Task<IReadOnlyList<string>> StaleEscalationsAsync(string? after, int limit, CancellationToken cancellationToken = default)
        => StaleAsync(StaleEscalationsSql, EscalationGrainState.GrainType, EscalationGrainState.StateName, after, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> StaleMonitorsAsync(string? after, int limit, CancellationToken cancellationToken = default)
        => StaleAsync(StaleMonitorsSql, MonitorGrainState.GrainType, MonitorGrainState.StateName, after, limit, cancellationToken);

    /// <inheritdoc />
    public Task ClearAsync(CancellationToken cancellationToken = default) => RunAsync(ReadModelSql.Clear, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Through the writer, in steps of at most <see cref="MonitorRowsSql.PruneStep"/> rows, each committed with whatever
    /// grain state writes queued beside it: a large pass never holds the writer long.
    /// </remarks>
    public Task<long> PruneAsync(Instant checkResultsBefore, Instant rollupsBefore, CancellationToken cancellationToken = default)
        => ReadModelSql.PruneAsync(checkResultsBefore, rollupsBefore, (statement, token) => RunAsync([statement], token), cancellationToken);

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
        => await _database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Grain states (of the type and state name bound by <see cref="StaleAsync"/>) newer than their row in <paramref name="table"/>, or without one.</summary>
    private static string StaleSql(string table, string idColumn)
        => "SELECT g.grain_key FROM grain_state AS g "
            + "WHERE g.service_id = @service AND g.grain_type = @grain_type AND g.state_name = @state_name AND g.payload IS NOT NULL "
            + $"AND NOT EXISTS (SELECT 1 FROM {table} AS r WHERE r.{idColumn} = g.grain_key AND r.version >= g.version) ";

    private async Task<IReadOnlyList<string>> StaleAsync(string staleSql, string grainType, string stateName, string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var arguments = new List<SqlArgument>
        {
            new("@service", DbType.String, _serviceId),
            new("@grain_type", DbType.String, grainType),
            new("@state_name", DbType.String, stateName),
            new("@limit", DbType.Int32, limit),
        };
        var sql = staleSql;
        if (after is not null)
        {
            sql += "AND g.grain_key > @after ";
            arguments.Add(new("@after", DbType.String, after));
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, new SqlStatement(sql + "ORDER BY g.grain_key LIMIT @limit", arguments), r => r.GetString(0), cancellationToken)
            .ConfigureAwait(false);
    }

    private Task<int> RunAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
        => _database.RunAsync(statements, cancellationToken);
}
