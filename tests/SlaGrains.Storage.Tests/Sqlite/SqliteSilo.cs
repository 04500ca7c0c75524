using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using SlaGrains.Storage.Sqlite;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.Sqlite;

/// <summary>
/// A real single Orleans silo on loopback, configured the way the product configures SQLite: two grain storage
/// providers and the reminder table, all on one database file.
/// </summary>
public sealed class SqliteSilo : IAsyncDisposable
{
    /// <summary>The grain storage the test grains and the conformance suite use.</summary>
    public const string StorageName = "sqlite";

    /// <summary>A second provider instance on the same file (see <see cref="SqliteStoreFixture"/>).</summary>
    public const string CollidingStorageName = "sqlite-colliding";

    /// <summary>Stays the same across restarts, as a real deployment's service id does: rows are keyed by it.</summary>
    public const string ServiceId = "slagrains-sqlite-tests";

    private readonly IHost _host;

    private SqliteSilo(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public IGrainStorage Storage => Services.GetRequiredKeyedService<IGrainStorage>(StorageName);

    public static async Task<SqliteSilo> StartAsync(string databasePath, SqliteSynchronousMode synchronous = SqliteSynchronousMode.Full)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: ServiceId, clusterId: $"sqlite-{Guid.NewGuid():N}")
            .AddSqliteGrainStorage(StorageName, options =>
            {
                options.DatabasePath = databasePath;
                options.Synchronous = synchronous;
            })
            .AddSqliteGrainStorage(CollidingStorageName, options =>
            {
                options.DatabasePath = databasePath;
                options.Synchronous = synchronous;
            })
            .UseSqliteReminderService(options =>
            {
                options.DatabasePath = databasePath;
                options.Synchronous = synchronous;
            }));
        var host = builder.Build();
        using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await host.StartAsync(startup.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new SqliteSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(shutdown.Token);
        }
        finally
        {
            if (_host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}
