using System.Globalization;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Slis;

namespace SlaGrains.Application.OpenSlo;

/// <summary>One window pair of the multi-window, multi-burn-rate alerts (Google SRE workbook, table 5-8).</summary>
/// <param name="Long">The long window.</param>
/// <param name="Short">The short window (it lets the alert reset soon after the burning stops).</param>
/// <param name="Factor">The burn rate both windows must reach.</param>
/// <param name="Severity">page or ticket.</param>
/// <param name="For">How long the condition must hold before the alert fires.</param>
public sealed record BurnWindow(string Long, string Short, decimal Factor, string Severity, string For);

/// <summary>
/// Prometheus recording and alerting rules for one SLO (<c>GET /api/v1/slos/{id}/prometheus-rules</c>). The id is
/// <c>monitor:{monitorId}</c> (availability), <c>latency:{monitorId}</c> (latency SLO) or <c>sli:{sliId}</c> (request
/// SLI). The error ratio over a window comes from the metrics SlaGrains exports at <c>/metrics</c>:
/// <list type="bullet">
/// <item>availability: <c>slagrains_monitor_checks_total{monitor, result="up"|"down"}</c> — each check stands for its
/// probe interval, so down checks ÷ checks is the time-slice error ratio;</item>
/// <item>latency: <c>slagrains_monitor_latency_checks_total{monitor, outcome="good"|"bad"}</c>;</item>
/// <item>request SLI: the Prometheus queries its OpenSLO <c>ratioMetric</c> gave (a query may hold Sloth's
/// <c>{{.window}}</c>; otherwise it is read as a counter, <c>sum(rate((query)[window:]))</c>), else
/// <c>slagrains_sli_events_total{sli, outcome="good"|"bad"}</c>.</item>
/// </list>
/// </summary>
[ApplicationService]
public sealed class PrometheusRules(IGrainFactory grains, SlaGrains.Application.Customers.CustomerDirectory directory)
{
    /// <summary>The SRE workbook's four alerts: 14.4× over 1h/5m and 6× over 6h/30m page; 3× over 1d/2h and 1× over 3d/6h open a ticket.</summary>
    public static IReadOnlyList<BurnWindow> Windows { get; } =
    [
        new("1h", "5m", 14.4m, "page", "2m"),
        new("6h", "30m", 6m, "page", "15m"),
        new("1d", "2h", 3m, "ticket", "1h"),
        new("3d", "6h", 1m, "ticket", "3h"),
    ];

    /// <summary>The rule file for SLO <paramref name="sloId"/> (staff).</summary>
    public async Task<Result<string>> For(Caller caller, string sloId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Failure.Forbidden("Staff read alerting rules.");
        }

        var parts = (sloId ?? string.Empty).Split(':', 2);
        if (parts.Length != 2 || !Bounds.IsId(parts[1]))
        {
            return Failure.Invalid("id", "An SLO id is monitor:{monitorId}, latency:{monitorId} or sli:{sliId}.");
        }

        var id = parts[1];
        string objectiveText;
        decimal objective;
        Func<string, string> errorRatio;
        switch (parts[0])
        {
            case "monitor" or "latency":
                if (await grains.GetGrain<IMonitorGrain>(id).Get() is not { } monitor || await directory.FindAsync(caller, monitor.Settings.CustomerId) is null)
                {
                    return Failure.NotFound($"Monitor '{id}'");
                }

                if (parts[0] == "monitor")
                {
                    objective = monitor.Settings.SloPercent;
                    errorRatio = w => $"sum(rate(slagrains_monitor_checks_total{{monitor=\"{id}\",result=\"down\"}}[{w}])) / sum(rate(slagrains_monitor_checks_total{{monitor=\"{id}\"}}[{w}]))";
                }
                else if (monitor.Settings.Latency is { } latency)
                {
                    objective = latency.ObjectivePercent;
                    errorRatio = w => $"sum(rate(slagrains_monitor_latency_checks_total{{monitor=\"{id}\",outcome=\"bad\"}}[{w}])) / sum(rate(slagrains_monitor_latency_checks_total{{monitor=\"{id}\"}}[{w}]))";
                }
                else
                {
                    return Failure.NotFound($"A latency SLO on monitor '{id}'");
                }

                break;
            case "sli":
                if (await grains.GetGrain<ISliGrain>(id).Get() is not { } sli || await directory.FindAsync(caller, sli.Settings.CustomerId) is null)
                {
                    return Failure.NotFound($"SLI '{id}'");
                }

                objective = sli.Settings.ObjectivePercent;
                var s = sli.Settings;
                errorRatio = s.TotalQuery is { } total && (s.GoodQuery ?? s.BadQuery) is not null
                    ? w => s.GoodQuery is { } good
                        ? $"1 - (({Counter(good, w)}) / ({Counter(total, w)}))"
                        : $"({Counter(s.BadQuery!, w)}) / ({Counter(total, w)})"
                    : w => $"sum(rate(slagrains_sli_events_total{{sli=\"{id}\",outcome=\"bad\"}}[{w}])) / sum(rate(slagrains_sli_events_total{{sli=\"{id}\"}}[{w}]))";
                break;
            default:
                return Failure.Invalid("id", "An SLO id is monitor:{monitorId}, latency:{monitorId} or sli:{sliId}.");
        }

        objectiveText = OpenSloYaml.Normal(objective).ToString(CultureInfo.InvariantCulture);
        return Write(sloId!, objective, objectiveText, errorRatio);
    }

    /// <summary>A query read as a counter over the window: Sloth's <c>{{.window}}</c> filled in, else a subquery's rate.</summary>
    private static string Counter(string query, string window)
        => query.Contains("{{.window}}", StringComparison.Ordinal)
            ? query.Replace("{{.window}}", window, StringComparison.Ordinal)
            : $"sum(rate(({query})[{window}:]))";

    private static string Write(string sloId, decimal objectivePercent, string objectiveText, Func<string, string> errorRatio)
    {
        var budget = OpenSloYaml.Normal(1m - (objectivePercent / 100m));
        var windows = Windows.SelectMany(w => new[] { w.Long, w.Short }).Distinct().OrderBy(Seconds).ToList();
        var labels = new Dictionary<string, object> { ["slo"] = sloId };
        var rules = new List<object>();
        foreach (var window in windows)
        {
            rules.Add(new Dictionary<string, object>
            {
                ["record"] = $"slagrains_slo:error_ratio:rate{window}",
                ["expr"] = errorRatio(window),
                ["labels"] = labels,
            });
        }

        foreach (var w in Windows)
        {
            var threshold = OpenSloYaml.Normal(w.Factor * budget).ToString(CultureInfo.InvariantCulture);
            rules.Add(new Dictionary<string, object>
            {
                ["alert"] = $"SlaGrainsErrorBudgetBurn{(w.Severity == "page" ? "Page" : "Ticket")}{w.Long}",
                ["expr"] = $"slagrains_slo:error_ratio:rate{w.Long}{{slo=\"{sloId}\"}} > {threshold} and slagrains_slo:error_ratio:rate{w.Short}{{slo=\"{sloId}\"}} > {threshold}",
                ["for"] = w.For,
                ["labels"] = new Dictionary<string, object> { ["severity"] = w.Severity, ["slo"] = sloId },
                ["annotations"] = new Dictionary<string, object>
                {
                    ["summary"] = $"{sloId} burns its error budget at {w.Factor.ToString(CultureInfo.InvariantCulture)}× or more (objective {objectiveText} %)",
                    ["description"] = $"Error ratio over {w.Long} and over {w.Short} both above {threshold} ({w.Factor.ToString(CultureInfo.InvariantCulture)} × the budget {budget.ToString(CultureInfo.InvariantCulture)}).",
                },
            });
        }

        var file = new Dictionary<string, object>
        {
            ["groups"] = new List<object> { new Dictionary<string, object> { ["name"] = $"slagrains-slo-{sloId.Replace(':', '-')}", ["rules"] = rules } },
        };
        return new YamlDotNet.Serialization.SerializerBuilder().DisableAliases().Build().Serialize(file);
    }

    private static long Seconds(string shorthand)
        => OpenSloFormat.TryShorthand(shorthand, out _, out _, out var duration) ? (long)duration!.Value.TotalSeconds : 0;
}
