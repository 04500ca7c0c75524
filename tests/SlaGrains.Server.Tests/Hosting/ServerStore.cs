using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>The server settings for one store (a SQLite file in a directory, or a fresh PostgreSQL database), and a way to open it directly.</summary>
internal sealed record ServerStore(string[] Settings, Func<DbConnection> Connect)
{
    /// <summary>
    /// <c>sqlite</c>: a file in <paramref name="directory"/>; <c>postgresql</c>: a new database named from
    /// <paramref name="prefix"/> on the throwaway server, with a cluster id of its own. Skips when PostgreSQL is unavailable.
    /// </summary>
    public static async Task<ServerStore> CreateAsync(string store, string directory, ThrowawayPostgres postgres, string prefix)
    {
        if (store == "sqlite")
        {
            var file = Path.Combine(directory, "sla.db");
            return new([$"--Storage:SqlitePath={file}"], () => new SqliteConnection($"Data Source={file}"));
        }

        Skip.If(postgres.Unavailable is not null, postgres.Unavailable);
        var database = await postgres.CreateDatabaseAsync($"{prefix}_{Guid.NewGuid():N}"[..24]);
        return new(
            ["--Storage:Provider=postgresql", $"--Storage:ConnectionString={database}", $"--Orleans:ClusterId={prefix}-{Guid.NewGuid():N}"[..30]],
            () => new NpgsqlConnection(database));
    }
}
