using SlaGrains.Application.Slis;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Slis;

namespace SlaGrains.Application.OpenSlo;

/// <summary>What one uploaded SLO asks for, once its document is valid on its own.</summary>
internal abstract record PlannedSlo(int Document, string Name)
{
    /// <summary>Where its customer is named (for the checks against what exists).</summary>
    public string ServicePath { get; init; } = string.Empty;

    /// <summary>The customer named by <c>spec.service</c>, if any.</summary>
    public string? Service { get; init; }

    /// <summary>The window's zone when it is a calendar month (checked against the customer's), and where it was given.</summary>
    public (string? Zone, string Path) CalendarZone { get; init; }
}

/// <summary>A monitor's availability objective.</summary>
internal sealed record PlannedAvailability(int Document, string Name, string MonitorId, string MonitorPath, decimal Percent) : PlannedSlo(Document, Name);

/// <summary>A monitor's latency SLO.</summary>
internal sealed record PlannedLatency(int Document, string Name, string MonitorId, string MonitorPath, int ThresholdMs, decimal Percent) : PlannedSlo(Document, Name);

/// <summary>A request SLI.</summary>
internal sealed record PlannedSli(int Document, string Name, string DisplayName, decimal Percent, SliWindowInput Window, SliQueries Queries) : PlannedSlo(Document, Name);

/// <summary>A contract's targets, which an import only checks.</summary>
internal sealed record PlannedAgreement(int Document, string Name, string CustomerId, string CustomerPath, decimal SlaPercent, string SlaPath, decimal SloPercent, string SloPath)
    : PlannedSlo(Document, Name);

/// <summary>
/// Reads uploaded OpenSLO v1 documents into planned SLOs, checking everything a document can say by itself; the
/// application checks the rest (customers, monitors, zones) before changing anything. Errors are keyed by
/// <c>documents[i].field.path</c> and say the document's <c>metadata.name</c>.
/// </summary>
internal sealed class OpenSloImport
{
    private static readonly string[] Kinds = ["Service", "SLI", "SLO", "AlertPolicy", "AlertCondition", "DataSource", "AlertNotificationTarget"];
    private readonly InputErrors _errors;
    private readonly List<(int Index, YamlAt Root, string Kind, string Name)> _documents = [];

    private OpenSloImport(InputErrors errors) => _errors = errors;

    /// <summary>The planned SLOs, the Service names (customers) and the documents that change nothing by themselves.</summary>
    public List<PlannedSlo> Slos { get; } = [];

    /// <summary>Services: (document, name path, customer id).</summary>
    public List<(int Document, string Path, string CustomerId)> Services { get; } = [];

    /// <summary>Documents accepted that change nothing: (document, kind, name, why).</summary>
    public List<(int Document, string Kind, string Name, string Why)> Passive { get; } = [];

    /// <summary>Reads <paramref name="documents"/>; the errors say what is wrong with them.</summary>
    public static OpenSloImport Read(IReadOnlyList<YamlAt> documents, InputErrors errors)
    {
        var import = new OpenSloImport(errors);
        import.ReadAll(documents);
        return import;
    }

    private string Where(int index) => _documents.FirstOrDefault(d => d.Index == index) is { Root.Node: not null } d ? $"(document {index}, '{d.Name}') " : $"(document {index}) ";

    private void Error(int index, string path, string message) => _errors.Add(path, Where(index) + message);

    private void ReadAll(IReadOnlyList<YamlAt> documents)
    {
        for (var i = 0; i < documents.Count; i++)
        {
            var root = documents[i];
            var name = root["metadata"]["name"].Text ?? string.Empty;
            var kind = root["kind"].Text ?? string.Empty;
            _documents.Add((i, root, kind, name));
            if (root.Map is null)
            {
                _errors.Add(root.Path, $"(document {i}) An OpenSLO document is a mapping: apiVersion, kind, metadata, spec.");
                continue;
            }

            if (root["apiVersion"].Text != OpenSloFormat.ApiVersion)
            {
                Error(i, root["apiVersion"].Path, $"apiVersion is \"{OpenSloFormat.ApiVersion}\".");
            }

            if (!Kinds.Contains(kind, StringComparer.Ordinal))
            {
                Error(i, root["kind"].Path, $"kind is one of {string.Join(", ", Kinds)}.");
            }

            if (name.Length is 0 or > 253 || !Bounds.IsPrintable(name))
            {
                Error(i, root["metadata"]["name"].Path, "metadata.name is required: 1–253 printable characters, e.g. checkout-availability.");
            }
        }

        foreach (var group in _documents.Where(d => d.Name.Length > 0).GroupBy(d => (d.Kind, d.Name)).Where(g => g.Count() > 1))
        {
            foreach (var duplicate in group.Skip(1))
            {
                Error(duplicate.Index, duplicate.Root["metadata"]["name"].Path, $"Another {group.Key.Kind} in this upload is named '{group.Key.Name}' (document {group.First().Index}).");
            }
        }

        foreach (var (index, root, kind, name) in _documents.Where(d => d.Root.Map is not null))
        {
            switch (kind)
            {
                case "Service":
                    if (!Bounds.IsId(name))
                    {
                        Error(index, root["metadata"]["name"].Path, $"A Service is one of our customers: metadata.name is its id ({Bounds.IdRule("A customer id")}).");
                    }
                    else
                    {
                        Services.Add((index, root["metadata"]["name"].Path, name));
                    }

                    break;
                case "SLI":
                    ReadIndicator(index, root["spec"]);
                    Passive.Add((index, kind, name, "An SLI takes effect through the SLOs that refer to it."));
                    break;
                case "SLO":
                    ReadSlo(index, root, name);
                    break;
                case "AlertCondition":
                    ReadCondition(index, root);
                    Passive.Add((index, kind, name, "Burn-rate alerts are built in (the SRE workbook's); the condition matches one of them."));
                    break;
                case "AlertPolicy":
                    ReadPolicy(index, root);
                    Passive.Add((index, kind, name, "Burn-rate alerts are built in (the SRE workbook's); the policy matches them."));
                    break;
                case "DataSource" or "AlertNotificationTarget":
                    Passive.Add((index, kind, name, $"A {kind} is not used: monitors measure themselves and alerts go out as budget.burn webhooks and escalations."));
                    break;
            }
        }
    }

    private YamlAt? Named(string kind, string name)
        => _documents.FirstOrDefault(d => d.Kind == kind && d.Name == name) is { Root.Node: not null } d ? d.Root : null;

    private void ReadPolicy(int index, YamlAt policy)
    {
        var conditions = policy["spec"]["conditions"];
        if (conditions.Items.Count != 1)
        {
            Error(index, conditions.Path, "An AlertPolicy has exactly one condition (inline, or conditionRef).");
            return;
        }

        var condition = conditions.Items[0];
        if (condition["conditionRef"].Text is { } reference)
        {
            if (Named("AlertCondition", reference) is null && !OpenSloFormat.Alerts.Any(a => OpenSloFormat.AlertName(a) == reference))
            {
                Error(index, condition["conditionRef"].Path, $"No AlertCondition '{Bounds.Echo(reference, 100)}' in this upload, and none built in (slagrains-page-fast, slagrains-page-slow, slagrains-ticket).");
            }
        }
        else
        {
            ReadCondition(index, condition);
        }
    }

    private void ReadCondition(int index, YamlAt condition)
    {
        var c = condition["spec"]["condition"];
        if (c.Map is null)
        {
            Error(index, c.Path, "An AlertCondition has spec.condition: { kind: burnrate, op: gte, threshold, lookbackWindow }.");
            return;
        }

        if (c["kind"].Text is { } kind && !kind.Equals("burnrate", StringComparison.OrdinalIgnoreCase))
        {
            Error(index, c["kind"].Path, "Only burnrate conditions exist here.");
        }

        if (c["op"].Text is not ("gte" or "gt"))
        {
            Error(index, c["op"].Path, "A burn-rate alert fires when the burn rate is at least its threshold: op is gte.");
        }

        var threshold = c["threshold"].Number;
        OpenSloFormat.TryShorthand(c["lookbackWindow"].Text, out _, out _, out var lookback);
        var known = string.Join("; ", OpenSloFormat.Alerts.Select(a => $"{a.Factor} over {OpenSloFormat.Shorthand(a.LongWindow)}"));
        if (threshold is null || !OpenSloFormat.Alerts.Any(a => a.Factor == threshold))
        {
            Error(index, c["threshold"].Path, $"The burn-rate alerts are built in (SRE workbook): {known}.");
        }
        else if (lookback is null || !OpenSloFormat.Alerts.Any(a => a.Factor == threshold && a.LongWindow == lookback))
        {
            Error(index, c["lookbackWindow"].Path, $"The burn-rate alerts are built in (SRE workbook): {known}.");
        }
    }

    /// <summary>The indicator's spec: the source kind it names, checked; null when invalid.</summary>
    private Indicator? ReadIndicator(int index, YamlAt spec)
    {
        var ratio = spec["ratioMetric"];
        var thresholdMetric = spec["thresholdMetric"];
        if (ratio.IsMissing == thresholdMetric.IsMissing)
        {
            Error(index, spec.Path, "An SLI has either ratioMetric or thresholdMetric.");
            return null;
        }

        if (!thresholdMetric.IsMissing)
        {
            var source = thresholdMetric["metricSource"];
            if (!IsOurs(source))
            {
                Error(index, source["type"].Path, $"A threshold SLI is a monitor's latency here: metricSource type {OpenSloFormat.SourceType} with spec.monitorId.");
                return null;
            }

            return Monitor(index, source);
        }

        if (!ratio["raw"].IsMissing)
        {
            Error(index, ratio["raw"].Path, "A precomputed ratio (raw) cannot be counted: give good (or bad) and total.");
            return null;
        }

        var good = ratio["good"];
        var bad = ratio["bad"];
        var total = ratio["total"];
        if (good.IsMissing == bad.IsMissing)
        {
            Error(index, ratio.Path, "A ratioMetric has good or bad (not both), and total.");
            return null;
        }

        if (total.IsMissing)
        {
            Error(index, total.Path, "A ratioMetric has a total.");
            return null;
        }

        var numerator = good.IsMissing ? bad : good;
        var ours = new[] { numerator, total }.Select(p => IsOurs(p["metricSource"])).ToList();
        if (ours[0] != ours[1])
        {
            Error(index, numerator["metricSource"]["type"].Path, $"Both sides of the ratio come from {OpenSloFormat.SourceType}, or neither.");
            return null;
        }

        if (!ours[0])
        {
            var queries = new SliQueries(Query(index, good), Query(index, bad), Query(index, total));
            return new Indicator(IndicatorKind.Requests, null, null, queries);
        }

        var n = numerator["metricSource"]["spec"];
        var t = total["metricSource"]["spec"];
        foreach (var key in new[] { "monitorId", "customerId", "sliId" })
        {
            if (n[key].Text != t[key].Text)
            {
                Error(index, t[key].Path, $"good and total name the same {key}.");
                return null;
            }
        }

        if (n["sliId"].Text is { } sliId)
        {
            return new Indicator(IndicatorKind.Requests, sliId, n["sliId"].Path, new SliQueries(null, null, null));
        }

        if (n["customerId"].Text is { } customerId)
        {
            return new Indicator(IndicatorKind.Agreement, customerId, n["customerId"].Path, null);
        }

        return Monitor(index, numerator["metricSource"]) is { } monitor ? monitor with { Kind = IndicatorKind.Availability } : null;
    }

    private Indicator? Monitor(int index, YamlAt source)
    {
        var id = source["spec"]["monitorId"];
        if (!Bounds.IsId(id.Text))
        {
            Error(index, id.Path, $"Name the monitor: spec.monitorId ({Bounds.IdRule("A monitor id")}).");
            return null;
        }

        return new Indicator(IndicatorKind.Latency, id.Text, id.Path, null);
    }

    private string? Query(int index, YamlAt side)
    {
        if (side.IsMissing)
        {
            return null;
        }

        var source = side["metricSource"];
        var query = source["spec"]["query"];
        if (!string.Equals(source["type"].Text, "Prometheus", StringComparison.OrdinalIgnoreCase) || query.Text is null)
        {
            return null;
        }

        if (query.Text.Length > OpenSloFormat.MaxQueryLength || !Bounds.IsPrintable(query.Text))
        {
            Error(index, query.Path, $"A query has at most {OpenSloFormat.MaxQueryLength:N0} printable characters.");
            return null;
        }

        return query.Text;
    }

    private static bool IsOurs(YamlAt source) => string.Equals(source["type"].Text, OpenSloFormat.SourceType, StringComparison.OrdinalIgnoreCase);

    private void ReadSlo(int index, YamlAt root, string name)
    {
        var spec = root["spec"];
        if (spec.Map is null)
        {
            Error(index, spec.Path, "An SLO has a spec: service, indicator or indicatorRef, timeWindow, budgetingMethod, objectives.");
            return;
        }

        Indicator? indicator;
        if (spec["indicatorRef"].Text is { } reference)
        {
            if (!spec["indicator"].IsMissing)
            {
                Error(index, spec["indicator"].Path, "An SLO has indicator or indicatorRef, not both.");
                return;
            }

            if (Named("SLI", reference) is not { } sli)
            {
                Error(index, spec["indicatorRef"].Path, $"No SLI named '{Bounds.Echo(reference, 100)}' in this upload.");
                return;
            }

            // The referred SLI's own errors are reported on its document (read again here without them).
            indicator = new OpenSloImport(new InputErrors()).ReadIndicator(0, sli["spec"]);
        }
        else if (!spec["indicator"].IsMissing)
        {
            indicator = ReadIndicator(index, spec["indicator"]["spec"]);
        }
        else
        {
            Error(index, spec["indicator"].Path, "An SLO has an indicator (inline) or an indicatorRef (the name of an SLI).");
            return;
        }

        foreach (var policy in spec["alertPolicies"].Items)
        {
            if (policy["alertPolicyRef"].Text is { } policyRef)
            {
                if (Named("AlertPolicy", policyRef) is null && !OpenSloFormat.Alerts.Any(a => OpenSloFormat.AlertName(a) == policyRef))
                {
                    Error(index, policy["alertPolicyRef"].Path, $"No AlertPolicy '{Bounds.Echo(policyRef, 100)}' in this upload, and none built in.");
                }
            }
            else
            {
                ReadPolicy(index, policy);
            }
        }

        var method = spec["budgetingMethod"];
        var objectives = spec["objectives"].Items;
        if (objectives.Count == 0)
        {
            Error(index, spec["objectives"].Path, "An SLO has objectives: [{ target: 0.999 }].");
        }

        var window = Window(index, spec["timeWindow"], out var zone);
        if (indicator is null)
        {
            return;
        }

        var service = spec["service"].Text;
        var common = (PlannedSlo s) => s with { Service = service, ServicePath = spec["service"].Path, CalendarZone = (zone, spec["timeWindow"].Path + "[0].calendar.timeZone") };
        switch (indicator.Kind)
        {
            case IndicatorKind.Availability:
            case IndicatorKind.Agreement:
                if (method.Text != "Timeslices")
                {
                    Error(index, method.Path, "Availability is time: budgetingMethod is Timeslices (downtime is measured to the instant; a slice is good when the service was up through it, timeSliceTarget 1).");
                }

                CalendarOnly(index, spec, window);
                foreach (var objective in objectives)
                {
                    if (objective["timeSliceTarget"].Number is { } sliceTarget && sliceTarget != 1m)
                    {
                        Error(index, objective["timeSliceTarget"].Path, "Downtime is measured to the instant: a slice is good only when the service was up through all of it (timeSliceTarget 1).");
                    }

                    if (!objective["timeSliceWindow"].IsMissing && !OpenSloFormat.TryShorthand(objective["timeSliceWindow"].Text, out _, out _, out _)
                        && objective["timeSliceWindow"].Number is null)
                    {
                        Error(index, objective["timeSliceWindow"].Path, "A time slice is a duration shorthand, e.g. 1m.");
                    }
                }

                if (indicator.Kind == IndicatorKind.Availability)
                {
                    if (objectives.Count > 1)
                    {
                        Error(index, spec["objectives"].Path, "A monitor has one availability objective.");
                    }

                    if (objectives.Count >= 1 && Target(index, objectives[0]) is { } percent)
                    {
                        Slos.Add(common(new PlannedAvailability(index, name, indicator.Id!, indicator.IdPath!, percent)));
                    }
                }
                else if (objectives.Count != 2)
                {
                    Error(index, spec["objectives"].Path, "A contract has two objectives: the SLA's target, then the internal SLO's.");
                }
                else if (Target(index, objectives[0]) is { } sla && Target(index, objectives[1]) is { } slo)
                {
                    Slos.Add(common(new PlannedAgreement(index, name, indicator.Id!, indicator.IdPath!, sla, objectives[0]["target"].Path, slo, objectives[1]["target"].Path)));
                }

                break;
            case IndicatorKind.Latency:
                if (method.Text != "Occurrences")
                {
                    Error(index, method.Path, "A latency SLO counts checks: budgetingMethod is Occurrences (each check is an event).");
                }

                CalendarOnly(index, spec, window);
                if (objectives.Count > 1)
                {
                    Error(index, spec["objectives"].Path, "A threshold SLI has one objective.");
                }
                else if (objectives.Count == 1)
                {
                    var objective = objectives[0];
                    if (objective["op"].Text != "lte")
                    {
                        Error(index, objective["op"].Path, "A check is good when it answered within the threshold: op is lte.");
                    }

                    var value = objective["value"].Number;
                    if (value is not { } ms || ms != decimal.Truncate(ms) || ms < 1 || ms > LatencyObjective.MaxThresholdMs)
                    {
                        Error(index, objective["value"].Path, $"value is the latency threshold in whole milliseconds, 1 to {LatencyObjective.MaxThresholdMs:N0}.");
                    }
                    else if (Target(index, objective, EventRatioBudget.MaxObjectiveDecimals) is { } percent)
                    {
                        Slos.Add(common(new PlannedLatency(index, name, indicator.Id!, indicator.IdPath!, (int)ms, percent)));
                    }
                }

                break;
            case IndicatorKind.Requests:
                if (method.Text != "Occurrences")
                {
                    Error(index, method.Path, "A request SLI counts events: budgetingMethod is Occurrences (Timeslices and RatioTimeslices cannot be computed from posted counts).");
                }

                if (indicator.Id is { } sliId && sliId != name)
                {
                    Error(index, indicator.IdPath!, $"A request SLI's id is the SLO's metadata.name ('{Bounds.Echo(name, 100)}').");
                }

                if (!Bounds.IsId(name))
                {
                    Error(index, root["metadata"]["name"].Path, $"A request SLI's id is the SLO's metadata.name: {Bounds.IdRule("An SLI id")}");
                }

                if (!Bounds.IsId(service))
                {
                    Error(index, spec["service"].Path, "spec.service names the SLI's customer (its id).");
                }

                if (objectives.Count > 1)
                {
                    Error(index, spec["objectives"].Path, "A request SLI has one objective.");
                }
                else if (objectives.Count == 1 && window is not null && Target(index, objectives[0], EventRatioBudget.MaxObjectiveDecimals) is { } target)
                {
                    var display = root["metadata"]["displayName"].Text ?? name;
                    if (display.Length > Bounds.NameLength || !Bounds.IsPrintable(display))
                    {
                        Error(index, root["metadata"]["displayName"].Path, $"A name has at most {Bounds.NameLength} printable characters.");
                    }

                    Slos.Add(common(new PlannedSli(index, name, display, target, window, indicator.Queries!)));
                }

                break;
        }
    }

    private void CalendarOnly(int index, YamlAt spec, SliWindowInput? window)
    {
        if (window is { Kind: "rolling" })
        {
            Error(index, spec["timeWindow"].Path + "[0].isRolling", "A monitor's and a contract's objectives are judged per calendar month in the customer's zone: { duration: 1M, calendar: { startTime, timeZone } }.");
        }
    }

    private decimal? Target(int index, YamlAt objective, int decimals = 10)
    {
        var target = objective["target"];
        var percent = objective["targetPercent"];
        if (target.IsMissing == percent.IsMissing)
        {
            Error(index, target.Path, "An objective has target (0–1, e.g. 0.999) or targetPercent (e.g. 99.9), not both.");
            return null;
        }

        // Bounded before scaling: a huge number is simply out of range, not an overflow.
        var value = target.IsMissing ? percent.Number : target.Number is { } t && Math.Abs(t) < 1_000m ? t * 100m : null;
        var path = target.IsMissing ? percent.Path : target.Path;
        if (value is not { } v || v <= 0m || v >= 100m || decimal.Round(v, decimals) != v)
        {
            Error(index, path, $"The objective is above 0 and below 1 (targetPercent: above 0 and below 100) with at most {decimals} decimals in percent.");
            return null;
        }

        return OpenSloYaml.Normal(v);
    }

    private SliWindowInput? Window(int index, YamlAt windows, out string? zone)
    {
        zone = null;
        if (windows.Items.Count != 1)
        {
            Error(index, windows.Path, "timeWindow is a list of exactly one window: { duration: 28d, isRolling: true } or { duration: 1M, calendar: { startTime, timeZone } }.");
            return null;
        }

        var window = windows.Items[0];
        var duration = window["duration"];
        var calendar = window["calendar"];
        var rolling = window["isRolling"].Boolean ?? calendar.IsMissing;
        if (!OpenSloFormat.TryShorthand(duration.Text, out var count, out var unit, out var length))
        {
            Error(index, duration.Path, "duration is a shorthand: 28d, 4w or 1M.");
            return null;
        }

        if (rolling)
        {
            if (!calendar.IsMissing)
            {
                Error(index, calendar.Path, "A rolling window has no calendar.");
                return null;
            }

            if (unit is not ('d' or 'w') || length is not { } l || l.TotalDays > SliWindow.MaxRollingDays)
            {
                Error(index, duration.Path, $"A rolling window is whole days or weeks, 1 to {SliWindow.MaxRollingDays} days (e.g. 28d).");
                return null;
            }

            return new SliWindowInput("rolling", (int)l.TotalDays, null);
        }

        if (unit != 'M' || count != 1)
        {
            Error(index, duration.Path, "A calendar window is the month: duration 1M.");
            return null;
        }

        var start = calendar["startTime"].Text;
        if (start is null || !System.Text.RegularExpressions.Regex.IsMatch(start, "^[0-9]{4}-[0-9]{2}-01([ T]00:00(:00)?)?$"))
        {
            Error(index, calendar["startTime"].Path, $"A calendar month starts on the first at midnight, e.g. \"{OpenSloFormat.CalendarStart}\".");
            return null;
        }

        zone = calendar["timeZone"].Text;
        if (zone is null || DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
        {
            Error(index, calendar["timeZone"].Path, "timeZone is an IANA zone, e.g. Europe/Berlin (the customer's).");
            return null;
        }

        return new SliWindowInput("calendar", null, "month");
    }

    private enum IndicatorKind
    {
        Availability,
        Latency,
        Requests,
        Agreement,
    }

    private sealed record Indicator(IndicatorKind Kind, string? Id, string? IdPath, SliQueries? Queries);
}
