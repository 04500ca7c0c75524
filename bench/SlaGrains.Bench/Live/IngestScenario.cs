using System.Data.Common;
using System.Net.Http.Json;
using SlaGrains.Bench.Storage;
using SlaGrains.Testing;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>ingest</c>: check results (single and batch, with an ingestion API key) and ticket events (status changes,
/// signed in as staff) through the HTTP API with K concurrent clients, each on its own monitor or ticket: accepted
/// events/s and request latency; then, same run, same database, plain single-row upserts (1 and 8 connections) as
/// the yardstick. Options: <c>--seconds N</c> per phase (10), <c>--clients K</c> (32), <c>--batch B</c> (100),
/// <c>--stores sqlite[,postgresql]</c> (sqlite).
/// </summary>
internal static class IngestScenario
{
    public static int Run(string[] args) => new LiveRun("ingest", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var phase = TimeSpan.FromSeconds(run.Int("--seconds", 10));
        var clients = run.Int("--clients", 32);
        var batch = run.Int("--batch", 100);
        var stores = run.Text("--stores", "sqlite").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        run.Configure("server", "1 process (silo + API + hub), 127.0.0.1");
        run.Configure("phases", Invariant($"{phase.TotalSeconds:0} s each: single checks, batches of {batch} checks, ticket status changes; then plain upserts"));
        run.Configure("concurrent HTTP clients", Invariant($"{clients} (one monitor / ticket each)"));
        run.Configure("plain upsert payload", "512 bytes, one row per statement, its own transaction");
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-ingest-").FullName;
        try
        {
            if (stores.Contains("sqlite", StringComparer.OrdinalIgnoreCase))
            {
                var path = Path.Combine(directory, "sla.db");
                await MeasureAsync(run, "SQLite (synchronous=FULL)", directory, ClocksScenario.Settings(directory), () => PlainUpserts.OpenSqlite(path), PlainUpserts.SqliteUpsert, phase, clients, batch);
            }

            if (stores.Contains("postgresql", StringComparer.OrdinalIgnoreCase))
            {
                await using var postgres = new ThrowawayPostgres { Durable = true };
                await postgres.InitializeAsync();
                if (postgres.Unavailable is not null)
                {
                    run.Figure("PostgreSQL", postgres.Unavailable);
                }
                else
                {
                    var connection = await postgres.CreateDatabaseAsync("ingest");
                    string[] settings = ["--Storage:Provider=postgresql", $"--Storage:ConnectionString={connection}", "--Orleans:ClusterId=bench", "--Orleans:ServiceId=bench"];
                    await MeasureAsync(run, "PostgreSQL (durable)", directory, settings, () => PlainUpserts.OpenPostgres(connection), PlainUpserts.PostgresUpsert, phase, clients, batch);
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task MeasureAsync(
        LiveRun run, string store, string directory, string[] settings, Func<Task<DbConnection>> openPlain, string plainUpsert, TimeSpan phase, int clients, int batch)
    {
        var cancel = Cancelled;
        await using var server = await ServerProcess.StartAsync($"server-{store.Split(' ')[0].ToLowerInvariant()}", directory, settings, cancel);
        using var admin = await SlaApi.AdminAsync(server, cancel);
        await admin.CreateCustomerAsync("ingest", cancel);
        await admin.SetTargetsAsync("ingest", TimeSpan.FromHours(8), TimeSpan.FromHours(24), cancel);
        for (var m = 0; m < clients; m++)
        {
            await admin.PostAsync("api/v1/monitors", new { id = $"m{m}", customerId = "ingest", name = $"Component {m}", critical = m == 0, consecutiveFailures = 3 }, cancel);
        }

        await Load.OpenTicketsAsync(admin, "ingest-", 0, clients, _ => "ingest", clients, cancel);
        using var ingestion = SlaApi.WithKey(server.BaseAddress, await admin.CreateApiKeyAsync("bench ingestion", "ingestion", "ingest", cancel));

        var single = await Throughput.Measure(clients, phase, async (worker, _) =>
        {
            using var response = await ingestion.Http.PostAsJsonAsync($"api/v1/monitors/m{worker}/checks", new { up = true }, cancel);
            await SlaApi.EnsureAsync(response, "check", cancel);
        });
        var checks = Enumerable.Range(0, batch).Select(_ => new { up = true }).ToArray();
        var batches = await Throughput.Measure(clients, phase, async (worker, _) =>
        {
            using var response = await ingestion.Http.PostAsJsonAsync($"api/v1/monitors/m{worker}/checks/batch", checks, cancel);
            await SlaApi.EnsureAsync(response, "batch", cancel);
        });
        var statuses = await Throughput.Measure(clients, phase, async (worker, i) =>
        {
            // Alternating pause and resume: each one a clock transition written to the ticket's state.
            using var response = await admin.Http.PostAsJsonAsync($"api/v1/tickets/ingest-{worker}/status", new { status = i % 2 == 0 ? "waitingOnCustomer" : "inProgress" }, cancel);
            await SlaApi.EnsureAsync(response, "status", cancel);
        });

        // The yardstick, same run, same database, server still running (idle).
        var payload = new byte[512];
        Random.Shared.NextBytes(payload);
        var plainOne = await PlainUpserts.Measure(openPlain, plainUpsert, 1, phase, payload);
        var plainEight = await PlainUpserts.Measure(openPlain, plainUpsert, 8, phase, payload);
        var plain = Math.Max(plainOne.PerSecond, plainEight.PerSecond);
        await server.StopAsync();

        run.Figure($"{store}: single check results, accepted/s (p50 / p99 request)", Invariant($"{single.PerSecond:N0}/s ({single.Percentile(50):0.0} / {single.Percentile(99):0.0} ms)"));
        run.Figure($"{store}: batched check results ({batch}/request), accepted/s (p50 / p99 request)", Invariant($"{batches.PerSecond * batch:N0}/s ({batches.Percentile(50):0.0} / {batches.Percentile(99):0.0} ms)"));
        run.Figure($"{store}: ticket status changes, accepted/s (p50 / p99 request)", Invariant($"{statuses.PerSecond:N0}/s ({statuses.Percentile(50):0.0} / {statuses.Percentile(99):0.0} ms)"));
        run.Figure($"{store}: plain single-row upserts/s, 1 / 8 connections", Invariant($"{plainOne.PerSecond:N0} / {plainEight.PerSecond:N0}"));
        run.Figure($"{store}: ratio to the best plain upsert rate (single / batched / ticket)",
            Invariant($"{single.PerSecond / plain:0.00} / {batches.PerSecond * batch / plain:0.00} / {statuses.PerSecond / plain:0.00}"));
    }
}
