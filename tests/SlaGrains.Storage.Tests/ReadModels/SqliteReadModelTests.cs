using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Orleans.Storage;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Sqlite;
using SlaGrains.Storage.Tests.Conformance;
using SlaGrains.Storage.Tests.Sqlite;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>The SQLite store: a silo on a temporary database file (<c>Storage:SqlitePath</c>).</summary>
public sealed class SqliteReadModelFixture : ReadModelFixture
{
    private readonly TemporaryDatabase _database = new();

    public string DatabasePath => _database.Path;

    public override Task InitializeAsync() => StartAsync($"--Storage:SqlitePath={_database.Path}");

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            // The front-end's read-only connections are pooled: let go of the file before deleting it.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _database.Dispose();
        }
    }
}

public sealed class SqliteReadModelTests(SqliteReadModelFixture store)
    : TicketReadModelConformance<SqliteReadModelFixture>(store), IClassFixture<SqliteReadModelFixture>
{
    [Fact]
    public void The_read_models_write_through_the_same_database_object_as_the_grain_storage()
    {
        var readModels = Assert.IsType<SqliteReadModels>(Store.Writer);
        var services = Store.SiloServices;
        var grainStorageOptions = services.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(SlaGrainsStorage.GrainStorageName);

        // One file, one writer: a read-model batch shares its transaction and fsync with the grain state writes queued beside it.
        Assert.Same(services.GetRequiredService<SqliteDatabaseRegistry>().Get(grainStorageOptions, "grain storage"), readModels.Database);
        Assert.Same(readModels, Store.Reads);
        Assert.Same(readModels, Store.Maintenance);
    }

    [Fact]
    public async Task A_file_at_schema_version_1_gains_the_read_model_tables_and_keeps_its_grain_state()
    {
        using var file = new TemporaryDatabase();
        var id = GrainId.Create(TicketGrainState.GrainType, "T-upgraded");
        using (var first = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}"))
        {
            var storage = first.Services.GetRequiredKeyedService<IGrainStorage>(SlaGrainsStorage.GrainStorageName);
            await storage.WriteStateAsync(TicketGrainState.StateName, id, new GrainState<ConformanceState>(new ConformanceState { Text = "before the upgrade" }));
            await first.StopAsync();
        }

        // What a file written by the previous release looks like: version 1, no read-model tables.
        Execute(file.Path, "DROP TABLE tickets; DROP TABLE clock_transitions; DELETE FROM schema_version WHERE version > 1;");

        using var second = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}");
        try
        {
            var read = new GrainState<ConformanceState>();
            await second.Services.GetRequiredKeyedService<IGrainStorage>(SlaGrainsStorage.GrainStorageName).ReadStateAsync(TicketGrainState.StateName, id, read);
            var ticket = new TicketSummary("T-upgraded", "c", TicketPriority.P2, TicketStatus.Open, "s", "r", null, null, false,
                Instant.FromUtc(2030, 1, 1, 0, 0), null, null, [], Instant.FromUtc(2030, 1, 1, 0, 0), 1);
            await second.Services.GetRequiredService<IReadModelWriter>().WriteAsync(new ReadModelBatch([ticket], []));

            Assert.Equal("before the upgrade", read.State!.Text);
            Assert.Equal(ticket.TicketId, (await second.Services.GetRequiredService<ITicketReadModel>().FindAsync(ticket.TicketId))?.TicketId);
            Assert.Equal("1,2", Execute(file.Path, "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version);"));
        }
        finally
        {
            await second.StopAsync();
        }
    }

    [Fact]
    public void A_front_end_gets_only_read_only_queries()
    {
        Assert.IsType<SqliteReadOnlyTicketReadModel>(Store.FrontEndReads);
        Assert.IsNotAssignableFrom<IReadModelWriter>(Store.FrontEndReads);
    }

    private static string? Execute(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
