using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Orleans.Storage;
using SlaGrains.Contracts.Escalations;
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

public sealed class SqliteEscalationReadModelTests(SqliteReadModelFixture store)
    : EscalationReadModelConformance<SqliteReadModelFixture>(store), IClassFixture<SqliteReadModelFixture>;

public sealed class SqliteMonitorReadModelTests(SqliteReadModelFixture store)
    : MonitorReadModelConformance<SqliteReadModelFixture>(store), IClassFixture<SqliteReadModelFixture>
{
    [Fact]
    public void A_front_end_gets_read_only_monitor_queries()
    {
        Assert.IsType<SqliteReadOnlyReadModels>(Store.FrontEndMonitors);
    }

    [Fact]
    public async Task Each_monitor_query_and_prune_step_reads_an_index_instead_of_scanning_or_sorting()
    {
        var sql = MonitorQueries.Sqlite;
        var at = Instant.FromUtc(2030, 1, 1, 0, 0);
        (SqlStatement Statement, string Index)[] statements =
        [
            (sql.Monitors(["c"]), "monitors_by_customer"),
            (MonitorQueries.CheckResults("m", at, at + Duration.FromDays(1), 100), "PRIMARY KEY"),
            (sql.Rollups(["m"], RollupGranularity.Hour, at, at + Duration.FromDays(1)), "PRIMARY KEY"),
            (sql.Incidents(["c"], at, 100), "incidents_by_customer"),
            (sql.Incidents(null, at, 100), "incidents_by_start"),
            (MonitorRowsSql.Prune(at, at)[0], "check_results_by_at"),
            (MonitorRowsSql.Prune(at, at)[1], "check_rollups_by_bucket"),
        ];

        foreach (var (statement, index) in statements)
        {
            var plan = await SqliteReadModelTests.PlanAsync(Store.DatabasePath, statement);

            Assert.Contains(index, plan, StringComparison.Ordinal);
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_file_at_schema_version_3_gains_the_monitor_tables_and_keeps_its_rows()
    {
        using var file = new TemporaryDatabase();
        var ticket = new TicketSummary("T-kept", "c", TicketPriority.P2, TicketStatus.Open, "s", "r", null, null, false,
            Instant.FromUtc(2030, 1, 1, 0, 0), null, null, [], Instant.FromUtc(2030, 1, 1, 0, 0), 1);
        using (var first = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}"))
        {
            await first.Services.GetRequiredService<IReadModelWriter>().WriteAsync(new ReadModelBatch([ticket], []));
            await first.StopAsync();
        }

        // What a file written by the previous release looks like: version 3, no monitor tables.
        SqliteReadModelTests.Execute(
            file.Path,
            "DROP TABLE monitors; DROP TABLE check_results; DROP TABLE check_rollups; DROP TABLE incidents; DROP TABLE maintenance; DROP TABLE budget_alerts; "
            + SqliteReadModelTests.DropChannelTables + SqliteReadModelTests.DropTicketIncidents + " DELETE FROM schema_version WHERE version > 3;");

        using var second = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}");
        try
        {
            var monitor = new MonitorRow("m-new", "c", "API", true, "push", false, null, 1);
            await second.Services.GetRequiredService<IReadModelWriter>().WriteAsync(new ReadModelBatch([], []) { Monitors = [monitor] });

            Assert.Equal(ticket.TicketId, (await second.Services.GetRequiredService<ITicketReadModel>().FindAsync(ticket.TicketId))?.TicketId);
            Assert.Equal([monitor], await second.Services.GetRequiredService<IMonitorReadModel>().MonitorsAsync(["c"]));
            Assert.Equal(string.Join(",", Enumerable.Range(1, SqliteSchema.CurrentVersion)), SqliteReadModelTests.Execute(file.Path, "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version);"));
        }
        finally
        {
            await second.StopAsync();
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
        Assert.Same(readModels, Store.Escalations);
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
        Execute(file.Path, $"DROP TABLE tickets; DROP TABLE clock_transitions; DROP TABLE escalations; {DropMonitorTables} DELETE FROM schema_version WHERE version > 1;");

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
            Assert.Equal(string.Join(",", Enumerable.Range(1, SqliteSchema.CurrentVersion)), Execute(file.Path, "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version);"));
        }
        finally
        {
            await second.StopAsync();
        }
    }

    [Fact]
    public async Task A_file_at_schema_version_2_gains_the_escalations_table_and_keeps_its_ticket_rows()
    {
        using var file = new TemporaryDatabase();
        var ticket = new TicketSummary("T-kept", "c", TicketPriority.P2, TicketStatus.Open, "s", "r", null, null, false,
            Instant.FromUtc(2030, 1, 1, 0, 0), null, null, [], Instant.FromUtc(2030, 1, 1, 0, 0), 1);
        using (var first = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}"))
        {
            await first.Services.GetRequiredService<IReadModelWriter>().WriteAsync(new ReadModelBatch([ticket], []));
            await first.StopAsync();
        }

        // What a file written by the previous release looks like: version 2, no escalations table.
        Execute(file.Path, $"DROP TABLE escalations; {DropMonitorTables} {DropTicketIncidents} DELETE FROM schema_version WHERE version > 2;");

        using var second = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}");
        try
        {
            var alert = new SlaAlert("T-kept", "c", SlaMetric.Resolution, 100, 1, Instant.FromUtc(2030, 1, 2, 0, 0), Instant.FromUtc(2030, 1, 2, 0, 1), TicketPriority.P2, null, null);
            var escalation = new EscalationView(alert.Key, alert, ["notify manager"], Instant.FromUtc(2030, 1, 2, 0, 1), null, null);
            await second.Services.GetRequiredService<IReadModelWriter>().WriteAsync(new ReadModelBatch([], []) { Escalations = [new EscalationRow(escalation, 1)] });

            Assert.Equal(ticket.TicketId, (await second.Services.GetRequiredService<ITicketReadModel>().FindAsync(ticket.TicketId))?.TicketId);
            Assert.Equal(escalation.EscalationId, (await second.Services.GetRequiredService<IEscalationReadModel>().FindAsync(escalation.EscalationId))?.EscalationId);
            Assert.Equal(string.Join(",", Enumerable.Range(1, SqliteSchema.CurrentVersion)), Execute(file.Path, "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version);"));
        }
        finally
        {
            await second.StopAsync();
        }
    }

    [Fact]
    public void A_front_end_gets_only_read_only_queries()
    {
        Assert.IsType<SqliteReadOnlyReadModels>(Store.FrontEndReads);
        Assert.Same(Store.FrontEndReads, Store.FrontEndEscalations);
        Assert.IsNotAssignableFrom<IReadModelWriter>(Store.FrontEndReads);
    }

    [Fact]
    public async Task Each_inbox_page_reads_an_index_in_list_order_instead_of_sorting()
    {
        var sql = EscalationQueries.Sqlite;
        EscalationListQuery[] queries =
        [
            new(),
            new() { Customers = ["c"] },
            new() { Acknowledged = false },
            new() { Customers = ["c"], Acknowledged = false },
            new() { TicketId = "T-1" },
            new() { Customers = ["c"], After = new EscalationCursor(Instant.FromUtc(2030, 1, 1, 0, 0), "T-1/Resolution/100/1") },
        ];

        foreach (var query in queries)
        {
            var plan = await PlanAsync(Store.DatabasePath, sql.List(query));

            Assert.Contains("USING INDEX escalations_", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }
    }

    /// <summary>The tables a later schema version added, dropped to make a file look like an older release's.</summary>
    private const string DropMonitorTables = "DROP TABLE monitors; DROP TABLE check_results; DROP TABLE check_rollups; DROP TABLE incidents; DROP TABLE maintenance; DROP TABLE budget_alerts; " + DropChannelTables;

    /// <summary>The channel outbox tables (version 8), which a file of an earlier version does not have either.</summary>
    internal const string DropChannelTables = "DROP TABLE channel_messages; DROP TABLE channel_attempts;";

    /// <summary>Issue 20: the ticket's incident column and its index (version 11), which a file of an earlier version does not have either.</summary>
    internal const string DropTicketIncidents = " DROP INDEX tickets_by_incident; ALTER TABLE tickets DROP COLUMN incident_id;";

    /// <summary>SQLite's plan for <paramref name="statement"/> on the file at <paramref name="path"/>, one line per step.</summary>
    internal static async Task<string> PlanAsync(string path, SqlStatement statement)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + statement.Text;
        statement.Bind(command);
        await using var reader = await command.ExecuteReaderAsync();
        var steps = new List<string>();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(3));
        }

        return string.Join('\n', steps);
    }

    internal static string? Execute(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
