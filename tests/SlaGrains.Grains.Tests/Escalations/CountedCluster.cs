using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Sqlite;

namespace SlaGrains.Grains.Tests.Escalations;

/// <summary>
/// A real <see cref="TestCluster"/> on one SQLite file (our provider) whose default grain storage is wrapped in a
/// <see cref="CountedStorage"/>: every committed write is counted by grain type and silo, and writes of chosen grain
/// types can be held at a gate (to stop a hand-over between a grain's commit and the next grain's). Nothing is mocked:
/// every write reaches the real SQLite storage, or (held on a silo that was then killed) never happens, as in a crash.
/// </summary>
public sealed class CountedCluster : IAsyncDisposable
{
    private const string DatabaseKey = "SlaGrains:Tests:SqlitePath";
    private const string ClockKey = "SlaGrains:Tests:ShiftedClock";
    private const string InnerStorage = "counted-sqlite";

    private readonly string _databasePath;

    private CountedCluster(TestCluster cluster, string databasePath)
    {
        Cluster = cluster;
        _databasePath = databasePath;
        Writes = StorageWrites.For(databasePath);
    }

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The writes of every silo of this cluster.</summary>
    public StorageWrites Writes { get; }

    /// <summary>SLA time of every silo (a shifted system clock the test moves).</summary>
    public ShiftedClock Clock => ShiftedClock.For(_databasePath);

    public IEnumerable<ISlaNotifications> Notifications => [Hub(Cluster.Primary!)];

    public static ISlaNotifications Hub(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<ISlaNotifications>();

    public static async Task<CountedCluster> StartAsync(string databasePath, int silos)
    {
        var builder = new TestClusterBuilder((short)silos);
        foreach (var (key, value) in SlaGrains.Testing.LoopbackTargets.Settings)
        {
            builder.Properties[key] = value;
        }

        builder.Options.ServiceId = $"slagrains-counted-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(databasePath)))[..12]}";
        builder.Properties[DatabaseKey] = databasePath;
        builder.Properties[ClockKey] = databasePath;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new CountedCluster(cluster, databasePath);
    }

    public async ValueTask DisposeAsync()
    {
        Writes.ReleaseAll();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var path = silo.Configuration[DatabaseKey]!;
            silo.Services.AddKeyedSingleton<TimeProvider>(SlaTime.Key, ShiftedClock.For(silo.Configuration[ClockKey]!));
            silo.AddSqliteGrainStorage(InnerStorage, o => o.DatabasePath = path);
            silo.Services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => new CountedStorage(
                sp.GetRequiredKeyedService<IGrainStorage>(InnerStorage), StorageWrites.For(path), sp.GetRequiredService<ILocalSiloDetails>().SiloAddress));
            silo.Services.AddSingleton(sp => sp.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
            silo.UseSqliteReminderService(o => o.DatabasePath = path);
            silo.Services.AddSqliteReadModels(o => o.DatabasePath = path);
            silo.AddSlaGrains();

            // A killed silo is declared dead within seconds, not the production default of about a minute.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
        }
    }
}

/// <summary>The committed grain-state writes of one cluster, by grain type, and an optional gate per grain type.</summary>
public sealed class StorageWrites
{
    private static readonly ConcurrentDictionary<string, StorageWrites> Clusters = new(StringComparer.Ordinal);

    private readonly ConcurrentQueue<(string GrainType, GrainId Grain, SiloAddress Silo)> _writes = new();
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SiloAddress, bool> _dead = new();

    public static StorageWrites For(string key) => Clusters.GetOrAdd(key, _ => new StorageWrites());

    /// <summary>Committed writes so far, oldest first.</summary>
    public IReadOnlyList<(string GrainType, GrainId Grain, SiloAddress Silo)> All => [.. _writes];

    /// <summary>Committed writes per grain type (e.g. <c>ticket</c>, <c>escalationrecord</c>) since <paramref name="from"/> writes.</summary>
    public IReadOnlyDictionary<string, int> ByGrainType(int from = 0)
        => All.Skip(from).GroupBy(w => w.GrainType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Holds every write of <paramref name="grainType"/> until <see cref="Release"/>; the task completes when one is held.</summary>
    public Task<SiloAddress> Hold(string grainType) => _gates.GetOrAdd(grainType, _ => new Gate()).Entered.Task;

    /// <summary>
    /// Lets held writes go on; those held on a silo marked dead fail, as a crash before the commit would. With
    /// <paramref name="commit"/> false every held write fails (the hand-over was lost wherever it ran); later writes commit.
    /// </summary>
    public void Release(string grainType, bool commit = true)
    {
        if (_gates.TryRemove(grainType, out var gate))
        {
            gate.Commit = commit;
            gate.Open.TrySetResult();
        }
    }

    /// <summary>Marks a silo as killed: its held writes never commit.</summary>
    public void Killed(SiloAddress silo) => _dead[silo] = true;

    internal void ReleaseAll()
    {
        foreach (var type in _gates.Keys)
        {
            Release(type);
        }
    }

    internal async Task Write(string grainType, GrainId grain, SiloAddress silo, Func<Task> write)
    {
        if (_gates.TryGetValue(grainType, out var gate))
        {
            gate.Entered.TrySetResult(silo);
            await gate.Open.Task;
            if (!gate.Commit)
            {
                throw new InvalidOperationException($"The write of {grain} on {silo} was lost before it committed.");
            }
        }

        if (_dead.ContainsKey(silo))
        {
            throw new InvalidOperationException($"Silo {silo} was killed before this write of {grain} committed.");
        }

        await write();
        _writes.Enqueue((grainType, grain, silo));
    }

    private sealed class Gate
    {
        public TaskCompletionSource<SiloAddress> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Commit { get; set; } = true;
    }
}

/// <summary>Our SQLite grain storage, every write counted (after it committed) and optionally held at a gate first.</summary>
internal sealed class CountedStorage(IGrainStorage inner, StorageWrites writes, SiloAddress silo) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => writes.Write(grainId.Type.ToString()!, grainId, silo, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
