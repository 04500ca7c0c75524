using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>
/// The real server as a child process (<c>dotnet SlaGrains.Server.dll</c> from the build output) on free loopback
/// ports, in its own working directory; killed at dispose if still running.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _directory;

    private ServerProcess(string name, IEnumerable<string> settings, string? verb)
    {
        Name = name;
        _directory = Directory.CreateTempSubdirectory("slagrains-silo-").FullName;
        var port = FreePort.Next();
        SiloPort = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "SlaGrains.Server.dll") }.Concat(verb is null ? [] : [verb]).Concat(
        [
            "--urls", BaseAddress.ToString().TrimEnd('/'),
            $"--Orleans:SiloPort={SiloPort}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
        ]).Concat(settings))
        {
            start.ArgumentList.Add(arg);
        }

        Process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        Process.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        Process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
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

    /// <summary>The server's command-line <paramref name="verb"/> (e.g. <c>rebuild-read-models</c>) as a process; wait for it to exit.</summary>
    public static ServerProcess Run(string name, string verb, IEnumerable<string> settings) => new(name, settings, verb);

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Tail(int lines = 80) => $"--- {Name} ({BaseAddress}) ---\n" + string.Join('\n', _output.TakeLast(lines));

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
        Directory.Delete(_directory, recursive: true);
    }
}
