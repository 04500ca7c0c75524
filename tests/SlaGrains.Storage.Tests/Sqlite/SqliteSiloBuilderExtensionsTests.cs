using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using SlaGrains.Storage.Sqlite;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.Sqlite;

/// <summary>How a silo is configured for SQLite: from code or from configuration, named or as the default.</summary>
public sealed class SqliteSiloBuilderExtensionsTests
{
    [Fact]
    public void By_default_the_database_is_data_slagrains_db_under_the_working_directory_with_synchronous_FULL()
    {
        var options = new SqliteStorageOptions();

        Assert.Equal("./data/slagrains.db", new SqliteConnectionStringBuilder(options.ResolveConnectionString()).DataSource);
        Assert.Equal(SqliteSynchronousMode.Full, options.Synchronous);
    }

    [Fact]
    public void A_connection_string_wins_over_the_database_path()
    {
        var options = new SqliteStorageOptions { DatabasePath = "ignored.db", ConnectionString = "Data Source=/var/lib/slagrains/state.db" };

        Assert.Equal("/var/lib/slagrains/state.db", new SqliteConnectionStringBuilder(options.ResolveConnectionString()).DataSource);
    }

    [Fact]
    public async Task Default_grain_storage_and_reminders_bind_their_options_from_configuration()
    {
        using var file = new TemporaryDatabase();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = file.Path,
            ["Storage:Synchronous"] = "Normal",
            ["Storage:MaxWriteBatchSize"] = "64",
        });
        var section = builder.Configuration.GetSection("Storage");
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort.Next(), FreePort.Next())
            .AddSqliteGrainStorageAsDefault(options => options.Bind(section))
            .UseSqliteReminderService(options => options.Bind(section)));
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        try
        {
            var storage = Assert.IsType<SqliteGrainStorage>(host.Services.GetRequiredService<IGrainStorage>());
            var options = host.Services.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get("Default");

            Assert.Equal(Path.GetFullPath(file.Path), storage.DataSource);
            Assert.Equal(SqliteSynchronousMode.Normal, options.Synchronous);
            Assert.Equal(64, options.MaxWriteBatchSize);
            Assert.IsType<OrleansGrainStorageSerializer>(options.GrainStorageSerializer);
            Assert.Equal(storage.DataSource, Assert.IsType<SqliteReminderTable>(host.Services.GetRequiredService<IReminderTable>()).DataSource);
        }
        finally
        {
            await host.StopAsync(timeout.Token);
        }
    }

    [Fact]
    public async Task An_acknowledged_write_is_already_in_the_file_for_an_independent_connection_before_the_silo_stops()
    {
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path);
        var id = GrainId.Create("ticket", Guid.NewGuid().ToString("N"));
        var state = new GrainState<CounterState>(new CounterState { Count = 7 });

        await silo.Storage.WriteStateAsync("state", id, state);

        // Another handle on the file sees what a process restarted after a crash would see: the committed WAL.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file.Path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM grain_state WHERE grain_key = $key AND state_name = 'state';";
        command.Parameters.AddWithValue("$key", id.Key.ToString());
        Assert.Equal(state.ETag, Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
