using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Storage.Postgres;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The read models (tickets, their transitions, escalations, the monitor tables) in the cluster's PostgreSQL database
/// (schema version 5, ensured by the silos' <see cref="PostgresSchemaInitializer"/>): queries on pooled connections,
/// writes grouped by a <see cref="PostgresBatchWriter"/>.
/// </summary>
/// <remarks>
/// Stale rows are found against Orleans' ADO.NET grain state, which <see cref="FullIdentityGrainStorage"/> keys by the
/// whole grain id: a ticket's state row has <c>GrainIdExtensionString = 'ticket/' || ticket id</c> (N0 = N1 = 0, the
/// id is a plain string key), <c>GrainTypeString</c> the state name <c>ticket</c>, and its <c>Version</c> is the ETag
/// the grain stamps on its row; an escalation's, <c>'escalationrecord/' || escalation id</c> and <c>escalation</c>; a
/// monitor's, <c>'monitor/' || monitor id</c> and <c>monitor</c>.
/// </remarks>
internal sealed class PostgresReadModels : SqlReadModels, IReadModelWriter, IReadModelMaintenance, IAsyncDisposable
{
    private static readonly StaleQuery StaleTickets = Stale(TicketGrainState.GrainType, TicketGrainState.StateName, "tickets", "ticket_id");

    private static readonly StaleQuery StaleEscalations = Stale(EscalationGrainState.GrainType, EscalationGrainState.StateName, "escalations", "escalation_id");

    private static readonly StaleQuery StaleMonitors = Stale(MonitorGrainState.GrainType, MonitorGrainState.StateName, "monitors", "monitor_id");

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresBatchWriter _writer;
    private readonly string _serviceId;
    private int _disposed;

    /// <summary>Connects to <paramref name="connectionString"/> (tuned by <see cref="PostgresConnectionTuning"/>).</summary>
    /// <param name="connectionString">An Npgsql connection string to the cluster's database.</param>
    /// <param name="serviceId">The Orleans service id whose grain states the stale check reads.</param>
    /// <param name="logger">Where failed write groups are reported.</param>
    internal PostgresReadModels(string connectionString, string serviceId, ILogger<PostgresReadModels> logger)
        : base(TicketQueries.Postgres, EscalationQueries.Postgres, MonitorQueries.Postgres)
    {
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(PostgresConnectionTuning.Apply(connectionString))
        {
            // Tells the batch writer which write of a group the server refused, so only that one fails.
            IncludeFailedBatchedCommand = true,
        });
        _writer = new PostgresBatchWriter(_dataSource, logger);
        _serviceId = serviceId;
    }

    /// <inheritdoc />
    public Task WriteAsync(ReadModelBatch batch, CancellationToken cancellationToken = default)
    {
        var statements = ReadModelSql.Statements(batch);
        return statements.Count == 0 ? Task.CompletedTask : StorageMetrics.Timed(() => _writer.WriteAsync(statements, cancellationToken), StorageMetrics.ReadModel, StorageMetrics.Postgres);
    }

    /// <inheritdoc />
    /// <remarks>
    /// "Id order" here is the order of the grain state's primary key, i.e. the database's default collation (ordinal under
    /// the C or POSIX collation): the walk then follows that index and stops after <paramref name="limit"/> hits instead of
    /// sorting every ticket state for each page. Paging with the last id returned as <paramref name="after"/> visits each
    /// ticket once whatever the collation.
    /// </remarks>
    public Task<IReadOnlyList<string>> StaleTicketsAsync(string? after, int limit, CancellationToken cancellationToken = default)
        => StaleAsync(StaleTickets, after, limit, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// In the order described for <see cref="StaleTicketsAsync"/>. Includes every escalation that matched no rule (it has
    /// state but never a row): see <see cref="EscalationGrainState"/>.
    /// </remarks>
    public Task<IReadOnlyList<string>> StaleEscalationsAsync(string? after, int limit, CancellationToken cancellationToken = default)
        => StaleAsync(StaleEscalations, after, limit, cancellationToken);

    /// <inheritdoc />
    /// <remarks>In the order described for <see cref="StaleTicketsAsync"/>.</remarks>
    public Task<IReadOnlyList<string>> StaleMonitorsAsync(string? after, int limit, CancellationToken cancellationToken = default)
        => StaleAsync(StaleMonitors, after, limit, cancellationToken);

    /// <inheritdoc />
    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in ReadModelSql.Clear)
        {
            await using var command = new NpgsqlCommand(statement.Text, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// On a connection of its own, beside the batch writer, in steps of at most <see cref="MonitorRowsSql.PruneStep"/>
    /// rows, each its own transaction: a large pass never holds many row locks for long.
    /// </remarks>
    public Task<long> PruneAsync(Instant checkResultsBefore, Instant rollupsBefore, CancellationToken cancellationToken = default)
        => ReadModelSql.PruneAsync(checkResultsBefore, rollupsBefore, ExecuteAsync, cancellationToken);

    /// <summary>Commits what is queued, then closes the connections; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
        => await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Runs <paramref name="statement"/> on a connection of its own (in a transaction of its own) and returns the rows it changed.</summary>
    private async Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = statement.Text;
        statement.Bind(command);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<string>> StaleAsync(StaleQuery stale, string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var statement = new SqlStatement(stale.Sql,
        [
            new("@service", DbType.String, _serviceId),
            new("@state_name", DbType.String, stale.StateName),
            new("@after_key", DbType.String, "#" + stale.KeyPrefix + (after ?? string.Empty)),
            new("@key_prefix", DbType.String, stale.KeyPrefix),
            new("@limit", DbType.Int32, limit),
        ]);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, statement, r => r.GetString(0), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The states of one grain type (<paramref name="grainType"/>) and state name that are newer than their row in
    /// <paramref name="table"/>, or have none. The walk follows the grain state's primary key (its order is the
    /// database's collation) from the cursor and stops after <c>@limit</c> hits; <c>ExtensionKey</c> is
    /// <c>'#' || GrainIdExtensionString</c>, and the row's id is what follows <c>grainType/</c> in the latter.
    /// </summary>
    private static StaleQuery Stale(string grainType, string stateName, string table, string idColumn)
    {
        var prefix = grainType + "/";
        var id = $"substr(g.GrainIdExtensionString, {prefix.Length + 1})";
        return new StaleQuery(
            stateName,
            prefix,
            $"SELECT {id} FROM slagrains_grain_state AS g "
            + "WHERE g.ServiceId = @service AND g.GrainTypeString = @state_name AND g.GrainIdN0 = 0 AND g.GrainIdN1 = 0 "
            + "AND g.ExtensionKey > @after_key AND starts_with(g.GrainIdExtensionString, @key_prefix) AND g.PayloadBinary IS NOT NULL "
            + $"AND NOT EXISTS (SELECT 1 FROM {table} AS r WHERE r.{idColumn} = {id} AND r.version >= g.Version) "
            + "ORDER BY g.ExtensionKey LIMIT @limit");
    }

    /// <summary>A stale check built by <see cref="Stale"/>: the state name and key prefix it binds, and its SQL.</summary>
    private sealed record StaleQuery(string StateName, string KeyPrefix, string Sql);
}
