using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// One SQLite database file as the providers see it: readers open pooled connections of their own, and every
/// write goes through a queue to the single writer connection, which commits whatever has queued up in one
/// transaction (group commit) and completes each write's task only after that transaction's COMMIT.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite connections are not thread-safe and SQLite admits one writer at a time, so one
/// connection owned by one loop is both the safe and the fast design: one fsync per group instead of per write.
/// WAL mode lets readers run while the writer commits.
/// </remarks>
internal sealed partial class SqliteDatabase : IAsyncDisposable
{
    private readonly string _readerConnectionString;
    private readonly string _writerConnectionString;
    private readonly int _maxBatchSize;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly Lazy<Task> _open;
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;
    private SqliteTransaction? _transaction;
    private Task _writerLoop = Task.CompletedTask;

    public SqliteDatabase(string dataSource, string connectionString, SqliteSynchronousMode synchronous, int maxBatchSize, TimeProvider time, ILogger logger)
    {
        DataSource = dataSource;
        Synchronous = synchronous;
        _maxBatchSize = maxBatchSize;
        _time = time;
        _logger = logger;
        _readerConnectionString = new SqliteConnectionStringBuilder(connectionString) { DataSource = dataSource }.ToString();
        _writerConnectionString = new SqliteConnectionStringBuilder(connectionString) { DataSource = dataSource, Pooling = false }.ToString();
        _open = new Lazy<Task>(() => Task.Run(Open), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The full path of the database file.</summary>
    public string DataSource { get; }

    /// <summary>The writer connection's synchronous mode.</summary>
    public SqliteSynchronousMode Synchronous { get; }

    /// <summary>Opens the file (creating it and its directory), switches to WAL, migrates the schema and starts the writer; once.</summary>
    /// <returns>A task that completes when the database is ready.</returns>
    public Task EnsureOpenAsync() => _open.Value;

    /// <summary>Opens a pooled connection for reading; the caller disposes it.</summary>
    /// <param name="cancellationToken">Cancels the wait for the database to open.</param>
    /// <returns>An open connection.</returns>
    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        await EnsureOpenAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return await OpenAsync(_readerConnectionString, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a connection with <paramref name="connectionString"/>; disposed again when opening fails.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>An open connection the caller disposes.</returns>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Queues <paramref name="work"/> for the writer. It runs inside the writer's transaction and must only use
    /// <see cref="WriterCommand"/>; it may run again if its group fails and is retried write by write. The
    /// returned task completes with its result only after the transaction that holds it has committed.
    /// </summary>
    /// <typeparam name="T">The result of the work.</typeparam>
    /// <param name="work">The statements to run, as a function of this database.</param>
    /// <param name="cancellationToken">Cancels the wait for the database to open; a queued write is not withdrawn.</param>
    /// <returns>The work's result, once committed.</returns>
    public async Task<T> WriteAsync<T>(Func<SqliteDatabase, T> work, CancellationToken cancellationToken)
    {
        await EnsureOpenAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var operation = new WriteOperation<T>(work);
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase), $"The SQLite database '{DataSource}' is closed.");
        }

        return await operation.Task.ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="statements"/> in one queued write (see <see cref="WriteAsync"/>); the rows they changed, once committed.</summary>
    public Task<int> RunAsync(IReadOnlyList<ReadModels.SqlStatement> statements, CancellationToken cancellationToken)
        => WriteAsync(
            db =>
            {
                var changed = 0;
                foreach (var statement in statements)
                {
                    var command = db.WriterCommand(statement.Text);
                    statement.Bind(command);
                    changed += command.ExecuteNonQuery();
                }

                return changed;
            },
            cancellationToken);

    /// <summary>
    /// A prepared command on the writer connection, enlisted in the current transaction, with its parameters
    /// cleared. Only valid inside work passed to <see cref="WriteAsync"/>.
    /// </summary>
    /// <param name="sql">The statement.</param>
    /// <returns>A command reused across writes.</returns>
    public SqliteCommand WriterCommand(string sql)
    {
        if (_writer is null || _transaction is null)
        {
            throw new InvalidOperationException("Writer commands exist only inside a queued write.");
        }

        if (!_writerCommands.TryGetValue(sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            _writerCommands.Add(sql, command);
        }

        command.Transaction = _transaction;
        command.Parameters.Clear();
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (!_open.IsValueCreated)
        {
            return;
        }

        try
        {
            await _open.Value.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogOpenFailedOnClose(DataSource, exception);
            return;
        }

        await _writerLoop.ConfigureAwait(false);
        foreach (var command in _writerCommands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        _writerCommands.Clear();
        using (var pooled = new SqliteConnection(_readerConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        if (_writer is not null)
        {
            // The last connection to close checkpoints the WAL into the database file.
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }
    }

    private void Open()
    {
        PrivateFiles.PrepareDatabase(DataSource);
        var writer = new SqliteConnection(_writerConnectionString);
        try
        {
            writer.Open();
            var journalMode = Pragma(writer, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The SQLite database '{DataSource}' refused WAL mode (journal_mode is '{journalMode}').");
            }

            Pragma(writer, Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            var applied = SqliteSchema.Migrate(writer, _time.GetUtcNow());
            LogOpened(DataSource, SqliteSchema.CurrentVersion, applied.Count, Synchronous);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        _writer = writer;
        _writerLoop = Task.Run(RunWriterAsync);
    }

    private static string? Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<WriteOperation>(_maxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var operation))
            {
                batch.Add(operation);
            }

            if (!TryCommit(batch, out var failure))
            {
                if (batch.Count == 1)
                {
                    batch[0].Fail(failure!);
                }
                else
                {
                    // One bad write must not sink its neighbours: retry the group write by write.
                    LogGroupFailed(DataSource, batch.Count, failure!);
                    foreach (var operation in batch)
                    {
                        if (!TryCommit([operation], out var single))
                        {
                            operation.Fail(single!);
                        }
                    }
                }
            }

            batch.Clear();
        }
    }

    /// <summary>Runs the operations in one transaction; on COMMIT completes them all, on any failure rolls back and completes none.</summary>
    private bool TryCommit(List<WriteOperation> batch, out Exception? failure)
    {
        try
        {
            using (var transaction = _writer!.BeginTransaction(deferred: false))
            {
                _transaction = transaction;
                foreach (var operation in batch)
                {
                    operation.Execute(this);
                }

                transaction.Commit();
            }

            foreach (var operation in batch)
            {
                operation.Complete();
            }

            failure = null;
            return true;
        }
        catch (Exception exception)
        {
            failure = exception;
            return false;
        }
        finally
        {
            _transaction = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite database {DataSource} open: schema version {SchemaVersion} ({Applied} migrations applied now), WAL, synchronous={Synchronous}")]
    private partial void LogOpened(string dataSource, int schemaVersion, int applied, SqliteSynchronousMode synchronous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite database {DataSource}: a group of {Count} writes failed; retrying them one by one")]
    private partial void LogGroupFailed(string dataSource, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite database {DataSource} failed to open; nothing to close")]
    private partial void LogOpenFailedOnClose(string dataSource, Exception exception);

    private abstract class WriteOperation
    {
        public abstract void Execute(SqliteDatabase database);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteOperation<T>(Func<SqliteDatabase, T> work) : WriteOperation
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public override void Execute(SqliteDatabase database) => _result = work(database);

        public override void Complete() => _completion.TrySetResult(_result);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
