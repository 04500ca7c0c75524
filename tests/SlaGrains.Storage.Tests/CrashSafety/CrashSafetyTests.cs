using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SlaGrains.Storage.CrashWriter;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.CrashSafety;

/// <summary>
/// Nothing acknowledged is ever lost: a child process writes grain states through the configured store and
/// prints an acknowledgement after each write completed; it is killed with SIGKILL mid-stream. Reopening
/// the store, every acknowledged write is there (or a later one), none is torn, and the store takes writes.
/// </summary>
public sealed class CrashSafetyTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>, IDisposable
{
    private const int AcknowledgementsBeforeKill = 400;
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-crash-").FullName;

    [Fact]
    public async Task SQLite_keeps_every_acknowledged_write_when_the_writer_is_killed()
    {
        string[] store = ["--Storage:Provider=sqlite", $"--Storage:SqlitePath={Path.Combine(_directory, "crash.db")}"];

        await KillMidStreamThenVerify(store);
    }

    [SkippableFact]
    public async Task PostgreSQL_keeps_every_acknowledged_write_when_the_writer_is_killed()
    {
        Skip.If(postgres.Unavailable is not null, postgres.Unavailable);
        var connectionString = await postgres.CreateDatabaseAsync("crash_safety");
        string[] store = ["--Storage:Provider=postgresql", $"--Storage:ConnectionString={connectionString}"];

        await KillMidStreamThenVerify(store);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task KillMidStreamThenVerify(string[] store)
    {
        var acknowledged = await RunWriterAndKill(store);
        Assert.True(acknowledged.Values.Sum() >= AcknowledgementsBeforeKill, "the writer was killed before it acknowledged enough writes");

        // A new cluster id on the same store: the dead writer's membership row is no business of the reader.
        using var host = await ConfiguredSilo.StartAsync([.. store, $"--Orleans:ClusterId=verify-{Guid.NewGuid():N}"]);
        try
        {
            var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(SlaGrainsStorage.GrainStorageName);
            foreach (var (key, counter) in acknowledged)
            {
                var state = new GrainState<CrashState>();
                var id = GrainId.Create("crash", key);
                await storage.ReadStateAsync("state", id, state);

                Assert.True(state.State!.Counter >= counter, $"{key}: write {counter} was acknowledged but the store holds {state.State.Counter}");
                Assert.Equal(CrashState.PayloadFor(key, state.State.Counter), state.State.Payload);

                state.State = new CrashState { Counter = state.State.Counter + 1, Payload = CrashState.PayloadFor(key, state.State.Counter + 1) };
                await storage.WriteStateAsync("state", id, state);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Starts the writer, kills it (SIGKILL) after enough acknowledgements, returns the last acknowledged counter per grain.</summary>
    private static async Task<Dictionary<string, int>> RunWriterAndKill(string[] store)
    {
        var start = new ProcessStartInfo("dotnet", [
            WriterPath(),
            "--grains=8",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            $"--Orleans:ClusterId=crash-{Guid.NewGuid():N}",
            .. store,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var writer = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash writer");
        var errors = writer.StandardError.ReadToEndAsync();
        var acknowledged = new Dictionary<string, int>();
        var count = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            while (await writer.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (Record(line, acknowledged) && ++count == AcknowledgementsBeforeKill)
                {
                    writer.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush, mid-write
                }
            }
        }
        catch (OperationCanceledException)
        {
            writer.Kill(entireProcessTree: true);
            throw new TimeoutException($"The crash writer acknowledged {count} writes in 90 s. Its errors:\n{await errors}");
        }

        await writer.WaitForExitAsync();
        Assert.NotEqual(0, writer.ExitCode);
        Assert.True(count >= AcknowledgementsBeforeKill, $"The crash writer stopped after {count} acknowledgements. Its errors:\n{await errors}");
        return acknowledged;
    }

    private static bool Record(string line, Dictionary<string, int> acknowledged)
    {
        var parts = line.Split(' ');
        if (parts is not ["ack", var key, var counter])
        {
            return false;
        }

        acknowledged[key] = Math.Max(acknowledged.GetValueOrDefault(key), int.Parse(counter, System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>The writer's build output, beside this test project's (same configuration and framework).</summary>
    private static string WriterPath()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var path = Path.Combine(configuration.Parent!.Parent!.Parent!.FullName, "SlaGrains.Storage.CrashWriter", "bin", configuration.Name, framework.Name, "SlaGrains.Storage.CrashWriter.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the crash writer is missing.", path);
    }
}
