using System.Net;
using System.Net.Sockets;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Grains.Probes;
using SlaGrains.Grains.Tests.Customers;

namespace SlaGrains.Grains.Tests.Monitors;

/// <summary>
/// TCP and ping monitors on a real two-silo cluster (SQLite): a TCP listener on 127.0.0.1 the test opens and closes,
/// and ICMP echo to 127.0.0.1. No silo is a probe location, so every monitor probes from the default region; probes
/// are driven by <c>ProbeNow</c> (the interval is a minute, so the timer adds only the first probe).
/// </summary>
public sealed class TcpProbeTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private const string Region = ProbeLocations.DefaultRegion;
    private readonly SqliteCluster _cluster = fixture.Cluster;
    private TcpTarget _target = null!;

    public Task InitializeAsync()
    {
        _target = TcpTarget.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _target.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Tcp_monitor_is_up_while_the_port_listens_opens_an_incident_after_two_refused_connections_and_resolves_when_it_listens_again()
    {
        var monitorId = $"tcp-{Guid.NewGuid():N}";
        var monitor = await ConfigureAsync(monitorId, new TcpProbeSettings("127.0.0.1", _target.Port, Duration.FromSeconds(60), Duration.FromSeconds(5)));
        var probe = _cluster.Grains.GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, Region));

        // The prober probes once as soon as it starts; that probe (up) is in before the listener closes.
        await _target.WaitForConnectionsAsync(1, Bound);
        var listening = (await probe.ProbeNow())!;
        Assert.True(listening.Up, listening.Detail);
        Assert.NotNull(listening.ResponseTime);
        Assert.Equal($"connected to port {_target.Port}", listening.Detail);

        _target.Stop();
        var first = (await probe.ProbeNow())!;
        Assert.False((await monitor.Get())!.IsDown);
        var second = (await probe.ProbeNow())!;
        var down = (await monitor.Get())!;
        Assert.All([first, second], r => Assert.Equal((false, (Duration?)null, "no connection: connectionFailed"), (r.Up, r.ResponseTime, r.Detail)));
        Assert.True(down.IsDown);
        Assert.Equal(first.At, down.OpenIncident!.Start);

        _target.Listen();
        var recovered = (await probe.ProbeNow())!;
        var up = (await monitor.Get())!;
        Assert.True(recovered.Up, recovered.Detail);
        Assert.False(up.IsDown);
        Assert.Equal(recovered.At, Assert.Single(await monitor.GetIncidents(10)).End);
        Assert.NotNull(Assert.Single(up.LatestProbes).ResponseTime);
    }

    [Fact]
    public async Task Ping_monitor_to_loopback_is_up_with_a_round_trip_time()
    {
        var monitorId = $"ping-{Guid.NewGuid():N}";
        var monitor = await ConfigureAsync(monitorId, new PingProbeSettings("127.0.0.1", Duration.FromSeconds(60), Duration.FromSeconds(5)));
        var probe = _cluster.Grains.GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, Region));

        var report = (await probe.ProbeNow())!;

        Assert.True(report.Up, report.Detail);
        Assert.Equal("echo reply from 127.0.0.1", report.Detail);
        Assert.NotNull(report.ResponseTime);
        var view = (await monitor.Get())!;
        Assert.False(view.IsDown);
        Assert.Equal(MonitorKinds.Ping, view.Settings.Kind);
        Assert.NotNull(Assert.Single(view.LatestProbes).ResponseTime);
    }

    [Fact]
    public async Task Tcp_and_ping_settings_outside_the_rules_or_two_kinds_at_once_are_rejected_and_change_nothing()
    {
        var monitorId = $"tcp-{Guid.NewGuid():N}";
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var tcp = new TcpProbeSettings("127.0.0.1", _target.Port, Duration.FromSeconds(60), Duration.FromSeconds(5));
        var ping = new PingProbeSettings("127.0.0.1", Duration.FromSeconds(60), Duration.FromSeconds(5));

        var portZero = await monitor.Configure(Settings(monitorId, 1) with { Tcp = tcp with { Port = 0 } });
        var portTooHigh = await monitor.Configure(Settings(monitorId, 1) with { Tcp = tcp with { Port = 65536 } });
        var tooOften = await monitor.Configure(Settings(monitorId, 1) with { Tcp = tcp with { Interval = Duration.FromSeconds(5), Timeout = Duration.FromSeconds(1) } });
        var noHost = await monitor.Configure(Settings(monitorId, 1) with { Ping = ping with { Host = "not a host" } });
        var timeoutNotShorter = await monitor.Configure(Settings(monitorId, 1) with { Ping = ping with { Timeout = Duration.FromSeconds(60) } });
        var twoKinds = await monitor.Configure(Settings(monitorId, 1) with { Tcp = tcp, Ping = ping });

        Assert.All([portZero, portTooHigh, tooOften, noHost, timeoutNotShorter, twoKinds], r => Assert.Equal("invalid-monitor", r.Rejection?.Code));
        Assert.Contains("one of http, tcp, dns, tls or ping", twoKinds.Rejection!.Message, StringComparison.Ordinal);
        Assert.Null(await monitor.Get());
        Assert.Equal(0, _target.Connections);
    }

    private async Task<IMonitorGrain> ConfigureAsync(string monitorId, IProbeSettings probe)
    {
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var settings = probe switch
        {
            TcpProbeSettings tcp => Settings(monitorId, 2) with { Tcp = tcp },
            PingProbeSettings ping => Settings(monitorId, 2) with { Ping = ping },
            _ => throw new ArgumentOutOfRangeException(nameof(probe)),
        };
        var result = await monitor.Configure(settings);
        Assert.True(result.Accepted, result.Rejection?.Message);
        return monitor;
    }

    private static MonitorSettings Settings(string monitorId, int consecutiveFailures)
        => new($"customer-{monitorId}", "Mail relay", IsCritical: true, consecutiveFailures, 99.9m);

    /// <summary>A TCP listener on 127.0.0.1 that accepts (and closes) every connection and counts them; stopped and started again on the same port.</summary>
    private sealed class TcpTarget : IDisposable
    {
        private readonly Lock _gate = new();
        private TcpListener? _listener;
        private int _connections;

        private TcpTarget(int port) => Port = port;

        public int Port { get; }

        public int Connections => Volatile.Read(ref _connections);

        public static TcpTarget Start()
        {
            var target = new TcpTarget(SlaGrains.Testing.FreePort.Next());
            target.Listen();
            return target;
        }

        /// <summary>Listens on <see cref="Port"/> (again).</summary>
        public void Listen()
        {
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            lock (_gate)
            {
                _listener = listener;
            }

            _ = AcceptAsync(listener);
        }

        /// <summary>Stops listening: connections to the port are refused.</summary>
        public void Stop()
        {
            lock (_gate)
            {
                _listener?.Stop();
                _listener = null;
            }
        }

        public async Task WaitForConnectionsAsync(int count, TimeSpan bound)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (Connections < count)
            {
                Assert.True(waited.Elapsed < bound, $"{Connections} of {count} connections within {bound}");
                await Task.Delay(20);
            }
        }

        public void Dispose() => Stop();

        private async Task AcceptAsync(TcpListener listener)
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}
