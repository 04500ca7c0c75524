using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SlaGrains.Testing;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>probes</c>: one server process (SQLite) probing <c>--monitors N</c> (1,000) monitors of mixed kinds every
/// <c>--interval S</c> (30) seconds, all on loopback targets in this process (an HTTP endpoint, a TCP listener, ping to
/// 127.0.0.1, dnsmasq for dns and a Kestrel HTTPS endpoint with a certificate of a test CA the server is told to trust
/// for tls; loopback allowed through <c>Network:AllowedPrivateTargets</c>). Over <c>--seconds T</c> (150) it measures
/// the probe start jitter — how far each probe's start (its result's <c>at</c>) is from one interval after the previous
/// one of the same monitor — p50/p99, and the server's CPU and memory. Responsiveness: the deadline → TicketBreached
/// lateness of <c>--tickets K</c> (300) clocks falling due over a minute, measured before the monitors exist and again
/// while they probe, in the same run. Figures are printed, nothing is asserted.
/// </summary>
internal static class ProbesScenario
{

    public static int Run(string[] args) => new LiveRun("probes", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var monitors = run.Int("--monitors", 1_000);
        var interval = run.Int("--interval", 30);
        var seconds = run.Int("--seconds", 150);
        var tickets = run.Int("--tickets", 300);
        var cancel = Cancelled;
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-probes-").FullName;
        await using var targets = await Targets.StartAsync(cancel);
        await using var dns = new DnsmasqServer();
        await dns.InitializeAsync();
        using var authority = new TestCertificateAuthority();
        var now = Now();
        await using var tls = await TlsTargets.StartAsync(new Dictionary<string, X509Certificate2> { ["valid"] = authority.Issue("localhost", now.AddDays(-1), now.AddDays(90)) });
        var roots = authority.WriteRootPem();
        string[] kinds = dns.Unavailable is null ? ["http", "tcp", "dns", "tls", "ping"] : ["http", "tcp", "tls", "ping"];
        if (dns.Unavailable is { } missing)
        {
            Console.WriteLine($"  no dns monitors: {missing}");
        }

        try
        {
            run.Configure("server", "1 process (silo + API + hub), SQLite synchronous=FULL, 127.0.0.1; the only probe location");
            run.Configure("monitors", Invariant($"{monitors:N0}, every {interval} s, kinds in turn: {string.Join(", ", kinds)}"));
            run.Configure("targets", "on loopback: Kestrel (http, 200 'ok'), a TCP listener (accept, close), dnsmasq (A record), Kestrel HTTPS (test CA, trusted via Probes:TrustedRootsPath), ping 127.0.0.1");
            run.Configure("measured", Invariant($"{seconds} s of probing after all monitors exist; lateness: {tickets:N0} clocks due over 60 s, without then with the monitors"));
            string[] settings = [.. ClocksScenario.Settings(directory), "--Network:AllowedPrivateTargets:0=127.0.0.0/8",
                "--Network:AllowedPrivateTargets:1=::1/128", $"--Probes:TrustedRootsPath={roots}"];
            await using var server = await ServerProcess.StartAsync("server", directory, settings, cancel);
            using var admin = await SlaApi.AdminAsync(server, cancel);
            await admin.CreateUserAsync("bench-manager", "bench-manager-password", "manager", null, cancel);
            using var manager = await SlaApi.SignInAsync(server.BaseAddress, "bench-manager", "bench-manager-password", cancel);

            var quiet = await LatenessAsync(admin, manager, "quiet", tickets, cancel);
            run.Figure("deadline → TicketBreached, no monitors, p50 / p99 / max", Percentiles(quiet));

            const int Customers = 10;
            for (var c = 0; c < Customers; c++)
            {
                await admin.CreateCustomerAsync($"probed{c}", cancel);
            }

            var creating = Stopwatch.StartNew();
            await Load.CountAsync(monitors, 8, async i =>
            {
                var kind = kinds[i % kinds.Length];
                object probe = kind switch
                {
                    "http" => new { url = $"http://127.0.0.1:{targets.HttpPort}/health/{i}", intervalSeconds = interval, timeoutSeconds = 5 },
                    "tcp" => new { host = "127.0.0.1", port = targets.TcpPort, intervalSeconds = interval, timeoutSeconds = 5 },
                    "dns" => new { name = DnsmasqServer.Name, recordType = "A", server = dns.Server, expected = new[] { "127.0.0.1" }, intervalSeconds = interval, timeoutSeconds = 5 },
                    "tls" => new { host = "localhost", port = tls.Ports["valid"], warnDays = 14, intervalSeconds = interval, timeoutSeconds = 5 },
                    _ => (object)new { host = "127.0.0.1", intervalSeconds = interval, timeoutSeconds = 5 },
                };
                var body = new Dictionary<string, object?>
                {
                    ["id"] = $"m{i}", ["customerId"] = $"probed{i % Customers}", ["name"] = $"Service {i}", ["critical"] = false,
                    ["kind"] = kind, [kind] = probe,
                };
                await admin.PostAsync("api/v1/monitors", body, cancel);
            }, cancel);
            run.Figure("monitors created through the API (8 clients)", Invariant($"{monitors / creating.Elapsed.TotalSeconds:N0}/s ({creating.Elapsed.TotalSeconds:0.0} s)"));

            // Every monitor has probed at least once; then the window whose probes are measured.
            await Task.Delay(TimeSpan.FromSeconds(interval), cancel);
            var from = Now();
            var cpuBefore = CpuSeconds(server.Pid);
            var wall = Stopwatch.StartNew();
            var busy = LatenessAsync(admin, manager, "busy", tickets, cancel);
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancel);
            var cpu = (CpuSeconds(server.Pid) - cpuBefore) / wall.Elapsed.TotalSeconds;
            var rss = server.ResidentBytes();
            var to = Now();
            var lateness = await busy;

            var jitter = new List<double>();
            var probes = 0;
            var down = 0;
            await Load.CountAsync(monitors, 8, async i =>
            {
                var results = await admin.Http.GetFromJsonAsync<JsonElement>(
                    Invariant($"api/v1/monitors/m{i}/results?from={from.UtcDateTime:O}&to={to.UtcDateTime:O}&limit=1000"), cancel);
                var starts = results.EnumerateArray().Select(r => (At: r.GetProperty("at").GetDateTimeOffset(), Down: r.GetProperty("down").GetBoolean())).OrderBy(r => r.At).ToList();
                var mine = starts.Zip(starts.Skip(1), (a, b) => Math.Abs((b.At - a.At).TotalMilliseconds - (interval * 1000.0))).ToList();
                lock (jitter)
                {
                    jitter.AddRange(mine);
                    probes += starts.Count;
                    down += starts.Count(s => s.Down);
                }
            }, cancel);

            run.Figure("probes in the window (down)", Invariant($"{probes:N0} ({down:N0}); expected about {monitors * seconds / (double)interval:N0}"));
            run.Figure("probe start jitter |Δstart − interval|, p50 / p99 / max", Percentiles(jitter));
            run.Figure("server CPU while probing (of one core; machine has " + Environment.ProcessorCount + ")", Invariant($"{cpu * 100:0.0} %"));
            run.Figure("server RSS while probing", Invariant($"{rss / 1048576.0:0} MiB"));
            run.Figure("deadline → TicketBreached, while probing, p50 / p99 / max", Percentiles(lateness));
            run.Figure("lateness p99 while probing ÷ without", Invariant($"{Percentile(lateness, 99) / Percentile(quiet, 99):0.00}"));
            await server.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
            File.Delete(roots);
        }
    }

    /// <summary>Deadline → TicketBreached at the manager (ms) for <paramref name="tickets"/> clocks falling due over a minute.</summary>
    private static async Task<List<double>> LatenessAsync(SlaApi admin, SlaApi manager, string prefix, int tickets, CancellationToken cancellationToken)
    {
        const int Buckets = 30;
        var lead = TimeSpan.FromSeconds(20 + (tickets / 20));
        for (var b = 0; b < Buckets; b++)
        {
            await admin.CreateCustomerAsync($"{prefix}{b}", cancellationToken);
            await admin.SetTargetsAsync($"{prefix}{b}", lead + TimeSpan.FromSeconds(2 * b), TimeSpan.FromHours(24), cancellationToken);
        }

        await using var watcher = await BreachWatcher.ConnectAsync(manager, t => t.StartsWith($"{prefix}-", StringComparison.Ordinal), tickets, TimeSpan.FromSeconds(30), cancellationToken);
        await Load.OpenTicketsAsync(admin, $"{prefix}-", 0, tickets, i => $"{prefix}{i % Buckets}", 8, cancellationToken);
        try
        {
            await watcher.All.WaitAsync(lead + TimeSpan.FromSeconds((2 * Buckets) + 60), cancellationToken);
        }
        catch (TimeoutException)
        {
            Console.WriteLine(Invariant($"  {prefix}: bound reached with {watcher.Breaches.Count:N0} of {tickets:N0} breaches"));
        }

        return [.. watcher.Breaches.Values.Select(b => b.DeliveredMs)];
    }

    /// <summary>User + system CPU seconds of process <paramref name="pid"/> (Linux /proc).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    /// <summary>The loopback targets: a Kestrel HTTP endpoint and a TCP listener that accepts and closes.</summary>
    private sealed class Targets : IAsyncDisposable
    {
        private readonly WebApplication _http;
        private readonly TcpListener _tcp;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        private Targets(WebApplication http, TcpListener tcp)
        {
            (_http, _tcp) = (http, tcp);
            _accepting = AcceptAsync();
        }

        public int HttpPort => new Uri(_http.Urls.First()).Port;

        public int TcpPort => ((IPEndPoint)_tcp.LocalEndpoint).Port;

        public static async Task<Targets> StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var http = builder.Build();
            http.MapGet("/health/{n}", () => Results.Text("ok"));
            await http.StartAsync(cancellationToken);
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start(1024);
            return new Targets(http, tcp);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _tcp.Stop();
            await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
            await _http.DisposeAsync();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
        }
    }
}
