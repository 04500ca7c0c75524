using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// Orleans grain storage in a SQLite file: one row per (service id, grain type, grain key, state name) holding the
/// serialized state and a version; the ETag is the version. Writes are acknowledged only after their COMMIT.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Reading a grain never written gives a new state, a null ETag and <c>RecordExists = false</c>.</description></item>
/// <item><description>A write must carry the stored ETag (null for a grain never written); anything else throws
/// <see cref="InconsistentStateException"/> with the stored and the given ETag, and changes nothing.</description></item>
/// <item><description>Clearing deletes the payload but keeps the row and moves its version on, so a writer still
/// holding the ETag from before the clear fails; the new ETag is returned in the state.</description></item>
/// <item><description>Rows are found by the full grain id, never by a hash: two grains cannot collide.</description></item>
/// </list>
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private const string SelectSql =
        "SELECT version, payload FROM grain_state WHERE service_id = $service AND grain_type = $type AND grain_key = $key AND state_name = $name;";

    private const string SelectVersionSql =
        "SELECT version FROM grain_state WHERE service_id = $service AND grain_type = $type AND grain_key = $key AND state_name = $name;";

    private const string InsertSql =
        "INSERT INTO grain_state (service_id, grain_type, grain_key, state_name, version, payload) VALUES ($service, $type, $key, $name, 1, $payload) "
        + "ON CONFLICT (service_id, grain_type, grain_key, state_name) DO NOTHING RETURNING version;";

    private const string UpdateSql =
        "UPDATE grain_state SET version = version + 1, payload = $payload "
        + "WHERE service_id = $service AND grain_type = $type AND grain_key = $key AND state_name = $name AND version = $version RETURNING version;";

    private readonly string _name;
    private readonly SqliteStorageOptions _options;
    private readonly SqliteDatabase _database;
    private readonly string _serviceId;
    private readonly IActivatorProvider _activators;

    internal SqliteGrainStorage(string name, SqliteStorageOptions options, SqliteDatabase database, string serviceId, IActivatorProvider activators)
    {
        _name = name;
        _options = options;
        _database = database;
        _serviceId = serviceId;
        _activators = activators;
    }

    /// <summary>The database file this provider stores into.</summary>
    public string DataSource => _database.DataSource;

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new RowKey(_serviceId, grainId, stateName);
        await using var connection = await _database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectSql;
        key.Bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            grainState.State = NewState<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var version = reader.GetInt64(0);
        if (reader.IsDBNull(1))
        {
            grainState.State = NewState<T>();
            grainState.RecordExists = false;
        }
        else
        {
            grainState.State = _options.GrainStorageSerializer.Deserialize<T>(new BinaryData(reader.GetFieldValue<byte[]>(1)));
            grainState.RecordExists = true;
        }

        grainState.ETag = FormatETag(version);
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new RowKey(_serviceId, grainId, stateName);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var payload = ToArray(_options.GrainStorageSerializer.Serialize(grainState.State));
        var given = grainState.ETag;
        WriteOutcome outcome;
        try
        {
            outcome = await _database.WriteAsync(db => Write(db, key, given, payload), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            StorageMetrics.Written(StorageMetrics.GrainState, StorageMetrics.Sqlite, started);
        }

        if (outcome.NewVersion is not long version)
        {
            throw Conflict("write", key, outcome.StoredVersion, given);
        }

        grainState.ETag = FormatETag(version);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = new RowKey(_serviceId, grainId, stateName);
        var given = grainState.ETag;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        WriteOutcome outcome;
        try
        {
            outcome = await _database.WriteAsync(db => Clear(db, key, given), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            StorageMetrics.Written(StorageMetrics.GrainState, StorageMetrics.Sqlite, started);
        }

        if (outcome.Conflict)
        {
            throw Conflict("clear", key, outcome.StoredVersion, given);
        }

        grainState.ETag = outcome.NewVersion is long version ? FormatETag(version) : null;
        grainState.State = NewState<T>();
        grainState.RecordExists = false;
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(
            OptionFormattingUtilities.Name<SqliteGrainStorage>(_name),
            ServiceLifecycleStage.ApplicationServices,
            _ => _database.EnsureOpenAsync());

    internal static SqliteGrainStorage Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(name);
        var database = services.GetRequiredService<SqliteDatabaseRegistry>().Get(options, name);
        var serviceId = services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
        return new SqliteGrainStorage(name, options, database, serviceId, services.GetRequiredService<IActivatorProvider>());
    }

    private static WriteOutcome Write(SqliteDatabase db, RowKey key, string? given, byte[] payload)
    {
        SqliteCommand command;
        if (given is null)
        {
            command = db.WriterCommand(InsertSql);
        }
        else if (TryParseETag(given, out var expected))
        {
            command = db.WriterCommand(UpdateSql);
            command.Parameters.AddWithValue("$version", expected);
        }
        else
        {
            return new WriteOutcome(false, null, StoredVersion(db, key));
        }

        key.Bind(command);
        command.Parameters.AddWithValue("$payload", payload);
        return command.ExecuteScalar() is long version
            ? new WriteOutcome(false, version, version - 1)
            : new WriteOutcome(true, null, StoredVersion(db, key));
    }

    private static WriteOutcome Clear(SqliteDatabase db, RowKey key, string? given)
    {
        if (given is null)
        {
            // Nothing was ever read from a row: fine when there is none, stale when someone wrote one.
            var stored = StoredVersion(db, key);
            return new WriteOutcome(stored is not null, null, stored);
        }

        if (!TryParseETag(given, out var expected))
        {
            return new WriteOutcome(true, null, StoredVersion(db, key));
        }

        var command = db.WriterCommand(UpdateSql);
        key.Bind(command);
        command.Parameters.AddWithValue("$version", expected);
        command.Parameters.AddWithValue("$payload", DBNull.Value);
        return command.ExecuteScalar() is long version
            ? new WriteOutcome(false, version, expected)
            : new WriteOutcome(true, null, StoredVersion(db, key));
    }

    private static long? StoredVersion(SqliteDatabase db, RowKey key)
    {
        var command = db.WriterCommand(SelectVersionSql);
        key.Bind(command);
        return command.ExecuteScalar() as long?;
    }

    private static byte[] ToArray(BinaryData data)
    {
        var memory = data.ToMemory();
        return MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
    }

    private static string FormatETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseETag(string etag, out long version)
        => long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    private InconsistentStateException Conflict(string operation, RowKey key, long? stored, string? given)
    {
        var storedETag = stored is long version ? FormatETag(version) : null;
        return new InconsistentStateException(
            $"SQLite grain storage '{_name}': {operation} of state '{key.StateName}' for grain {key.GrainType}/{key.GrainKey} "
            + $"carried ETag '{given ?? "(none)"}' but the stored ETag is '{storedETag ?? "(none)"}'.",
            storedETag!,
            given!);
    }

    private T NewState<T>() => _activators.GetActivator<T>().Create();

    private readonly record struct WriteOutcome(bool Conflict, long? NewVersion, long? StoredVersion);

    private readonly record struct RowKey(string ServiceId, string GrainType, string GrainKey, string StateName)
    {
        public RowKey(string serviceId, GrainId grainId, string stateName)
            : this(serviceId, grainId.Type.ToString()!, grainId.Key.ToString()!, stateName)
        {
        }

        public void Bind(SqliteCommand command)
        {
            command.Parameters.AddWithValue("$service", ServiceId);
            command.Parameters.AddWithValue("$type", GrainType);
            command.Parameters.AddWithValue("$key", GrainKey);
            command.Parameters.AddWithValue("$name", StateName);
        }
    }
}
