using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// Orleans' reminder table in a SQLite file: one row per (service id, grain id, reminder name) with the start
/// time (UTC ticks, exact), the period (ticks), the grain's uniform hash and a version that is the ETag.
/// </summary>
/// <remarks>
/// Range reads follow Orleans' ring: <c>(begin, end]</c> when <c>begin &lt; end</c>, otherwise the wrapped range
/// <c>(begin, max] ∪ [0, end]</c>, so <c>begin == end</c> is the whole ring. Versions come from one counter per
/// database, so an ETag is never handed out twice, even to a reminder removed and registered again.
/// </remarks>
public sealed class SqliteReminderTable : IReminderTable
{
    /// <summary>The name of the <see cref="SqliteStorageOptions"/> instance the reminder table reads.</summary>
    public const string OptionsName = "SlaGrains.SqliteReminders";

    private const string Columns = "grain_id, reminder_name, start_time, period, version";

    private readonly SqliteDatabase _database;
    private readonly string _serviceId;

    internal SqliteReminderTable(SqliteDatabase database, string serviceId)
    {
        _database = database;
        _serviceId = serviceId;
    }

    /// <summary>The database file this table lives in.</summary>
    public string DataSource => _database.DataSource;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default)
        => _database.EnsureOpenAsync().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public Task Init() => StartAsync(CancellationToken.None);

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId)
        => Query(
            $"SELECT {Columns} FROM reminder WHERE service_id = $service AND grain_id = $grain;",
            command => command.Parameters.AddWithValue("$grain", grainId.ToString()));

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        var sql = begin < end
            ? $"SELECT {Columns} FROM reminder WHERE service_id = $service AND grain_hash > $begin AND grain_hash <= $end;"
            : $"SELECT {Columns} FROM reminder WHERE service_id = $service AND grain_hash > $begin "
              + $"UNION ALL SELECT {Columns} FROM reminder WHERE service_id = $service AND grain_hash <= $end;";
        return Query(sql, command =>
        {
            command.Parameters.AddWithValue("$begin", (long)begin);
            command.Parameters.AddWithValue("$end", (long)end);
        });
    }

    /// <inheritdoc />
    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var rows = await Query(
            $"SELECT {Columns} FROM reminder WHERE service_id = $service AND grain_id = $grain AND reminder_name = $name;",
            command =>
            {
                command.Parameters.AddWithValue("$grain", grainId.ToString());
                command.Parameters.AddWithValue("$name", reminderName);
            }).ConfigureAwait(false);

        return rows.Reminders.Count == 0 ? null : rows.Reminders[0];
    }

    /// <inheritdoc />
    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var grainId = entry.GrainId.ToString();
        var name = entry.ReminderName;
        var hash = (long)entry.GrainId.GetUniformHashCode();
        var startTicks = (entry.StartAt.Kind == DateTimeKind.Local ? entry.StartAt.ToUniversalTime() : entry.StartAt).Ticks;
        var periodTicks = entry.Period.Ticks;
        var version = await _database.WriteAsync(
            db =>
            {
                var next = db.WriterCommand("UPDATE counter SET value = value + 1 WHERE name = 'reminder_version' RETURNING value;");
                var value = (long)next.ExecuteScalar()!;
                var upsert = db.WriterCommand(
                    "INSERT INTO reminder (service_id, grain_id, reminder_name, start_time, period, grain_hash, version) "
                    + "VALUES ($service, $grain, $name, $start, $period, $hash, $version) "
                    + "ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET "
                    + "start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash, version = excluded.version;");
                upsert.Parameters.AddWithValue("$service", _serviceId);
                upsert.Parameters.AddWithValue("$grain", grainId);
                upsert.Parameters.AddWithValue("$name", name);
                upsert.Parameters.AddWithValue("$start", startTicks);
                upsert.Parameters.AddWithValue("$period", periodTicks);
                upsert.Parameters.AddWithValue("$hash", hash);
                upsert.Parameters.AddWithValue("$version", value);
                upsert.ExecuteNonQuery();
                return value;
            },
            CancellationToken.None).ConfigureAwait(false);
        return FormatETag(version);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        var grain = grainId.ToString();
        return await _database.WriteAsync(
            db =>
            {
                var delete = db.WriterCommand(
                    "DELETE FROM reminder WHERE service_id = $service AND grain_id = $grain AND reminder_name = $name AND version = $version;");
                delete.Parameters.AddWithValue("$service", _serviceId);
                delete.Parameters.AddWithValue("$grain", grain);
                delete.Parameters.AddWithValue("$name", reminderName);
                delete.Parameters.AddWithValue("$version", version);
                return delete.ExecuteNonQuery() == 1;
            },
            CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task TestOnlyClearTable()
        => _database.WriteAsync(
            db =>
            {
                var delete = db.WriterCommand("DELETE FROM reminder WHERE service_id = $service;");
                delete.Parameters.AddWithValue("$service", _serviceId);
                return delete.ExecuteNonQuery();
            },
            CancellationToken.None);

    internal static SqliteReminderTable Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(OptionsName);
        var database = services.GetRequiredService<SqliteDatabaseRegistry>().Get(options, "reminders");
        return new SqliteReminderTable(database, services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId);
    }

    private static string FormatETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private async Task<ReminderTableData> Query(string sql, Action<SqliteCommand> bind)
    {
        await using var connection = await _database.OpenReaderAsync(CancellationToken.None).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", _serviceId);
        bind(command);
        var entries = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = FormatETag(reader.GetInt64(4)),
            });
        }

        return new ReminderTableData(entries);
    }
}
