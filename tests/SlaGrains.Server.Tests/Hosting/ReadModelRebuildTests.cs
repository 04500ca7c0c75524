using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>
/// <c>rebuild-read-models</c> on each store: after a server wrote tickets, transitions, a monitor's results, rollups,
/// incidents and maintenance, the verb deletes the rows and writes them again from grain state, and the tables hold the
/// same rows as before.
/// </summary>
public sealed class ReadModelRebuildTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private const string AdminPassword = "rebuild-admin-password";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Each table, its key, and the columns that legitimately differ after a rebuild: a ticket's elapsed and remaining
    /// time are taken at the write (<c>as_of</c>); a monitor's rows carry the state version of the write that made them,
    /// and a rebuild writes them all at the current one.
    /// </summary>
    private static readonly (string Table, string Key, string[] Varying)[] Tables =
    [
        ("tickets", "ticket_id", ["as_of", "fr_elapsed", "fr_remaining", "res_elapsed", "res_remaining", "nr_elapsed", "nr_remaining"]),
        ("clock_transitions", "ticket_id, sequence", []),
        ("monitors", "monitor_id", ["version"]),
        ("check_results", "monitor_id, at, region", []),
        ("check_rollups", "monitor_id, granularity, bucket_start", ["version"]),
        ("incidents", "incident_id", ["version"]),
        ("maintenance", "maintenance_id", ["version"]),
    ];

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Rebuilding_the_read_models_from_grain_state_gives_the_rows_the_grains_wrote(string storeName)
    {
        var directory = Directory.CreateTempSubdirectory("slagrains-rebuild-").FullName;
        try
        {
            var store = await ServerStore.CreateAsync(storeName, directory, postgres, "rebuild");
            var connect = store.Connect;
            string[] settings = [.. store.Settings, $"--Admin:Password={AdminPassword}", "--Logging:LogLevel:Default=Warning"];
            await using (var server = ServerProcess.Start("writing", settings))
            {
                await server.WaitReadyAsync(StartBound);
                using var admin = new HttpClient(new AntiforgeryHandler(new HttpClientHandler { CookieContainer = new CookieContainer() })) { BaseAddress = server.BaseAddress };
                await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = AdminPassword }));
                var customer = await ServerScenario.CustomerAsync(admin);
                for (var i = 0; i < 6; i++)
                {
                    var id = (await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = $"Rebuild {i}" }))).JsonAsync())
                        .GetProperty("ticketId").GetString();
                    await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/tickets/{id}/status", new { status = i % 2 == 0 ? "waitingOnCustomer" : "inProgress" }));
                    if (i == 5)
                    {
                        await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/tickets/{id}/resolve", new { }));
                    }
                }

                var (monitor, _, _) = await ServerScenario.OutageLastMonthAsync(admin, customer, downMinutes: 12, measured: false);
                var incident = (await (await ServerScenario.Ok(admin.GetAsync($"api/v1/monitors/{monitor}/incidents"))).JsonAsync())[0].GetProperty("incidentId").GetString();
                await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/monitors/{monitor}/incidents/{incident}/review", new { rootCause = "deploy", resolution = "Rolled back" }));
                var start = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(4);
                await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start, end = start + Duration.FromHours(2), description = "Kept" }, SlaGrainsServerFixture.Json));
                var cancelled = await (await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start = start + Duration.FromDays(1), end = start + Duration.FromDays(1) + Duration.FromHours(1), description = "Called off" }, SlaGrainsServerFixture.Json))).JsonAsync();
                await ServerScenario.Ok(admin.DeleteAsync($"api/v1/monitors/{monitor}/maintenance/{cancelled.GetProperty("maintenanceId").GetString()}"));
            }

            // Every acknowledged change had its rows committed before its 2xx, so the kill leaves nothing behind.
            var before = await SnapshotAsync(connect);
            Assert.All(Tables, t => Assert.NotEmpty(before[t.Table]));

            await using (var rebuild = ServerProcess.Run("rebuilding", "rebuild-read-models", settings))
            {
                using var bound = new CancellationTokenSource(StartBound);
                await rebuild.Process.WaitForExitAsync(bound.Token);
                Assert.True(rebuild.Process.ExitCode == 0, rebuild.Tail());
                Assert.Contains(rebuild.Output, line => line.StartsWith("Read models rebuilt from grain state: 7 ", StringComparison.Ordinal));
            }

            var after = await SnapshotAsync(connect);
            foreach (var (table, _, _) in Tables)
            {
                Assert.Equal(before[table], after[table]);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Every table's rows (cancelled maintenance left out: no grain state holds it) as text, without the varying columns, in key order.</summary>
    private static async Task<Dictionary<string, List<string>>> SnapshotAsync(Func<DbConnection> connect)
    {
        await using var db = connect();
        await db.OpenAsync();
        var snapshot = new Dictionary<string, List<string>>();
        foreach (var (table, key, varying) in Tables)
        {
            await using var command = db.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}{(table == "maintenance" ? " WHERE NOT cancelled" : "")} ORDER BY {key}";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount)
                    .Where(i => !varying.Contains(reader.GetName(i), StringComparer.OrdinalIgnoreCase))
                    .Select(i => $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))}")));
            }

            snapshot[table] = rows;
        }

        return snapshot;
    }
}
