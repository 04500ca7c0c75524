using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// Where and how SlaGrains keeps grain state and reminders in one embedded SQLite database file.
/// Grain storage providers and the reminder table configured with the same file share one database,
/// one writer connection and one write queue.
/// </summary>
public sealed class SqliteStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The database file used when neither <see cref="DatabasePath"/> nor <see cref="ConnectionString"/> is changed: <c>./data/slagrains.db</c>, relative to the working directory.</summary>
    public const string DefaultDatabasePath = "./data/slagrains.db";

    /// <summary>The largest number of writes committed together in one transaction (group commit). Default 512.</summary>
    public const int DefaultMaxWriteBatchSize = 512;

    /// <summary>
    /// The database file. Default <see cref="DefaultDatabasePath"/>. Its directory is created when missing.
    /// Ignored when <see cref="ConnectionString"/> is set.
    /// </summary>
    public string DatabasePath { get; set; } = DefaultDatabasePath;

    /// <summary>
    /// A full Microsoft.Data.Sqlite connection string (its <c>Data Source</c> must be a file, not <c>:memory:</c>);
    /// when set it wins over <see cref="DatabasePath"/>. Default null.
    /// </summary>
    [Redact]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite's <c>synchronous</c> setting for the writer connection. Default <see cref="SqliteSynchronousMode.Full"/>:
    /// every acknowledged write survives a process crash and a power loss. See <see cref="SqliteSynchronousMode"/>
    /// for the trade-off and the measured cost.
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>The largest number of queued writes committed in one transaction. Default <see cref="DefaultMaxWriteBatchSize"/>; at least 1.</summary>
    public int MaxWriteBatchSize { get; set; } = DefaultMaxWriteBatchSize;

    /// <summary>
    /// The serializer for grain state payloads. Default: Orleans' binary serializer (<see cref="OrleansGrainStorageSerializer"/>
    /// over the silo's serializer), filled in when left null, so states are <c>[GenerateSerializer]</c> types with stable
    /// <c>[Id]</c>s and <c>[Alias]</c>es. (The silo's <see cref="IGrainStorageSerializer"/> in DI is Newtonsoft JSON in Orleans
    /// 10.4.2, so it is not used unless set here.) Not used by the reminder table.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>The connection string these options lead to: <see cref="ConnectionString"/> when set, otherwise one for <see cref="DatabasePath"/>.</summary>
    /// <returns>A connection string whose data source is a file.</returns>
    public string ResolveConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }

        return new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }
}
