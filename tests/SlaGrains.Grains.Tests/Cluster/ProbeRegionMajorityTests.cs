using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Grains.Probes;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Cluster;

/// <summary>
/// Four silos: three probe locations (eu-west, us-east, ap-south) and one that is none. An http monitor probes a real
/// Kestrel target from each region, on a silo of that region; the target answers each region as the test says.
/// </summary>
public sealed class ProbeRegionMajorityTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly string[] Regions = ["ap-south", "eu-west", "us-east"];
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-probes-").FullName;
    private SqliteCluster _cluster = null!;
    private ProbeTarget _target = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SqliteCluster.StartAsync(Path.Combine(_directory, "sla.db"), silos: 4, probeRegions: ["eu-west", "us-east", "ap-south", null]);
        _target = await ProbeTarget.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Probes_run_on_a_silo_of_their_region_and_the_region_majority_decides_the_incident()
    {
        await AllSilosKnowTheProbeLocationsAsync();
        var monitorId = $"http-{Guid.NewGuid():N}";
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var configured = await monitor.Configure(new MonitorSettings($"customer-{monitorId}", "Shop", true, 2, 99.9m)
        {
            Http = new HttpProbeSettings(_target.Url, Duration.FromSeconds(60), Duration.FromSeconds(5)),
        });
        Assert.True(configured.Accepted, configured.Rejection?.Message);
        foreach (var region in Regions)
        {
            await _target.WaitForRequestsAsync(region, 1, Bound);
        }

        Assert.Equal(Regions, (await ProberSilosAsync(monitorId)).Select(p => p.Region).Order());
        Assert.All(await ProberSilosAsync(monitorId), p => Assert.Equal(p.Region, Locations.RegionOf(p.Silo)));

        _target.AnswerRegion("eu-west", 503);
        await ProbeEveryRegionAsync(monitorId, times: 2);
        var oneOfThree = (await monitor.Get())!;
        Assert.False(oneOfThree.IsDown);
        Assert.Empty(await monitor.GetIncidents(10));
        Assert.Equal([("ap-south", true), ("eu-west", false), ("us-east", true)], oneOfThree.LatestProbes.Select(p => (p.Region, p.Up)));

        _target.AnswerRegion("us-east", 503);
        await ProbeEveryRegionAsync(monitorId, times: 2);
        var twoOfThree = (await monitor.Get())!;
        Assert.True(twoOfThree.IsDown);

        _target.ClearRegionAnswers();
        await ProbeEveryRegionAsync(monitorId, times: 1);
        Assert.False((await monitor.Get())!.IsDown);
        var incident = Assert.Single(await monitor.GetIncidents(10));
        Assert.False(incident.IsOpen);
    }

    private ProbeLocations Locations => Services(_cluster.Cluster.Primary!).GetRequiredService<ProbeLocations>();

    private static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    private async Task ProbeEveryRegionAsync(string monitorId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var reports = await Task.WhenAll(Regions.Select(r => _cluster.Grains.GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, r)).ProbeNow()));
            Assert.All(reports, Assert.NotNull);
        }
    }

    /// <summary>Where the monitor's probers are active, by the grain directory of the cluster.</summary>
    private async Task<List<(string Region, SiloAddress Silo)>> ProberSilosAsync(string monitorId)
    {
        var statistics = await _cluster.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return [.. statistics
            .Where(s => s.GrainId.Key.ToString()!.StartsWith($"{monitorId}/", StringComparison.Ordinal))
            .Select(s => (ProbeKeys.RegionOf(s.GrainId.Key.ToString()!), s.SiloAddress))];
    }

    /// <summary>Silo metadata reaches the other silos' caches shortly after they join; probes are planned from it.</summary>
    private async Task AllSilosKnowTheProbeLocationsAsync()
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!_cluster.Cluster.Silos.All(s => Services(s).GetRequiredService<ProbeLocations>().Regions().SequenceEqual(Regions)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The silos' metadata caches did not learn the probe locations: "
                + string.Join("; ", _cluster.Cluster.Silos.Select(s => $"{s.Name}: {string.Join(",", Services(s).GetRequiredService<ProbeLocations>().Regions())}")));
            await Task.Delay(50);
        }
    }
}
