using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Messaging;
using Orleans.Configuration;
using SlaGrains.Storage.Postgres;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.Postgres;

/// <summary>
/// Orleans' ADO.NET membership table on our schema, resolved from a silo host configured with
/// <see cref="PostgresSiloBuilderExtensions.UseSlaGrainsPostgreSql"/> (built, not started, so nothing else writes
/// to the table). Each test uses its own cluster id.
/// </summary>
public sealed class PostgresMembershipTableTests(ThrowawayPostgres server) : IClassFixture<ThrowawayPostgres>, IAsyncLifetime
{
    private static readonly DateTime Start = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly List<IHost> _hosts = [];

    public async Task InitializeAsync()
    {
        if (server.Unavailable is null)
        {
            await PostgresSchema.EnsureAsync(server.ConnectionString, CancellationToken.None);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task A_new_table_has_no_members_and_version_zero()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var table = await NewTableAsync();

        var all = await table.ReadAllAsync(Ct);

        Assert.Empty(all.Members);
        Assert.Equal(0, all.Version.Version);
        Assert.Equal("0", all.Version.VersionEtag);
    }

    [SkippableFact]
    public async Task An_inserted_silo_is_read_back_whole_and_moves_the_table_version()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var table = await NewTableAsync();
        var entry = Entry(11111, SiloStatus.Joining);
        var version = (await table.ReadAllAsync(Ct)).Version;

        Assert.True(await table.InsertRowAsync(entry, version.Next(), Ct));

        var all = await table.ReadAllAsync(Ct);
        Assert.Equal(1, all.Version.Version);
        var (read, etag) = Assert.Single(all.Members);
        AssertSameEntry(entry, read);
        Assert.Equal(all.Version.VersionEtag, etag);
        var row = await table.ReadRowAsync(entry.SiloAddress, Ct);
        AssertSameEntry(entry, Assert.Single(row.Members).Item1);
    }

    [SkippableFact]
    public async Task Inserting_with_a_stale_table_version_fails_and_changes_nothing()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var table = await NewTableAsync();
        var stale = (await table.ReadAllAsync(Ct)).Version;
        Assert.True(await table.InsertRowAsync(Entry(11111, SiloStatus.Joining), stale.Next(), Ct));

        Assert.False(await table.InsertRowAsync(Entry(22222, SiloStatus.Joining), stale.Next(), Ct));

        var all = await table.ReadAllAsync(Ct);
        Assert.Equal(1, all.Version.Version);
        Assert.Equal(11111, Assert.Single(all.Members).Item1.SiloAddress.Endpoint.Port);
    }

    [SkippableFact]
    public async Task Inserting_the_same_silo_twice_fails_without_moving_the_version()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var table = await NewTableAsync();
        var entry = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));

        Assert.False(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));

        Assert.Equal(1, (await table.ReadAllAsync(Ct)).Version.Version);
    }

    [SkippableFact]
    public async Task Updating_with_the_current_etag_succeeds_and_a_stale_etag_fails()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var table = await NewTableAsync();
        var entry = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var before = await table.ReadAllAsync(Ct);
        var etag = Assert.Single(before.Members).Item2;
        var voter = SiloAddress.New(IPAddress.Loopback, 33333, 7);

        entry.Status = SiloStatus.Active;
        entry.SuspectTimes = [Tuple.Create(voter, Start.AddMinutes(1))];
        entry.IAmAliveTime = Start.AddMinutes(2);
        Assert.True(await table.UpdateRowAsync(entry, etag, before.Version.Next(), Ct));

        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRowAsync(entry, etag, before.Version.Next(), Ct));

        var after = await table.ReadAllAsync(Ct);
        Assert.Equal(before.Version.Version + 1, after.Version.Version);
        var read = Assert.Single(after.Members).Item1;
        Assert.Equal(SiloStatus.Active, read.Status);
        Assert.Equal(Start.AddMinutes(2), read.IAmAliveTime);
        var suspicion = Assert.Single(read.SuspectTimes!);
        Assert.Equal(voter, suspicion.Item1);
        Assert.Equal(Start.AddMinutes(1), suspicion.Item2);
    }

    [SkippableFact]
    public async Task Updating_a_silo_that_is_not_in_the_table_fails_without_moving_the_version()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var table = await NewTableAsync();
        var before = await table.ReadAllAsync(Ct);

        Assert.False(await table.UpdateRowAsync(Entry(11111, SiloStatus.Active), before.Version.VersionEtag, before.Version.Next(), Ct));

        Assert.Equal(before.Version.Version, (await table.ReadAllAsync(Ct)).Version.Version);
    }

    [SkippableFact]
    public async Task I_am_alive_moves_only_the_heartbeat()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var table = await NewTableAsync();
        var entry = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));

        var heartbeat = new MembershipEntry
        {
            SiloAddress = entry.SiloAddress,
            SiloName = "ignored",
            HostName = "ignored",
            Status = SiloStatus.Dead,
            StartTime = Start.AddDays(1),
            IAmAliveTime = Start.AddMinutes(5),
        };
        await table.UpdateIAmAliveAsync(heartbeat, Ct);

        var all = await table.ReadAllAsync(Ct);
        Assert.Equal(1, all.Version.Version);
        var read = Assert.Single(all.Members).Item1;
        Assert.Equal(Start.AddMinutes(5), read.IAmAliveTime);
        Assert.Equal(SiloStatus.Active, read.Status);
        Assert.Equal(entry.StartTime, read.StartTime);
        Assert.Equal(entry.SiloName, read.SiloName);
    }

    [SkippableFact]
    public async Task Cleanup_removes_dead_silos_last_seen_before_the_cutoff_and_keeps_the_rest()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var table = await NewTableAsync();
        var deadLongAgo = Entry(11111, SiloStatus.Dead);
        var deadRecently = Entry(22222, SiloStatus.Dead);
        deadRecently.IAmAliveTime = Start.AddHours(2);
        var activeLongAgo = Entry(33333, SiloStatus.Active);
        foreach (var entry in new[] { deadLongAgo, deadRecently, activeLongAgo })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        }

        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(Start.AddHours(1)), Ct);

        var ports = (await table.ReadAllAsync(Ct)).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order();
        Assert.Equal([22222, 33333], ports);
    }

    [SkippableFact]
    public async Task A_client_finds_the_gateways_of_active_silos_only()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var (table, silo) = await NewTableAndHostAsync();
        var active = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(active, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        Assert.True(await table.InsertRowAsync(Entry(22222, SiloStatus.Joining), (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var cluster = silo.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        using var client = new HostBuilder()
            .UseOrleansClient(c => c
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                })
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresSiloBuilderExtensions.Invariant;
                    o.ConnectionString = server.ConnectionString;
                }))
            .Build();
        var gateways = client.Services.GetRequiredService<IGatewayListProvider>();
        await gateways.InitializeGatewayListProvider();

        var found = await gateways.GetGateways();

        Assert.Equal([SiloAddress.New(IPAddress.Loopback, active.ProxyPort, active.SiloAddress.Generation).ToGatewayUri()], found);
    }

    [SkippableFact]
    public async Task Deleting_a_clusters_entries_empties_its_table()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        var (table, host) = await NewTableAndHostAsync();
        Assert.True(await table.InsertRowAsync(Entry(11111, SiloStatus.Active), (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var clusterId = host.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId;

        await table.DeleteMembershipTableEntriesAsync(clusterId, Ct);
        await table.InitializeMembershipTableAsync(true, Ct);

        var all = await table.ReadAllAsync(Ct);
        Assert.Empty(all.Members);
        Assert.Equal(0, all.Version.Version);
    }

    private static MembershipEntry Entry(int port, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 42),
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = status,
        ProxyPort = port + 1,
        StartTime = Start,
        IAmAliveTime = Start,
    };

    private static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
        Assert.Equal(DateTimeKind.Utc, actual.StartTime.Kind);
    }

    private async Task<IMembershipTable> NewTableAsync() => (await NewTableAndHostAsync()).Table;

    private async Task<(IMembershipTable Table, IHost Host)> NewTableAndHostAsync()
    {
        var host = new HostBuilder()
            .UseOrleans(silo => silo
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = "membership-" + Guid.NewGuid().ToString("N");
                    o.ServiceId = "slagrains-membership-tests";
                })
                .UseSlaGrainsPostgreSql(server.ConnectionString))
            .Build();
        _hosts.Add(host);
        var table = host.Services.GetRequiredService<IMembershipTable>();
        await table.InitializeMembershipTableAsync(true, Ct);
        return (table, host);
    }
}
