using Npgsql;
using NodaTime;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Tests.Conformance;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>The PostgreSQL store: a throwaway server and a silo on it (<c>Storage:Provider=postgresql</c>).</summary>
public sealed class PostgresReadModelFixture : ReadModelFixture
{
    private readonly ThrowawayPostgres _server = new();

    public string ConnectionString => _server.ConnectionString;

    public override async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        if (_server.Unavailable is not null)
        {
            Unavailable = _server.Unavailable;
            return;
        }

        await StartAsync("--Storage:Provider=postgresql", $"--Storage:ConnectionString={_server.ConnectionString}");
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class PostgresEscalationReadModelTests(PostgresReadModelFixture store)
    : EscalationReadModelConformance<PostgresReadModelFixture>(store), IClassFixture<PostgresReadModelFixture>
{
    /// <summary>
    /// What the escalation stale check relies on, as for tickets: the escalation record grain's state row is keyed by the
    /// whole grain id <c>escalationrecord/{id}</c> — the id's own '/'s included — as a string key (N0 = N1 = 0), the
    /// state name <c>escalation</c> as GrainTypeString, and a Version column whose text is the grain's ETag.
    /// </summary>
    [SkippableFact]
    public async Task An_escalation_record_grain_state_row_is_keyed_by_its_whole_grain_id_and_its_version_is_the_etag()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var escalationId = "T-" + Guid.NewGuid().ToString("N")[..8] + "/Resolution/100/1";
        var state = new GrainState<ConformanceState>(new ConformanceState { Text = "first" });
        await Store.GrainStorage.WriteStateAsync(EscalationGrainState.StateName, GrainId.Create(EscalationGrainState.GrainType, escalationId), state);
        await Store.GrainStorage.WriteStateAsync(EscalationGrainState.StateName, GrainId.Create(EscalationGrainState.GrainType, escalationId), state);

        await using var connection = new NpgsqlConnection(Store.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, Version FROM slagrains_grain_state WHERE GrainIdExtensionString = @key",
            connection);
        command.Parameters.AddWithValue("key", $"escalationrecord/{escalationId}");
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync(), "no grain state row keyed escalationrecord/{id}");
        Assert.Equal("slagrains", reader.GetString(0));
        Assert.Equal(EscalationGrainState.StateName, reader.GetString(1));
        Assert.Equal(0L, reader.GetInt64(2));
        Assert.Equal(0L, reader.GetInt64(3));
        Assert.Equal(state.ETag, reader.GetInt32(4).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2", state.ETag);
        Assert.False(await reader.ReadAsync());
    }

    [SkippableFact]
    public async Task A_batch_commits_its_ticket_and_escalation_rows_in_one_transaction()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var ticketId = "T-" + Guid.NewGuid().ToString("N")[..8];
        var at = Instant.FromUtc(2030, 1, 1, 0, 0);
        var ticket = new TicketSummary(ticketId, "c", TicketPriority.P2, TicketStatus.Open, "s", "r", null, null, false, at, null, null, [], at, 1);
        var alert = new SlaAlert(ticketId, "c", SlaMetric.Resolution, 100, 1, at, at, TicketPriority.P2, null, null);

        await Store.Writer.WriteAsync(new ReadModelBatch([ticket], []) { Escalations = [new EscalationRow(new EscalationView(alert.Key, alert, ["notify manager"], at, null, null), 1)] });

        await using var connection = new NpgsqlConnection(Store.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT xmin::text FROM tickets WHERE ticket_id = @ticket), (SELECT xmin::text FROM escalations WHERE escalation_id = @escalation)",
            connection);
        command.Parameters.AddWithValue("ticket", ticketId);
        command.Parameters.AddWithValue("escalation", alert.Key);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.False(reader.IsDBNull(0));
        Assert.Equal(reader.GetString(0), reader.GetString(1));
    }
}

public sealed class PostgresMonitorReadModelTests(PostgresReadModelFixture store)
    : MonitorReadModelConformance<PostgresReadModelFixture>(store), IClassFixture<PostgresReadModelFixture>
{
    /// <summary>
    /// What the monitor stale check relies on, as for tickets: the monitor grain's state row is keyed by the whole grain
    /// id <c>monitor/{id}</c> as a string key (N0 = N1 = 0), the state name <c>monitor</c> as GrainTypeString, and a
    /// Version column whose text is the grain's ETag.
    /// </summary>
    [SkippableFact]
    public async Task A_monitor_grain_state_row_is_keyed_by_its_whole_grain_id_and_its_version_is_the_etag()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        await GrainStateRows.AssertKeyedByWholeGrainIdAsync(Store, MonitorGrainState.GrainType, MonitorGrainState.StateName, "M-" + Guid.NewGuid().ToString("N")[..8]);
    }

    [SkippableFact]
    public async Task A_batch_commits_its_monitor_rows_of_every_kind_in_one_transaction()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var monitorId = "M-" + Guid.NewGuid().ToString("N")[..8];
        var at = Instant.FromUtc(2030, 1, 1, 0, 0);
        var figures = new SlaGrains.Domain.Availability.CheckRollup(Duration.FromHours(1), Duration.Zero, Duration.Zero, 1, 0, null, null, null);

        await Store.Writer.WriteAsync(new ReadModelBatch([], [])
        {
            Monitors = [new MonitorRow(monitorId, "c", "API", true, "push", false, at, 1)],
            CheckResults = [new CheckResultRow(monitorId, "c", string.Empty, at, false, null)],
            Rollups = [new CheckRollupRow(monitorId, "c", RollupGranularity.Hour, at, figures, 1)],
            Incidents = [new IncidentRow(new IncidentView(monitorId + "-1", monitorId, "c", at, null, at, null, null), "API", 1)],
            Maintenance = [new MaintenanceRow(new MaintenanceView(monitorId + "-m1", at, at + Duration.FromHours(1), at, "work"), monitorId, "c", "API", false, 1)],
        });

        await using var connection = new NpgsqlConnection(Store.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT COUNT(DISTINCT x), COUNT(*) FROM (
                SELECT xmin::text AS x FROM monitors WHERE monitor_id = @m
                UNION ALL SELECT xmin::text FROM check_results WHERE monitor_id = @m
                UNION ALL SELECT xmin::text FROM check_rollups WHERE monitor_id = @m
                UNION ALL SELECT xmin::text FROM incidents WHERE monitor_id = @m
                UNION ALL SELECT xmin::text FROM maintenance WHERE monitor_id = @m) AS rows
            """,
            connection);
        command.Parameters.AddWithValue("m", monitorId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal(5L, reader.GetInt64(1));
    }
}

public sealed class PostgresReadModelTests(PostgresReadModelFixture store)
    : TicketReadModelConformance<PostgresReadModelFixture>(store), IClassFixture<PostgresReadModelFixture>
{
    /// <summary>
    /// What the stale check relies on: Orleans' ADO.NET provider behind <c>FullIdentityGrainStorage</c> stores a
    /// ticket grain's state with the whole grain id <c>ticket/{id}</c> as a string key (N0 = N1 = 0), the state name as
    /// GrainTypeString, and a Version column whose text is the ETag the grain gets back from its write.
    /// </summary>
    [SkippableFact]
    public async Task A_ticket_grain_state_row_is_keyed_by_its_whole_grain_id_and_its_version_is_the_etag()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        await GrainStateRows.AssertKeyedByWholeGrainIdAsync(Store, TicketGrainState.GrainType, TicketGrainState.StateName, "T-" + Guid.NewGuid().ToString("N")[..8]);
    }
}

/// <summary>What the stale checks rely on, for any grain type: how the PostgreSQL grain storage keys and versions a state row.</summary>
internal static class GrainStateRows
{
    /// <summary>
    /// Two writes of a <paramref name="grainType"/> grain's state leave one row keyed by the whole grain id
    /// <c>{type}/{id}</c> as a string key (N0 = N1 = 0), the state name as GrainTypeString, and a Version column whose
    /// text is the ETag the grain got back from its last write.
    /// </summary>
    public static async Task AssertKeyedByWholeGrainIdAsync(PostgresReadModelFixture store, string grainType, string stateName, string id)
    {
        var state = new GrainState<ConformanceState>(new ConformanceState { Text = "first" });
        await store.GrainStorage.WriteStateAsync(stateName, GrainId.Create(grainType, id), state);
        await store.GrainStorage.WriteStateAsync(stateName, GrainId.Create(grainType, id), state);

        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, Version FROM slagrains_grain_state WHERE GrainIdExtensionString = @key",
            connection);
        command.Parameters.AddWithValue("key", $"{grainType}/{id}");
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync(), $"no grain state row keyed {grainType}/{{id}}");
        Assert.Equal("slagrains", reader.GetString(0));
        Assert.Equal(stateName, reader.GetString(1));
        Assert.Equal(0L, reader.GetInt64(2));
        Assert.Equal(0L, reader.GetInt64(3));
        Assert.Equal(state.ETag, reader.GetInt32(4).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2", state.ETag);
        Assert.False(await reader.ReadAsync());
    }
}
