using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using SlaGrains.Storage.Sqlite;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.Sqlite;

/// <summary>What the SQLite file itself looks like and what survives a silo restart on it.</summary>
public sealed class SqliteDatabaseTests
{
    [Fact]
    public async Task The_file_is_created_with_its_directory_in_WAL_mode_and_the_writer_commits_with_synchronous_FULL_by_default()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path);

        Assert.True(File.Exists(file.Path));
        Assert.Equal("wal", Scalar(file.Path, "PRAGMA journal_mode;"));
        Assert.Equal(SqliteSynchronousMode.Full, new SqliteStorageOptions().Synchronous);
        Assert.Equal(2L, await WriterSynchronous(silo));
    }

    [Fact]
    public async Task Synchronous_NORMAL_is_applied_to_the_writer_when_asked_for()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path, SqliteSynchronousMode.Normal);

        Assert.Equal(1L, await WriterSynchronous(silo));
    }

    [Fact]
    public async Task The_schema_version_is_recorded_at_start_up()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path);

        Assert.Equal(Enumerable.Range(1, SqliteSchema.CurrentVersion).Select(v => (long)v), SchemaVersions(file.Path).Select(v => v.Version));
    }

    [Fact]
    public async Task Reopening_an_existing_file_keeps_its_data_and_changes_nothing_in_the_schema()
    {
        using var file = new TemporaryDatabase();
        var id = GrainId.Create("ticket", Guid.NewGuid().ToString("N"));
        (long Version, string AppliedUtc)[] versionsAfterFirstStart;
        await using (var first = await SqliteSilo.StartAsync(file.Path))
        {
            await first.Storage.WriteStateAsync("state", id, new GrainState<CounterState>(new CounterState { Count = 42 }));
            versionsAfterFirstStart = SchemaVersions(file.Path);
        }

        await using var second = await SqliteSilo.StartAsync(file.Path);
        var read = new GrainState<CounterState>();
        await second.Storage.ReadStateAsync("state", id, read);

        Assert.Equal(42, read.State!.Count);
        Assert.True(read.RecordExists);
        Assert.Equal(versionsAfterFirstStart, SchemaVersions(file.Path));
    }

    [Fact]
    public async Task A_grains_state_written_through_one_silo_is_read_back_by_the_next_silo_on_the_same_file()
    {
        using var file = new TemporaryDatabase();
        var key = Guid.NewGuid().ToString("N");
        await using (var first = await SqliteSilo.StartAsync(file.Path))
        {
            var grain = first.Grains.GetGrain<ICounterGrain>(key);
            await grain.Increment();
            Assert.Equal(2, await grain.Increment());
        }

        await using var second = await SqliteSilo.StartAsync(file.Path);

        Assert.Equal(2, await second.Grains.GetGrain<ICounterGrain>(key).Count());
        Assert.Equal(3, await second.Grains.GetGrain<ICounterGrain>(key).Increment());
    }

    [Fact]
    public async Task A_reminder_registered_by_a_grain_survives_a_silo_restart()
    {
        using var file = new TemporaryDatabase();
        var key = Guid.NewGuid().ToString("N");
        var period = TimeSpan.FromMinutes(5);
        await using (var first = await SqliteSilo.StartAsync(file.Path))
        {
            await first.Grains.GetGrain<ICounterGrain>(key).RegisterReminder("deadline", TimeSpan.FromHours(1), period);
        }

        await using var second = await SqliteSilo.StartAsync(file.Path);
        var grainId = second.Grains.GetGrain<ICounterGrain>(key).GetGrainId();

        var row = await second.Services.GetRequiredService<IReminderTable>().ReadRow(grainId, "deadline");
        Assert.NotNull(row);
        Assert.Equal(period, row.Period);
        Assert.True(await second.Grains.GetGrain<ICounterGrain>(key).HasReminder("deadline"));
    }

    [Fact]
    public async Task Grain_storage_and_reminders_on_the_same_file_share_one_database_and_writer()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path);

        var storage = (SqliteGrainStorage)silo.Storage;
        var colliding = (SqliteGrainStorage)silo.Services.GetRequiredKeyedService<IGrainStorage>(SqliteSilo.CollidingStorageName);
        var reminders = (SqliteReminderTable)silo.Services.GetRequiredService<IReminderTable>();

        Assert.Same(Database(silo, SqliteSilo.StorageName), Database(silo, SqliteReminderTable.OptionsName));
        Assert.Equal(Path.GetFullPath(file.Path), storage.DataSource);
        Assert.Equal(storage.DataSource, colliding.DataSource);
        Assert.Equal(storage.DataSource, reminders.DataSource);
    }

    [Fact]
    public async Task A_reminders_start_time_round_trips_to_the_tick_and_hashes_above_int_max_are_found_by_range()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path);
        var table = silo.Services.GetRequiredService<IReminderTable>();
        var grain = Enumerable.Range(0, 100)
            .Select(_ => GrainId.Create("ticket", Guid.NewGuid().ToString("N")))
            .First(g => g.GetUniformHashCode() > int.MaxValue);
        var startAt = new DateTime(2026, 3, 29, 1, 59, 59, DateTimeKind.Utc).AddTicks(1234567);

        await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "breach", StartAt = startAt, Period = TimeSpan.FromMinutes(1) });

        var read = await table.ReadRow(grain, "breach");
        Assert.Equal(startAt.Ticks, read!.StartAt.Ticks);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        var hash = grain.GetUniformHashCode();
        Assert.Contains(grain, (await table.ReadRows(hash - 1, hash)).Reminders.Select(r => r.GrainId));
        Assert.DoesNotContain(grain, (await table.ReadRows(hash, hash == uint.MaxValue ? 0 : hash + 1)).Reminders.Select(r => r.GrainId));
    }

    [Fact]
    public async Task A_removed_and_re_registered_reminder_never_gets_its_old_etag_back()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path);
        var table = silo.Services.GetRequiredService<IReminderTable>();
        var entry = new ReminderEntry
        {
            GrainId = GrainId.Create("ticket", Guid.NewGuid().ToString("N")),
            ReminderName = "deadline",
            StartAt = new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc),
            Period = TimeSpan.FromMinutes(1),
        };

        var first = await table.UpsertRow(entry);
        Assert.True(await table.RemoveRow(entry.GrainId, "deadline", first!));
        var second = await table.UpsertRow(entry);

        Assert.NotEqual(first, second);
        Assert.False(await table.RemoveRow(entry.GrainId, "deadline", first!));
    }

    [Fact]
    public async Task Clearing_a_grain_never_written_is_a_no_op_that_leaves_no_etag()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path);
        var id = GrainId.Create("ticket", Guid.NewGuid().ToString("N"));
        var state = new GrainState<CounterState>(new CounterState());

        await silo.Storage.ClearStateAsync("state", id, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        await silo.Storage.WriteStateAsync("state", id, state);
        Assert.Equal("1", state.ETag);
    }

    [Fact]
    public async Task A_stale_write_reports_the_stored_and_the_given_etag()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path);
        var id = GrainId.Create("ticket", Guid.NewGuid().ToString("N"));
        var state = new GrainState<CounterState>(new CounterState());
        await silo.Storage.WriteStateAsync("state", id, state);
        await silo.Storage.WriteStateAsync("state", id, state);

        var stale = new GrainState<CounterState>(new CounterState()) { ETag = "1" };
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.WriteStateAsync("state", id, stale));

        Assert.Equal("2", conflict.StoredEtag);
        Assert.Equal("1", conflict.CurrentEtag);
    }

    [Fact]
    public async Task A_second_provider_asking_for_another_synchronous_mode_on_the_same_file_stops_the_silo_from_starting()
    {
        using var file = new TemporaryDatabase();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort.Next(), FreePort.Next())
            .AddSqliteGrainStorage("full", options => options.DatabasePath = file.Path)
            .AddSqliteGrainStorage("normal", options =>
            {
                options.DatabasePath = file.Path;
                options.Synchronous = SqliteSynchronousMode.Normal;
            }));
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var refusal = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(timeout.Token));

        Assert.Contains("synchronous=Normal", refusal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_that_fails_inside_a_group_fails_alone_and_its_neighbours_commit()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path);
        var database = Database(silo, SqliteSilo.StorageName);
        var ids = Enumerable.Range(0, 50).Select(_ => GrainId.Create("ticket", Guid.NewGuid().ToString("N"))).ToArray();

        var good = ids.Select(id => silo.Storage.WriteStateAsync("state", id, new GrainState<CounterState>(new CounterState { Count = 1 }))).ToArray();
        var bad = database.WriteAsync(db => db.WriterCommand("INSERT INTO no_such_table VALUES (1);").ExecuteNonQuery(), CancellationToken.None);

        await Assert.ThrowsAsync<SqliteException>(() => bad);
        await Task.WhenAll(good);
        foreach (var id in ids)
        {
            var read = new GrainState<CounterState>();
            await silo.Storage.ReadStateAsync("state", id, read);
            Assert.Equal(1, read.State!.Count);
        }
    }

    private static SqliteDatabase Database(SqliteSilo silo, string optionsName)
        => silo.Services.GetRequiredService<SqliteDatabaseRegistry>()
            .Get(silo.Services.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(optionsName), optionsName);

    private static Task<long> WriterSynchronous(SqliteSilo silo)
        => Database(silo, SqliteSilo.StorageName).WriteAsync(db => (long)db.WriterCommand("PRAGMA synchronous;").ExecuteScalar()!, CancellationToken.None);

    private static string? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (long Version, string AppliedUtc)[] SchemaVersions(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, applied_utc FROM schema_version ORDER BY version;";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return [.. rows];
    }
}
