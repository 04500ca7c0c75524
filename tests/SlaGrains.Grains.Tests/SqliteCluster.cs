using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Storage.ReadModels;
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
    private const string ProbeRegionKey = "SlaGrains:Tests:ProbeRegion";

    private SqliteCluster(TestCluster cluster) => Cluster = cluster;

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="silos">How many silos.</param>
    /// <param name="shiftedClock">Whether SLA time is a <see cref="ShiftedClock"/> the test moves.</param>
    /// <param name="probeRegions">The probe region of each silo by index (null: not a probe location); none: no silo is one.</param>
    /// <param name="settings">More silo configuration, e.g. <c>Webhooks:MaxAttempts</c>.</param>
    public static async Task<SqliteCluster> StartAsync(string databasePath, int silos = 2, bool shiftedClock = false, IReadOnlyList<string?>? probeRegions = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var builder = new TestClusterBuilder((short)silos);
        // Loopback allowed for outbound requests: the tests' webhook receivers and probe targets are on 127.0.0.1.
        foreach (var (key, value) in SlaGrains.Testing.LoopbackTargets.Settings.Concat(settings ?? new Dictionary<string, string>()))
        {
            builder.Properties[key] = value;
        }

        if (shiftedClock)
        {
            builder.Properties[ClockKey] = databasePath;
        }

        // TestCluster names its silos Primary, Secondary_1, Secondary_2, …: each finds its own region by its name.
        for (var i = 0; i < (probeRegions?.Count ?? 0); i++)
        {
            if (probeRegions![i] is { } region)
            {
                builder.Properties[$"{ProbeRegionKey}:{(i == 0 ? "Primary" : $"Secondary_{i}")}"] = region;
            }
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

    /// <summary>A service of the primary silo (e.g. the read models it writes).</summary>
    public T Service<T>()
        where T : notnull
        => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<T>();

    /// <summary>A keyed service of the primary silo (e.g. a grain storage by name).</summary>
    public T KeyedService<T>(string key)
        where T : notnull
        => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<T>(key);

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
            silo.Services.AddSqliteReadModels(o => o.DatabasePath = path);
            silo.AddSlaGrains(silo.Configuration[$"{ProbeRegionKey}:{silo.Configuration["Orleans:Name"]}"]);
        }
    }
}
