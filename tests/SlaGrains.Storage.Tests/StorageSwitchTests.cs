using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Storage;
using SlaGrains.Storage.Tests.Conformance;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests;

/// <summary><c>Storage:Provider</c> alone decides where a silo keeps its grain state and reminders.</summary>
public sealed class StorageSwitchTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-switch-").FullName;

    [Fact]
    public async Task SQLite_is_the_default_and_keeps_state_in_the_configured_file()
    {
        var file = Path.Combine(_directory, "nested", "sla.db");

        await WriteOneState([$"--Storage:SqlitePath={file}"]);

        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var count = new SqliteCommand("SELECT COUNT(*) FROM grain_state WHERE payload IS NOT NULL", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [SkippableFact]
    public async Task PostgreSQL_keeps_state_in_the_configured_database()
    {
        Skip.If(postgres.Unavailable is not null, postgres.Unavailable);
        var connectionString = await postgres.CreateDatabaseAsync("storage_switch");

        await WriteOneState(["--Storage:Provider=PostgreSQL", $"--Storage:ConnectionString={connectionString}"]);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM slagrains_grain_state WHERE payloadbinary IS NOT NULL", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("--Storage:Provider=mongodb", "Storage:Provider must be 'sqlite' or 'postgresql'; got 'mongodb'")]
    [InlineData("--Storage:Provider=postgresql", "Storage:ConnectionString is empty")]
    [InlineData("--Orleans:SiloPort=eleven", "Orleans:SiloPort must be a TCP port")]
    public void A_bad_setting_stops_the_silo_with_a_message_naming_it(string setting, string message)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([setting]).Build();
        var builder = Host.CreateApplicationBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => builder.UseOrleans(silo => silo.UseSlaGrainsStorage(configuration)).Build());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task WriteOneState(string[] settings)
    {
        using var host = await ConfiguredSilo.StartAsync(settings);
        try
        {
            var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(SlaGrainsStorage.GrainStorageName);
            var state = new GrainState<ConformanceState>(new ConformanceState { Text = "switched" });
            await storage.WriteStateAsync("state", GrainId.Create("ticket", "switch"), state);

            // The SlaGrains storage is also the default one, for grains that name no storage.
            Assert.Same(storage, host.Services.GetRequiredKeyedService<IGrainStorage>("Default"));
            Assert.Same(storage, host.Services.GetRequiredService<IGrainStorage>());
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
