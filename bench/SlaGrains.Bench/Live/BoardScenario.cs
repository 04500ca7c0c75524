using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using SlaGrains.Bench.Storage;
using SlaGrains.Testing;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>board</c>: ticket lists from the SQL read model (<c>tickets</c> table) while customers grow, on one server
/// process. Tickets are opened through the API by K concurrent clients until each customer holds the next checkpoint's
/// number of tickets. At each checkpoint, first with no write load and exactly that many tickets, the first customer's
/// board — first page, a filtered page (team and priority), the second page through the cursor, a ticket's detail —
/// p50/p99, and a walk over ten pages checked for distinct ids in list order; then, for a fixed window each, status
/// changes/s (random existing tickets cycling inProgress → onHold → open) and tickets opened/s (those tickets count
/// towards the next checkpoint). After the last checkpoint: GC heap per idle open ticket (idle activations collected,
/// as in <c>clocks</c>) and the store's plain single-row upsert rate with the same number of connections on a separate
/// file (database), for the ratio of status changes to plain upserts.
/// </summary>
/// <remarks>
/// Options: <c>--checkpoints A,B,C</c> tickets per customer (1,000, 100,000, 1,000,000 with one customer;
/// 10,000 with more), <c>--customers C</c> (1), <c>--per-customer N</c> (one checkpoint of N per customer),
/// <c>--clients K</c> (8), <c>--window-seconds S</c> (20), <c>--reads N</c> requests per read figure (400, at most
/// 30 s each), <c>--max-minutes M</c> (60) bounding the filling: when it passes, filling stops, the count reached is
/// measured as a last checkpoint and the run ends (a few minutes later: windows, reads, heap, plain upserts),
/// <c>--stores sqlite[,postgresql]</c> (sqlite). Nothing is asserted: the goals are printed with the measured ratio.
/// </remarks>
internal static class BoardScenario
{
    public static int Run(string[] args) => new LiveRun("board", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var options = BoardOptions.From(run);
        var bound = Stopwatch.GetTimestamp() + (long)(options.MaxMinutes * 60 * Stopwatch.Frequency);
        run.Configure("server", "1 process (silo + API + hub), 127.0.0.1");
        run.Configure("customers", Invariant($"{options.Customers:N0} (the board is customer c0's)"));
        run.Configure("checkpoints (tickets per customer)", string.Join(", ", options.Checkpoints.Select(c => Invariant($"{c:N0}"))));
        run.Configure("tickets", Invariant($"P1–P4 and {BoardRun.Teams} teams in turn, 24x7 (first response 8 h, resolution 24 h), all open; opened as fast as {options.Clients} clients get answers"));
        run.Configure("concurrent HTTP clients", Invariant($"{options.Clients} (writes and reads alike)"));
        run.Configure("at each checkpoint", Invariant($"reads with no writes, {options.Reads:N0} requests per figure (at most 30 s each); then {options.Window.TotalSeconds:0} s of status changes; then {options.Window.TotalSeconds:0} s of opening"));
        run.Configure("bound", Invariant($"filling stops after {options.MaxMinutes:0} min"));
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-board-").FullName;
        try
        {
            if (options.Stores.Contains("sqlite", StringComparer.OrdinalIgnoreCase))
            {
                var plainPath = Path.Combine(directory, "plain.db");
                var board = new BoardRun(run, options, "SQLite (synchronous=FULL)", bound);
                await board.MeasureAsync(directory, ClocksScenario.Settings(directory), () => PlainUpserts.OpenSqlite(plainPath), PlainUpserts.SqliteUpsert);
            }

            if (options.Stores.Contains("postgresql", StringComparer.OrdinalIgnoreCase))
            {
                await using var postgres = new ThrowawayPostgres { Durable = true };
                await postgres.InitializeAsync();
                if (postgres.Unavailable is not null)
                {
                    run.Figure("PostgreSQL", postgres.Unavailable);
                }
                else
                {
                    var connection = await postgres.CreateDatabaseAsync("board");
                    var plain = await postgres.CreateDatabaseAsync("plain");
                    string[] settings = ["--Storage:Provider=postgresql", $"--Storage:ConnectionString={connection}", "--Orleans:ClusterId=bench", "--Orleans:ServiceId=bench"];
                    var board = new BoardRun(run, options, "PostgreSQL (durable)", bound);
                    await board.MeasureAsync(directory, settings, () => PlainUpserts.OpenPostgres(plain), PlainUpserts.PostgresUpsert);
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>The <c>board</c> scenario's options.</summary>
internal sealed record BoardOptions(
    int Clients, int Customers, IReadOnlyList<int> Checkpoints, TimeSpan Window, int Reads, double MaxMinutes, string[] Stores)
{
    public static BoardOptions From(LiveRun run)
    {
        var customers = run.Int("--customers", 1);
        var perCustomer = run.Int("--per-customer", 0);
        IReadOnlyList<int> checkpoints = perCustomer > 0
            ? [perCustomer]
            : [.. run.Text("--checkpoints", customers == 1 ? "1000,100000,1000000" : "10000")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => int.Parse(c, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))
                .Order()];
        return new BoardOptions(
            run.Int("--clients", 8),
            customers,
            checkpoints,
            TimeSpan.FromSeconds(run.Int("--window-seconds", 20)),
            run.Int("--reads", 400),
            run.Int("--max-minutes", 60),
            run.Text("--stores", "sqlite").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}

/// <summary>One store's run: its server, the tickets opened so far (ids <c>t0</c>, <c>t1</c>, … in order), the checkpoints measured.</summary>
internal sealed class BoardRun(LiveRun run, BoardOptions options, string store, long bound)
{
    public const int Teams = 8;
    private const int PageSize = 50;
    private const int WalkPages = 10;
    private const int MaxErrors = 50;
    private const string FilterTeam = "team3";
    private const string FilterPriority = "p2";
    private static readonly string[] Priorities = ["p1", "p2", "p3", "p4"];
    private static readonly string[] StatusCycle = ["inProgress", "onHold", "open"];
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(30);

    private readonly CancellationToken _cancel = Cancelled;
    private readonly List<Checkpoint> _checkpoints = [];
    private readonly List<string> _errors = [];
    private readonly Dictionary<long, int>[] _statusSteps = [.. Enumerable.Range(0, options.Clients).Select(_ => new Dictionary<long, int>())];
    private int _errorCount;
    private long _next;
    private SlaApi? _admin;

    private SlaApi Admin => _admin ?? throw new InvalidOperationException("Not signed in.");

    private string Board => Invariant($"api/v1/tickets?customer=c0&state=open&pageSize={PageSize}");

    // The priority as the enum's member name (P2): the list binds it case-sensitively and answers 400 to p2, the
    // spelling its JSON uses (found by this scenario, 2026-12-05).
    private string Filtered => Invariant($"api/v1/tickets?customer=c0&state=open&team={FilterTeam}&priority={FilterPriority.ToUpperInvariant()}&pageSize={PageSize}");

    public async Task MeasureAsync(string directory, string[] settings, Func<Task<DbConnection>> openPlain, string plainUpsert)
    {
        Console.WriteLine($"  {store}: starting the server...");
        await using var server = await ServerProcess.StartAsync($"server-{store.Split(' ')[0].ToLowerInvariant()}", directory, settings, _cancel);
        using var admin = _admin = await SlaApi.AdminAsync(server, _cancel);
        for (var c = 0; c < options.Customers; c++)
        {
            await admin.CreateCustomerAsync($"c{c}", _cancel);
            await admin.SetTargetsAsync($"c{c}", TimeSpan.FromHours(8), TimeSpan.FromHours(24), _cancel);
        }

        // Warm-up on a customer of its own (not on the board): opening, status changes and the board's reads, so that
        // JIT and first activations are behind the first checkpoint; then idle activations are collected and the
        // baseline heap taken, so that baseline and end are both "idle collected".
        await admin.CreateCustomerAsync("warm", _cancel);
        await admin.SetTargetsAsync("warm", TimeSpan.FromHours(8), TimeSpan.FromHours(24), _cancel);
        await WarmUpAsync();
        await CollectIdleAsync(server, settings);
        var heapBefore = await RemoteGc.SettledHeapBytesAsync(server.Pid, _cancel);
        var rssBefore = server.ResidentBytes();
        Console.WriteLine(Invariant($"  baseline: GC heap {heapBefore / 1048576.0:0.0} MiB, RSS {rssBefore / 1048576.0:0.0} MiB"));

        string? stopped = null;
        foreach (var perCustomer in options.Checkpoints)
        {
            if (Stopwatch.GetTimestamp() >= bound)
            {
                stopped = Invariant($"the {options.MaxMinutes:0}-minute bound passed before filling to {perCustomer:N0} per customer began");
                break;
            }

            var target = (long)perCustomer * options.Customers;
            var from = _next;
            var fill = Stopwatch.StartNew();
            var reached = await FillAsync(target, Invariant($"fill to {perCustomer:N0}"));
            fill.Stop();
            var fillRate = (_next - from) / fill.Elapsed.TotalSeconds;
            if (!reached)
            {
                stopped = Invariant($"the {options.MaxMinutes:0}-minute bound stopped filling at {CustomerTickets(_next):N0} tickets per customer ({_next:N0} in all) of {perCustomer:N0}; filling ran at {fillRate:N0}/s over the last {fill.Elapsed.TotalMinutes:0.0} min");
                Console.WriteLine($"  stopped: {stopped}; measuring there");
            }

            _checkpoints.Add(await CheckpointAsync(reached ? Invariant($"{perCustomer:N0}") : Invariant($"{CustomerTickets(_next):N0} (bound)"), fillRate, fill.Elapsed));
            if (!reached)
            {
                break;
            }
        }

        // Heap per idle open ticket, as clocks measures it: idle activations collected (what the 5-minute age limit does).
        await CollectIdleAsync(server, settings);
        var heapIdle = await RemoteGc.SettledHeapBytesAsync(server.Pid, _cancel);
        var rssIdle = server.ResidentBytes();
        var measured = _next;

        // The yardstick, same run, the server idle: plain upserts on a separate file (database), same connection count.
        var payload = new byte[512];
        Random.Shared.NextBytes(payload);
        // One connection first: it creates the table, which K connections at once would race to do on PostgreSQL.
        var plainOne = await PlainUpserts.Measure(openPlain, plainUpsert, 1, options.Window, payload);
        var plainK = await PlainUpserts.Measure(openPlain, plainUpsert, options.Clients, options.Window, payload);
        await server.StopAsync();

        Report(stopped, measured, heapBefore, heapIdle, rssBefore, rssIdle, plainK, plainOne);
    }

    private async Task WarmUpAsync()
    {
        Console.WriteLine(Invariant($"  warm-up: {options.Window.TotalSeconds / 4:0} s each of opening, status changes and reads (customer 'warm')..."));
        var warm = TimeSpan.FromSeconds(options.Window.TotalSeconds / 4);
        await Throughput.Measure(options.Clients, warm, (worker, i) => CallAsync(
            "warm-up", "POST /api/v1/tickets (warm)", () => Admin.Http.PostAsJsonAsync("api/v1/tickets", new { id = $"w{worker}-{i}", customerId = "warm", priority = "p2", subject = "Warm-up", team = "team3" }, _cancel)));
        await Throughput.Measure(options.Clients, warm, (worker, i) =>
        {
            // Each client cycles its own first ticket, new → inProgress → onHold → open → inProgress …
            var status = StatusCycle[i % StatusCycle.Length];
            return CallAsync("warm-up", $"POST /api/v1/tickets/w{worker}-0/status", () => Admin.Http.PostAsJsonAsync($"api/v1/tickets/w{worker}-0/status", new { status }, _cancel));
        });
        await ReadsAsync("warm-up", options.Reads / 4, _ => "api/v1/tickets?customer=warm&state=open&pageSize=50");
        await ReadsAsync("warm-up", options.Reads / 4, _ => "api/v1/tickets?customer=warm&state=open&team=team3&priority=P2&pageSize=50");
        await ReadsAsync("warm-up", options.Reads / 4, n => Invariant($"api/v1/tickets/w{n % options.Clients}-{n / options.Clients}"));
    }

    /// <summary>Forces the collection of idle activations (what the 5-minute age limit would do) through an external Orleans client, then lets it settle.</summary>
    private async Task CollectIdleAsync(ServerProcess server, string[] settings)
    {
        await using (var probe = await OrleansProbe.ConnectAsync([.. settings, $"--Orleans:GatewayPort={server.GatewayPort}"], _cancel))
        {
            await probe.Management.ForceActivationCollection(TimeSpan.Zero);
        }

        await Task.Delay(TimeSpan.FromSeconds(5), _cancel);
    }

    /// <summary>Opens tickets until <paramref name="target"/> exist or the bound passes; false if the bound stopped it.</summary>
    private async Task<bool> FillAsync(long target, string phase)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(_cancel);
        var progress = Task.Run(
            async () =>
            {
                var last = (Count: _next, At: Stopwatch.GetTimestamp());
                while (!done.Token.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), done.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    var now = (Count: _next, At: Stopwatch.GetTimestamp());
                    var rate = (now.Count - last.Count) / Stopwatch.GetElapsedTime(last.At, now.At).TotalSeconds;
                    Console.WriteLine(Invariant($"  {phase}: {now.Count:N0} tickets ({CustomerTickets(now.Count):N0} per customer), {rate:N0}/s over the last {Stopwatch.GetElapsedTime(last.At, now.At).TotalSeconds:0} s, load {File.ReadAllText("/proc/loadavg").Trim()}"));
                    last = now;
                }
            },
            CancellationToken.None);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(
                async () =>
                {
                    while (Stopwatch.GetTimestamp() < bound && TryClaim(target, out var i))
                    {
                        await OpenAsync(i, phase);
                    }
                },
                _cancel)));
        }
        finally
        {
            await done.CancelAsync();
            await progress;
        }

        return _next >= target;
    }

    private async Task<Checkpoint> CheckpointAsync(string label, double fillRate, TimeSpan fillElapsed)
    {
        // Reads first, with no writes and exactly the checkpoint's tickets: the board's customer's pages and tickets.
        var tickets = _next;
        var customerTickets = CustomerTickets(tickets);
        Console.WriteLine(Invariant($"  checkpoint {label}: {tickets:N0} tickets; reads..."));
        await Task.Delay(TimeSpan.FromSeconds(2), _cancel);
        var first = await ReadsAsync("board first page", options.Reads, _ => Board);
        var filtered = await ReadsAsync("filtered page", options.Reads, _ => Filtered);
        var firstPage = await GetJsonAsync("board first page", Board);
        var cursor = Property(firstPage, "nextCursor")?.GetString();
        var second = cursor is null
            ? new Reads([], TimeSpan.Zero)
            : await ReadsAsync("second page", options.Reads, _ => $"{Board}&cursor={Uri.EscapeDataString(cursor)}");
        var detail = await ReadsAsync("ticket detail", options.Reads, _ => $"api/v1/tickets/t{Random.Shared.NextInt64(customerTickets) * options.Customers}");
        var total = Total(firstPage);
        var filteredTotal = Total(await GetJsonAsync("filtered page", Filtered));
        var walk = await WalkAsync(Board, c => c.Customer == "c0" && c.Open);
        var filteredWalk = await WalkAsync(Filtered, c => c.Customer == "c0" && c.Open && c.Team == FilterTeam && c.Priority == FilterPriority);

        // Then the write windows: status changes (the count stays), then opening, which goes on from where the fill
        // stopped (the window's tickets count towards the next checkpoint).
        Console.WriteLine(Invariant($"  status changes for {options.Window.TotalSeconds:0} s..."));
        var statuses = await Throughput.Measure(options.Clients, options.Window, (worker, _) => ChangeStatusAsync(worker));
        Console.WriteLine(Invariant($"  {statuses.PerSecond:N0} status changes/s; opening for {options.Window.TotalSeconds:0} s..."));
        var opens = await Throughput.Measure(options.Clients, options.Window, async (_, _) =>
        {
            if (TryClaim(long.MaxValue, out var i))
            {
                await OpenAsync(i, "opens window");
            }
        });
        Console.WriteLine(Invariant($"  {opens.PerSecond:N0} opened/s"));

        var checkpoint = new Checkpoint(
            label,
            tickets,
            _next,
            fillRate,
            fillElapsed,
            opens,
            statuses,
            first,
            filtered,
            second,
            detail,
            Invariant($"{total} / {customerTickets:N0}"),
            Invariant($"{filteredTotal} / {FilteredCount(customerTickets):N0}"),
            walk,
            filteredWalk);
        Console.WriteLine();
        Console.WriteLine(Invariant($"  {store}, checkpoint {label} tickets of customer c0:"));
        foreach (var line in Markdown(["figure", "value"], Rows([checkpoint]).Select(r => new[] { r[0], r[1] })))
        {
            Console.WriteLine($"  {line}");
        }

        Console.WriteLine();
        return checkpoint;
    }

    private void Report(string? stopped, long measured, long heapBefore, long heapIdle, long rssBefore, long rssIdle, Throughput plainK, Throughput plainOne)
    {
        var first = _checkpoints[0];
        var last = _checkpoints[^1];
        var s = store;
        run.Table(
            Invariant($"{s}: checkpoints (tickets of customer c0{(options.Customers > 1 ? Invariant($", {options.Customers} customers") : string.Empty)})"),
            ["figure", .. _checkpoints.Select(c => c.Label)],
            Rows(_checkpoints).Append(["status changes/s ÷ plain upserts/s", .. _checkpoints.Select(c => Invariant($"{c.Statuses.PerSecond / plainK.PerSecond:0.00}"))]));
        if (stopped is not null)
        {
            run.Figure($"{s}: stopped", stopped);
        }

        run.Figure($"{s}: open tickets at the end", Invariant($"{_next:N0} ({CustomerTickets(_next):N0} per customer)"));
        run.Figure($"{s}: GC heap per idle open ticket (idle activations collected)", Invariant($"{(heapIdle - heapBefore) / (double)measured / 1024:0.00} KiB"));
        run.Figure($"{s}: server GC heap / RSS, before → idle collected", Invariant($"{heapBefore / 1048576.0:0} → {heapIdle / 1048576.0:0} / {rssBefore / 1048576.0:0} → {rssIdle / 1048576.0:0} MiB"));
        run.Figure($"{s}: plain single-row upserts/s, {options.Clients} / 1 connection(s) (separate file or database, server idle)", Invariant($"{plainK.PerSecond:N0} / {plainOne.PerSecond:N0}"));
        run.Figure($"{s}: server errors and wrong answers", _errorCount == 0 ? "none" : Invariant($"{_errorCount:N0}; first: {string.Join(" || ", _errors)}"));

        string Verdict(bool met) => met ? "met" : "missed";
        if (_checkpoints.Count > 1)
        {
            var opensRatio = last.Opens.PerSecond / first.Opens.PerSecond;
            var statusRatio = last.Statuses.PerSecond / first.Statuses.PerSecond;
            run.Figure(
                Invariant($"{s}: goal opens/s at {last.Label} ≥ 0.8 × at {first.Label}"),
                Invariant($"{opensRatio:0.00} × ({last.Opens.PerSecond:N0} vs {first.Opens.PerSecond:N0}/s) — {Verdict(opensRatio >= 0.8)}"));
            run.Figure(
                Invariant($"{s}: goal status changes/s at {last.Label} ≥ 0.8 × at {first.Label}"),
                Invariant($"{statusRatio:0.00} × ({last.Statuses.PerSecond:N0} vs {first.Statuses.PerSecond:N0}/s) — {Verdict(statusRatio >= 0.8)}"));
        }
        else
        {
            run.Figure($"{s}: goal rates at the largest ≥ 0.8 × at the smallest checkpoint", "n/a (one checkpoint)");
        }

        var boardP99 = last.FirstPage.Percentile(99);
        run.Figure(
            Invariant($"{s}: goal board first page p99 ≤ 50 ms at {last.Label}"),
            Invariant($"{boardP99:0.0} ms = {boardP99 / 50:0.00} × the goal — {Verdict(boardP99 <= 50)}"));
        var plainRatio = last.Statuses.PerSecond / plainK.PerSecond;
        run.Figure(
            Invariant($"{s}: goal status changes/s ≥ 0.5 × plain upserts/s ({options.Clients} connections), at {last.Label}"),
            Invariant($"{plainRatio:0.00} × ({last.Statuses.PerSecond:N0} vs {plainK.PerSecond:N0}/s) — {Verdict(plainRatio >= 0.5)}"));
        var perTicket = (heapIdle - heapBefore) / (double)measured / 1024;
        run.Figure(
            Invariant($"{s}: goal heap per idle open ticket ≤ 1 KiB, at {_next:N0} tickets"),
            Invariant($"{perTicket:0.00} KiB = {perTicket:0.00} × the goal — {Verdict(perTicket <= 1)}"));
    }

    private static IEnumerable<string[]> Rows(IReadOnlyList<Checkpoint> checkpoints)
    {
        string[] Line(string figure, Func<Checkpoint, string> value) => [figure, .. checkpoints.Select(value)];
        yield return Line("tickets, all customers (at the reads)", c => Invariant($"{c.Tickets:N0}"));
        yield return Line("filling up to here, tickets/s (time)", c => Invariant($"{c.FillRate:N0}/s ({c.FillElapsed.TotalSeconds:0} s)"));
        yield return Line("board first page, p50 / p99 (n)", c => c.FirstPage.Text);
        yield return Line(Invariant($"filtered page ({FilterTeam}, {FilterPriority}), p50 / p99 (n)"), c => c.Filtered.Text);
        yield return Line("second page (cursor), p50 / p99 (n)", c => c.SecondPage.Text);
        yield return Line("ticket detail (grain), p50 / p99 (n)", c => c.Detail.Text);
        yield return Line("first page total / tickets of c0", c => c.Total);
        yield return Line("filtered total / expected", c => c.FilteredTotal);
        yield return Line(Invariant($"walk over {WalkPages} pages (board / filtered)"), c => $"{c.Walk} / {c.FilteredWalk}");
        yield return Line("status changes/s (p50 / p99 request)", c => Rate(c.Statuses));
        yield return Line("tickets opened/s (p50 / p99 request)", c => Rate(c.Opens));
        yield return Line("tickets, all customers, after the opening window", c => Invariant($"{c.TicketsAfterOpening:N0}"));
    }

    private static string Rate(Throughput t) => Invariant($"{t.PerSecond:N0}/s ({t.Percentile(50):0.0} / {t.Percentile(99):0.0} ms)");

    private long CustomerTickets(long tickets) => (tickets + options.Customers - 1) / options.Customers;

    /// <summary>How many of the first <paramref name="customerTickets"/> tickets of a customer match the filtered page.</summary>
    private static long FilteredCount(long customerTickets)
    {
        var count = 0L;
        for (var j = 0L; j < customerTickets; j++)
        {
            count += Team(j) == FilterTeam && Priority(j) == FilterPriority ? 1 : 0;
        }

        return count;
    }

    private static string Team(long j) => Invariant($"team{j % Teams}");

    private static string Priority(long j) => Priorities[j / Teams % Priorities.Length];

    private bool TryClaim(long limit, out long index)
    {
        do
        {
            index = Volatile.Read(ref _next);
            if (index >= limit)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _next, index + 1, index) != index);

        return true;
    }

    /// <summary>Ticket <c>t{i}</c> belongs to customer <c>c{i mod C}</c>; its number j = i div C within the customer picks team and priority.</summary>
    private Task<bool> OpenAsync(long i, string phase)
    {
        var j = i / options.Customers;
        var body = new { id = $"t{i}", customerId = $"c{i % options.Customers}", priority = Priority(j), subject = $"Board ticket {i}", requester = "bench@example.com", team = Team(j) };
        return CallAsync(phase, $"POST /api/v1/tickets {JsonSerializer.Serialize(body)}", () => Admin.Http.PostAsJsonAsync("api/v1/tickets", body, _cancel));
    }

    /// <summary>A random ticket of this worker's share (i mod K = worker), moved to the next status of its cycle.</summary>
    private async Task ChangeStatusAsync(int worker)
    {
        var share = (Volatile.Read(ref _next) - worker + options.Clients - 1) / options.Clients;
        var i = worker + (options.Clients * Random.Shared.NextInt64(share));
        var steps = _statusSteps[worker];
        var step = steps.GetValueOrDefault(i);
        var status = StatusCycle[step % StatusCycle.Length];
        if (await CallAsync("status changes window", $"POST /api/v1/tickets/t{i}/status {{\"status\":\"{status}\"}}", () => Admin.Http.PostAsJsonAsync($"api/v1/tickets/t{i}/status", new { status }, _cancel)))
        {
            steps[i] = step + 1;
        }
    }

    private async Task<bool> CallAsync(string phase, string request, Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            var text = await response.Content.ReadAsStringAsync(_cancel);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            Error(phase, request, $"{(int)response.StatusCode} {text}");
        }
        catch (Exception error) when (error is HttpRequestException || (error is TaskCanceledException && !_cancel.IsCancellationRequested))
        {
            Error(phase, request, error.Message);
        }

        return false;
    }

    /// <summary><paramref name="count"/> GETs over K clients (at most 30 s), each timed with its body read; only 2xx answers count (a client stops at its first other answer).</summary>
    private async Task<Reads> ReadsAsync(string phase, int count, Func<int, string> path)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        var latencies = new List<double>[options.Clients];
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(worker => Task.Run(
            async () =>
            {
                var mine = latencies[worker] = [];
                int n;
                while (clock.Elapsed < ReadBound && (n = Interlocked.Increment(ref next)) < count)
                {
                    var target = path(n);
                    var start = Stopwatch.GetTimestamp();
                    if (!await CallAsync(phase, $"GET /{target}", () => Admin.Http.GetAsync(target, _cancel)))
                    {
                        // Recorded; asking the same again would only repeat it.
                        break;
                    }

                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            },
            _cancel)));
        return new Reads([.. latencies.SelectMany(l => l)], clock.Elapsed);
    }

    private async Task<JsonElement?> GetJsonAsync(string phase, string path)
    {
        using var response = await Admin.Http.GetAsync(path, _cancel);
        var text = await response.Content.ReadAsStringAsync(_cancel);
        if (!response.IsSuccessStatusCode)
        {
            Error(phase, $"GET /{path}", $"{(int)response.StatusCode} {text}");
            return null;
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// Follows the cursor over <see cref="WalkPages"/> pages: every id once, in list order (next deadline, none last;
    /// creation; id), every row passing the filter, full pages until the last. Describes the first thing wrong with the
    /// exact request, or what it saw.
    /// </summary>
    private async Task<string> WalkAsync(string path, Func<Row, bool> filter)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Row? previous = null;
        string? cursor = null;
        var pages = 0;
        for (; pages < WalkPages; pages++)
        {
            var request = cursor is null ? path : $"{path}&cursor={Uri.EscapeDataString(cursor)}";
            using var response = await Admin.Http.GetAsync(request, _cancel);
            var text = await response.Content.ReadAsStringAsync(_cancel);
            string Wrong(string what)
            {
                Error("cursor walk", $"GET /{request}", $"{what}; {(int)response.StatusCode} {(text.Length > 600 ? text[..600] + "…" : text)}");
                return Invariant($"wrong on page {pages + 1}: {what}");
            }

            if (!response.IsSuccessStatusCode)
            {
                return Wrong("not 2xx");
            }

            var page = JsonDocument.Parse(text).RootElement;
            var items = page.GetProperty("items").EnumerateArray().Select(Row.From).ToArray();
            cursor = Property(page, "nextCursor")?.GetString();
            if (pages > 0 && Property(page, "total") is { ValueKind: not JsonValueKind.Null })
            {
                return Wrong("a total on a page after the first");
            }

            foreach (var item in items)
            {
                if (!seen.Add(item.Id))
                {
                    return Wrong($"{item.Id} again");
                }

                if (!filter(item))
                {
                    return Wrong($"{item.Id} does not pass the filter ({item.Customer}, {item.Team}, {item.Priority}, open: {item.Open})");
                }

                if (previous is not null && Row.Compare(previous, item) >= 0)
                {
                    return Wrong($"{item.Id} ({item.Deadline}, {item.Created}) after {previous.Id} ({previous.Deadline}, {previous.Created})");
                }

                previous = item;
            }

            if (cursor is not null && items.Length != PageSize)
            {
                return Wrong($"{items.Length} items and a next cursor");
            }

            if (cursor is null)
            {
                pages++;
                break;
            }
        }

        return Invariant($"{seen.Count:N0} distinct, in order ({pages} page{(pages == 1 ? string.Empty : "s")})");
    }

    /// <summary>A first page's <c>total</c>, marked "+ (capped)" when the page says it is not exact (<c>totalIsExact</c>: false).</summary>
    private static string Total(JsonElement? page)
        => Property(page, "total") is { ValueKind: JsonValueKind.Number } total
            ? Invariant($"{total.GetInt64():N0}{(Property(page, "totalIsExact") is { ValueKind: JsonValueKind.False } ? "+ (capped)" : string.Empty)}")
            : "none";

    private static JsonElement? Property(JsonElement? element, string name)
        => element is { } e && e.TryGetProperty(name, out var value) ? value : null;

    private void Error(string phase, string request, string response)
    {
        var count = Interlocked.Increment(ref _errorCount);
        var text = $"[{phase}] {request} → {(response.Length > 600 ? response[..600] + "…" : response)}";
        Console.Error.WriteLine($"  error {count}: {text}");
        lock (_errors)
        {
            if (_errors.Count < 5)
            {
                _errors.Add(text);
            }
        }

        if (count > MaxErrors)
        {
            throw new InvalidOperationException($"More than {MaxErrors} failed requests; the last: {text}");
        }
    }

    /// <summary>What the walk checks of a listed ticket.</summary>
    private sealed record Row(string Id, string Customer, string? Team, string Priority, bool Open, Instant? Deadline, Instant Created)
    {
        public static Row From(JsonElement item)
        {
            var status = item.GetProperty("status").GetString();
            return new Row(
                item.GetProperty("ticketId").GetString()!,
                item.GetProperty("customerId").GetString()!,
                item.GetProperty("team").GetString(),
                item.GetProperty("priority").GetString()!,
                status is not ("resolved" or "closed"),
                item.GetProperty("nextDeadline").GetString() is { } d ? InstantPattern.ExtendedIso.Parse(d).Value : null,
                InstantPattern.ExtendedIso.Parse(item.GetProperty("createdAt").GetString()!).Value);
        }

        /// <summary>List order: next deadline (none last), creation, id (ordinal).</summary>
        public static int Compare(Row a, Row b)
        {
            var byDeadline = (a.Deadline ?? Instant.MaxValue).CompareTo(b.Deadline ?? Instant.MaxValue);
            if (byDeadline != 0)
            {
                return byDeadline;
            }

            var byCreation = a.Created.CompareTo(b.Created);
            return byCreation != 0 ? byCreation : string.CompareOrdinal(a.Id, b.Id);
        }
    }

    /// <summary>Answered reads: latencies (ms) and the time they took.</summary>
    private sealed record Reads(double[] LatenciesMs, TimeSpan Elapsed)
    {
        public double Percentile(double p) => LiveRun.Percentile(LatenciesMs, p);

        public string Text => LatenciesMs.Length == 0
            ? "no answers"
            : Invariant($"{Percentile(50):0.0} / {Percentile(99):0.0} ms ({LatenciesMs.Length:N0})");
    }

    private sealed record Checkpoint(
        string Label,
        long Tickets,
        long TicketsAfterOpening,
        double FillRate,
        TimeSpan FillElapsed,
        Throughput Opens,
        Throughput Statuses,
        Reads FirstPage,
        Reads Filtered,
        Reads SecondPage,
        Reads Detail,
        string Total,
        string FilteredTotal,
        string Walk,
        string FilteredWalk);
}
