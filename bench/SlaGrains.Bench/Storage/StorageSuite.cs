using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SlaGrains.Testing;

namespace SlaGrains.Bench.Storage;

/// <summary>
/// The <c>storage</c> suite: for SQLite and PostgreSQL, durable grain-state writes through a silo with 1,000
/// grains writing concurrently (rate, p50/p99), reminder upserts, and — same run, same database — plain
/// single-row upserts of the same payload from one connection and from eight. Prints figures; asserts nothing.
/// Options: <c>--seconds N</c> per phase (default 8), <c>--stores sqlite,postgresql</c>.
/// </summary>
internal static class StorageSuite
{
    private static int Grains = 1_000;

    public static int Run(string[] args)
    {
        var seconds = Option(args, "--seconds") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 8;
        Grains = Option(args, "--grains") is { } g ? int.Parse(g, CultureInfo.InvariantCulture) : Grains;
        var stores = (Option(args, "--stores") ?? "sqlite,postgresql").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return RunAsync(TimeSpan.FromSeconds(seconds), stores).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(TimeSpan phase, string[] stores)
    {
        var rows = new List<Row>();
        Console.WriteLine($"storage suite: {Grains:N0} grains, {phase.TotalSeconds:0} s a phase, {Environment.ProcessorCount} cores");
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-").FullName;
        try
        {
            if (stores.Contains("sqlite", StringComparer.OrdinalIgnoreCase))
            {
                var path = Path.Combine(directory, "full.db");
                rows.AddRange(await MeasureStore("sqlite", ["--Storage:Provider=sqlite", $"--Storage:SqlitePath={path}"], phase,
                    () => PlainUpserts.OpenSqlite(path), PlainUpserts.SqliteUpsert));

                // The same grain writes with synchronous=NORMAL: what durability against power loss costs.
                var normal = Path.Combine(directory, "normal.db");
                rows.AddRange(await MeasureStore("sqlite, synchronous=NORMAL", ["--Storage:Provider=sqlite", $"--Storage:SqlitePath={normal}", "--Storage:Synchronous=Normal"], phase, null, null));
            }

            if (stores.Contains("postgresql", StringComparer.OrdinalIgnoreCase))
            {
                await using var server = new ThrowawayPostgres { Durable = true };
                await server.InitializeAsync();
                if (server.Unavailable is not null)
                {
                    Console.WriteLine($"postgresql: {server.Unavailable}");
                }
                else
                {
                    var connectionString = await server.CreateDatabaseAsync("bench");
                    rows.AddRange(await MeasureStore("postgresql", ["--Storage:Provider=postgresql", $"--Storage:ConnectionString={connectionString}"], phase,
                        () => PlainUpserts.OpenPostgres(connectionString), PlainUpserts.PostgresUpsert));
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        Print(rows);
        return 0;
    }

    private static async Task<IReadOnlyList<Row>> MeasureStore(
        string store, string[] settings, TimeSpan phase, Func<Task<System.Data.Common.DbConnection>>? openPlain, string? plainUpsert)
    {
        using var host = await ConfiguredSilo.StartAsync(settings);
        var rows = new List<Row>();
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var writers = Enumerable.Range(0, Grains).Select(i => grains.GetGrain<IBenchWriterGrain>(i)).ToArray();
            await Task.WhenAll(writers.Select(w => w.Write(0))); // activate and create every row first

            var writes = await Throughput.Measure(Grains, phase, (worker, i) => writers[worker].Write(i + 1));
            rows.Add(new Row(store, $"grain state writes, {Grains:N0} grains", writes));
            Console.WriteLine($"  {store}: grain writes done ({writes.PerSecond:N0}/s)");

            if (openPlain is null || plainUpsert is null)
            {
                return rows;
            }

            var reminders = host.Services.GetRequiredService<IReminderTable>();
            var start = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
            var upserts = await Throughput.Measure(64, phase, (worker, i) => reminders.UpsertRow(new ReminderEntry
            {
                GrainId = GrainId.Create("ticket", $"bench-{((i * 64) + worker) % Grains}"),
                ReminderName = "deadline",
                StartAt = start.AddSeconds(i),
                Period = TimeSpan.FromMinutes(1),
            }));
            rows.Add(new Row(store, "reminder upserts, 64 concurrent", upserts));

            // Plain upserts of exactly the bytes the grain storage writes for this state.
            var payload = host.Services.GetRequiredService<Serializer>().SerializeToArray(new BenchState { Counter = 1, Payload = BenchState.SamplePayload });
            foreach (var connections in new[] { 1, 8 })
            {
                var plain = await PlainUpserts.Measure(openPlain, plainUpsert, connections, phase, payload);
                rows.Add(new Row(store, $"plain upserts, {connections} connection{(connections > 1 ? "s" : string.Empty)}", plain));
            }

            Console.WriteLine($"  {store}: reminder and plain upserts done");
        }
        finally
        {
            await host.StopAsync();
        }

        return rows;
    }

    private static void Print(IReadOnlyList<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"| {"store",-27} | {"what",-34} | {"ops/s",9} | {"p50 ms",7} | {"p99 ms",7} |");
        Console.WriteLine($"|{new string('-', 29)}|{new string('-', 36)}|{new string('-', 11)}|{new string('-', 9)}|{new string('-', 9)}|");
        foreach (var row in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Store,-27} | {row.What,-34} | {row.Result.PerSecond,9:N0} | {row.Result.Percentile(50),7:0.00} | {row.Result.Percentile(99),7:0.00} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Goals (computed from the table above):");
        foreach (var store in rows.Select(r => r.Store).Distinct())
        {
            var grain = rows.Single(r => r.Store == store && r.What.StartsWith("grain", StringComparison.Ordinal)).Result.PerSecond;
            var plain = rows.Where(r => r.Store == store && r.What.StartsWith("plain", StringComparison.Ordinal)).Select(r => r.Result.PerSecond).DefaultIfEmpty().Max();
            if (plain > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {store}: grain writes/s >= 0.5 x best plain upsert rate: {Verdict(grain >= 0.5 * plain)} ({grain / plain:0.00} x)"));
            }

            if (store == "sqlite")
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {store}: >= 5,000 durable grain writes/s: {Verdict(grain >= 5_000)} ({grain:N0}/s)"));
            }
        }
    }

    private static string Verdict(bool met) => met ? "MET" : "MISSED";

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private sealed record Row(string Store, string What, Throughput Result);
}
