using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>Plans, sends and judges the sweep against a seeded world; writes the counts and every failure to the output.</summary>
internal sealed partial class FuzzSweep(FuzzWorld world, ITestOutputHelper output)
{
    private const int Seed = 14;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(60);

    /// <summary>Sends every <paramref name="everyNth"/>-th planned request (at least <paramref name="atLeast"/>) and asserts the outcome.</summary>
    public async Task RunAsync(int everyNth, int atLeast)
    {
        using var document = JsonDocument.Parse(await world.Nobody.GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative)));
        var operations = ApiOperation.From(document);
        var sends = Plan(operations, everyNth);

        var before = await SettledStateAsync();

        var outcomes = new ConcurrentBag<Outcome>();
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (send, _) => outcomes.Add(await Send(send.Request, send.Identity)));
        var changes = ServerState.Differences(before, await ServerState.CaptureAsync(world));

        var report = Report(operations, [.. outcomes], changes, out var failures);
        output.WriteLine(report);
        Assert.True(sends.Count >= atLeast, $"Only {sends.Count} requests were planned.");
        Assert.True(failures == 0, report);
    }

    /// <summary>
    /// The seeded state once it stopped moving: read-model rows are written just after their grain's state, so on a
    /// loaded machine the seeding's last rows (a monitor going down) can land after the sweep began and look like a
    /// change a malformed request made (seen in CI). Two reads half a second apart must agree; if they never do within
    /// <see cref="SettleBound"/>, the comparison would prove nothing.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> SettledStateAsync()
    {
        var state = await ServerState.CaptureAsync(world);
        var deadline = DateTime.UtcNow + SettleBound;
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var again = await ServerState.CaptureAsync(world);
            var moving = ServerState.Differences(state, again);
            if (moving.Count == 0)
            {
                return state;
            }

            Assert.True(DateTime.UtcNow < deadline, "Reads of unchanged state kept differing, so the comparison would prove nothing:\n" + string.Join('\n', moving));
            state = again;
        }
    }

    /// <summary>
    /// Who sends what: the admin every <paramref name="everyNth"/>-th request of each operation (nobody the sign-in and
    /// sign-out), the others a fixed-seed sample of those and each operation's first.
    /// </summary>
    private List<(FuzzRequest Request, string Identity)> Plan(IReadOnlyList<ApiOperation> operations, int everyNth)
    {
        var random = new Random(Seed);
        var sends = new List<(FuzzRequest, string)>();
        foreach (var operation in operations)
        {
            var baseline = Baseline.For(operation, world);
            // Starting a two-factor enrolment takes no input at all, so even a junk request may store a pending secret.
            var signInOrOut = operation.Template.StartsWith("/api/v1/auth/sign-", StringComparison.Ordinal) || operation.Template == "/api/v1/me/two-factor/enrolment";
            var requests = MalformedRequests.For(operation, baseline).Where((_, i) => i % everyNth == 0).ToList();
            for (var i = 0; i < requests.Count; i++)
            {
                // A session never sends sign-in or sign-out: a sign-out would end the session the rest of the sweep uses.
                sends.Add((requests[i], signInOrOut ? "nobody" : "admin"));
                foreach (var (identity, share) in new[] { ("customer user", 0.10), ("customer key", 0.06), ("ingestion key", 0.05), ("nobody", 0.06) })
                {
                    if ((random.NextDouble() < share || i == 0) && !(signInOrOut && identity == "customer user") && !(signInOrOut && identity == "nobody"))
                    {
                        sends.Add((requests[i], identity));
                    }
                }
            }
        }

        return sends;
    }

    private HttpClient Client(string identity) => identity switch
    {
        "admin" => world.Admin.Http,
        "customer user" => world.CustomerUserOfA.Http,
        "customer key" => world.CustomerKeyOfA,
        "ingestion key" => world.IngestionKeyOfA,
        _ => world.Nobody,
    };

    private async Task<Outcome> Send(FuzzRequest request, string identity)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Url, UriKind.Relative));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);

            // A client sending a body that may be too large asks first (RFC 9110 §10.1.1): the server's 413 then comes
            // before the body, instead of racing the upload on a connection the server closes.
            message.Headers.ExpectContinue = request.Body.Length > 1024 * 1024;
            if (request.ContentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            }
        }

        using var patience = new CancellationTokenSource(Patience);
        try
        {
            using var response = await Client(identity).SendAsync(message, patience.Token);
            var body = await response.Content.ReadAsStringAsync(patience.Token);
            var closedByServer = response.Headers.ConnectionClose == true && body.Length == 0 && response.Content.Headers.ContentType is null;
            return new Outcome(request, identity, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, closedByServer);
        }
        catch (OperationCanceledException)
        {
            return new Outcome(request, identity, 0, null, $"no answer within {Patience.TotalSeconds:0} s", false);
        }
        catch (HttpRequestException error)
        {
            return new Outcome(request, identity, -1, null, $"connection failed: {error.Message}", false);
        }
    }

    private static string Report(IReadOnlyList<ApiOperation> operations, IReadOnlyList<Outcome> outcomes, IReadOnlyList<string> changes, out int failures)
    {
        var text = new StringBuilder();
        text.AppendLine($"Malformed-request sweep (seed {Seed}): {outcomes.Count} requests over {operations.Count} operations.");
        text.AppendLine("Per operation (admin / customer user / customer key / ingestion key / nobody):");
        foreach (var operation in operations)
        {
            var mine = outcomes.Where(o => o.Request.Operation == operation.Name).ToList();
            var counts = string.Join(" / ", new[] { "admin", "customer user", "customer key", "ingestion key", "nobody" }.Select(i => mine.Count(o => o.Identity == i)));
            text.AppendLine($"  {mine.Count,5}  {operation.Name}  ({counts})");
        }

        text.AppendLine("By status: " + string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} × {g.Count()}")));
        var kestrel = outcomes.Where(o => o.ClosedByKestrel).ToList();
        text.AppendLine($"Refused by Kestrel before the app (empty {string.Join("/", kestrel.Select(o => o.Status).Distinct())}, connection closed; no problem details possible there): {kestrel.Count}");
        foreach (var group in kestrel.GroupBy(o => o.Request.What.Split(" = ")[0]).Take(10))
        {
            text.AppendLine($"    {group.Count(),4} × {group.Key} (e.g. {group.First().Request.Method} {Shorten(group.First().Request.Url, 120)})");
        }

        failures = 0;
        failures += Section(text, "Operations no request reached (no baseline to break)", [], operations.Where(o => !outcomes.Any(x => x.Request.Operation == o.Name)).Select(o => o.Name));
        failures += Section(text, "5xx answers", outcomes.Where(o => o.Status >= 500));
        failures += Section(text, "No answer", outcomes.Where(o => o.Status <= 0));
        failures += Section(text, "4xx that is not application/problem+json", outcomes.Where(o => o.Status is >= 400 and < 500 && !o.ClosedByKestrel && o.MediaType != "application/problem+json"));
        failures += Section(text, "4xx whose problem names internals (types, exceptions)", outcomes.Where(o => o.Status is >= 400 and < 500 && Internals().IsMatch(o.Body)));
        failures += Section(text, "Accepted (2xx/3xx) — a bound is missing", outcomes.Where(o => o.Status is >= 200 and < 400 && !o.Request.MayBeAccepted));
        var unnamed = outcomes.Where(o => o.Status == 400 && o.MediaType == "application/problem+json" && !o.Body.Contains("\"errors\"", StringComparison.Ordinal)).ToList();
        text.AppendLine($"(For information) 400s without field errors: {unnamed.Count}");
        foreach (var group in unnamed.GroupBy(o => o.Request.Operation).Take(15))
        {
            text.AppendLine($"    {group.Count(),4} × {group.Key}, e.g. {group.First().Request.What}: {Shorten(group.First().Body, 160)}");
        }

        text.AppendLine($"State changes: {changes.Count}");
        foreach (var change in changes)
        {
            text.AppendLine("  " + change);
        }

        failures += changes.Count;
        return text.ToString();
    }

    /// <summary>Writes a failure section grouped by operation and status, with examples; returns how many there were.</summary>
    private static int Section(StringBuilder text, string title, IEnumerable<Outcome> offenders, IEnumerable<string>? names = null)
    {
        if (names is not null)
        {
            var missing = names.ToList();
            text.AppendLine($"{title}: {missing.Count}" + string.Concat(missing.Select(m => $"\n  {m}")));
            return missing.Count;
        }

        var list = offenders.ToList();
        text.AppendLine($"{title}: {list.Count}");
        foreach (var group in list.GroupBy(o => (o.Request.Operation, o.Status)).OrderBy(g => g.Key.Operation, StringComparer.Ordinal))
        {
            text.AppendLine($"  {group.Key.Operation} → {group.Key.Status}: {group.Count()}");
            foreach (var example in group.DistinctBy(o => o.Request.What).Take(8))
            {
                text.AppendLine($"      [{example.Identity}] {example.Request.What}  ⇒ {example.MediaType ?? "no content type"} {Shorten(example.Body, 200)}");
            }
        }

        return list.Count;
    }

    private static string Shorten(string text, int length)
    {
        var clean = Regex.Replace(text, @"\p{Cc}", "·");
        return clean.Length > length ? $"{clean[..length]}…" : clean;
    }

    [GeneratedRegex(@"System\.|Microsoft\.|SlaGrains\.|Nullable<|Exception|\bat [A-Z]\w+\.")]
    private static partial Regex Internals();

    private sealed record Outcome(FuzzRequest Request, string Identity, int Status, string? MediaType, string Body, bool ClosedByKestrel);
}
