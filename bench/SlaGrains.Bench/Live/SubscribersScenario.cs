using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SlaGrains.Contracts.Subscribers;
using SlaGrains.Domain.Subscribers;
using SlaGrains.Storage.Subscribers;
using SlaGrains.Testing;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>subscribers</c>: one server process (SQLite) with its SMTP relay on loopback (aiosmtpd's Maildir, as in the tests),
/// a customer with an enabled public status page and <c>--count N</c> (10,000) confirmed email subscribers, seeded straight
/// into the server's <c>status_subscribers</c> table with the store's own statements (subscribing 10,000 addresses through
/// the form would measure the confirmation flow and the rate limit instead). Then one manual incident is opened through
/// the API (its first update): the time from the request until the relay accepted the last subscriber's mail (the
/// newest Maildir file's write time). Goal ≤ 60 s. Figures are printed, nothing is asserted.
/// </summary>
internal static class SubscribersScenario
{
    public static int Run(string[] args) => new LiveRun("subscribers", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var count = run.Int("--count", 10_000);
        var cancel = Cancelled;
        await using var smtp = await SmtpSink.CreateAsync() ?? throw new InvalidOperationException(SmtpSink.Unavailable);
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-subscribers-").FullName;
        try
        {
            var settings = MailScenario.ServerWithRelay(run, directory, smtp);
            run.Configure("subscribers", Invariant($"{count:N0} confirmed, all components, seeded into status_subscribers"));
            await using var server = await ServerProcess.StartAsync("server", directory, settings, cancel);
            using var admin = await SlaApi.AdminAsync(server, cancel);
            const string Customer = "subs0";
            await admin.CreateCustomerAsync(Customer, cancel);
            await admin.PostAsync("api/v1/monitors", new { id = "subs0-api", customerId = Customer, name = "API", critical = true }, cancel);
            await admin.PutAsync($"api/v1/customers/{Customer}/status-page", new { slug = "bench-subscribers", enabled = true }, cancel);

            var seeding = Stopwatch.StartNew();
            await SeedAsync(Path.Combine(directory, "sla.db"), Customer, count, cancel);
            run.Figure(Invariant($"{count:N0} subscribers seeded (one transaction)"), Invariant($"{seeding.Elapsed.TotalMilliseconds:N0} ms"));

            var before = smtp.Messages().Count;
            var started = Now();
            var clock = Stopwatch.StartNew();
            await admin.PostAsync($"api/v1/customers/{Customer}/incidents", new
            {
                title = "Bench outage",
                components = new[] { "subs0-api" },
                impact = "majorOutage",
                message = "Requests fail; we are investigating.",
            }, cancel);
            var answered = clock.Elapsed;
            var maildir = Path.Combine(smtp.Maildir, "new");
            while (Files(maildir) < before + count && clock.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(200, cancel);
            }

            var files = Directory.Exists(maildir) ? Directory.GetFiles(maildir) : [];
            var last = files.Length == 0 ? started : files.Max(f => new DateTimeOffset(File.GetLastWriteTimeUtc(f), TimeSpan.Zero));
            run.Figure("incident opened: API answered in", Invariant($"{answered.TotalMilliseconds:N0} ms"));
            run.Figure(
                Invariant($"one incident update → last of {count:N0} subscriber emails accepted by the relay (goal ≤ 60 s)"),
                Invariant($"{(last - started).TotalSeconds:0.0} s ({files.Length - before:N0} accepted, {(files.Length - before) / Math.Max(0.001, (last - started).TotalSeconds):N0}/s)"));
            await server.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int Files(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;

    /// <summary>Confirmed subscribers written with the store's own upsert, in one transaction beside the running server (WAL).</summary>
    private static async Task SeedAsync(string database, string customer, int count, CancellationToken cancel)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync(cancel);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancel);
        var at = NodaTime.Instant.FromDateTimeOffset(Now());
        for (var i = 0; i < count; i++)
        {
            var address = Invariant($"subscriber{i:D6}@example.test");
            var row = new StatusSubscriberRow(
                StatusSubscriberIds.Of(customer, address), customer, address, SubscriptionStatus.Confirmed, [], null, 1, at, at, at, at);
            var statement = StatusSubscriberSql.Save(row);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = statement.Text;
            statement.Bind(command);
            await command.ExecuteNonQueryAsync(cancel);
        }

        await transaction.CommitAsync(cancel);
    }
}
