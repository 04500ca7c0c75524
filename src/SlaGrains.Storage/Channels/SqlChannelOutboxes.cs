using System.Data.Common;
using Npgsql;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Storage.Postgres;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Sqlite;

namespace SlaGrains.Storage.Channels;

/// <summary>The queries both stores share; a store supplies its connections and how it writes.</summary>
internal abstract class SqlChannelOutbox : IChannelOutboxStore
{
    /// <inheritdoc />
    public abstract Task<int> QueueAsync(IReadOnlyList<OutboundMessage> messages, Instant now, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Task RecordAsync(IReadOnlyList<OutboxOutcome> outcomes, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxRow>> DueAsync(ChannelKind channel, Instant now, int limit, CancellationToken cancellationToken = default)
    {
        ChannelOutboxSql.CheckLimit(limit);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ChannelOutboxSql.Due(channel, now, limit).ReadAllAsync(connection, ChannelOutboxSql.ReadRow, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Instant?> NextDueAsync(ChannelKind channel, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ChannelOutboxSql.NextDue(channel).ReadAllAsync(connection, r => r.IsDBNull(0) ? (Instant?)null : ReadModelTime.Instant(r.GetInt64(0)), cancellationToken)
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<OutboxMessageView?> RedeliverAsync(string messageId, Instant now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return await ExecuteAsync(ChannelOutboxSql.RedeliverOne(messageId, now), cancellationToken).ConfigureAwait(false) == 0
            ? null
            : await FindAsync(messageId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<OutboxMessageView?> FindAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ChannelOutboxSql.Find(messageId).ReadAllAsync(connection, ChannelOutboxSql.ReadView, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxMessageView>> ListAsync(OutboxState state, ChannelKind? channel, int limit, CancellationToken cancellationToken = default)
    {
        ChannelOutboxSql.CheckLimit(limit);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ChannelOutboxSql.List(state, channel, limit).ReadAllAsync(connection, ChannelOutboxSql.ReadView, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<OutboxAttemptPage> AttemptsAsync(long? before, int limit, CancellationToken cancellationToken = default)
    {
        ChannelOutboxSql.CheckLimit(limit);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ChannelOutboxSql.Attempts(before, limit + 1).ReadAllAsync(connection, ChannelOutboxSql.ReadAttempt, cancellationToken).ConfigureAwait(false);
        return ChannelOutboxSql.Page(rows, limit);
    }

    /// <summary>Opens a connection for reading; the caller disposes it.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs one write and returns the rows it changed.</summary>
    protected abstract Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken);
}

/// <summary>
/// The channel outbox in the silo's SQLite file: writes through the file's one writer (<see cref="SqliteDatabase.WriteAsync"/>),
/// so a queue of 10,000 messages is one transaction, committed with whatever grain state writes queued beside it.
/// </summary>
internal sealed class SqliteChannelOutbox(SqliteDatabase database) : SqlChannelOutbox
{
    /// <inheritdoc />
    public override Task<int> QueueAsync(IReadOnlyList<OutboundMessage> messages, Instant now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return Task.FromResult(0);
        }

        var statements = messages.Select(m => ChannelOutboxSql.InsertOne(m, now)).ToList();
        return RunAsync(statements, cancellationToken);
    }

    /// <inheritdoc />
    public override Task RecordAsync(IReadOnlyList<OutboxOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return outcomes.Count == 0 ? Task.CompletedTask : RunAsync([.. outcomes.SelectMany(ChannelOutboxSql.Record)], cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        => await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken) => RunAsync([statement], cancellationToken);

    private Task<int> RunAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
        => database.RunAsync(statements, cancellationToken);
}

/// <summary>
/// The channel outbox in the cluster's PostgreSQL database (schema version 8): a queue is one <c>INSERT … SELECT FROM
/// unnest(…)</c> of every message, attempts are recorded in one batch, each in its own transaction.
/// </summary>
internal sealed class PostgresChannelOutbox : SqlChannelOutbox, IAsyncDisposable
{
    private const string InsertMany = """
        INSERT INTO channel_messages (message_id, channel, target, template, model, customer_id, queued_at, state, attempts,
            attempts_this_round, next_attempt_at, last_outcome, delivered_at, changed_at)
        SELECT m.id, m.channel, m.target, m.template, m.model, m.customer, @now, 0, 0, 0, m.next, NULL, NULL, @now
        FROM unnest(@ids, @channels, @targets, @templates, @models, @customers, @nexts) AS m(id, channel, target, template, model, customer, next)
        ON CONFLICT (message_id) DO NOTHING
        RETURNING message_id
        """;

    private const string SetAttachment = """
        UPDATE channel_messages SET attachment_name = @name, attachment_type = @type, attachment = @bytes WHERE message_id = @id
        """;

    private readonly NpgsqlDataSource _dataSource;

    internal PostgresChannelOutbox(string connectionString)
        => _dataSource = NpgsqlDataSource.Create(PostgresConnectionTuning.Apply(connectionString));

    /// <inheritdoc />
    public override async Task<int> QueueAsync(IReadOnlyList<OutboundMessage> messages, Instant now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var distinct = ChannelOutboxSql.Distinct(messages);
        if (distinct.IsEmpty)
        {
            return 0;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var insert = new NpgsqlCommand(InsertMany, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string[]>("ids", [.. distinct.Select(m => m.MessageId)]));
            insert.Parameters.Add(new NpgsqlParameter<int[]>("channels", [.. distinct.Select(m => (int)m.Channel)]));
            insert.Parameters.Add(new NpgsqlParameter<string[]>("targets", [.. distinct.Select(m => m.Target.Trim())]));
            insert.Parameters.Add(new NpgsqlParameter<string[]>("templates", [.. distinct.Select(m => m.Template)]));
            insert.Parameters.Add(new NpgsqlParameter<string[]>("models", [.. distinct.Select(m => m.Model)]));
            insert.Parameters.Add(new NpgsqlParameter<string?[]>("customers", [.. distinct.Select(m => m.CustomerId)]));
            insert.Parameters.Add(new NpgsqlParameter<long[]>("nexts", [.. distinct.Select(m => ReadModelTime.Nanoseconds(ChannelOutboxSql.FirstAttempt(m, now)))]));
            insert.Parameters.Add(new NpgsqlParameter<long>("now", ReadModelTime.Nanoseconds(now)));
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        // Attachments are rare (a monthly statement): set on the rows just inserted, one by one, in the same transaction.
        foreach (var message in distinct.Where(m => m.Attachment is not null && inserted.Contains(m.MessageId)))
        {
            await using var attach = new NpgsqlCommand(SetAttachment, connection, transaction);
            attach.Parameters.Add(new NpgsqlParameter<string>("id", message.MessageId));
            attach.Parameters.Add(new NpgsqlParameter<string>("name", message.Attachment!.FileName));
            attach.Parameters.Add(new NpgsqlParameter<string>("type", message.Attachment.ContentType));
            attach.Parameters.Add(new NpgsqlParameter<byte[]>("bytes", message.Attachment.Content.ToArray()));
            await attach.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted.Count;
    }

    /// <inheritdoc />
    public override async Task RecordAsync(IReadOnlyList<OutboxOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var statement in outcomes.SelectMany(ChannelOutboxSql.Record))
        {
            var command = new NpgsqlBatchCommand(statement.Text);
            statement.Bind(command.Parameters, () => new NpgsqlParameter());
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        => await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = statement.Text;
        statement.Bind(command);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
