using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SlaGrains.Testing;

/// <summary>
/// A real DNS server for dns monitors to ask: Debian's <c>dnsmasq</c> in the foreground on 127.0.0.1 at a free port,
/// with no upstream, no hosts file and no configuration but its command line. It is authoritative for <c>test</c>
/// (<c>--local</c>): <c>probe.test</c> has the A record 127.0.0.1, the TXT record <c>v=ok</c> and the MX record
/// <c>10 mail.probe.test</c>; any other name under <c>test</c> is NXDOMAIN, and names elsewhere are REFUSED.
/// </summary>
/// <remarks>
/// When <c>dnsmasq</c> is missing the server does not start: with <c>CI=true</c> that is an error (CI must run the DNS
/// tests); elsewhere <see cref="Unavailable"/> says what is missing and the tests skip.
/// </remarks>
public sealed class DnsmasqServer : IAsyncLifetime
{
    private const string InstallHint = "install it with `apt-get install dnsmasq` (Debian/Ubuntu)";
    private Process? _process;

    /// <summary>The name with records.</summary>
    public const string Name = "probe.test";

    /// <summary>Why no server runs here; null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The UDP and TCP port it answers on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The server as a dns monitor names it: <c>127.0.0.1:port</c>.</summary>
    public string Server => $"127.0.0.1:{Port}";

    /// <summary>Starts the server, unless dnsmasq is missing (see <see cref="Unavailable"/>).</summary>
    public async Task InitializeAsync()
    {
        var binary = new[] { "/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"CI must run the DNS tests, but dnsmasq was not found: {InstallHint}.");
            }

            Unavailable = $"SKIPPED — no dnsmasq here: {InstallHint}.";
            return;
        }

        // A free port can be taken by someone else before dnsmasq binds it: try a few.
        string? failure = null;
        for (var attempt = 0; attempt < 3 && _process is null; attempt++)
        {
            failure = await TryStartAsync(binary, FreePort.Next());
        }

        if (_process is null)
        {
            throw new InvalidOperationException($"dnsmasq did not start: {failure}");
        }
    }

    /// <summary>Stops the server.</summary>
    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task<string?> TryStartAsync(string binary, int port)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--no-daemon", $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
            "--conf-file=/dev/null", "--pid-file=", "--local=/test/", $"--address=/{Name}/127.0.0.1", $"--txt-record={Name},v=ok",
            $"--mx-host={Name},mail.{Name},10"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dnsmasq did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();

        // Ready when it accepts TCP on its port (it binds UDP and TCP together), or failed when it exits.
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15) && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                (_process, Port) = (process, port);
                return null;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        var text = await errors;
        process.Dispose();
        return text.Trim();
    }
}
