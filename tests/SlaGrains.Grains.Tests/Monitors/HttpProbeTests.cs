using SlaGrains.Contracts.Monitors;
using SlaGrains.Grains.Probes;
using SlaGrains.Grains.Tests.Customers;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Monitors;

/// <summary>
/// HTTP monitors on a real two-silo cluster (SQLite) probing a real Kestrel target on 127.0.0.1. No silo is a probe
/// location, so every monitor probes from the default region on any silo. Probes are driven by <c>ProbeNow</c> (the
/// interval is a minute, so the timer adds only the first probe).
/// </summary>
public sealed class HttpProbeTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private const string Region = ProbeLocations.DefaultRegion;
    private readonly SqliteCluster _cluster = fixture.Cluster;
    private ProbeTarget _target = null!;

    public async Task InitializeAsync() => _target = await ProbeTarget.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task Http_monitor_opens_incident_after_three_failed_probes_and_resolves_after_a_successful_one()
    {
        var monitorId = $"http-{Guid.NewGuid():N}";
        var monitor = await ConfigureAsync(monitorId, consecutiveFailures: 3);
        var probe = _cluster.Grains.GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, Region));

        // The prober probes once as soon as it starts; that probe (up) is in before the target fails.
        await _target.WaitForRequestsAsync(Region, 1, Bound);
        _target.Answer(500, "internal error");
        var first = await probe.ProbeNow();
        var second = await probe.ProbeNow();
        Assert.False((await monitor.Get())!.IsDown);
        Assert.Empty(await monitor.GetIncidents(10));

        var third = await probe.ProbeNow();
        var down = (await monitor.Get())!;
        Assert.True(down.IsDown);
        Assert.Equal(first!.At, down.OpenIncident!.Start);
        Assert.All([first, second!, third!], r => Assert.Equal((false, 500), (r.Up, r.StatusCode)));

        _target.Answer(200);
        var recovered = await probe.ProbeNow();
        var up = (await monitor.Get())!;
        Assert.True(recovered!.Up);
        Assert.False(up.IsDown);
        var incident = Assert.Single(await monitor.GetIncidents(10));
        Assert.Equal(recovered.At, incident.End);
        var latest = Assert.Single(up.LatestProbes);
        Assert.Equal((Region, 200), (latest.Region, latest.StatusCode));
        Assert.NotNull(latest.ResponseTime);
    }

    [Fact]
    public async Task Http_probe_counts_an_answer_past_the_timeout_and_a_200_without_the_keyword_as_failures()
    {
        var monitorId = $"http-{Guid.NewGuid():N}";
        var monitor = await ConfigureAsync(monitorId, consecutiveFailures: 2, keyword: "status: ok", timeout: Duration.FromSeconds(5));
        var probe = _cluster.Grains.GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, Region));
        await _target.WaitForRequestsAsync(Region, 1, Bound);

        // An up probe first, so the two failures below are the consecutive ones: the prober's own first probe can time
        // out on a machine busy enough (CI once saw it), and then the incident started there.
        var baseline = (await probe.ProbeNow())!;
        Assert.True(baseline.Up, baseline.Detail);
        _target.Answer(200, "<h1>Down for maintenance</h1>");
        var noKeyword = (await probe.ProbeNow())!;
        _target.Answer(200, "status: ok", delay: TimeSpan.FromMinutes(1));
        var tooSlow = (await probe.ProbeNow())!;

        Assert.Equal((false, 200), (noKeyword.Up, noKeyword.StatusCode));
        Assert.Contains("keyword 'status: ok' not found", noKeyword.Detail, StringComparison.Ordinal);
        Assert.Equal((false, (int?)null, (Duration?)null), (tooSlow.Up, tooSlow.StatusCode, tooSlow.ResponseTime));
        Assert.Contains("no answer within 5 s", tooSlow.Detail, StringComparison.Ordinal);
        Assert.Equal(noKeyword.At, (await monitor.Get())!.OpenIncident!.Start);

        _target.Answer(200, "build 42, status: ok");
        Assert.True((await probe.ProbeNow())!.Up);
        Assert.False((await monitor.Get())!.IsDown);
    }

    [Fact]
    public async Task Changing_an_http_monitor_to_push_stops_its_probes_and_pushed_results_count_again()
    {
        var monitorId = $"http-{Guid.NewGuid():N}";
        var monitor = await ConfigureAsync(monitorId, consecutiveFailures: 1);
        var probe = _cluster.Grains.GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, Region));
        Assert.NotNull(await probe.ProbeNow());
        await _target.WaitForRequestsAsync(Region, 2, Bound);

        var push = await monitor.Configure(Settings(monitorId, 1) with { Http = null });
        Assert.True(push.Accepted, push.Rejection?.Message);
        var requestsBefore = _target.RequestsFrom(Region);

        Assert.Null(await probe.ProbeNow());
        Assert.Equal(requestsBefore, _target.RequestsFrom(Region));
        Assert.Empty((await monitor.Get())!.LatestProbes);
        var stray = await monitor.IngestProbe(new ProbeReport(Region, Instant.FromUtc(2026, 11, 20, 10, 0), false, 500, null, "HTTP 500"));
        Assert.Equal("not-probing", stray.Rejection?.Code);
        var pushed = await monitor.Ingest(Domain.Availability.CheckResult.Down(Instant.FromDateTimeOffset(DateTimeOffset.UtcNow) + Duration.FromMinutes(1)));
        Assert.True(pushed.Monitor!.IsDown);
    }

    [Fact]
    public async Task Http_monitor_settings_outside_the_rules_are_rejected_and_change_nothing()
    {
        var monitorId = $"http-{Guid.NewGuid():N}";
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var http = new HttpProbeSettings(_target.Url, Duration.FromSeconds(60), Duration.FromSeconds(5));

        var tooOften = await monitor.Configure(Settings(monitorId, 1) with { Http = http with { Interval = Duration.FromSeconds(5), Timeout = Duration.FromSeconds(1) } });
        var timeoutNotShorter = await monitor.Configure(Settings(monitorId, 1) with { Http = http with { Timeout = Duration.FromSeconds(60) } });
        var badCodes = await monitor.Configure(Settings(monitorId, 1) with { Http = http with { ExpectedStatusCodes = [new StatusCodeRange(200, 700)] } });
        var ftp = await monitor.Configure(Settings(monitorId, 1) with { Http = http with { Url = new Uri("ftp://127.0.0.1/") } });
        var unknownRegion = await monitor.Configure(Settings(monitorId, 1) with { Http = http, Regions = ["mars-north"] });

        Assert.All([tooOften, timeoutNotShorter, badCodes, ftp], r => Assert.Equal("invalid-monitor", r.Rejection?.Code));
        Assert.Equal("unknown-probe-region", unknownRegion.Rejection?.Code);
        Assert.Null(await monitor.Get());
        Assert.Equal(0, _target.RequestsFrom(Region));
    }

    private async Task<IMonitorGrain> ConfigureAsync(string monitorId, int consecutiveFailures, string? keyword = null, Duration? timeout = null)
    {
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var result = await monitor.Configure(Settings(monitorId, consecutiveFailures) with
        {
            Http = new HttpProbeSettings(_target.Url, Duration.FromSeconds(60), timeout ?? Duration.FromSeconds(5), Keyword: keyword),
        });
        Assert.True(result.Accepted, result.Rejection?.Message);
        return monitor;
    }

    private static MonitorSettings Settings(string monitorId, int consecutiveFailures)
        => new($"customer-{monitorId}", "Website", IsCritical: true, consecutiveFailures, 99.9m);
}
