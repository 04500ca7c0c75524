using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Storage;
using SlaGrains.Storage.Postgres;
using SlaGrains.Storage.Tests.Conformance;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.Postgres;

/// <summary>
/// The PostgreSQL store as the conformance suite sees it: a throwaway server and one real silo configured with
/// <see cref="PostgresSiloBuilderExtensions.UseSlaGrainsPostgreSql"/>; the providers are the ones that silo resolved.
/// </summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    /// <summary>A second storage on the same database whose hasher gives every grain the same hash.</summary>
    public const string CollidingStorageName = "colliding";

    private readonly ThrowawayPostgres _server = new();
    private IHost? _silo;

    public string ConnectionString => _server.ConnectionString;

    public TimeSpan ServerStartupTime => _server.StartupTime;

    public override async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        if (_server.Unavailable is not null)
        {
            Unavailable = _server.Unavailable;
            return;
        }

        var connectionString = _server.ConnectionString;
        _silo = new HostBuilder()
            .UseOrleans(silo => silo
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = "conformance";
                    o.ServiceId = "slagrains-conformance";
                })
                .ConfigureEndpoints(IPAddress.Loopback, FreePort.Next(), FreePort.Next())
                .UseSlaGrainsPostgreSql(connectionString)
                .AddSlaGrainsPostgreSqlGrainStorage(CollidingStorageName, connectionString, o => o.HashPicker = new ConstantHashPicker()))
            .Build();
        await _silo.StartAsync();

        GrainStorage = _silo.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        CollidingGrainStorage = _silo.Services.GetRequiredKeyedService<IGrainStorage>(CollidingStorageName);
        ReminderTable = _silo.Services.GetRequiredService<IReminderTable>();
    }

    public override async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _silo.StopAsync(timeout.Token);
            _silo.Dispose();
        }

        await _server.DisposeAsync();
    }

    /// <summary>Every grain id and type hashes to 42: rows must still be told apart by their full key.</summary>
    private sealed class ConstantHashPicker : IStorageHasherPicker
    {
        public ICollection<IHasher> HashProviders { get; } = [new ConstantHasher()];

        public IHasher PickHasher<T>(string serviceId, string storageProviderInstanceName, string grainType, GrainId grainId, IGrainState<T> grainState, string? tag = null)
            => HashProviders.First();
    }

    private sealed class ConstantHasher : IHasher
    {
        public string Description => "Returns 42 for every input.";

        public int Hash(byte[] data) => 42;
    }
}

public sealed class PostgresGrainStorageConformanceTests(PostgresStoreFixture store)
    : GrainStorageConformance<PostgresStoreFixture>(store), IClassFixture<PostgresStoreFixture>;

public sealed class PostgresReminderTableConformanceTests(PostgresStoreFixture store)
    : ReminderTableConformance<PostgresStoreFixture>(store), IClassFixture<PostgresStoreFixture>;
