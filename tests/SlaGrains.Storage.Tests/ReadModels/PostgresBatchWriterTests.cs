using System.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>
/// Group commit on PostgreSQL, with the writer held back until a whole group is queued (so what a group is does not
/// depend on timing): one transaction per group, a refused write failing alone, an unreachable server failing all.
/// </summary>
public sealed class PostgresBatchWriterTests(ThrowawayPostgres server) : IClassFixture<ThrowawayPostgres>
{
    // Each row records the transaction that wrote it and when, in that transaction, it was written.
    private const string InsertSql = "INSERT INTO probe (id, tx, step) VALUES (@id, txid_current(), nextval('probe_step'))";

    [SkippableFact]
    public async Task Writes_queued_together_commit_in_one_transaction()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        await using var dataSource = await ProbeDatabaseAsync();
        var gate = new TaskCompletionSource();
        await using var writer = new PostgresBatchWriter(dataSource, NullLogger.Instance, gate.Task);

        var writes = Enumerable.Range(0, 50).Select(i => writer.WriteAsync([Insert(i)], CancellationToken.None)).ToList();
        gate.SetResult();
        await Task.WhenAll(writes);

        var rows = await RowsAsync(dataSource);
        Assert.Equal(Enumerable.Range(0, 50), rows.Select(r => r.Id));
        Assert.Single(rows.Select(r => r.Tx).Distinct());
    }

    [SkippableFact]
    public async Task A_write_the_server_refuses_fails_alone_and_the_rest_of_its_group_commits_together()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        await using var dataSource = await ProbeDatabaseAsync();
        var gate = new TaskCompletionSource();
        await using var writer = new PostgresBatchWriter(dataSource, NullLogger.Instance, gate.Task);

        var writes = Enumerable.Range(0, 20)
            .Select(i => writer.WriteAsync(i == 7 ? [Insert(i), new SqlStatement("INSERT INTO probe (id, tx, step) VALUES (@id, NULL, 0)", [new("@id", DbType.Int32, 1000)])] : [Insert(i)], CancellationToken.None))
            .ToList();
        gate.SetResult();

        await Assert.ThrowsAsync<PostgresException>(() => writes[7]);
        await Task.WhenAll(writes.Where((_, i) => i != 7));
        var rows = await RowsAsync(dataSource);
        Assert.Equal(Enumerable.Range(0, 20).Where(i => i != 7), rows.Select(r => r.Id));
        Assert.Single(rows.Select(r => r.Tx).Distinct());
    }

    [SkippableFact]
    public async Task A_group_runs_its_statements_in_lock_key_order_whatever_order_they_were_queued_in()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        await using var dataSource = await ProbeDatabaseAsync();
        var gate = new TaskCompletionSource();
        await using var writer = new PostgresBatchWriter(dataSource, NullLogger.Instance, gate.Task);

        var writes = new[] { 5, 3, 9, 1, 7 }.Select(i => writer.WriteAsync([Insert(i)], CancellationToken.None)).ToList();
        gate.SetResult();
        await Task.WhenAll(writes);

        var rows = await RowsAsync(dataSource);
        Assert.Equal([1, 3, 5, 7, 9], rows.OrderBy(r => r.Step).Select(r => r.Id));
    }

    [SkippableFact]
    public async Task When_the_server_cannot_be_reached_every_write_of_the_group_fails()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var nowhere = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Port = FreePort.Next() }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(nowhere);
        var gate = new TaskCompletionSource();
        await using var writer = new PostgresBatchWriter(dataSource, NullLogger.Instance, gate.Task);

        var writes = Enumerable.Range(0, 10).Select(i => writer.WriteAsync([Insert(i)], CancellationToken.None)).ToList();
        gate.SetResult();

        foreach (var write in writes)
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => write);
        }
    }

    private static SqlStatement Insert(int id) => new(InsertSql, [new("@id", DbType.Int32, id)], id.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));

    private async Task<NpgsqlDataSource> ProbeDatabaseAsync()
    {
        var connectionString = await server.CreateDatabaseAsync("writer_" + Guid.NewGuid().ToString("N")[..10]);
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { IncludeFailedBatchedCommand = true });
        await using var command = dataSource.CreateCommand(
            "CREATE TABLE probe (id integer PRIMARY KEY, tx bigint NOT NULL, step bigint NOT NULL); CREATE SEQUENCE probe_step;");
        await command.ExecuteNonQueryAsync();
        return dataSource;
    }

    private static async Task<List<(int Id, long Tx, long Step)>> RowsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT id, tx, step FROM probe ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, long, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rows;
    }
}
