using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// Group commit on PostgreSQL: callers queue their statements; one loop takes everything queued (up to
/// <see cref="MaxWritesPerCommit"/> writes), runs it as one <see cref="NpgsqlBatch"/> — one round trip — in one
/// transaction, and completes each caller's task only after that COMMIT.
/// </summary>
/// <remarks>
/// <para>While a transaction is in flight the next callers queue up, so the group grows with the load and a lone write
/// waits for nobody.</para>
/// <para>A group's statements run in (text, <see cref="SqlStatement.LockKey"/>) order, not in the order they were queued:
/// silos writing rows of the same tickets at once then lock them in the same order and cannot deadlock. A write's
/// statements must therefore not depend on each other's order (read-model rows do not: they are idempotent by key and
/// version).</para>
/// <para>When a group fails: a statement the server refuses (a constraint, bad data) fails its own write only, and the
/// rest of the group is committed again without it; a failure the server reports for the transaction as a whole
/// (a deadlock, a serialization failure) is retried write by write, as the SQLite writer does; a failure to reach the
/// server fails the whole group at once — retrying each write would only wait for each to time out, and the callers
/// deliver again.</para>
/// </remarks>
internal sealed partial class PostgresBatchWriter : IAsyncDisposable
{
    /// <summary>The most writes (callers) committed in one transaction.</summary>
    public const int MaxWritesPerCommit = 500;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly Task _loop;

    /// <summary>Starts the writer loop.</summary>
    /// <param name="dataSource">Connections to write on; it must set <c>Include Failed Batched Command</c>, which tells which statement the server refused.</param>
    /// <param name="logger">Where group failures are reported.</param>
    /// <param name="startAfter">Holds the loop back until it completes (tests queue a whole group first); null: start now.</param>
    public PostgresBatchWriter(NpgsqlDataSource dataSource, ILogger logger, Task? startAfter = null)
    {
        _dataSource = dataSource;
        _logger = logger;
        _loop = Task.Run(async () =>
        {
            if (startAfter is not null)
            {
                await startAfter.ConfigureAwait(false);
            }

            await RunAsync().ConfigureAwait(false);
        });
    }

    /// <summary>Queues <paramref name="statements"/>; the task completes once they are committed.</summary>
    /// <param name="statements">Run in the transaction of their group, in the order described in the remarks.</param>
    /// <param name="cancellationToken">Stops waiting; a queued write is not withdrawn.</param>
    public Task WriteAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        var write = new PendingWrite(statements);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(PostgresBatchWriter), "The PostgreSQL read-model writer is closed.");
        }

        return write.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking writes and waits until the queued ones are committed (or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<PendingWrite>(MaxWritesPerCommit);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < MaxWritesPerCommit && reader.TryRead(out var write))
            {
                group.Add(write);
            }

            await CommitAsync(group).ConfigureAwait(false);
            group.Clear();
        }
    }

    /// <summary>Commits the group and completes every write in it, with success or with why it failed (see the remarks).</summary>
    private async Task CommitAsync(List<PendingWrite> group)
    {
        while (group.Count > 0)
        {
            var (failure, culprit) = await TryCommitAsync(group).ConfigureAwait(false);
            if (failure is null)
            {
                return;
            }

            if (group.Count == 1)
            {
                group[0].Completion.TrySetException(failure);
                return;
            }

            if (failure is PostgresException { IsTransient: false } && culprit is not null)
            {
                LogWriteRefused(group.Count - 1, failure);
                culprit.Completion.TrySetException(failure);
                group.Remove(culprit);
                continue;
            }

            if (failure is PostgresException)
            {
                LogGroupFailed(group.Count, failure);
                foreach (var write in group)
                {
                    if ((await TryCommitAsync([write]).ConfigureAwait(false)).Failure is { } single)
                    {
                        write.Completion.TrySetException(single);
                    }
                }

                return;
            }

            LogGroupUnreachable(group.Count, failure);
            foreach (var write in group)
            {
                write.Completion.TrySetException(failure);
            }

            return;
        }
    }

    /// <summary>
    /// Runs the writes in one transaction; on COMMIT completes them all. On failure completes none and returns why, and
    /// the write whose statement the server refused when it can tell.
    /// </summary>
    private async Task<(Exception? Failure, PendingWrite? Culprit)> TryCommitAsync(List<PendingWrite> group)
    {
        var owners = new Dictionary<NpgsqlBatchCommand, PendingWrite>(ReferenceEqualityComparer.Instance);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction);
            var ordered = group
                .SelectMany(write => write.Statements.Select(statement => (Write: write, Statement: statement)))
                .OrderBy(s => s.Statement.Text, StringComparer.Ordinal)
                .ThenBy(s => s.Statement.LockKey, StringComparer.Ordinal);
            foreach (var (write, statement) in ordered)
            {
                var command = new NpgsqlBatchCommand(statement.Text);
                statement.Bind(command.Parameters, () => new NpgsqlParameter());
                batch.BatchCommands.Add(command);
                owners.Add(command, write);
            }

            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var culprit = exception is NpgsqlException { BatchCommand: NpgsqlBatchCommand failed } && owners.TryGetValue(failed, out var owner) ? owner : null;
            return (exception, culprit);
        }

        foreach (var write in group)
        {
            write.Completion.TrySetResult();
        }

        return (null, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL read models: the server refused one write of a group; committing the other {Count} without it")]
    private partial void LogWriteRefused(int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL read models: a group of {Count} writes failed; retrying them one by one")]
    private partial void LogGroupFailed(int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL read models: a group of {Count} writes could not be committed; failing them all")]
    private partial void LogGroupUnreachable(int count, Exception exception);

    private sealed class PendingWrite(IReadOnlyList<SqlStatement> statements)
    {
        public IReadOnlyList<SqlStatement> Statements { get; } = statements;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
