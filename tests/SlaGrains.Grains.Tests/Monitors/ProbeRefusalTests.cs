using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;
using SlaGrains.Grains.Outbound;
using SlaGrains.Grains.Probes;

namespace SlaGrains.Grains.Tests.Monitors;

/// <summary>
/// At probe time, under the product's default policy (no private range allowed), the probers the probe grains use
/// refuse loopback in every notation before a packet is sent: a tcp monitor's host, a ping monitor's host and a dns
/// monitor's server. A listener on the port proves nothing arrives. (Save-time refusal is the API's, pinned in
/// <c>SlaGrains.Server.Tests</c>.)
/// </summary>
public sealed class ProbeRefusalTests : IDisposable
{
    private const string Region = ProbeLocations.DefaultRegion;
    private static readonly Duration Interval = Duration.FromSeconds(60);
    private static readonly Duration Timeout = Duration.FromSeconds(5);
    private readonly Probers _probers;
    private readonly TcpListener _listener = new(IPAddress.IPv6Any, 0);

    public ProbeRefusalTests()
    {
        var outbound = new OutboundHttp(OutboundTargets.PublicOnly, new SystemHostResolver());
        _probers = new Probers(HttpProber.Create(outbound), new TcpProber(outbound), new PingProber(outbound), new DnsProber(outbound),
            new TlsProber(outbound, new TlsProbeTrust([])), NullLogger<Probers>.Instance);
        _listener.Server.DualMode = true;
        _listener.Start();
    }

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("::1")]
    [InlineData("0x7f000001")]
    [InlineData("localhost")]
    public async Task Tcp_tls_ping_and_dns_probes_to_loopback_are_refused_before_anything_is_sent(string host)
    {
        IProbeSettings[] probes =
        [
            new TcpProbeSettings(host, Port, Interval, Timeout),
            new TlsProbeSettings(host, Port, 14, Interval, Timeout),
            new PingProbeSettings(host, Interval, Timeout),
            new DnsProbeSettings("probe.test", "A", ProbeRules.HostPort(host.Trim('[', ']'), Port), [], Interval, Timeout),
        ];

        foreach (var settings in probes)
        {
            var report = await _probers.ProbeAsync(settings, Region, TimeProvider.System);

            Assert.Equal((false, "not probed: refusedAddress", (Duration?)null), (report.Up, report.Detail, report.ResponseTime));
        }

        Assert.False(_listener.Pending());
    }

    public void Dispose() => _listener.Stop();
}
