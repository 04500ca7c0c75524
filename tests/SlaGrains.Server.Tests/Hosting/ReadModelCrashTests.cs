using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>
/// A server process killed with SIGKILL while tickets change, on each store: when it starts again, every ticket's row
/// and transitions match its durable state — including rows left behind exactly as a crash between a state write and
/// its row write leaves them (older version, missing transitions, no row at all) — and no acknowledged change is lost.
/// </summary>
public sealed class ReadModelCrashTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private const string AdminPassword = "crash-admin-password";
    private const int Tickets = 24;
    private const int Writers = 4;
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly string[] Statuses = ["inProgress", "onHold", "open", "waitingOnCustomer"];

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Rows_that_lag_their_ticket_after_a_SIGKILL_converge_when_the_server_starts_again(string storeName)
    {
        var directory = Directory.CreateTempSubdirectory("slagrains-crash-").FullName;
        try
        {
            var store = await ServerStore.CreateAsync(storeName, directory, postgres, "crash");
            var connect = store.Connect;
            string[] settings = [.. store.Settings, $"--Admin:Password={AdminPassword}", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:SlaGrains.Server.Hosting=Information"];
            var ids = new List<string>();
            var monitor = string.Empty;
            var downAt = default(Instant);
            var acknowledged = new Dictionary<string, string>();
            var inFlight = new Dictionary<string, string>();
            await using (var first = ServerProcess.Start("before the kill", settings))
            {
                await first.WaitReadyAsync(StartBound);
                using var admin = await SignInAsync(first);
                var customer = await ServerScenario.CustomerAsync(admin);
                (monitor, _, downAt) = await ServerScenario.OutageLastMonthAsync(admin, customer, downMinutes: 7, measured: false);
                for (var i = 0; i < Tickets; i++)
                {
                    var ticket = await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = $"Crash {i}" }))).JsonAsync();
                    ids.Add(ticket.GetProperty("ticketId").GetString()!);
                }

                // Each writer owns its tickets and changes them one request at a time, so the last acknowledged status of a
                // ticket is known; the request in flight at the kill may or may not have been committed.
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    var mine = ids.Where((_, i) => i % Writers == w).ToList();
                    for (var n = 0; !stop.IsCancellationRequested && n < 10_000; n++)
                    {
                        var id = mine[n % mine.Count];
                        var status = Statuses[(n / mine.Count) % Statuses.Length];
                        lock (inFlight)
                        {
                            inFlight[id] = status;
                        }

                        try
                        {
                            using var response = await admin.PostAsJsonAsync($"api/v1/tickets/{id}/status", new { status });
                            if (response.StatusCode != HttpStatusCode.OK)
                            {
                                return;
                            }
                        }
                        catch (HttpRequestException)
                        {
                            return;
                        }

                        lock (inFlight)
                        {
                            acknowledged[id] = status;
                        }
                    }
                })).ToList();

                await Task.Delay(TimeSpan.FromSeconds(2));
                first.Process.Kill();
                await first.Process.WaitForExitAsync();
                stop.Cancel();
                await Task.WhenAll(writers);
            }

            // What the crash window leaves, for certain (a ticket's row and its new transitions commit together, so they lag
            // together): rows one version behind with another status, one also without its newest transition, and a
            // ticket with no rows at all.
            await using (var db = connect())
            {
                await db.OpenAsync();
                await ExecuteAsync(db, "UPDATE tickets SET version = version - 1, status = 0 WHERE ticket_id = @a OR ticket_id = @b", ("a", ids[0]), ("b", ids[1]));
                await ExecuteAsync(db, "UPDATE tickets SET version = version - 1 WHERE ticket_id = @a", ("a", ids[2]));
                await ExecuteAsync(db, "DELETE FROM clock_transitions WHERE ticket_id = @a AND sequence = (SELECT MAX(sequence) FROM clock_transitions WHERE ticket_id = @a)", ("a", ids[2]));
                await ExecuteAsync(db, "DELETE FROM tickets WHERE ticket_id = @a", ("a", ids[3]));
                await ExecuteAsync(db, "DELETE FROM clock_transitions WHERE ticket_id = @a", ("a", ids[3]));

                // A monitor whose state committed and whose rows did not: none at all.
                foreach (var table in new[] { "monitors", "incidents", "check_results", "check_rollups" })
                {
                    await ExecuteAsync(db, $"DELETE FROM {table} WHERE monitor_id = @m", ("m", monitor));
                }
            }

            await using var second = ServerProcess.Start("after the restart", settings);
            await second.WaitReadyAsync(StartBound);
            using var again = await SignInAsync(second);
            var deadline = DateTime.UtcNow + Bound;
            string? difference;
            while ((difference = await DifferenceAsync(again, ids)) is not null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }

            Assert.True(difference is null, $"{difference}\n{second.Tail()}");

            // The monitor wrote its rows again from its state: both results, the 7-minute incident and its hourly rollup.
            var results = await (await ServerScenario.Ok(again.GetAsync($"api/v1/monitors/{monitor}/results?from=2000-01-01T00:00:00Z"))).JsonAsync();
            var rollups = await (await ServerScenario.Ok(again.GetAsync($"api/v1/monitors/{monitor}/rollups?granularity=hour&from={downAt - Duration.FromDays(1)}&to={downAt + Duration.FromDays(1)}"))).JsonAsync();
            Assert.Equal(2, results.GetArrayLength());
            Assert.Equal(7 * 60, rollups.EnumerateArray().Sum(r => r.GetProperty("downSeconds").GetDouble()));
            foreach (var id in ids)
            {
                var status = (await (await ServerScenario.Ok(again.GetAsync($"api/v1/tickets/{id}"))).JsonAsync()).GetProperty("status").GetString();
                var expected = acknowledged.TryGetValue(id, out var acked) ? acked : "new";
                Assert.True(status == expected || status == inFlight.GetValueOrDefault(id), $"{id}: status {status}, last acknowledged {expected}, in flight {inFlight.GetValueOrDefault(id)}");
            }

            Assert.Contains(second.Output, line => line.Contains("rows lagged their state", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The first ticket whose list row or audit rows differ from its grain's state; null when none does.</summary>
    private static async Task<string?> DifferenceAsync(HttpClient admin, IReadOnlyList<string> ids)
    {
        var rows = new Dictionary<string, JsonElement>();
        string? cursor = null;
        do
        {
            var page = await (await ServerScenario.Ok(admin.GetAsync($"api/v1/tickets?pageSize=500{(cursor is null ? "" : $"&cursor={cursor}")}"))).JsonAsync();
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                rows[item.GetProperty("ticketId").GetString()!] = item;
            }

            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        foreach (var id in ids)
        {
            var detail = await (await ServerScenario.Ok(admin.GetAsync($"api/v1/tickets/{id}"))).JsonAsync();
            var audit = await (await ServerScenario.Ok(admin.GetAsync($"api/v1/tickets/{id}/audit"))).JsonAsync();
            if (!rows.TryGetValue(id, out var row))
            {
                return $"{id}: no row";
            }

            if (row.GetProperty("status").GetString() != detail.GetProperty("status").GetString())
            {
                return $"{id}: row status {row.GetProperty("status")} but the ticket is {detail.GetProperty("status")}";
            }

            var expected = detail.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("description").GetString()).ToList();
            var actual = audit.EnumerateArray().Select(a => a.GetProperty("description").GetString()).ToList();
            if (!expected.SequenceEqual(actual))
            {
                return $"{id}: {actual.Count} transition rows, the ticket has {expected.Count}";
            }
        }

        return null;
    }

    private static async Task<HttpClient> SignInAsync(ServerProcess server)
    {
        var client = new HttpClient(new AntiforgeryHandler(new HttpClientHandler { CookieContainer = new CookieContainer() })) { BaseAddress = server.BaseAddress };
        await ServerScenario.Ok(client.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = AdminPassword }));
        return client;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        Assert.True(await command.ExecuteNonQueryAsync() > 0, $"nothing matched: {sql}");
    }
}
