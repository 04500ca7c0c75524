using System.Collections.Immutable;
using System.Data;
using System.Data.Common;
using Npgsql;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Subscribers;
using SlaGrains.Domain.Subscribers;
using SlaGrains.Storage.Postgres;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Sqlite;

namespace SlaGrains.Storage.Subscribers;

/// <summary>
/// The statements of <c>status_subscribers</c>, the same text on SQLite and PostgreSQL (SQLite migration 9, PostgreSQL
/// migration 10). status 0 pending, 1 confirmed, 2 unsubscribed; components are monitor ids joined by spaces (ids hold
/// no spaces), '' for all; requested is NULL when no change waits; instants in nanoseconds since the Unix epoch.
/// </summary>
internal static class StatusSubscriberSql
{
    /// <summary>The most rows one list call returns.</summary>
    public const int MaxList = 10_000;

    private const string Columns =
        "subscriber_id, customer_id, address, status, components, requested, generation, created_at, requested_at, confirmation_sent_at, confirmed_at";

    private const string Upsert = $"""
        INSERT INTO status_subscribers ({Columns})
        VALUES (@id, @customer, @address, @status, @components, @requested, @generation, @created, @requested_at, @sent, @confirmed)
        ON CONFLICT (subscriber_id) DO UPDATE SET address = excluded.address, status = excluded.status, components = excluded.components,
            requested = excluded.requested, generation = excluded.generation, requested_at = excluded.requested_at,
            confirmation_sent_at = excluded.confirmation_sent_at, confirmed_at = excluded.confirmed_at
        """;

    public static SqlStatement Save(StatusSubscriberRow row) => new(Upsert,
    [
        new("@id", DbType.String, row.SubscriberId),
        new("@customer", DbType.String, row.CustomerId),
        new("@address", DbType.String, row.Address),
        new("@status", DbType.Int32, (int)row.Status),
        new("@components", DbType.String, Join(row.Components)),
        new("@requested", DbType.String, row.Requested is { } r ? Join(r) : null),
        new("@generation", DbType.Int32, row.Generation),
        new("@created", DbType.Int64, ReadModelTime.Nanoseconds(row.CreatedAt)),
        new("@requested_at", DbType.Int64, ReadModelTime.Nanoseconds(row.RequestedAt)),
        new("@sent", DbType.Int64, row.ConfirmationSentAt is { } s ? ReadModelTime.Nanoseconds(s) : null),
        new("@confirmed", DbType.Int64, row.ConfirmedAt is { } c ? ReadModelTime.Nanoseconds(c) : null),
    ], row.SubscriberId);

    public static SqlStatement Find(string subscriberId) => new(
        $"SELECT {Columns} FROM status_subscribers WHERE subscriber_id = @id", [new("@id", DbType.String, subscriberId)]);

    public static SqlStatement Delete(string customerId, string subscriberId) => new(
        "DELETE FROM status_subscribers WHERE customer_id = @customer AND subscriber_id = @id",
        [new("@customer", DbType.String, customerId), new("@id", DbType.String, subscriberId)], subscriberId);

    public static SqlStatement List(string customerId, string? after, int limit, bool confirmedOnly) => new(
        $"SELECT {Columns} FROM status_subscribers WHERE customer_id = @customer AND subscriber_id > @after"
        + (confirmedOnly ? " AND status = 1" : string.Empty) + " ORDER BY subscriber_id LIMIT @limit",
        [new("@customer", DbType.String, customerId), new("@after", DbType.String, after ?? string.Empty), new("@limit", DbType.Int32, limit)]);

    public static StatusSubscriberRow Read(DbDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        (SubscriptionStatus)r.GetInt32(3),
        Split(r.GetString(4)),
        r.IsDBNull(5) ? null : Split(r.GetString(5)),
        r.GetInt32(6),
        ReadModelTime.Instant(r.GetInt64(7)),
        ReadModelTime.Instant(r.GetInt64(8)),
        r.IsDBNull(9) ? null : ReadModelTime.Instant(r.GetInt64(9)),
        r.IsDBNull(10) ? null : ReadModelTime.Instant(r.GetInt64(10)));

    public static void CheckLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxList);
    }

    private static string Join(ImmutableArray<string> ids) => ids.IsDefaultOrEmpty ? string.Empty : string.Join(' ', ids.Order(StringComparer.Ordinal));

    private static ImmutableArray<string> Split(string text) => [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}

/// <summary>The queries both stores share; a store supplies its connections and how it writes.</summary>
internal abstract class SqlStatusSubscribers : IStatusSubscriberStore
{
    /// <inheritdoc />
    public async Task<StatusSubscriberRow?> FindAsync(string subscriberId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriberId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await StatusSubscriberSql.Find(subscriberId).ReadAllAsync(connection, StatusSubscriberSql.Read, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task SaveAsync(IReadOnlyList<StatusSubscriberRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Count == 0 ? Task.CompletedTask : RunAsync([.. rows.Select(StatusSubscriberSql.Save)], cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string customerId, string subscriberId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(subscriberId);
        return await RunAsync([StatusSubscriberSql.Delete(customerId, subscriberId)], cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StatusSubscriberRow>> ListAsync(string customerId, string? after, int limit, bool confirmedOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        StatusSubscriberSql.CheckLimit(limit);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await StatusSubscriberSql.List(customerId, after, limit, confirmedOnly).ReadAllAsync(connection, StatusSubscriberSql.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a connection for reading; the caller disposes it.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs the writes in one transaction and returns the rows they changed.</summary>
    protected abstract Task<int> RunAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken);
}

/// <summary>The subscribers in the silo's SQLite file, written through the file's one writer.</summary>
internal sealed class SqliteStatusSubscribers(SqliteDatabase database) : SqlStatusSubscribers
{
    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        => await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override Task<int> RunAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
        => database.RunAsync(statements, cancellationToken);
}

/// <summary>The subscribers in the cluster's PostgreSQL database: a save of many rows is one batch in one transaction.</summary>
internal sealed class PostgresStatusSubscribers : SqlStatusSubscribers, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    internal PostgresStatusSubscribers(string connectionString)
        => _dataSource = NpgsqlDataSource.Create(PostgresConnectionTuning.Apply(connectionString));

    /// <summary>Closes the connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        => await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task<int> RunAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);

        // In key order, so two transactions touching the same rows lock them in the same order.
        foreach (var statement in statements.OrderBy(s => s.LockKey, StringComparer.Ordinal))
        {
            var command = new NpgsqlBatchCommand(statement.Text);
            statement.Bind(command.Parameters, () => new NpgsqlParameter());
            batch.BatchCommands.Add(command);
        }

        var changed = await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }
}
