using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace SlaGrains.Testing;

/// <summary>
/// A real SMTP server on a loopback port: Debian's <c>python3-aiosmtpd</c>, run by Debian's own interpreter
/// (<c>/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:port -c aiosmtpd.handlers.Mailbox maildir</c>), which stores every
/// message it accepts in a Maildir that tests read back with MimeKit (the envelope recipients are in the
/// <c>X-RcptTo</c> header aiosmtpd adds). It can be stopped and started again on the same port, to play a relay that is
/// down for a while. Where the package is missing, <see cref="Unavailable"/> says so (tests skip; under <c>CI=true</c>
/// the fixture fails instead, since <c>.ci/run</c> installs it).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    /// <summary>Debian's interpreter, which has Debian's packages (the first <c>python3</c> on the PATH may be another).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(Check);
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-smtp-").FullName;
    private Process? _process;

    private SmtpSink(int port) => Port = port;

    /// <summary>Why no SMTP server can run here; null when it can.</summary>
    public static string? Unavailable => Missing.Value;

    /// <summary>The port it listens on, at 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The Maildir messages are stored in.</summary>
    public string Maildir => Path.Combine(_directory, "maildir");

    /// <summary>Whether it is listening now.</summary>
    public bool Running => _process is { HasExited: false };

    /// <summary>A sink on a free port (or <paramref name="port"/>), started unless <paramref name="start"/> is false.</summary>
    /// <exception cref="InvalidOperationException">The package is missing and <c>CI=true</c>.</exception>
    public static async Task<SmtpSink?> CreateAsync(bool start = true, int? port = null)
    {
        if (Unavailable is { } why)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(why + " CI=true: the email tests must run.");
            }

            return null;
        }

        var sink = new SmtpSink(port ?? FreePort.Next());
        if (start)
        {
            await sink.StartAsync();
        }

        return sink;
    }

    /// <summary>Starts the server and waits (at most 20 s) until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (Running)
        {
            return;
        }

        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{Python} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var until = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"aiosmtpd exited at once with code {process.ExitCode} (port {Port}).");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (until.Elapsed < TimeSpan.FromSeconds(20))
            {
                // Not listening yet: the interpreter is still importing.
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops the server (this process only); messages stored so far stay readable.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>Every message stored so far.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var messages = new List<MimeMessage>();
        foreach (var folder in new[] { "new", "cur" })
        {
            var path = Path.Combine(Maildir, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(path).Order(StringComparer.Ordinal))
            {
                messages.Add(MimeMessage.Load(file));
            }
        }

        return messages;
    }

    /// <summary>The messages whose envelope recipient (<c>X-RcptTo</c>) or To header includes <paramref name="address"/>.</summary>
    public IReadOnlyList<MimeMessage> To(string address)
        => [.. Messages().Where(m => Recipients(m).Contains(address, StringComparer.OrdinalIgnoreCase))];

    /// <summary>The first stored message that matches, waiting at most <paramref name="bound"/> for it to arrive.</summary>
    public async Task<MimeMessage> WaitFor(Func<MimeMessage, bool> match, TimeSpan bound)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            if (Messages().FirstOrDefault(match) is { } message)
            {
                return message;
            }

            if (until.Elapsed > bound)
            {
                throw new TimeoutException($"No matching message arrived within {bound} ({Messages().Count} stored).");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The envelope recipients aiosmtpd recorded, and the To addresses.</summary>
    public static IEnumerable<string> Recipients(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var envelope = message.Headers["X-RcptTo"]?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        return [.. envelope, .. message.To.Mailboxes.Select(m => m.Address)];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string? Check()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing: install Debian's python3-aiosmtpd (apt-get install python3-aiosmtpd) to run the email tests.";
        }

        var info = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import aiosmtpd");
        using var process = Process.Start(info)!;
        process.WaitForExit(30_000);
        return process.HasExited && process.ExitCode == 0
            ? null
            : "Debian's python3-aiosmtpd is missing: install it (apt-get install python3-aiosmtpd) to run the email tests.";
    }
}
