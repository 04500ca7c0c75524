using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>
/// The real server as a child process (<c>dotnet SlaGrains.Server.dll</c> from the build output, or the README's
/// <c>dotnet run --project src/SlaGrains.Server</c>) on free loopback ports, in its own working directory unless given
/// one; killed at dispose if still running.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly SemaphoreSlim _lineWritten = new(0);
    private readonly string _directory;
    private readonly bool _ownDirectory;

    private ServerProcess(string name, IEnumerable<string> settings, string? verb, IEnumerable<string>? command = null, string? workingDirectory = null)
    {
        Name = name;
        _ownDirectory = workingDirectory is null;
        _directory = workingDirectory ?? Directory.CreateTempSubdirectory("slagrains-silo-").FullName;
        var port = FreePort.Next();
        SiloPort = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (command ?? [Path.Combine(AppContext.BaseDirectory, "SlaGrains.Server.dll")]).Concat(verb is null ? [] : [verb]).Concat(
        [
            "--urls", BaseAddress.ToString().TrimEnd('/'),
            $"--Orleans:SiloPort={SiloPort}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
        ]).Concat(settings))
        {
            start.ArgumentList.Add(arg);
        }

        Process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        Process.OutputDataReceived += (_, e) => Written(e.Data);
        Process.ErrorDataReceived += (_, e) => Written(e.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    /// <summary>The silo-to-silo port: this silo's row in the membership table.</summary>
    public int SiloPort { get; }

    public Process Process { get; }

    public IReadOnlyCollection<string> Output => _output;

    public static ServerProcess Start(string name, IEnumerable<string> settings) => new(name, settings, verb: null);

    /// <summary>
    /// The README's command, <c>dotnet run --no-build --project src/SlaGrains.Server -- [settings]</c>, typed in
    /// <paramref name="workingDirectory"/> (which is left as it is at dispose).
    /// </summary>
    public static ServerProcess RunProject(string name, string workingDirectory, IEnumerable<string> settings)
        => new(name, settings, verb: null, ["run", "--no-build", "-c", Configuration, "--project", Path.Combine(RepositoryRoot(), "src", "SlaGrains.Server"), "--"], workingDirectory);

    /// <summary>The repository's root folder (where SlaGrains.sln is), found above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SlaGrains.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("SlaGrains.sln not found above the test binaries.");
    }

    /// <summary>The server's command-line <paramref name="verb"/> (e.g. <c>rebuild-read-models</c>) as a process; wait for it to exit.</summary>
    public static ServerProcess Run(string name, string verb, IEnumerable<string> settings) => new(name, settings, verb);

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Tail(int lines = 80) => $"--- {Name} ({BaseAddress}) ---\n" + string.Join('\n', _output.TakeLast(lines));

    /// <summary>
    /// Waits until the process has written a line matching <paramref name="match"/> and returns every line written so
    /// far; throws with the output when the bound passes or the process exits first.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForLineAsync(Func<string, bool> match, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var lines = _output.ToList();
            if (lines.Any(match))
            {
                return lines;
            }

            var left = bound - clock.Elapsed;
            if (Process.HasExited || left <= TimeSpan.Zero || !await _lineWritten.WaitAsync(left))
            {
                throw new InvalidOperationException($"{Name} did not write the awaited line within {bound.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (exited: {Process.HasExited}).\n{Tail()}");
            }
        }
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; throws with the output when the bound passes or the process exits.</summary>
    public async Task WaitReadyAsync(TimeSpan bound)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < bound && !Process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        throw new InvalidOperationException($"{Name} was not ready within {bound.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (exited: {Process.HasExited}).\n{Tail()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
        Process.Dispose();
        _lineWritten.Dispose();
        if (_ownDirectory)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void Written(string? line)
    {
        _output.Enqueue(line ?? string.Empty);
        _lineWritten.Release();
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
