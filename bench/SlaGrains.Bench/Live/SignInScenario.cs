using System.Diagnostics;
using System.Net.Http.Json;
using static SlaGrains.Bench.Live.LiveRun;

namespace SlaGrains.Bench.Live;

/// <summary>
/// <c>signin</c>: how long a wrong sign-in takes for a name that exists and for one that does not (user enumeration
/// by timing), and a right one; sequential requests, interleaved, against a server whose rate limits are raised so
/// that only the password check and the failure count are measured. Each real user gets at most 4 wrong attempts, so
/// no delay is reached. Options: <c>--users N</c> (25), <c>--rounds R</c> (4 wrong attempts per user, at most 4).
/// </summary>
internal static class SignInScenario
{
    public static int Run(string[] args) => new LiveRun("signin", args).Execute(RunAsync);

    private static async Task RunAsync(LiveRun run)
    {
        var users = run.Int("--users", 25);
        var rounds = Math.Clamp(run.Int("--rounds", 4), 1, 4);
        run.Configure("server", "1 process (silo + API + hub), SQLite, 127.0.0.1; sign-in rate limits raised to 100,000/min");
        run.Configure("samples", Invariant($"{users} real users × {rounds} wrong passwords, as many unknown names, {users} right passwords; sequential, interleaved"));
        var directory = Directory.CreateTempSubdirectory("slagrains-bench-signin-").FullName;
        try
        {
            var cancel = Cancelled;
            string[] settings = [.. ClocksScenario.Settings(directory), "--SignIn:PerAddressPerMinute=100000", "--SignIn:PerUserNamePerMinute=100000"];
            await using var server = await ServerProcess.StartAsync("server", directory, settings, cancel);
            using (var admin = await SlaApi.AdminAsync(server, cancel))
            {
                for (var u = 0; u < users; u++)
                {
                    await admin.CreateUserAsync($"real-{u}", $"real-{u}-password", "technician", null, cancel);
                }
            }

            // No cookie jar: each attempt is a fresh, anonymous sign-in.
            using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };
            async Task<(double Ms, int Status)> Attempt(string userName, string password)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.PostAsJsonAsync("api/v1/auth/sign-in", new { userName, password }, cancel);
                await response.Content.ReadAsByteArrayAsync(cancel);
                return (watch.Elapsed.TotalMilliseconds, (int)response.StatusCode);
            }

            // Warm-up: the first requests pay for JIT and activations.
            for (var w = 0; w < 3; w++)
            {
                await Attempt("warm-up-name", "not-the-password");
            }

            var (known, unknown, right) = (new List<double>(), new List<double>(), new List<double>());
            var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var r = 0; r < rounds; r++)
            {
                for (var u = 0; u < users; u++)
                {
                    var k = await Attempt($"real-{u}", "not-the-password");
                    var n = await Attempt($"nobody-{r}-{u}", "not-the-password");
                    known.Add(k.Ms);
                    unknown.Add(n.Ms);
                    statuses[$"known {k.Status}"] = statuses.GetValueOrDefault($"known {k.Status}") + 1;
                    statuses[$"unknown {n.Status}"] = statuses.GetValueOrDefault($"unknown {n.Status}") + 1;
                }
            }

            for (var u = 0; u < users; u++)
            {
                var ok = await Attempt($"real-{u}", $"real-{u}-password");
                right.Add(ok.Ms);
                statuses[$"right {ok.Status}"] = statuses.GetValueOrDefault($"right {ok.Status}") + 1;
            }

            run.Figure("wrong password, existing name (p50 / p99 / max)", Percentiles(known));
            run.Figure("wrong password, unknown name (p50 / p99 / max)", Percentiles(unknown));
            run.Figure("right password (p50 / p99 / max)", Percentiles(right));
            run.Figure("median difference existing − unknown", Invariant($"{Percentile(known, 50) - Percentile(unknown, 50):0.0} ms"));
            run.Figure("answers", string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {s.Value}")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
