using System.Data.Common;
using Npgsql;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>
/// <see cref="FuzzWorld"/> on a throwaway PostgreSQL server (grain state, reminders, read models and keys in a fresh
/// database). The membership tables are left out of the state compared: a live silo rewrites its I-am-alive row.
/// </summary>
public sealed class PostgresFuzzWorld : FuzzWorld
{
    private readonly ThrowawayPostgres _postgres = new();
    private readonly string _clusterId = $"fuzz-{Guid.NewGuid():N}"[..30];
    private string _database = "";

    /// <summary>Why no PostgreSQL server could be started here; null when it runs.</summary>
    public string? Unavailable => _postgres.Unavailable;

    public override string TablesQuery =>
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT ILIKE 'orleansmembership%' AND table_name NOT ILIKE 'slagrains_membership%' ORDER BY table_name";

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        .. base.Settings,
        new("Storage:Provider", "postgresql"),
        new("Storage:ConnectionString", _database),
        new("Orleans:ClusterId", _clusterId),
    ];

    public override DbConnection OpenStore() => new NpgsqlConnection(_database);

    public override async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        if (Unavailable is not null)
        {
            return;
        }

        _database = await _postgres.CreateDatabaseAsync($"fuzz_{Guid.NewGuid():N}"[..24]);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        if (Unavailable is null)
        {
            await base.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }
}
