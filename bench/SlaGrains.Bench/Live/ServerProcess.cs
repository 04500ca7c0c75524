using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SlaGrains.Testing;

namespace SlaGrains.Bench.Live;

/// <summary>
/// A real server process — <c>dotnet SlaGrains.Server.dll</c>, a silo co-hosted with the API and the hub — on
/// loopback ports chosen here, its output in a log file. Started ready (<c>/health/ready</c> answers 200), killed
/// with SIGKILL or stopped with SIGTERM; always gone after <see cref="DisposeAsync"/>.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = "bench-admin-password";

    private readonly string[] _arguments;
    private Process? _process;
    private StreamWriter? _log;

    private ServerProcess(string name, string logDirectory, IEnumerable<string> settings)
    {
        Name = name;
        HttpPort = FreePort.Next();
        SiloPort = FreePort.Next();
        GatewayPort = FreePort.Next();
        LogPath = Path.Combine(logDirectory, $"{name}.log");
        _arguments =
        [
            Dll,
            "--urls", BaseAddress.ToString().TrimEnd('/'),
            $"--Orleans:SiloPort={SiloPort}",
            $"--Orleans:GatewayPort={GatewayPort}",
            $"--Admin:Password={AdminPassword}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ];
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string LogPath { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public int Pid => _process?.Id ?? throw new InvalidOperationException($"{Name} is not running.");

    public bool Running => _process is { HasExited: false };

    /// <summary>When the current process was spawned (Stopwatch timestamp).</summary>
    public long SpawnedAt { get; private set; }

    /// <summary>The server executable: <c>--server-dll</c>, or the build of <c>src/SlaGrains.Server</c> in the bench's own configuration.</summary>
    public static string Dll { get; set; } = FindDll();

    /// <summary>Starts a server and waits until it is ready.</summary>
    public static async Task<ServerProcess> StartAsync(string name, string logDirectory, IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var server = new ServerProcess(name, logDirectory, settings);
        try
        {
            server.Spawn();
            await server.WaitReadyAsync(TimeSpan.FromMinutes(3), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the same server again (same ports, database, settings) without waiting for it.</summary>
    public void Spawn()
    {
        if (Running)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        var start = new ProcessStartInfo("dotnet", _arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(LogPath)!,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = start };
        var log = _log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        log.WriteLine($"--- {LiveRun.Now():O} dotnet {string.Join(' ', _arguments)}");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Write(log, $"--- exited {LiveRun.Now():O}");
        SpawnedAt = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        LiveRun.Track(process);
        _process = process;
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; fails with the log's tail if the process exits or the bound passes.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(bound.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Running)
            {
                throw new InvalidOperationException($"{Name} exited with {_process?.ExitCode} before it was ready:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync("health/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return Stopwatch.GetElapsedTime(SpawnedAt);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{Name} was not ready after {bound.TotalSeconds:0} s:\n{Tail()}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>kill -9: the process dies at once, nothing is flushed or deactivated.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process && !process.HasExited)
        {
            _ = kill(process.Id, 9);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        Forget();
    }

    /// <summary>SIGTERM (a graceful stop: grains deactivate, state is written); SIGKILL if it takes over a minute.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process && !process.HasExited)
        {
            _ = kill(process.Id, 15);
            try
            {
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        Forget();
    }

    /// <summary>The process's resident set (VmRSS from /proc), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public string Tail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private void Forget()
    {
        if (_process is { } process)
        {
            LiveRun.Untrack(process);
            process.Dispose();
            _process = null;
        }

        if (_log is { } log)
        {
            lock (log)
            {
                log.Dispose();
            }

            _log = null;
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process was forgotten; its last lines are not needed.
            }
        }
    }

    private static string FindDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SlaGrains.sln")))
        {
            directory = directory.Parent;
        }

#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        return directory is null
            ? "SlaGrains.Server.dll"
            : Path.Combine(directory.FullName, "src", "SlaGrains.Server", "bin", configuration, "net10.0", "SlaGrains.Server.dll");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
