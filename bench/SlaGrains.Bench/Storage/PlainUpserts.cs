using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SlaGrains.Bench.Storage;

/// <summary>
/// The yardstick: plain parameterised single-row upserts of the same payload, each its own durable
/// transaction, straight to the database — what the store can do without Orleans or our provider.
/// </summary>
internal static class PlainUpserts
{
    private const int Rows = 1_000;

    /// <summary>Upserts per second from <paramref name="connections"/> connections, each looping over 1,000 rows.</summary>
    public static async Task<Throughput> Measure(Func<Task<DbConnection>> open, string upsertSql, int connections, TimeSpan duration, byte[] payload)
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => open()));
        try
        {
            var commands = opened.Select(connection =>
            {
                var command = connection.CreateCommand();
                command.CommandText = upsertSql;
                AddParameter(command, "id", string.Empty);
                AddParameter(command, "payload", payload);
                command.Prepare();
                return command;
            }).ToArray();

            return await Throughput.Measure(connections, duration, async (worker, i) =>
            {
                var command = commands[worker];
                command.Parameters[0].Value = $"row-{((i * connections) + worker) % Rows}";
                await command.ExecuteNonQueryAsync();
            });
        }
        finally
        {
            foreach (var connection in opened)
            {
                await connection.DisposeAsync();
            }
        }
    }

    public static async Task<DbConnection> OpenSqlite(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var setup = connection.CreateCommand();

        // The provider's settings: WAL, synchronous FULL (every commit durable); wait for the write lock.
        setup.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA busy_timeout = 30000;
            CREATE TABLE IF NOT EXISTS bench_plain (id TEXT PRIMARY KEY, version INTEGER NOT NULL, payload BLOB NOT NULL);
            """;
        await setup.ExecuteNonQueryAsync();
        return connection;
    }

    public const string SqliteUpsert =
        "INSERT INTO bench_plain (id, version, payload) VALUES ($id, 1, $payload) ON CONFLICT (id) DO UPDATE SET version = version + 1, payload = excluded.payload";

    public static async Task<DbConnection> OpenPostgres(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var setup = connection.CreateCommand();
        setup.CommandText = "CREATE TABLE IF NOT EXISTS bench_plain (id text PRIMARY KEY, version integer NOT NULL, payload bytea NOT NULL)";
        await setup.ExecuteNonQueryAsync();
        return connection;
    }

    public const string PostgresUpsert =
        "INSERT INTO bench_plain (id, version, payload) VALUES (@id, 1, @payload) ON CONFLICT (id) DO UPDATE SET version = bench_plain.version + 1, payload = excluded.payload";

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
