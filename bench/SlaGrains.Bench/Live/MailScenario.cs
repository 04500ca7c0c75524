using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using SlaGrains.Contracts.Channels;
using SlaGrains.Testing;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>mail</c>: one server process (SQLite) with its SMTP relay on loopback (Debian's aiosmtpd storing a Maildir, as
/// in the tests). (1) <c>--breaches B</c> (100) tickets breach their first-response target over about 20 seconds with
/// no escalation rules, so each breach emails the one manager: deadline → email accepted by the relay (the Maildir
/// file's write time), p50/p99. (2) <c>--emails N</c> (2,000; the goal of a later part is 10,000) messages queued in one
/// call through an Orleans client: queue → the last one accepted. Figures are printed, nothing is asserted.
/// </summary>
internal static class MailScenario
{
    public static int Run(string[] args) => new LiveRun("mail", args).Execute(RunAsync);

    /// <summary>The server's settings for one SQLite process in <paramref name="directory"/> mailing through <paramref name="smtp"/>, with their configuration rows.</summary>
    internal static string[] ServerWithRelay(LiveRun run, string directory, SmtpSink smtp)
    {
        run.Configure("server", "1 process (silo + API + hub), SQLite synchronous=FULL, 127.0.0.1");
        run.Configure("relay", "aiosmtpd on 127.0.0.1 (Maildir), no TLS, no authentication");
        return
        [
            .. ClocksScenario.Settings(directory),
            "--Email:Smtp:Host=127.0.0.1",
            $"--Email:Smtp:Port={smtp.Port}",
            "--Email:Smtp:Security=none",
            "--Email:From=SlaGrains Bench <bench@example.test>",
            "--App:PublicUrl=https://sla.example.test/",
        ];
    }

    private static async Task RunAsync(LiveRun run)
    {
        var breaches = run.Int("--breaches", 100);
        var emails = run.Int("--emails", 2_000);
        var cancel = Cancelled;
        await using var smtp = await SmtpSink.CreateAsync() ?? throw new InvalidOperationException(SmtpSink.Unavailable);
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-mail-").FullName;
        try
        {
            var settings = MailScenario.ServerWithRelay(run, directory, smtp);
            run.Configure("breaches", Invariant($"{breaches:N0} P1 tickets, first response due 30–50 s after opening, no rules: each emails the manager"));
            await using var server = await ServerProcess.StartAsync("server", directory, settings, cancel);
            using var admin = await SlaApi.AdminAsync(server, cancel);
            await admin.PostAsync("api/v1/users", new { userName = "bench-manager", password = "bench-manager-password", role = "manager", email = "manager@example.test" }, cancel);

            const int Customers = 20;
            for (var c = 0; c < Customers; c++)
            {
                await admin.CreateCustomerAsync($"mail{c}", cancel);
                await admin.SetTargetsAsync($"mail{c}", TimeSpan.FromSeconds(30 + c), TimeSpan.FromHours(24), cancel);
            }

            var opened = new List<string>();
            for (var i = 0; i < breaches; i++)
            {
                var id = $"mail-{i:D5}";
                await SlaApi.EnsureAsync(await admin.OpenTicketAsync(id, $"mail{i % Customers}", cancel), "open ticket", cancel);
                opened.Add(id);
            }

            var bound = Stopwatch.StartNew();
            while (smtp.Messages().Count < breaches && bound.Elapsed < TimeSpan.FromMinutes(3))
            {
                await Task.Delay(100, cancel);
            }

            var accepted = AcceptedAt(smtp);
            var latencies = new List<double>();
            foreach (var ticket in opened)
            {
                var view = await admin.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/v1/tickets/{ticket}", cancel);
                // When the first response fell due: the audit's ClockBreached entry records it (the instant it fell due,
                // not when it was noticed), so the figure includes any lateness in noticing the deadline.
                var breach = view.GetProperty("audit").EnumerateArray().FirstOrDefault(a =>
                    a.GetProperty("kind").GetString() == "ClockBreached"
                    && string.Equals(a.GetProperty("metric").GetString(), "firstResponse", StringComparison.OrdinalIgnoreCase));
                if (breach.ValueKind == System.Text.Json.JsonValueKind.Undefined)
                {
                    Console.WriteLine(Invariant($"  {ticket}: no first-response breach in its audit"));
                    continue;
                }

                if (accepted.TryGetValue(ticket, out var at))
                {
                    latencies.Add((at - DateTimeOffset.Parse(breach.GetProperty("at").GetString()!, CultureInfo.InvariantCulture)).TotalMilliseconds);
                }
            }

            Console.WriteLine(Invariant($"  {accepted.Count:N0} breach emails in the Maildir ({smtp.Messages().Count:N0} messages; first subject: {smtp.Messages().FirstOrDefault()?.Subject})"));
            run.Figure("breach emails accepted / expected", Invariant($"{latencies.Count:N0} / {breaches:N0}"));
            run.Figure("deadline → email accepted by the relay, p50 / p99 / max (goal p99 ≤ 2 s)", Percentiles(latencies));

            // (2) N messages in one queue call, through the product's own Orleans client path.
            await using var probe = await OrleansProbe.ConnectAsync([.. settings, $"--Orleans:GatewayPort={server.GatewayPort}"], cancel);
            var before = smtp.Messages().Count;
            var model = MessageTemplates.Serialize(new EscalationNoticeModel("bench", "BULK", "mail0", "Bulk", "resolution", 100, "P3",
                NodaTime.Instant.FromUtc(2030, 1, 1, 0, 0), NodaTime.Instant.FromUtc(2030, 1, 1, 0, 0), null, []));
            ImmutableArray<OutboundMessage> bulk = [.. Enumerable.Range(0, emails).Select(i => new OutboundMessage(
                $"bench-bulk-{i:D6}", ChannelKind.Email, $"subscriber{i:D6}@example.test", MessageTemplates.EscalationRaised, model, "mail0"))];
            var queueing = Stopwatch.StartNew();
            await probe.Client.GetGrain<IOutboxGrain>(OutboxKeys.Of(ChannelKind.Email)).Queue(bulk);
            var queued = queueing.Elapsed;
            while (smtp.Messages().Count < before + emails && queueing.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(200, cancel);
            }

            var last = queueing.Elapsed;
            run.Figure(Invariant($"{emails:N0} emails: queue call (one insert)"), Invariant($"{queued.TotalMilliseconds:N0} ms"));
            run.Figure(Invariant($"{emails:N0} emails: queue → last accepted by the relay"), Invariant($"{last.TotalSeconds:0.0} s ({smtp.Messages().Count - before:N0} accepted, {(smtp.Messages().Count - before) / last.TotalSeconds:N0}/s)"));
            await server.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>When the relay stored each breach email, by the ticket id in its subject.</summary>
    private static Dictionary<string, DateTimeOffset> AcceptedAt(SmtpSink smtp)
    {
        var accepted = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(smtp.Maildir, "new")))
        {
            var message = MimeKit.MimeMessage.Load(file);
            var ticket = (message.Subject ?? string.Empty).Split(' ').FirstOrDefault(w => w.StartsWith("mail-", StringComparison.Ordinal));
            if (ticket is not null)
            {
                accepted.TryAdd(ticket, new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero));
            }
        }

        return accepted;
    }
}
