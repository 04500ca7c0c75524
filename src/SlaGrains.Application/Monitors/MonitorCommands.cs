using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Monitors;

/// <summary>
/// Changes to monitors, for the API, the customer editor and the demo alike: creating one (it becomes one of its
/// customer's components), check results and heartbeats (staff and ingestion keys: they decide credits), maintenance
/// windows and incident reviews (admins and managers). A monitor the caller may not see looks unknown.
/// </summary>
[ApplicationService]
public sealed class MonitorCommands(
    IGrainFactory grains,
    ISlaNow clock,
    CustomerCommands customers,
    MonitorQueries monitors,
    Microsoft.Extensions.Options.IOptions<CheckResultWindow> window,
    SlaGrains.Contracts.Network.OutboundCheck outbound,
    ContractNotice notices)
{
    /// <summary>Most check results one batch holds.</summary>
    public const int MaxBatch = 10_000;

    /// <summary>Longest incident resolution.</summary>
    public const int MaxResolution = 4_000;

    /// <summary>Longest heartbeat grace, in seconds: a day.</summary>
    public const int MaxHeartbeatGraceSeconds = 86_400;

    /// <summary>Shortest time without results before a monitor is unknown: a minute.</summary>
    public const int MinStaleAfterSeconds = 60;

    /// <summary>Longest time without results before a monitor is unknown: a day.</summary>
    public const int MaxStaleAfterSeconds = 86_400;

    /// <summary>Most probe regions one monitor votes among.</summary>
    public const int MaxRegions = 100;

    /// <summary>Longest maintenance window: a year.</summary>
    public static Duration MaxMaintenance { get; } = Duration.FromDays(366);

    /// <summary>What each probing kind's sub-object holds, for the 400 that says it is missing.</summary>
    private static readonly Dictionary<string, string> ProbeShapes = new(StringComparer.Ordinal)
    {
        [MonitorKinds.Http] = "{ url, method, intervalSeconds, timeoutSeconds, expectedStatusCodes, keyword, ... }",
        [MonitorKinds.Tcp] = "{ host, port, intervalSeconds, timeoutSeconds }",
        [MonitorKinds.Dns] = "{ name, recordType, server, expected, intervalSeconds, timeoutSeconds }",
        [MonitorKinds.Tls] = "{ host, port, warnDays, intervalSeconds, timeoutSeconds }",
        [MonitorKinds.Ping] = "{ host, intervalSeconds, timeoutSeconds }",
    };

    /// <summary>The internal SLO of a monitor whose customer has no contract yet, in percent.</summary>
    public const decimal DefaultSloPercent = 99.9m;

    /// <summary>
    /// Configures a monitor of a customer's component (admins and managers), then makes it one of the customer's
    /// components, critical or not. Configuring an existing monitor of the same customer changes it; one of another
    /// customer is a conflict. The monitor judges maintenance with the notice of the customer's contract (48 hours
    /// while it has none; see <see cref="ContractNotice"/>).
    /// </summary>
    public async Task<Result<MonitorView>> Create(Caller caller, NewMonitorRequest input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var errors = new InputErrors();
        if (!Bounds.IsId(input.Id))
        {
            errors.Add("id", $"A monitor id is required: 1–{Bounds.IdLength} letters, digits, '.', '-' or '_', e.g. acme-api.");
        }

        var name = Bounds.Blank(input.Name);
        if (name is null)
        {
            errors.Add("name", "A monitor names the component it watches.");
        }
        else if (name.Length > Bounds.NameLength || !Bounds.IsPrintable(name))
        {
            errors.Add("name", $"A component name has at most {Bounds.NameLength} characters and no control characters.");
        }

        if (input.ConsecutiveFailures is < 1 or > 100)
        {
            errors.Add("consecutiveFailures", "1–100 consecutive failed checks open an incident.");
        }

        if (input.HeartbeatGraceSeconds is < 1 or > MaxHeartbeatGraceSeconds)
        {
            errors.Add("heartbeatGraceSeconds", $"A heartbeat grace period is 1 to {MaxHeartbeatGraceSeconds:N0} seconds (a day).");
        }

        if (input.StaleAfterSeconds is < MinStaleAfterSeconds or > MaxStaleAfterSeconds)
        {
            errors.Add("staleAfterSeconds", $"A monitor is unknown after {MinStaleAfterSeconds} to {MaxStaleAfterSeconds:N0} seconds (a day) without results.");
        }
        else if (input.StaleAfterSeconds is not null && input.HeartbeatGraceSeconds is not null)
        {
            errors.Add("staleAfterSeconds", "A heartbeat monitor uses its grace: a missed heartbeat is a failure, not missing data.");
        }

        if (input.SloPercent is <= 0 or >= 100)
        {
            errors.Add("sloPercent", "The internal SLO is a percentage above 0 and below 100, e.g. 99.9.");
        }

        if (Bounds.CheckList(errors, "regions", input.Regions, MaxRegions)
            && input.Regions?.FirstOrDefault(r => !ProbeKeys.IsRegionName(r)) is { } region)
        {
            errors.Add("regions", $"A probe region has 1–64 letters, digits, '-', '_' or '.'; got '{Clip(region)}'.");
        }

        var latency = input.Latency?.ToSlo(errors);
        var kind = input.Kind?.Trim().ToLowerInvariant() ?? MonitorKinds.Push;
        var given = new (string Kind, object? Input)[] { (MonitorKinds.Http, input.Http), (MonitorKinds.Tcp, input.Tcp), (MonitorKinds.Dns, input.Dns), (MonitorKinds.Tls, input.Tls), (MonitorKinds.Ping, input.Ping) };
        foreach (var (other, _) in given.Where(g => g.Input is not null && g.Kind != kind))
        {
            errors.Add(other, kind == MonitorKinds.Push
                ? $"Probe settings are for kind \"{other}\"; a push monitor is sent its results."
                : $"Settings for kind \"{other}\" on a {kind} monitor: a monitor probes one way.");
        }

        HttpProbeSettings? http = null;
        TcpProbeSettings? tcp = null;
        DnsProbeSettings? dns = null;
        TlsProbeSettings? tls = null;
        PingProbeSettings? ping = null;
        switch (kind)
        {
            case MonitorKinds.Push:
                break;
            case MonitorKinds.Http when input.Http is not null:
                await input.Http.CheckUrlAsync(outbound, errors);
                http = input.Http.ToSettings(errors);
                break;
            case MonitorKinds.Tcp when input.Tcp is not null:
                await input.Tcp.CheckHostAsync(outbound, errors);
                tcp = input.Tcp.ToSettings(errors);
                break;
            case MonitorKinds.Dns when input.Dns is not null:
                await input.Dns.CheckServerAsync(outbound, errors);
                dns = input.Dns.ToSettings(errors);
                break;
            case MonitorKinds.Tls when input.Tls is not null:
                await input.Tls.CheckHostAsync(outbound, errors);
                tls = input.Tls.ToSettings(errors);
                break;
            case MonitorKinds.Ping when input.Ping is not null:
                await input.Ping.CheckHostAsync(outbound, errors);
                ping = input.Ping.ToSettings(errors);
                break;
            case var probing when MonitorKinds.Probes(probing):
                errors.Add(probing, $"A {probing} monitor needs its settings in \"{probing}\": {ProbeShapes[probing]}.");
                break;
            default:
                errors.Add("kind", $"A monitor's kind is \"push\" or one of {string.Join(", ", MonitorKinds.Probing.Select(k => $"\"{k}\""))}.");
                break;
        }

        if (MonitorKinds.Probes(kind) && input.HeartbeatGraceSeconds is not null)
        {
            errors.Add("heartbeatGraceSeconds", $"A {kind} monitor probes by itself; a heartbeat grace is for push monitors.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var customerId = input.CustomerId ?? string.Empty;
        if (await customers.Managed(caller, customerId) is null)
        {
            return await customers.Refusal(caller, customerId);
        }

        var customer = grains.GetGrain<ICustomerGrain>(customerId);
        var agreement = (await customer.Get())?.Agreement;
        var slo = input.SloPercent ?? agreement?.SloTargetPercent ?? DefaultSloPercent;
        var settings = new MonitorSettings(
            customerId,
            name!,
            input.Critical,
            input.ConsecutiveFailures ?? 2,
            slo,
            [.. input.Regions ?? []],
            input.HeartbeatGraceSeconds is { } grace ? Duration.FromSeconds(grace) : null,
            Http: http,
            StaleAfter: input.StaleAfterSeconds is { } stale ? Duration.FromSeconds(stale) : null,
            Tcp: tcp,
            Dns: dns,
            Tls: tls,
            Ping: ping,
            Latency: latency).UnderContract(agreement);

        using var actor = Actor.Is(caller);
        var monitor = grains.GetGrain<IMonitorGrain>(input.Id!);
        if (await monitor.Get() is { } existing && existing.Settings.CustomerId != customerId)
        {
            return Failure.Conflict($"Monitor '{input.Id}' already exists.");
        }

        var configured = await monitor.Configure(settings);
        if (!configured.Accepted)
        {
            return configured.Rejection!.Code == "unknown-probe-region"
                ? Failure.Invalid("regions", configured.Rejection.Message)
                : Failure.Rejected(configured.Rejection);
        }

        var components = (await customer.Get())?.Components ?? [];

        // Issue 20: a component's outage-ticket rule (set on the customer's components) stays while it stays critical.
        var opensTicket = input.Critical && components.Any(c => c.MonitorId == input.Id && c.OpenTicketOnOutage);
        var set = await customer.SetComponents(components.RemoveAll(c => c.MonitorId == input.Id).Add(new CustomerComponent(input.Id!, input.Critical, opensTicket)));
        if (!set.Accepted)
        {
            return Failure.Rejected(set.Rejection!);
        }

        // A contract saved while this monitor was being created reached the customer's components before this one was
        // among them: the contract as it is now (read after the monitor became a component) decides.
        return MonitorSettings.NoticeOf(set.Customer?.Agreement) == settings.MaintenanceNotice
            ? configured.Monitor!
            : await notices.ToMonitor(input.Id!) ?? configured.Monitor!;
    }

    /// <summary>Ingests one check result (staff, and keys that ingest for the monitor's customer).</summary>
    public Task<Result<MonitorView>> Check(Caller caller, string monitorId, CheckInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Checks(caller, monitorId, [input], path: null);
    }

    /// <summary>Ingests 1–<see cref="MaxBatch"/> check results at once, all or nothing; field names are JSON paths from <c>$</c>.</summary>
    public Task<Result<MonitorView>> Checks(Caller caller, string monitorId, IReadOnlyList<CheckInput?> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Count is 0 or > MaxBatch
            ? Task.FromResult<Result<MonitorView>>(Failure.Invalid("$", $"A batch holds 1–{MaxBatch:N0} check results."))
            : Checks(caller, monitorId, input, path: "$");
    }

    /// <summary>Records a heartbeat: the monitor is alive.</summary>
    public async Task<Result<MonitorView>> Heartbeat(Caller caller, string monitorId)
    {
        if (await Ingestible(caller, monitorId) is { } refused)
        {
            return refused;
        }

        using var actor = Actor.Is(caller);
        var result = await grains.GetGrain<IMonitorGrain>(monitorId).Heartbeat();
        return result.Accepted ? result.Monitor! : Failure.Rejected(result.Rejection!);
    }

    /// <summary>
    /// Announces maintenance <c>[start, end)</c> now: the announcement instant and the notice of the customer's contract
    /// decide whether it is in time (excluded; an outage in it opens no customer-visible incident).
    /// </summary>
    public async Task<Result<MaintenanceView>> AnnounceMaintenance(Caller caller, string monitorId, Instant start, Instant end, string? description)
    {
        var errors = new InputErrors();
        if (Bounds.CheckInstant(errors, "start", start) & Bounds.CheckInstant(errors, "end", end))
        {
            if (end <= start)
            {
                errors.Add("end", "A maintenance window ends after it starts.");
            }
            else if (end - start > MaxMaintenance)
            {
                errors.Add("end", $"A maintenance window lasts at most {MaxMaintenance.Days} days.");
            }

            Bounds.CheckMaintenanceStart(errors, "start", start, clock.Now);
        }

        Bounds.CheckText(errors, "description", description);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (await Managed(caller, monitorId) is { } refused)
        {
            return refused;
        }

        using var actor = Actor.Is(caller);
        // The monitor judges the window with the contract as it is now, also if a contract save could not reach it.
        await notices.ToMonitor(monitorId);
        var result = await grains.GetGrain<IMonitorGrain>(monitorId).AnnounceMaintenance(start, end, description?.Trim() ?? string.Empty);
        return result.Accepted ? result.Maintenance! : Failure.Rejected(result.Rejection!);
    }

    /// <summary>Cancels an announced maintenance window.</summary>
    public async Task<Result<MaintenanceView>> CancelMaintenance(Caller caller, string monitorId, string maintenanceId)
    {
        if (await Managed(caller, monitorId) is { } refused)
        {
            return refused;
        }

        if (!Bounds.IsChildId(maintenanceId))
        {
            return Failure.NotFound($"Maintenance '{maintenanceId}'");
        }

        using var actor = Actor.Is(caller);
        var result = await grains.GetGrain<IMonitorGrain>(monitorId).CancelMaintenance(maintenanceId);
        return result.Accepted ? result.Maintenance! : Failure.Rejected(result.Rejection!);
    }

    /// <summary>Links a postmortem (an absolute http(s) URL) to an incident.</summary>
    public async Task<Result<IncidentView>> LinkPostmortem(Caller caller, string monitorId, string incidentId, string? url)
    {
        if (url is not { Length: <= HttpMonitorInput.MaxUrlLength } || !Uri.TryCreate(url, UriKind.Absolute, out var link) || !WebhookRules.IsUrl(link))
        {
            return Failure.Invalid("url", "A postmortem link is an absolute http(s) URL.");
        }

        if (await Managed(caller, monitorId) is { } refused)
        {
            return refused;
        }

        if (!Bounds.IsChildId(incidentId))
        {
            return Failure.NotFound($"Incident '{incidentId}'");
        }

        using var actor = Actor.Is(caller);
        var result = await grains.GetGrain<IMonitorGrain>(monitorId).SetPostmortem(incidentId, link);
        return result.Accepted ? result.Incident! : Failure.Rejected(result.Rejection!);
    }

    /// <summary>Records an incident's review: its root-cause category and how it was resolved (null clears either).</summary>
    public async Task<Result<IncidentView>> Review(Caller caller, string monitorId, string incidentId, IncidentRootCause? rootCause, string? resolution)
    {
        if (rootCause is { } cause && !Enum.IsDefined(cause))
        {
            return Failure.Invalid("rootCause", "A root cause is codeDefect, infrastructure, thirdPartyDependency, deploy or other.");
        }

        var errors = new InputErrors();
        if (!Bounds.CheckText(errors, "resolution", resolution, MaxResolution))
        {
            return Failure.Invalid(errors);
        }

        if (await Managed(caller, monitorId) is { } refused)
        {
            return refused;
        }

        if (!Bounds.IsChildId(incidentId))
        {
            return Failure.NotFound($"Incident '{incidentId}'");
        }

        using var actor = Actor.Is(caller);
        var result = await grains.GetGrain<IMonitorGrain>(monitorId).Review(incidentId, rootCause, resolution);
        return result.Accepted ? result.Incident! : Failure.Rejected(result.Rejection!);
    }

    private async Task<Result<MonitorView>> Checks(Caller caller, string monitorId, IReadOnlyList<CheckInput?> input, string? path)
    {
        var errors = new InputErrors();
        var now = clock.Now;
        var (earliest, latest) = (now - window.Value.Behind, now + window.Value.Ahead);
        for (var i = 0; i < input.Count; i++)
        {
            var prefix = path is null ? string.Empty : $"{path}[{i}].";
            if (input[i] is null)
            {
                errors.Add(path is null ? "$" : $"{path}[{i}]", "A check result is {\"up\": true, \"at\": \"2026-01-01T00:00:00Z\", \"region\": \"eu\"}.");
            }
            else if (input[i]!.Region is { } region && !string.IsNullOrWhiteSpace(region) && !ProbeKeys.IsRegionName(region.Trim()))
            {
                errors.Add($"{prefix}region", "A region has 1–64 letters, digits, '-', '_' or '.'.");
            }

            if (input[i]?.ResponseTimeMs is { } ms && (!double.IsFinite(ms) || ms < 0 || ms > CheckInput.MaxResponseTimeMs))
            {
                errors.Add($"{prefix}responseTimeMs", $"A response time is 0 to {CheckInput.MaxResponseTimeMs:N0} milliseconds (10 minutes).");
            }

            if (input[i]?.At is { } at && (at > latest || at < earliest))
            {
                errors.Add(
                    $"{prefix}at",
                    $"A check result is dated from {(int)window.Value.Behind.TotalDays} days ago to {(int)window.Value.Ahead.TotalSeconds} s ahead of the server's clock ({InstantText(now)}).");
            }
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (await Ingestible(caller, monitorId) is { } refused)
        {
            return refused;
        }

        ImmutableArray<CheckResult> results = [.. input.Select(c => new CheckResult(
            c!.At ?? now, c.Up ? CheckOutcome.Up : CheckOutcome.Down, Bounds.Blank(c.Region),
            c.ResponseTimeMs is { } ms ? Duration.FromTicks((long)Math.Round(ms * NodaConstants.TicksPerMillisecond)) : null))];
        using var actor = Actor.Is(caller);
        var monitor = grains.GetGrain<IMonitorGrain>(monitorId);
        var result = results.Length == 1 ? await monitor.Ingest(results[0]) : await monitor.IngestBatch(results);
        return result.Accepted ? result.Monitor! : Failure.Rejected(result.Rejection!);
    }

    private static string InstantText(Instant at) => NodaTime.Text.InstantPattern.General.Format(at);

    /// <summary>
    /// Null when the caller may push the monitor's results: staff, and ingestion keys bound to the monitor's customer.
    /// Results decide credits, so a customer's own users and customer-scoped keys never post them: they are refused
    /// (they may see the monitor). An ingestion key bound to no customer (made before keys had to be bound) posts for
    /// no monitor: it is refused, and says why. Anyone else — another customer's key or user — finds no monitor.
    /// </summary>
    private async Task<Failure?> Ingestible(Caller caller, string monitorId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!Bounds.IsId(monitorId) || await grains.GetGrain<IMonitorGrain>(monitorId).Get() is not { } monitor)
        {
            return Failure.NotFound($"Monitor '{monitorId}'");
        }

        var customerId = monitor.Settings.CustomerId;
        if (caller.IsStaff || (caller.IngestionOnly && caller.CustomerId is not null && caller.CustomerId == customerId))
        {
            return null;
        }

        if (caller.IngestionOnly && caller.CustomerId is null)
        {
            return Failure.Forbidden("This ingestion key is bound to no customer; create a key bound to the monitor's customer.");
        }

        return caller.CanRead(customerId)
            ? Failure.Forbidden("Check results and heartbeats come from the service provider's staff and ingestion keys.")
            : Failure.NotFound($"Monitor '{monitorId}'");
    }

    /// <summary>Null when the caller may change the monitor (manages its customer); otherwise the not-found or forbidden.</summary>
    private async Task<Failure?> Managed(Caller caller, string monitorId)
    {
        if (await monitors.Visible(caller, monitorId) is not { } monitor)
        {
            return Failure.NotFound($"Monitor '{monitorId}'");
        }

        return await customers.Managed(caller, monitor.Settings.CustomerId) is null ? await customers.Refusal(caller, monitor.Settings.CustomerId) : null;
    }

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64];
}
