using SlaGrains.Application.Customers;
using SlaGrains.Application.Slis;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Slis;
using SlaGrains.Domain.Slis;

namespace SlaGrains.Application.OpenSlo;

/// <summary>What an import did to one document: <c>created</c>, <c>updated</c>, <c>unchanged</c> or <c>ignored</c>.</summary>
/// <param name="Document">The document's index in the upload (from 0).</param>
/// <param name="Kind">Its kind (SLO, Service...).</param>
/// <param name="Name">Its <c>metadata.name</c>.</param>
/// <param name="Slo">For an SLO, what it is here (<c>monitor:{id}</c>, <c>latency:{id}</c>, <c>sli:{id}</c>, <c>agreement:{customer}</c>); else null.</param>
/// <param name="Action">created, updated, unchanged or ignored.</param>
/// <param name="Note">Why, for documents that change nothing by themselves; else null.</param>
public sealed record OpenSloChange(int Document, string Kind, string Name, string? Slo, string Action, string? Note = null);

/// <summary>
/// OpenSLO v1 in and out (see <see cref="OpenSloFormat"/> for the mapping): an import checks every document against
/// what exists before it changes anything (all or nothing); an export writes every SLO and contract the caller may see.
/// Admins and managers import; staff export.
/// </summary>
[ApplicationService]
public sealed class OpenSloCommands(IGrainFactory grains, CustomerCommands customers, CustomerDirectory directory, SliCommands slis)
{
    /// <summary>Imports the YAML documents of <paramref name="text"/>.</summary>
    public async Task<Result<IReadOnlyList<OpenSloChange>>> Import(Caller caller, string? text)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.ManagesContracts)
        {
            return Failure.Forbidden("Only admins and managers import SLOs.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return Failure.Invalid("body", "Send OpenSLO v1 YAML (Content-Type: application/yaml): one or more documents separated by ---.");
        }

        if (text.Length > OpenSloFormat.MaxBytes)
        {
            return Failure.Invalid("body", $"At most {OpenSloFormat.MaxBytes:N0} bytes.");
        }

        var (nodes, problem) = OpenSloYaml.Read(text, OpenSloFormat.MaxDocuments);
        if (problem is not null)
        {
            return Failure.Invalid("body", problem);
        }

        if (nodes.Count == 0)
        {
            return Failure.Invalid("body", "No documents: send OpenSLO v1 YAML.");
        }

        var errors = new InputErrors();
        var import = OpenSloImport.Read([.. nodes.Select((n, i) => new YamlAt(n, $"documents[{i}]"))], errors);

        // Against what exists: customers, monitors, zones, SLIs (still nothing changed).
        var views = new Dictionary<string, CustomerView?>(StringComparer.Ordinal);
        async Task<CustomerView?> Customer(string id)
        {
            if (!views.TryGetValue(id, out var view))
            {
                views[id] = view = Bounds.IsId(id) && await customers.Managed(caller, id) is not null ? await grains.GetGrain<ICustomerGrain>(id).Get() : null;
            }

            return view;
        }

        string Doc(PlannedSlo s) => $"(document {s.Document}, '{Bounds.Echo(s.Name, 100)}') ";
        foreach (var (document, path, customerId) in import.Services)
        {
            if (await Customer(customerId) is null)
            {
                errors.Add(path, $"(document {document}, '{customerId}') No customer '{customerId}' that you manage: a Service is one of our customers (POST /api/v1/customers).");
            }
        }

        var monitors = new Dictionary<string, MonitorView>(StringComparer.Ordinal);
        var plans = new List<(PlannedSlo Slo, string Customer)>();
        foreach (var slo in import.Slos)
        {
            string? customerId;
            switch (slo)
            {
                case PlannedAvailability or PlannedLatency:
                    var (id, at) = slo is PlannedAvailability pa ? (pa.MonitorId, pa.MonitorPath) : (((PlannedLatency)slo).MonitorId, ((PlannedLatency)slo).MonitorPath);
                    if (!monitors.ContainsKey(id) && await grains.GetGrain<IMonitorGrain>(id).Get() is { } found && await Customer(found.Settings.CustomerId) is not null)
                    {
                        monitors[id] = found;
                    }

                    if (!monitors.TryGetValue(id, out var monitor))
                    {
                        errors.Add(at, $"{Doc(slo)}No monitor '{id}' that you manage (create monitors with POST /api/v1/monitors).");
                        continue;
                    }

                    customerId = monitor.Settings.CustomerId;
                    break;
                case PlannedAgreement agreement:
                    customerId = agreement.CustomerId;
                    if (await Customer(customerId) is not { } view)
                    {
                        errors.Add(agreement.CustomerPath, $"{Doc(slo)}No customer '{customerId}' that you manage.");
                        continue;
                    }

                    if (view.Agreement is not { } contract)
                    {
                        errors.Add(agreement.CustomerPath, $"{Doc(slo)}Customer '{customerId}' has no contract; contracts are set with PUT /api/v1/customers/{customerId}/contract.");
                        continue;
                    }

                    if (contract.SlaTargetPercent != agreement.SlaPercent)
                    {
                        errors.Add(agreement.SlaPath, $"{Doc(slo)}The contract's SLA target is {contract.SlaTargetPercent} %; contracts change with PUT /api/v1/customers/{customerId}/contract, not OpenSLO.");
                    }

                    if (contract.SloTargetPercent != agreement.SloPercent)
                    {
                        errors.Add(agreement.SloPath, $"{Doc(slo)}The contract's SLO target is {contract.SloTargetPercent} %; contracts change with PUT /api/v1/customers/{customerId}/contract, not OpenSLO.");
                    }

                    break;
                default:
                    customerId = slo.Service;
                    if (customerId is not null && await Customer(customerId) is null)
                    {
                        errors.Add(slo.ServicePath, $"{Doc(slo)}No customer '{customerId}' that you manage.");
                        continue;
                    }

                    if (customerId is not null && await grains.GetGrain<ISliGrain>(slo.Name).Get() is { } existing && existing.Settings.CustomerId != customerId)
                    {
                        errors.Add(slo.ServicePath, $"{Doc(slo)}SLI '{slo.Name}' belongs to another customer.");
                        continue;
                    }

                    break;
            }

            if (customerId is null)
            {
                continue;
            }

            if (slo.Service is { } service && service != customerId)
            {
                errors.Add(slo.ServicePath, $"{Doc(slo)}This SLO is customer '{customerId}''s: spec.service is '{customerId}'.");
            }

            var zone = (await Customer(customerId))?.Calendar?.Zone.Id ?? DateTimeZone.Utc.Id;
            if (slo.CalendarZone.Zone is { } given && given != zone)
            {
                errors.Add(slo.CalendarZone.Path, $"{Doc(slo)}Calendar months are the customer's: its zone is {zone} (set with PUT /api/v1/customers/{customerId}/calendar).");
            }

            plans.Add((slo, customerId));
        }

        foreach (var duplicate in plans.GroupBy(p => Key(p.Slo)).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
        {
            errors.Add($"documents[{duplicate.Slo.Document}]", $"{Doc(duplicate.Slo)}Another SLO in this upload sets {Key(duplicate.Slo)}.");
        }

        foreach (var group in plans.Where(p => p.Slo is PlannedSli).GroupBy(p => p.Customer))
        {
            var have = await grains.GetGrain<ICustomerSlisGrain>(group.Key).List();
            if (have.Union(group.Select(p => p.Slo.Name)).Count() > ICustomerSlisGrain.MaxSlis)
            {
                errors.Add($"documents[{group.First().Slo.Document}]", $"A customer has at most {ICustomerSlisGrain.MaxSlis} SLIs; '{group.Key}' would have more.");
            }
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        // Everything checked: apply, each SLO changing only what differs.
        using var actor = Actor.Is(caller);
        var changes = new List<OpenSloChange>();
        foreach (var (slo, customerId) in plans.OrderBy(p => p.Slo.Document))
        {
            switch (slo)
            {
                case PlannedAvailability a:
                {
                    var monitor = grains.GetGrain<IMonitorGrain>(a.MonitorId);
                    var settings = (await monitor.Get())!.Settings;
                    var changed = settings.SloPercent != a.Percent;
                    if (changed && await Configure(monitor, settings with { SloPercent = a.Percent }) is { } failure)
                    {
                        return failure;
                    }

                    changes.Add(new OpenSloChange(a.Document, "SLO", a.Name, Key(a), changed ? "updated" : "unchanged"));
                    break;
                }

                case PlannedLatency l:
                {
                    var monitor = grains.GetGrain<IMonitorGrain>(l.MonitorId);
                    var settings = (await monitor.Get())!.Settings;
                    var latency = new LatencySlo(l.ThresholdMs, l.Percent);
                    var action = settings.Latency is null ? "created" : settings.Latency == latency ? "unchanged" : "updated";
                    if (action != "unchanged" && await Configure(monitor, settings with { Latency = latency }) is { } failure)
                    {
                        return failure;
                    }

                    changes.Add(new OpenSloChange(l.Document, "SLO", l.Name, Key(l), action));
                    break;
                }

                case PlannedSli s:
                {
                    var before = (await grains.GetGrain<ISliGrain>(s.Name).Get())?.Settings;
                    var put = await slis.Put(caller, s.Name, new SliInput(customerId, s.DisplayName, s.Percent, s.Window), s.Queries);
                    if (!put.Succeeded)
                    {
                        return put.Failure!;
                    }

                    var action = before is null ? "created" : before == put.Value!.Settings ? "unchanged" : "updated";
                    changes.Add(new OpenSloChange(s.Document, "SLO", s.Name, Key(s), action));
                    break;
                }

                case PlannedAgreement g:
                    changes.Add(new OpenSloChange(g.Document, "SLO", g.Name, Key(g), "unchanged", "A contract is changed with PUT /api/v1/customers/{id}/contract; its targets match."));
                    break;
            }
        }

        changes.AddRange(import.Services.Select(s => new OpenSloChange(s.Document, "Service", s.CustomerId, null, "unchanged", "A Service is one of our customers.")));
        changes.AddRange(import.Passive.Select(p => new OpenSloChange(p.Document, p.Kind, p.Name, null, p.Kind is "DataSource" or "AlertNotificationTarget" ? "ignored" : "unchanged", p.Why)));
        return Result<IReadOnlyList<OpenSloChange>>.Success([.. changes.OrderBy(c => c.Document)]);
    }

    /// <summary>The SLO id this plan sets (the same as <c>/api/v1/slos/{id}/prometheus-rules</c> takes).</summary>
    private static string Key(PlannedSlo slo) => slo switch
    {
        PlannedAvailability a => $"monitor:{a.MonitorId}",
        PlannedLatency l => $"latency:{l.MonitorId}",
        PlannedAgreement g => $"agreement:{g.CustomerId}",
        _ => $"sli:{slo.Name}",
    };

    private static async Task<Failure?> Configure(IMonitorGrain monitor, MonitorSettings settings)
    {
        var result = await monitor.Configure(settings);
        return result.Accepted ? null : Failure.Rejected(result.Rejection!);
    }

    /// <summary>
    /// Every SLO and contract of the customers the caller may see (staff; <paramref name="customerId"/> narrows to
    /// one) as OpenSLO v1 YAML: per customer a Service, per objective an SLI and an SLO, and the built-in burn-rate
    /// alerts as AlertConditions and AlertPolicies the SLOs refer to.
    /// </summary>
    public async Task<Result<string>> Export(Caller caller, string? customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Failure.Forbidden("Staff export SLOs.");
        }

        if (customerId is not null && await directory.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        var documents = new List<object>();
        var policies = OpenSloFormat.Alerts.Select(a => new Dictionary<string, object> { ["alertPolicyRef"] = OpenSloFormat.AlertName(a) }).ToList<object>();
        foreach (var alert in OpenSloFormat.Alerts)
        {
            var name = OpenSloFormat.AlertName(alert);
            documents.Add(Document("AlertCondition", name, null, new()
            {
                ["description"] = $"Burn rate at least {alert.Factor} over {OpenSloFormat.Shorthand(alert.LongWindow)} and over {OpenSloFormat.Shorthand(alert.ShortWindow)} (SRE workbook).",
                ["severity"] = alert.Severity == Domain.Availability.AlertSeverity.Page ? "page" : "ticket",
                ["condition"] = new Dictionary<string, object>
                {
                    ["kind"] = "burnrate",
                    ["op"] = "gte",
                    ["threshold"] = alert.Factor,
                    ["lookbackWindow"] = OpenSloFormat.Shorthand(alert.LongWindow),
                    ["alertAfter"] = "0m",
                },
            }, new() { ["slagrains.io/short-window"] = OpenSloFormat.Shorthand(alert.ShortWindow) }));
            documents.Add(Document("AlertPolicy", name, null, new()
            {
                ["description"] = "Delivered as budget.burn webhooks and to the escalation inbox.",
                ["alertWhenBreaching"] = true,
                ["alertWhenResolved"] = true,
                ["alertWhenNoData"] = false,
                ["conditions"] = new List<object> { new Dictionary<string, object> { ["conditionRef"] = name } },
                ["notificationTargets"] = new List<object>(),
            }));
        }

        foreach (var entry in await directory.VisibleAsync(caller, customerId))
        {
            var id = entry.CustomerId;
            var customer = await grains.GetGrain<ICustomerGrain>(id).Get();
            var zone = customer?.Calendar?.Zone.Id ?? DateTimeZone.Utc.Id;
            var calendar = new List<object>
            {
                new Dictionary<string, object>
                {
                    ["duration"] = "1M",
                    ["calendar"] = new Dictionary<string, object> { ["startTime"] = OpenSloFormat.CalendarStart, ["timeZone"] = zone },
                    ["isRolling"] = false,
                },
            };
            documents.Add(Document("Service", id, entry.Name, new() { ["description"] = $"Customer {id}." }));
            if (customer?.Agreement is { } contract)
            {
                var sli = $"{id}-agreement";
                documents.Add(Sli(sli, Ratio(new() { ["customerId"] = id, ["measure"] = "up-time" }, new() { ["customerId"] = id, ["measure"] = "time" })));
                documents.Add(Slo(sli, $"Contract of {entry.Name}", id, "Timeslices", calendar, policies, [
                    Objective("SLA", contract.SlaTargetPercent, slices: true),
                    Objective("SLO", contract.SloTargetPercent, slices: true)]));
            }

            foreach (var component in customer?.Components ?? [])
            {
                if (await grains.GetGrain<IMonitorGrain>(component.MonitorId).Get() is not { } monitor || monitor.Settings.CustomerId != id)
                {
                    continue;
                }

                var m = monitor.MonitorId;
                var s = monitor.Settings;
                documents.Add(Sli($"{m}-availability", Ratio(new() { ["monitorId"] = m, ["measure"] = "up-time" }, new() { ["monitorId"] = m, ["measure"] = "time" })));
                documents.Add(Slo($"{m}-availability", $"{s.ComponentName} availability", id, "Timeslices", calendar, policies, [Objective("Availability", s.SloPercent, slices: true)]));
                if (s.Latency is { } latency)
                {
                    documents.Add(Sli($"{m}-latency", new()
                    {
                        ["thresholdMetric"] = Source(new() { ["monitorId"] = m, ["measure"] = "response-time-ms" }),
                    }));
                    var objective = Objective("Latency", latency.ObjectivePercent, slices: false);
                    objective["op"] = "lte";
                    objective["value"] = latency.ThresholdMs;
                    documents.Add(Slo($"{m}-latency", $"{s.ComponentName} latency", id, "Occurrences", calendar, policies, [objective]));
                }
            }

            var sliIds = await grains.GetGrain<ICustomerSlisGrain>(id).List();
            foreach (var sliId in sliIds)
            {
                if (await grains.GetGrain<ISliGrain>(sliId).Get() is not { } view || view.Settings.CustomerId != id)
                {
                    continue;
                }

                var s = view.Settings;
                var ratio = (s.GoodQuery ?? s.BadQuery) is not null && s.TotalQuery is not null
                    ? PrometheusRatio(s)
                    : Ratio(new() { ["sliId"] = sliId, ["events"] = "good" }, new() { ["sliId"] = sliId, ["events"] = "total" });
                var window = s.WindowKind == SliWindowKind.CalendarMonth
                    ? calendar
                    : [new Dictionary<string, object> { ["duration"] = $"{s.WindowDays}d", ["isRolling"] = true }];
                documents.Add(Sli(sliId, ratio));
                documents.Add(Slo(sliId, s.Name, id, "Occurrences", window, policies, [Objective(s.Name, s.ObjectivePercent, slices: false)]));
            }
        }

        return OpenSloYaml.Write(documents);
    }

    private static Dictionary<string, object> PrometheusRatio(SliSettings s)
    {
        static Dictionary<string, object> Query(string query) => new()
        {
            ["metricSource"] = new Dictionary<string, object> { ["type"] = "Prometheus", ["spec"] = new Dictionary<string, object> { ["query"] = query } },
        };
        var ratio = new Dictionary<string, object> { ["counter"] = true };
        if (s.GoodQuery is { } good)
        {
            ratio["good"] = Query(good);
        }
        else
        {
            ratio["bad"] = Query(s.BadQuery!);
        }

        ratio["total"] = Query(s.TotalQuery!);
        return new() { ["ratioMetric"] = ratio };
    }

    private static Dictionary<string, object> Source(Dictionary<string, object> spec)
        => new() { ["metricSource"] = new Dictionary<string, object> { ["type"] = OpenSloFormat.SourceType, ["spec"] = spec } };

    private static Dictionary<string, object> Ratio(Dictionary<string, object> good, Dictionary<string, object> total)
        => new() { ["ratioMetric"] = new Dictionary<string, object> { ["counter"] = true, ["good"] = Source(good), ["total"] = Source(total) } };

    private static Dictionary<string, object> Objective(string name, decimal percent, bool slices)
    {
        var objective = new Dictionary<string, object> { ["displayName"] = name, ["target"] = OpenSloYaml.Normal(percent / 100m) };
        if (slices)
        {
            objective["timeSliceTarget"] = 1;
            objective["timeSliceWindow"] = OpenSloFormat.AvailabilitySlice;
        }

        return objective;
    }

    private static Dictionary<string, object> Sli(string name, Dictionary<string, object> spec) => Document("SLI", name, null, spec);

    private static Dictionary<string, object> Slo(
        string name, string displayName, string service, string method, List<object> window, List<object> policies, List<object> objectives)
        => Document("SLO", name, displayName, new()
        {
            ["service"] = service,
            ["indicatorRef"] = $"{name}",
            ["timeWindow"] = window,
            ["budgetingMethod"] = method,
            ["objectives"] = objectives,
            ["alertPolicies"] = policies,
        });

    private static Dictionary<string, object> Document(string kind, string name, string? displayName, Dictionary<string, object> spec, Dictionary<string, object>? annotations = null)
    {
        var metadata = new Dictionary<string, object> { ["name"] = name };
        if (displayName is not null)
        {
            metadata["displayName"] = displayName;
        }

        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        return new() { ["apiVersion"] = OpenSloFormat.ApiVersion, ["kind"] = kind, ["metadata"] = metadata, ["spec"] = spec };
    }
}
