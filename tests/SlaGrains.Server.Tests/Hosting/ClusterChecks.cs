using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>What the multi-process hosting tests wait for and read: a polled condition, and the PostgreSQL membership table.</summary>
internal static class ClusterChecks
{
    /// <summary>Polls <paramref name="condition"/> every 200 ms; a timeout names <paramref name="what"/> and adds the processes' diagnostics.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, Func<string> diagnostics, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > bound)
            {
                throw new TimeoutException($"Waited {bound.TotalSeconds:F0} s for {what}.\n{diagnostics()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>The cluster's silos with status Active in the membership table.</summary>
    public static async Task<long> ActiveSilosAsync(string database, string clusterId)
        => await ScalarAsync<long>(database, "SELECT count(*) FROM slagrains_membership WHERE DeploymentId = @cluster AND Status = @active",
            ("cluster", clusterId), ("active", (int)SiloStatus.Active));

    /// <summary>The membership status of the silo listening on <paramref name="siloPort"/> (null: no row).</summary>
    public static async Task<int?> SiloStatusAsync(string database, string clusterId, int siloPort)
        => await ScalarAsync<int?>(database, "SELECT max(Status) FROM slagrains_membership WHERE DeploymentId = @cluster AND Port = @port",
            ("cluster", clusterId), ("port", siloPort));

    private static async Task<T> ScalarAsync<T>(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default! : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }
}
