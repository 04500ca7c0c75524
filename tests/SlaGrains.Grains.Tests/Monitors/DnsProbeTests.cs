using System.Net;
using System.Net.Sockets;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;
using SlaGrains.Grains.Outbound;
using SlaGrains.Grains.Probes;
using SlaGrains.Grains.Tests.Customers;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Monitors;

/// <summary>
/// DNS monitors asking a real dnsmasq on 127.0.0.1 (see <see cref="DnsmasqServer"/> for its records): through a real
/// two-silo cluster for the monitor's up, down and incident, and through the prober itself (the same one the probe
/// grains use, with loopback allowed) for how answers are judged. Skipped loudly without dnsmasq, except under CI=true.
/// </summary>
public sealed class DnsProbeTests(GrainClusterFixture fixture, DnsmasqServer dns) : IClassFixture<GrainClusterFixture>, IClassFixture<DnsmasqServer>
{
    private const string Region = ProbeLocations.DefaultRegion;
    private static readonly TimeProvider Time = TimeProvider.System;
    private readonly SqliteCluster _cluster = fixture.Cluster;
    private readonly DnsProber _prober = new(new OutboundHttp(new OutboundTargets([IPNetwork.Parse("127.0.0.0/8")]), new SystemHostResolver()));

    [SkippableFact]
    public async Task Dns_monitor_is_up_with_the_expected_address_opens_an_incident_on_nxdomain_and_resolves_when_the_name_answers_again()
    {
        Skip.If(dns.Unavailable is not null, dns.Unavailable);
        var monitorId = $"dns-{Guid.NewGuid():N}";
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var probe = _cluster.Grains.GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, Region));
        var answering = Settings("A", DnsmasqServer.Name, "127.0.0.1");
        Assert.True((await monitor.Configure(Monitor(monitorId, answering))).Accepted);

        var up = (await probe.ProbeNow())!;
        Assert.Equal((true, "1 A record"), (up.Up, up.Detail));
        Assert.NotNull(up.ResponseTime);
        Assert.False((await monitor.Get())!.IsDown);

        Assert.True((await monitor.Configure(Monitor(monitorId, answering with { Name = "missing.test" }))).Accepted);
        var missing = (await probe.ProbeNow())!;
        var down = (await monitor.Get())!;
        Assert.Equal((false, "NXDOMAIN", (Duration?)null), (missing.Up, missing.Detail, missing.ResponseTime));
        Assert.True(down.IsDown);
        Assert.Equal(MonitorKinds.Dns, down.Settings.Kind);

        // Changed settings re-arm the prober, which probes at once: that probe or the next one ends the incident.
        Assert.True((await monitor.Configure(Monitor(monitorId, answering))).Accepted);
        var recovered = (await probe.ProbeNow())!;
        Assert.True(recovered.Up, recovered.Detail);
        Assert.False((await monitor.Get())!.IsDown);
        var end = Assert.Single(await monitor.GetIncidents(10)).End;
        Assert.NotNull(end);
        Assert.InRange(end.Value, missing.At, recovered.At);
    }

    [SkippableTheory]
    [InlineData("A", DnsmasqServer.Name, "", true, "1 A record")]
    [InlineData("A", DnsmasqServer.Name, "127.0.0.1", true, "1 A record")]
    [InlineData("A", DnsmasqServer.Name, "127.0.0.2", false, "expected 127.0.0.2 not in answer")]
    [InlineData("A", "PROBE.Test", "127.0.0.1", true, "1 A record")]
    [InlineData("TXT", DnsmasqServer.Name, "V=OK", true, "1 TXT record")]
    [InlineData("TXT", DnsmasqServer.Name, "v=spf1 -all", false, "expected v=spf1 -all not in answer")]
    [InlineData("MX", DnsmasqServer.Name, "mail.probe.test.", true, "1 MX record")]
    [InlineData("MX", DnsmasqServer.Name, "10 mail.probe.test", true, "1 MX record")]
    [InlineData("MX", DnsmasqServer.Name, "20 mail.probe.test", false, "expected 20 mail.probe.test not in answer")]
    [InlineData("AAAA", DnsmasqServer.Name, "", false, "no AAAA records")]
    [InlineData("A", "missing.test", "", false, "NXDOMAIN")]
    [InlineData("A", "probe.invalid", "", false, "REFUSED")]
    public async Task Dns_probe_is_up_only_when_the_answer_has_records_of_the_type_and_every_expected_value(string type, string name, string expected, bool up, string detail)
    {
        Skip.If(dns.Unavailable is not null, dns.Unavailable);

        var report = await _prober.ProbeAsync(Settings(type, name, expected), Region, Time);

        Assert.Equal((up, detail), (report.Up, report.Detail));
        Assert.Equal(up, report.ResponseTime is not null);
    }

    [SkippableFact]
    public async Task Dns_probe_of_a_server_that_never_answers_is_down_within_the_timeout_after_at_most_one_retry()
    {
        Skip.If(dns.Unavailable is not null, dns.Unavailable);
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var queries = 0;
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await silent.ReceiveAsync(stop.Token);
                    Interlocked.Increment(ref queries);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });

        var report = await _prober.ProbeAsync(Settings("A", DnsmasqServer.Name, "") with { Server = $"127.0.0.1:{port}", Timeout = Duration.FromSeconds(1) }, Region, Time);
        await stop.CancelAsync();
        await listening;

        Assert.Equal((false, "no answer within 1 s", (Duration?)null), (report.Up, report.Detail, report.ResponseTime));
        Assert.InRange(queries, 1, 2);
    }

    private DnsProbeSettings Settings(string type, string name, string expected)
        => new(name, type, dns.Server, expected.Length == 0 ? [] : [expected], Duration.FromSeconds(60), Duration.FromSeconds(5));

    private static MonitorSettings Monitor(string monitorId, DnsProbeSettings settings)
        => new($"customer-{monitorId}", "Name servers", IsCritical: true, ConsecutiveFailures: 1, 99.9m, Dns: settings);
}
