using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Storage.Sqlite;

namespace SlaGrains.Grains.Tests;

/// <summary>
/// A real in-process Orleans <see cref="TestCluster"/> whose silos keep grain state and reminders in one SQLite
/// file (our provider, the product's default), with the SlaGrains grains and the real system clock.
/// </summary>
public sealed class SqliteCluster : IAsyncDisposable
{
    private const string DatabaseKey = "SlaGrains:Tests:SqlitePath";
    private const string ClockKey = "SlaGrains:Tests:ShiftedClock";

    private SqliteCluster(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    // settings: more silo configuration, e.g. Webhooks:MaxAttempts.
    public static async Task<SqliteCluster> StartAsync(string databasePath, int silos = 2, bool shiftedClock = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var builder = new TestClusterBuilder((short)silos);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.Properties[key] = value;
        }

        if (shiftedClock)
        {
            builder.Properties[ClockKey] = databasePath;
        }


        // State and reminders are keyed by service id: a cluster restarted on the same file must be the same service.
        builder.Options.ServiceId = $"slagrains-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(databasePath)))[..12]}";
        builder.Properties[DatabaseKey] = databasePath;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new SqliteCluster(cluster);
    }

    /// <summary>
    /// The primary silo's notification hub: notifications are fanned out cluster-wide, so one silo sees what grains on
    /// every silo publish (listening on several would see each notification several times).
    /// </summary>
    public IEnumerable<ISlaNotifications> Notifications => [((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<ISlaNotifications>()];

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var path = silo.Configuration[DatabaseKey]!;
            if (silo.Configuration[ClockKey] is { } clock)
            {
                silo.Services.AddKeyedSingleton<TimeProvider>(SlaTime.Key, ShiftedClock.For(clock));
            }

            silo.AddSqliteGrainStorageAsDefault(o => o.DatabasePath = path);
            silo.UseSqliteReminderService(o => o.DatabasePath = path);
            silo.AddSlaGrains();
        }
    }
}
