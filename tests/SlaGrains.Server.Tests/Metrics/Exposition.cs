using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace SlaGrains.Server.Tests.Metrics;

/// <summary>A scrape of <c>/metrics</c> read as Prometheus text: samples by name and labels.</summary>
internal sealed partial class Exposition(string text)
{
    public string Text { get; } = text;

    /// <summary>Reads <c>/metrics</c> with <paramref name="client"/>; fails unless it is 200 text/plain.</summary>
    public static async Task<Exposition> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new Exposition(text);
    }

    /// <summary>The metric families (names of <c># TYPE</c> lines).</summary>
    public IReadOnlySet<string> Families => Text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
        .Select(l => l.Split(' ')[2]).ToHashSet(StringComparer.Ordinal);

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Label, string Value)[] labels)
    {
        var sum = 0.0;
        foreach (var line in Text.Split('\n'))
        {
            var match = Sample().Match(line);
            if (!match.Success || match.Groups["name"].Value != name)
            {
                continue;
            }

            var found = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            if (labels.All(l => found.TryGetValue(l.Label, out var v) && v == l.Value))
            {
                sum += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}

/// <summary>
/// Debian's <c>promtool</c> (package <c>prometheus</c>), which checks an exposition as Prometheus itself would parse and
/// lint it. Missing, the tests that need it skip, saying so; under CI=true they fail instead.
/// </summary>
internal static class Promtool
{
    public const string Path = "/usr/bin/promtool";

    /// <summary>Why promtool cannot run here; null when it can.</summary>
    public static string? Unavailable { get; } = Check();

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="exposition"/>: its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        using var process = Process.Start(new ProcessStartInfo(Path, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    private static string? Check()
    {
        if (File.Exists(Path))
        {
            return null;
        }

        var reason = $"{Path} is missing: install Debian's prometheus package (apt-get install --no-install-recommends prometheus) to check /metrics.";
        return string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException(reason + " CI=true: the metrics tests must run.")
            : reason;
    }
}
