using Npgsql;
using Xunit.Abstractions;
using SlaGrains.Storage.Postgres;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.Postgres;

public sealed class PostgresSchemaTests(ThrowawayPostgres server, ITestOutputHelper output) : IClassFixture<ThrowawayPostgres>
{
    private static readonly string[] OrleansQueryKeys =
    [
        // Orleans.Persistence.AdoNet 10.4.2
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey",
        // Orleans.Reminders.AdoNet 10.4.2
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        // Orleans.Clustering.AdoNet 10.4.2
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
    ];

    [SkippableFact]
    public async Task An_empty_database_is_brought_to_the_latest_version()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var database = await server.CreateDatabaseAsync("empty_" + Suffix());
        Assert.Equal(0, await PostgresSchema.ReadVersionAsync(database, CancellationToken.None));

        var result = await PostgresSchema.EnsureAsync(database, CancellationToken.None);

        Assert.Equal(0, result.PreviousVersion);
        Assert.Equal(PostgresSchema.LatestVersion, result.CurrentVersion);
        Assert.True(result.Changed);
        Assert.Equal(PostgresSchema.LatestVersion, await PostgresSchema.ReadVersionAsync(database, CancellationToken.None));
        output.WriteLine($"Throwaway PostgreSQL on port {server.Port} started in {server.StartupTime.TotalMilliseconds:F0} ms (initdb + start + CREATE DATABASE).");
    }

    [SkippableFact]
    public async Task Every_query_key_Orleans_10_4_2_reads_is_present()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var database = await server.CreateDatabaseAsync("keys_" + Suffix());
        await PostgresSchema.EnsureAsync(database, CancellationToken.None);

        var keys = await QueryAsync(database, "SELECT QueryKey FROM OrleansQuery", r => r.GetString(0));

        Assert.Equal(OrleansQueryKeys.Order(), keys.Order());
    }

    [SkippableFact]
    public async Task Applying_twice_changes_nothing()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var database = await server.CreateDatabaseAsync("twice_" + Suffix());
        await PostgresSchema.EnsureAsync(database, CancellationToken.None);
        var before = await SnapshotAsync(database);

        var second = await PostgresSchema.EnsureAsync(database, CancellationToken.None);

        Assert.False(second.Changed);
        Assert.Empty(second.AppliedVersions);
        Assert.Equal(PostgresSchema.LatestVersion, second.PreviousVersion);
        Assert.Equal(before, await SnapshotAsync(database));
    }

    [SkippableFact]
    public async Task The_applied_version_is_recorded_once_with_its_description()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var database = await server.CreateDatabaseAsync("recorded_" + Suffix());
        await PostgresSchema.EnsureAsync(database, CancellationToken.None);
        await PostgresSchema.EnsureAsync(database, CancellationToken.None);

        var rows = await QueryAsync(database, "SELECT Version, Description FROM slagrains_schema_version ORDER BY Version", r => (r.GetInt32(0), r.GetString(1)));

        Assert.Equal(Enumerable.Range(1, PostgresSchema.LatestVersion), rows.Select(r => r.Item1));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Item2)));
    }

    [SkippableFact]
    public async Task Silos_starting_at_once_apply_the_schema_exactly_once()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var database = await server.CreateDatabaseAsync("racing_" + Suffix());

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PostgresSchema.EnsureAsync(database, CancellationToken.None))));

        Assert.Single(results, r => r.Changed);
        Assert.All(results, r => Assert.Equal(PostgresSchema.LatestVersion, r.CurrentVersion));
        var recorded = await QueryAsync(database, "SELECT COUNT(*) FROM slagrains_schema_version", r => r.GetInt64(0));
        Assert.Equal(PostgresSchema.LatestVersion, recorded.Single());
    }

    [SkippableFact]
    public async Task A_database_at_version_3_gains_the_escalations_table_and_keeps_its_ticket_rows()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var database = await server.CreateDatabaseAsync("v3_" + Suffix());
        await PostgresSchema.EnsureAsync(database, CancellationToken.None);

        // What a database of the previous release looks like: version 3 with a ticket row, no escalations table.
        await QueryAsync(database, """
            INSERT INTO tickets (ticket_id, customer_id, subject, requester, priority, status, escalated, created_at, as_of, version, deadline_key)
            VALUES ('T-kept', 'c', 's', 'r', 2, 0, false, 0, 0, 1, 0);
            DROP TABLE escalations;
            DROP TABLE monitors, check_results, check_rollups, incidents, maintenance, budget_alerts;
            DROP TABLE channel_messages, channel_attempts;
            DELETE FROM slagrains_schema_version WHERE Version > 3;
            """, r => 0);

        var result = await PostgresSchema.EnsureAsync(database, CancellationToken.None);

        Assert.Equal(3, result.PreviousVersion);
        Assert.Equal(Enumerable.Range(4, PostgresSchema.LatestVersion - 3), result.AppliedVersions);
        Assert.Equal(["T-kept"], await QueryAsync(database, "SELECT ticket_id FROM tickets", r => r.GetString(0)));
        Assert.Equal([0L], await QueryAsync(database, "SELECT COUNT(*) FROM escalations", r => r.GetInt64(0)));
    }

    [SkippableFact]
    public async Task A_database_at_version_4_gains_the_monitor_tables_and_keeps_its_rows()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var database = await server.CreateDatabaseAsync("v4_" + Suffix());
        await PostgresSchema.EnsureAsync(database, CancellationToken.None);

        // What a database of the previous release looks like: version 4 with a ticket row, no monitor tables.
        await QueryAsync(database, """
            INSERT INTO tickets (ticket_id, customer_id, subject, requester, priority, status, escalated, created_at, as_of, version, deadline_key)
            VALUES ('T-kept', 'c', 's', 'r', 2, 0, false, 0, 0, 1, 0);
            DROP TABLE monitors, check_results, check_rollups, incidents, maintenance, budget_alerts;
            DROP TABLE channel_messages, channel_attempts;
            DELETE FROM slagrains_schema_version WHERE Version > 4;
            """, r => 0);

        var result = await PostgresSchema.EnsureAsync(database, CancellationToken.None);

        Assert.Equal(4, result.PreviousVersion);
        Assert.Equal(Enumerable.Range(5, PostgresSchema.LatestVersion - 4), result.AppliedVersions);
        Assert.Equal(["T-kept"], await QueryAsync(database, "SELECT ticket_id FROM tickets", r => r.GetString(0)));
        Assert.Equal(
            [0L],
            await QueryAsync(
                database,
                "SELECT (SELECT COUNT(*) FROM monitors) + (SELECT COUNT(*) FROM check_results) + (SELECT COUNT(*) FROM check_rollups) + (SELECT COUNT(*) FROM incidents) + (SELECT COUNT(*) FROM maintenance)",
                r => r.GetInt64(0)));
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..10];

    /// <summary>Everything the schema consists of: relations, columns, functions, query texts and version rows.</summary>
    private static async Task<string> SnapshotAsync(string database)
    {
        var parts = new List<string>();
        parts.AddRange(await QueryAsync(database,
            "SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1",
            r => r.GetString(0)));
        parts.AddRange(await QueryAsync(database,
            "SELECT p.proname || ':' || md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1",
            r => r.GetString(0)));
        parts.AddRange(await QueryAsync(database,
            "SELECT QueryKey || ':' || md5(QueryText) FROM OrleansQuery ORDER BY 1",
            r => r.GetString(0)));
        parts.AddRange(await QueryAsync(database,
            "SELECT Version || ':' || AppliedOn FROM slagrains_schema_version ORDER BY 1",
            r => r.GetString(0)));
        return string.Join('\n', parts);
    }

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
