using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>tools</c>: the worst requests the anonymous what-if tools still accept, timed end to end (HTTP on loopback,
/// JSON, validation, calculation) against one server process: every list at its bound, every span at 10 years, the
/// densest calendar in zones with many offset changes, the sparsest starting in 1900 (the farthest from the 2200
/// horizon the business-time tool measures to), each body filled up to the 64 KB anonymous limit. Options:
/// <c>--runs N</c> (50). Goal: the slowest accepted request ≤ 100 ms. A request the server refuses measures nothing:
/// the bench then fails, naming it (the bounds moved and the bench must follow).
/// </summary>
internal static class ToolsScenario
{
    private const int BodyLimit = 64 * 1024;
    private const int Pauses = 500;
    private const int Holidays = 400;
    private const int SpecialDays = 400;
    private const int IntervalsPerDay = 8;
    private const int TenYearsInDays = 3_652;

    /// <summary>Runs before measuring: enough for the JIT's second tier, whose compiling would otherwise count.</summary>
    private const int WarmUp = 40;

    public static int Run(string[] args) => new LiveRun("tools", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var runs = run.Int("--runs", 50);
        var goal = TimeSpan.FromMilliseconds(100);
        var cancel = Cancelled;
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-tools-").FullName;
        try
        {
            run.Configure("server", "1 process (silo + API + hub), SQLite, 127.0.0.1; tools rate limit raised for the bench");
            run.Configure("runs", Invariant($"{runs} per request after {WarmUp} warm-up runs, one at a time"));
            run.Configure("bounds", Invariant($"{Pauses} pauses, {Holidays} holidays, {SpecialDays} special dates, {IntervalsPerDay} intervals a day, 10-year spans, {BodyLimit / 1024} KB bodies"));
            await using var server = await ServerProcess.StartAsync(
                "server", directory, [.. ClocksScenario.Settings(directory), "--RateLimits:Tools:PermitsPerMinute=1000000"], cancel);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            var requests = new (string Name, string Tool, string Body)[]
            {
                ("business-time, America/New_York, dense, from 2000", "business-time", BusinessTime("America/New_York", dense: true)),
                ("business-time, Africa/Casablanca, dense, from 2000", "business-time", BusinessTime("Africa/Casablanca", dense: true)),
                ("business-time, America/New_York, 1 min a week, from 1900, not used up before 2200", "business-time", BusinessTime("America/New_York", dense: false)),
                ("availability, 10 years, downtime and maintenance to 64 KB", "availability", Availability()),
                ("credit, 50 schedule rows", "credit", Credit()),
            };

            var rows = new List<string[]>();
            var refusals = new List<string>();
            var worstAccepted = 0.0;
            var worstMedian = 0.0;
            var worstCpu = 0.0;
            foreach (var (name, tool, body) in requests)
            {
                var times = new List<double>();
                var status = HttpStatusCode.OK;
                var answer = string.Empty;
                var cpuBefore = 0.0;
                for (var i = 0; i < runs + WarmUp; i++)
                {
                    if (i == WarmUp)
                    {
                        cpuBefore = CpuMilliseconds(server.Pid);
                    }

                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    var started = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsync(new Uri($"api/v1/tools/{tool}", UriKind.Relative), content, cancel);
                    var bytes = await response.Content.ReadAsByteArrayAsync(cancel);
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    status = response.StatusCode;
                    answer = status == HttpStatusCode.OK ? string.Empty : Encoding.UTF8.GetString(bytes);
                    if (i >= WarmUp)
                    {
                        times.Add(elapsed);
                    }
                }

                var cpu = (CpuMilliseconds(server.Pid) - cpuBefore) / runs;
                // Answered after the work: a result, or the business-time tool's computed "not used up before 2200".
                var answered = status == HttpStatusCode.OK || answer.Contains("is not used up before", StringComparison.Ordinal);
                if (answered)
                {
                    worstAccepted = Math.Max(worstAccepted, times.Max());
                    worstMedian = Math.Max(worstMedian, Percentile(times, 50));
                    worstCpu = Math.Max(worstCpu, cpu);
                }

                if (!answered)
                {
                    refusals.Add($"{name}: {(int)status} {answer[..Math.Min(answer.Length, 400)]}");
                }

                rows.Add([name, Invariant($"{Encoding.UTF8.GetByteCount(body):N0}"), Invariant($"{(int)status}"), Invariant($"{Percentile(times, 50):0.0}"), Invariant($"{times.Max():0.0}"), Invariant($"{cpu:0.0}")]);
            }

            run.Table("Worst requests within the bounds (ms; CPU = server process CPU time per request, all threads)", ["request", "body bytes", "status", "median", "max", "CPU"], rows);
            if (refusals.Count > 0)
            {
                throw new InvalidOperationException($"Not accepted, so not a worst accepted request: {string.Join("; ", refusals)}");
            }

            run.Figure("slowest request within the bounds: median / max of its runs", Invariant($"{worstMedian:0.0} / {worstAccepted:0.0} ms (goal ≤ {goal.TotalMilliseconds:0} ms: median {(worstMedian <= goal.TotalMilliseconds ? "met" : "MISSED")}, max {(worstAccepted <= goal.TotalMilliseconds ? "met" : "MISSED")})"));
            run.Figure("most server CPU time per request within the bounds", Invariant($"{worstCpu:0.0} ms"));
            await server.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// A business-time question at every bound: 10 years from the start, add 10 years, 400 holidays, 500 pauses, 8
    /// intervals on each day (or one minute a week), and special dates (8 intervals each) until the body is 64 KB.
    /// Calendar dates are 2000–2099 (the input bounds), so a dense calendar starts in 2000 with its holidays and special
    /// dates inside the span; the sparse one starts in 1900, where its due search runs longest to the 2200 horizon.
    /// </summary>
    private static string BusinessTime(string zone, bool dense)
    {
        var start = new DateTime(dense ? 2000 : 1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var dates = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var text = new StringBuilder();
        // The sparse calendar holds a few thousand business hours before the horizon (16 h on each special date, a minute
        // each Monday): 10 years of business time are never used up, so its due search walks every week from 1900 to
        // 2200 before answering so (a 400 on add, computed, not a bound: the most work one request can ask for).
        var add = $"P{TenYearsInDays}D";
        text.Append(CultureInfo.InvariantCulture, $"{{\"start\":\"{Instant(start)}\",\"add\":\"{add}\",\"until\":\"{Instant(start.AddDays(TenYearsInDays))}\",\"pauses\":[");
        for (var p = 0; p < Pauses; p++)
        {
            var from = start.AddHours(p * (TenYearsInDays * 24.0 / Pauses) + 7.5);
            text.Append(p == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"start\":\"{Instant(from)}\",\"end\":\"{Instant(from.AddHours(3))}\"}}");
        }

        text.Append(CultureInfo.InvariantCulture, $"],\"calendar\":{{\"timeZone\":\"{zone}\",\"weeklyHours\":{{");
        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        text.Append(dense
            ? string.Join(",", days.Select(d => $"\"{d}\":{Hours()}"))
            : "\"monday\":[{\"start\":\"09:00\",\"end\":\"09:01\"}]");
        text.Append("},\"holidays\":[");
        for (var h = 0; h < Holidays; h++)
        {
            text.Append(h == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"\"{dates.AddDays(3 + (h * 9)):yyyy-MM-dd}\"");
        }

        text.Append("],\"specialHours\":[");
        var tail = "]}}";
        for (var s = 0; s < SpecialDays; s++)
        {
            var entry = $"{(s == 0 ? "" : ",")}{{\"date\":\"{dates.AddDays(7 + (s * 9)):yyyy-MM-dd}\",\"hours\":{Hours()}}}";
            if (text.Length + entry.Length + tail.Length > BodyLimit)
            {
                break;
            }

            text.Append(entry);
        }

        return text.Append(tail).ToString();
    }

    /// <summary>Eight two-hour intervals: 00:00–02:00, 03:00–05:00, … 21:00–23:00.</summary>
    private static string Hours()
        => "[" + string.Join(",", Enumerable.Range(0, IntervalsPerDay).Select(i => Invariant($"{{\"start\":\"{i * 3:00}:00\",\"end\":\"{(i * 3) + 2:00}:00\"}}"))) + "]";

    /// <summary>10 years, downtime and maintenance windows (half each) until the body is 64 KB.</summary>
    private static string Availability()
    {
        var start = new DateTime(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{{\"periodStart\":\"{Instant(start)}\",\"periodEnd\":\"{Instant(start.AddDays(TenYearsInDays))}\",\"targetPercent\":99.9,\"maintenanceNoticeHours\":48,\"downtime\":[");
        for (var d = 0; d < 1_000 && text.Length < BodyLimit / 2; d++)
        {
            var from = start.AddHours(d * 61.3);
            text.Append(d == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"start\":\"{Instant(from)}\",\"end\":\"{Instant(from.AddMinutes(90))}\"}}");
        }

        text.Append("],\"maintenance\":[");
        var tail = "]}";
        for (var m = 0; m < 500; m++)
        {
            var from = start.AddHours(m * 150.7);
            var entry = $"{(m == 0 ? "" : ",")}{{\"start\":\"{Instant(from)}\",\"end\":\"{Instant(from.AddHours(2))}\",\"announcedAt\":\"{Instant(from.AddHours(-m % 96))}\"}}";
            if (text.Length + entry.Length + tail.Length > BodyLimit)
            {
                break;
            }

            text.Append(entry);
        }

        return text.Append(tail).ToString();
    }

    /// <summary>50 progressive rows covering 0 % to 100 %.</summary>
    private static string Credit()
    {
        var rows = Enumerable.Range(0, 50).Select(i => Invariant($"{{\"minPercent\":{i * 2},\"maxPercent\":{(i * 2) + 2},\"creditPercent\":{50 - i}}}"));
        return $"{{\"availabilityPercent\":99.5,\"targetPercent\":99.9,\"monthlyFee\":1000.0,\"capPercent\":50,\"schedule\":[{string.Join(",", rows)}]}}";
    }

    /// <summary>utime + stime of the process from /proc/PID/stat, in milliseconds (clock ticks of 10 ms).</summary>
    private static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
