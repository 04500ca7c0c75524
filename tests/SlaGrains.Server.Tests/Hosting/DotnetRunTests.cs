using System.Diagnostics;
using System.Net;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>The README's first command, run as a newcomer would: <c>dotnet run --project src/SlaGrains.Server</c>.</summary>
public sealed class DotnetRunTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Dotnet_run_starts_a_ready_server_on_an_embedded_database_under_data_and_stops_on_ctrl_c()
    {
        var root = RepositoryRoot();
        var folder = Directory.CreateTempSubdirectory("slagrains-run-").FullName;
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "run", "--no-build", "-c", Configuration, "--project", Path.Combine(root, "src", "SlaGrains.Server"), "--",
            "--urls", $"http://127.0.0.1:{port}", $"--Orleans:SiloPort={FreePort.Next()}", $"--Orleans:GatewayPort={FreePort.Next()}",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            var ready = await WaitForReady(client, process);

            Assert.True(ready == HttpStatusCode.OK, $"/health/ready answered {ready}; output:\n{string.Join('\n', output)}");
            Assert.True(File.Exists(Path.Combine(folder, "data", "slagrains.db")), "no ./data/slagrains.db in the working directory");
            Assert.Contains(output, line => line.Contains("created admin 'admin' with password", StringComparison.Ordinal));
            Assert.Contains(output, line => line.Contains($"Open http://127.0.0.1:{port} in a browser", StringComparison.Ordinal));

            // A quiet first start: appsettings.json (beside the server, not in this working directory) keeps Orleans'
            // and Polly's start-up chatter below warning.
            var chatter = output.Where(line => line.StartsWith("info: Orleans", StringComparison.Ordinal) || line.StartsWith("info: Polly", StringComparison.Ordinal)).ToList();
            Assert.True(chatter.Count == 0, $"{chatter.Count} info lines from Orleans or Polly, e.g. {chatter.FirstOrDefault()}");

            // The one thing it warns about on a new machine is said once, in words an operator can act on.
            Assert.Single(output, line => line.Contains("Data protection keys (they sign the sign-in cookies) are stored unencrypted", StringComparison.Ordinal));
            Assert.DoesNotContain(output, line => line.Contains("No XML encryptor configured", StringComparison.Ordinal));

            // Ctrl-C: the server (the child of `dotnet run`) stops its silo and exits cleanly.
            var server = ChildOf(process.Id) ?? process.Id;
            using (var interrupt = Process.Start("kill", ["-INT", server.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(Bound);
            Assert.Contains(output, line => line.Contains("SlaGrains: stopped.", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<HttpStatusCode?> WaitForReady(HttpClient client, Process process)
    {
        var clock = Stopwatch.StartNew();
        HttpStatusCode? last = null;
        while (clock.Elapsed < Bound && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("health/ready");
                last = response.StatusCode;
                if (last == HttpStatusCode.OK)
                {
                    return last;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the client's timeout.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return last;
    }

    /// <summary>The first child process of <paramref name="parent"/> (Linux /proc), or null.</summary>
    private static int? ChildOf(int parent)
    {
        foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")).Where(File.Exists))
        {
            try
            {
                var text = File.ReadAllText(stat);
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == parent)
                {
                    return int.Parse(Path.GetFileName(Path.GetDirectoryName(stat))!, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return null;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SlaGrains.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("SlaGrains.sln not found above the test binaries.");
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
