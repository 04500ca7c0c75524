using System.Diagnostics;
using SlaGrains.Storage.Sqlite;
using Xunit.Abstractions;

namespace SlaGrains.Storage.Tests.Sqlite;

/// <summary>
/// The measurement behind the default <see cref="SqliteSynchronousMode"/>: durable grain writes per second through
/// the real provider on a real file, FULL against NORMAL. It prints figures and asserts nothing about time; it runs
/// only when asked for:
/// <c>SLAGRAINS_MEASURE=1 dotnet test tests/SlaGrains.Storage.Tests --filter "FullyQualifiedName~SqliteSynchronousMeasurement" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class SqliteSynchronousMeasurement(ITestOutputHelper output)
{
    private const int Grains = 10_000;
    private const int InFlight = 256;
    private const int SequentialWrites = 500;

    [SkippableTheory]
    [InlineData(SqliteSynchronousMode.Full)]
    [InlineData(SqliteSynchronousMode.Normal)]
    public async Task Durable_grain_writes_per_second(SqliteSynchronousMode synchronous)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("SLAGRAINS_MEASURE") == "1", "a measurement: set SLAGRAINS_MEASURE=1 to run it");
        using var file = new TemporaryDatabase();
        await using var silo = await SqliteSilo.StartAsync(file.Path, synchronous);
        var storage = silo.Storage;
        var states = Enumerable.Range(0, Grains)
            .Select(i => (Id: GrainId.Create("ticket", $"measure-{i}"), State: new GrainState<CounterState>(new CounterState { Count = i })))
            .ToArray();
        using var gate = new SemaphoreSlim(InFlight);

        // Each grain is written twice: an insert, then an update carrying the ETag of the first write.
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(states.Select(async s =>
        {
            for (var write = 0; write < 2; write++)
            {
                await gate.WaitAsync();
                try
                {
                    s.State.State!.Count++;
                    await storage.WriteStateAsync("state", s.Id, s.State);
                }
                finally
                {
                    gate.Release();
                }
            }
        }));
        clock.Stop();
        var concurrentRate = 2 * Grains / clock.Elapsed.TotalSeconds;

        var one = states[0];
        var sequential = Stopwatch.StartNew();
        for (var i = 0; i < SequentialWrites; i++)
        {
            await storage.WriteStateAsync("state", one.Id, one.State);
        }

        sequential.Stop();
        output.WriteLine(
            $"synchronous={synchronous}: {2 * Grains} writes, {InFlight} in flight: {clock.Elapsed.TotalMilliseconds:F0} ms = {concurrentRate:F0} writes/s; "
            + $"one at a time: {sequential.Elapsed.TotalMilliseconds / SequentialWrites:F3} ms per write = {SequentialWrites / sequential.Elapsed.TotalSeconds:F0} writes/s");
    }
}
