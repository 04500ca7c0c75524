using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// The silo's SQLite databases, one per file: every provider configured with the same file (grain storages and
/// the reminder table alike) gets the same <see cref="SqliteDatabase"/>, hence one writer and one write queue.
/// Closes them all when the silo's services are disposed.
/// </summary>
internal sealed class SqliteDatabaseRegistry(TimeProvider time, ILoggerFactory loggers) : IAsyncDisposable, IDisposable
{
    private readonly Dictionary<string, SqliteDatabase> _databases = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>The database for these options' file, created (not yet opened) on first use.</summary>
    /// <param name="options">The provider's options.</param>
    /// <param name="providerName">The provider's name, for error messages.</param>
    /// <returns>The shared database.</returns>
    public SqliteDatabase Get(SqliteStorageOptions options, string providerName)
    {
        var connectionString = options.ResolveConnectionString();
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource)
            || builder.Mode == SqliteOpenMode.Memory
            || string.Equals(builder.DataSource, ":memory:", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadProviderConfigException(
                $"SQLite provider '{providerName}' needs a database file; got data source '{builder.DataSource}'.");
        }

        var dataSource = Path.GetFullPath(builder.DataSource);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_databases.TryGetValue(dataSource, out var existing))
            {
                if (existing.Synchronous != options.Synchronous)
                {
                    throw new BadProviderConfigException(
                        $"SQLite provider '{providerName}' asks for synchronous={options.Synchronous} on '{dataSource}', "
                        + $"which another provider already opened with synchronous={existing.Synchronous}; one file has one writer and one setting.");
                }

                return existing;
            }

            var database = new SqliteDatabase(
                dataSource,
                connectionString,
                options.Synchronous,
                Math.Max(1, options.MaxWriteBatchSize),
                time,
                loggers.CreateLogger<SqliteDatabase>());
            _databases.Add(dataSource, database);
            return database;
        }
    }

    public async ValueTask DisposeAsync()
    {
        SqliteDatabase[] databases;
        lock (_lock)
        {
            _disposed = true;
            databases = [.. _databases.Values];
            _databases.Clear();
        }

        foreach (var database in databases)
        {
            await database.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
