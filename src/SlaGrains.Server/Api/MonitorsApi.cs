using SlaGrains.Contracts.Accounts;
using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Availability;
using SlaGrains.Server.Hosting;
using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Api;

/// <summary>
/// A new monitor of a customer's component: <c>consecutiveFailures</c> failed checks open an incident (default 2),
/// <c>regions</c> vote by majority, <c>heartbeatGraceSeconds</c> turns a missed heartbeat into a failure, the internal
/// SLO defaults to the customer's. <c>kind</c> is <c>push</c> (the default: results and heartbeats are sent to it) or
/// <c>http</c> (it probes <c>http.url</c> itself from every probe location, or from the <c>regions</c> listed). The
/// monitor becomes one of the customer's components.
/// </summary>
public sealed record NewMonitorRequest(
    string? Id,
    string? CustomerId,
    string? Name,
    bool Critical,
    int? ConsecutiveFailures,
    decimal? SloPercent,
    List<string>? Regions,
    int? HeartbeatGraceSeconds,
    string? Kind = null,
    HttpMonitorInput? Http = null);

/// <summary>
/// How an http monitor probes: <c>url</c> (absolute http/https), every <c>intervalSeconds</c> (at least 10, default
/// 60) with <c>timeoutSeconds</c> (more than 0 and less than the interval; default 10, or half the interval when shorter),
/// <c>expectedStatusCodes</c> as codes or ranges (<c>[200, "300-399"]</c>; default <c>["200-299"]</c>), and an optional
/// <c>keyword</c> the body must contain.
/// </summary>
public sealed record HttpMonitorInput(string? Url, int? IntervalSeconds, double? TimeoutSeconds, List<System.Text.Json.JsonElement>? ExpectedStatusCodes, string? Keyword)
{
    /// <summary>The settings, or null with the reasons added to <paramref name="errors"/> under <c>http.*</c>.</summary>
    public HttpProbeSettings? ToSettings(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = ImmutableArray.CreateBuilder<StatusCodeRange>();
        for (var i = 0; i < (ExpectedStatusCodes?.Count ?? 0); i++)
        {
            var code = ExpectedStatusCodes![i];
            var text = code.ValueKind switch
            {
                System.Text.Json.JsonValueKind.Number => code.GetRawText(),
                System.Text.Json.JsonValueKind.String => code.GetString(),
                _ => null,
            };
            if (StatusCodeRange.TryParse(text, out var range))
            {
                codes.Add(range);
            }
            else
            {
                errors.Add($"http.expectedStatusCodes[{i}]", "A status code (404) or an inclusive range (\"200-299\") within 100–599.");
            }
        }

        var interval = Duration.FromSeconds(IntervalSeconds ?? 60);
        var timeout = TimeoutSeconds is { } seconds && double.IsFinite(seconds) ? Duration.FromMilliseconds(Math.Round(seconds * 1000)) : Duration.Min(Duration.FromSeconds(10), interval / 2);
        var url = Uri.TryCreate(Url, UriKind.Absolute, out var parsed) ? parsed : null;
        var settings = new HttpProbeSettings(url!, interval, timeout, codes.Count == 0 ? default : codes.ToImmutable(), Keyword);
        foreach (var (field, message) in settings.Problems())
        {
            errors.Add($"http.{field}", message);
        }

        return errors.Any ? null : settings;
    }
}

/// <summary>An incident's review: the root-cause category (null until classified) and how it was resolved.</summary>
public sealed record IncidentReviewRequest(IncidentRootCause? RootCause, string? Resolution);

/// <summary>One check result: up or down, when (default: now), from which region.</summary>
public sealed record CheckInput(bool Up, Instant? At, string? Region);

/// <summary>A maintenance window announced now for [start, end).</summary>
public sealed record MaintenanceRequest(Instant Start, Instant End, string? Description);

/// <summary>A link to an incident's postmortem.</summary>
public sealed record PostmortemRequest(string? Url);

/// <summary>A monitor as the API shows it: its settings and its state at <c>asOf</c>.</summary>
public sealed record MonitorResponse(
    string Id,
    string CustomerId,
    string Name,
    bool Critical,
    int ConsecutiveFailures,
    decimal SloPercent,
    ImmutableArray<string> Regions,
    Duration? HeartbeatGrace,
    bool IsDown,
    IncidentView? OpenIncident,
    Instant? LastResultAt,
    Instant? HeartbeatDueAt,
    ImmutableArray<string> FiringAlerts,
    Instant AsOf,
    string Kind,
    HttpMonitorResponse? Http,
    ImmutableArray<ProbeReport> LatestProbes,
    Duration? LastResponseTime)
{
    /// <summary>The response for a monitor's view.</summary>
    public static MonitorResponse From(MonitorView m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var s = m.Settings;
        var probes = m.LatestProbes.IsDefault ? [] : m.LatestProbes;
        var newest = probes.Where(p => p.ResponseTime is not null).OrderByDescending(p => p.At).FirstOrDefault();
        return new(m.MonitorId, s.CustomerId, s.ComponentName, s.IsCritical, s.ConsecutiveFailures, s.SloPercent, s.Regions.IsDefault ? [] : s.Regions,
            s.HeartbeatGrace, m.IsDown, m.OpenIncident, m.LastResultAt, m.HeartbeatDueAt, m.FiringAlerts, m.AsOf,
            s.IsHttp ? "http" : "push", s.Http is { } http ? HttpMonitorResponse.From(http) : null, probes, newest?.ResponseTime);
    }
}

/// <summary>An http monitor's probe settings as the API shows them (the shape <see cref="HttpMonitorInput"/> takes).</summary>
public sealed record HttpMonitorResponse(Uri Url, double IntervalSeconds, double TimeoutSeconds, ImmutableArray<string> ExpectedStatusCodes, string? Keyword)
{
    /// <summary>The response for probe settings.</summary>
    public static HttpMonitorResponse From(HttpProbeSettings http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return new(http.Url, http.Interval.TotalSeconds, http.Timeout.TotalSeconds, [.. http.Expected.Select(r => r.ToString())], http.Keyword);
    }
}

/// <summary>Monitors: create, ingest checks and heartbeats, maintenance windows, incidents.</summary>
internal static class MonitorsApi
{
    private const int MaxBatch = 10_000;
    private const int MaxResolution = 4_000;

    public static void MapMonitorsApi(this RouteGroupBuilder api)
    {
        var monitors = api.MapGroup("/monitors").WithTags("Monitors");
        monitors.MapPost("/", Create).WithSummary("Creates (or reconfigures) a monitor and adds it to its customer's components (admins and managers).");
        monitors.MapGet("/{id}", Get).WithSummary("A monitor: status, open incident, last result, heartbeat deadline.");
        monitors.MapPost("/{id}/checks", Check).WithSummary("Ingests one check result. 202 means it is committed.");
        monitors.MapPost("/{id}/checks/batch", Batch).WithSummary("Ingests up to 10,000 check results at once, all or nothing.");
        monitors.MapPost("/{id}/heartbeat", Heartbeat).WithSummary("Records a heartbeat (the monitor is alive).");
        monitors.MapPost("/{id}/maintenance", Announce).WithSummary("Announces a maintenance window (admins and managers).");
        monitors.MapGet("/{id}/maintenance", (string id, ClaimsPrincipal user, IGrainFactory grains) => Read(id, user, grains, m => m.GetMaintenance())).WithSummary("Announced maintenance windows.");
        monitors.MapDelete("/{id}/maintenance/{maintenanceId}", Cancel).WithSummary("Cancels a maintenance window (admins and managers).");
        monitors.MapGet("/{id}/incidents", (string id, ClaimsPrincipal user, IGrainFactory grains) => Read(id, user, grains, m => m.GetIncidents(100))).WithSummary("The monitor's incidents, newest first.");
        monitors.MapPut("/{id}/incidents/{incidentId}/postmortem", Postmortem).WithSummary("Links a postmortem to an incident (admins and managers).");
        monitors.MapPut("/{id}/incidents/{incidentId}/review", Review).WithSummary("Sets an incident's root-cause category and resolution (admins and managers).");
    }

    private static async Task<Results<Created<MonitorResponse>, ValidationProblem, ProblemHttpResult>> Create(NewMonitorRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new InputErrors();
        if (!CustomerSetup.IsId(request.Id))
        {
            errors.Add("id", "A monitor id is required: letters, digits, '-' and '_' only, e.g. acme-api.");
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add("name", "A monitor names the component it watches.");
        }

        if (request.ConsecutiveFailures is < 1 or > 100)
        {
            errors.Add("consecutiveFailures", "1–100 consecutive failed checks open an incident.");
        }

        if (request.HeartbeatGraceSeconds is < 1)
        {
            errors.Add("heartbeatGraceSeconds", "A heartbeat grace period is at least one second.");
        }

        var kind = request.Kind?.Trim().ToLowerInvariant() ?? "push";
        HttpProbeSettings? http = null;
        switch (kind)
        {
            case "push" when request.Http is not null:
                errors.Add("http", "Probe settings are for kind \"http\"; a push monitor is sent its results.");
                break;
            case "push":
                break;
            case "http" when request.Http is null:
                errors.Add("http", "An http monitor needs { url, intervalSeconds, timeoutSeconds, expectedStatusCodes, keyword }.");
                break;
            case "http":
                http = request.Http.ToSettings(errors);
                if (request.HeartbeatGraceSeconds is not null)
                {
                    errors.Add("heartbeatGraceSeconds", "An http monitor probes by itself; a heartbeat grace is for push monitors.");
                }

                if (request.Regions?.FirstOrDefault(r => !ProbeKeys.IsRegionName(r)) is { } region)
                {
                    errors.Add("regions", $"A probe region has 1–64 letters, digits, '-', '_' or '.'; got '{region}'.");
                }

                break;
            default:
                errors.Add("kind", "A monitor's kind is \"push\" or \"http\".");
                break;
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        if (await CustomersApi.Managed(request.CustomerId ?? string.Empty, user, grains) is { } refused)
        {
            return refused;
        }

        var slo = request.SloPercent ?? (await grains.GetGrain<ICustomerGrain>(request.CustomerId!).Get())?.Agreement?.SloTargetPercent ?? 99.9m;
        var result = await CustomerSetup.AddMonitorAsync(grains, request.Id!, new MonitorSettings(
            request.CustomerId!,
            request.Name!.Trim(),
            request.Critical,
            request.ConsecutiveFailures ?? 2,
            slo,
            [.. request.Regions ?? []],
            request.HeartbeatGraceSeconds is { } grace ? Duration.FromSeconds(grace) : null,
            Http: http));
        return result switch
        {
            { Accepted: true } => TypedResults.Created($"/api/v1/monitors/{request.Id}", MonitorResponse.From(result.Monitor!)),
            { Rejection.Code: "monitor-exists" } => Problems.Conflict(result.Rejection.Message),
            { Rejection.Code: "unknown-probe-region" } => Problems.Invalid("regions", result.Rejection.Message),
            _ => Problems.Rejected(result.Rejection!),
        };
    }

    private static async Task<Results<Ok<MonitorResponse>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
        => await Visible(id, user, grains) is { } monitor ? TypedResults.Ok(MonitorResponse.From(monitor)) : Problems.NotFound($"Monitor '{id}'");

    private static async Task<Results<Accepted<MonitorResponse>, ValidationProblem, ProblemHttpResult>> Check(
        string id, CheckInput request, ClaimsPrincipal user, IGrainFactory grains, SlaClock clock)
    {
        if (await Ingestible(id, user, grains) is { } refused)
        {
            return refused;
        }

        var result = await grains.GetGrain<IMonitorGrain>(id).Ingest(ToCheck(request, clock.Now));
        return result.Accepted ? TypedResults.Accepted($"/api/v1/monitors/{id}", MonitorResponse.From(result.Monitor!)) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Accepted<MonitorResponse>, ValidationProblem, ProblemHttpResult>> Batch(
        string id, List<CheckInput> request, ClaimsPrincipal user, IGrainFactory grains, SlaClock clock)
    {
        if (request.Count is 0 or > MaxBatch)
        {
            return Problems.Invalid("$", $"A batch holds 1–{MaxBatch:N0} check results.");
        }

        if (await Ingestible(id, user, grains) is { } refused)
        {
            return refused;
        }

        var now = clock.Now;
        var result = await grains.GetGrain<IMonitorGrain>(id).IngestBatch([.. request.Select(r => ToCheck(r, now))]);
        return result.Accepted ? TypedResults.Accepted($"/api/v1/monitors/{id}", MonitorResponse.From(result.Monitor!)) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Accepted<MonitorResponse>, ProblemHttpResult>> Heartbeat(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await Ingestible(id, user, grains) is { } refused)
        {
            return refused;
        }

        var result = await grains.GetGrain<IMonitorGrain>(id).Heartbeat();
        return result.Accepted ? TypedResults.Accepted($"/api/v1/monitors/{id}", MonitorResponse.From(result.Monitor!)) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Created<MaintenanceView>, ValidationProblem, ProblemHttpResult>> Announce(
        string id, MaintenanceRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (request.End <= request.Start)
        {
            return Problems.Invalid("end", "A maintenance window ends after it starts.");
        }

        if (await Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var result = await grains.GetGrain<IMonitorGrain>(id).AnnounceMaintenance(request.Start, request.End, request.Description?.Trim() ?? string.Empty);
        return result.Accepted
            ? TypedResults.Created($"/api/v1/monitors/{id}/maintenance/{result.Maintenance!.MaintenanceId}", result.Maintenance)
            : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Cancel(string id, string maintenanceId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var result = await grains.GetGrain<IMonitorGrain>(id).CancelMaintenance(maintenanceId);
        return result.Accepted ? TypedResults.NoContent() : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Ok<IncidentView>, ValidationProblem, ProblemHttpResult>> Postmortem(
        string id, string incidentId, PostmortemRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || !WebhookRules.IsUrl(url))
        {
            return Problems.Invalid("url", "A postmortem link is an absolute http(s) URL.");
        }

        if (await Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var result = await grains.GetGrain<IMonitorGrain>(id).SetPostmortem(incidentId, url);
        return result.Accepted ? TypedResults.Ok(result.Incident!) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Ok<IncidentView>, ValidationProblem, ProblemHttpResult>> Review(
        string id, string incidentId, IncidentReviewRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (request.RootCause is { } cause && !Enum.IsDefined(cause))
        {
            return Problems.Invalid("rootCause", "A root cause is codeDefect, infrastructure, thirdPartyDependency, deploy or other.");
        }

        if (request.Resolution is { Length: > MaxResolution })
        {
            return Problems.Invalid("resolution", $"A resolution has at most {MaxResolution:N0} characters.");
        }

        if (await Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var result = await grains.GetGrain<IMonitorGrain>(id).Review(incidentId, request.RootCause, request.Resolution);
        return result.Accepted ? TypedResults.Ok(result.Incident!) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Ok<ImmutableArray<T>>, ProblemHttpResult>> Read<T>(
        string id, ClaimsPrincipal user, IGrainFactory grains, Func<IMonitorGrain, Task<ImmutableArray<T>>> read)
        => await Visible(id, user, grains) is null
            ? Problems.NotFound($"Monitor '{id}'")
            : TypedResults.Ok(await read(grains.GetGrain<IMonitorGrain>(id)));

    private static async Task<MonitorView?> Visible(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var monitor = await grains.GetGrain<IMonitorGrain>(id).Get();
        return monitor is not null && Caller.From(user).CanRead(monitor.Settings.CustomerId) ? monitor : null;
    }

    private static async Task<ProblemHttpResult?> Managed(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await Visible(id, user, grains) is not { } monitor)
        {
            return Problems.NotFound($"Monitor '{id}'");
        }

        return await CustomersApi.Managed(monitor.Settings.CustomerId, user, grains);
    }

    private static async Task<ProblemHttpResult?> Ingestible(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var monitor = await grains.GetGrain<IMonitorGrain>(id).Get();
        return monitor is not null && Caller.From(user).CanIngest(monitor.Settings.CustomerId) ? null : Problems.NotFound($"Monitor '{id}'");
    }

    private static CheckResult ToCheck(CheckInput input, Instant now)
        => new(input.At ?? now, input.Up ? CheckOutcome.Up : CheckOutcome.Down, string.IsNullOrWhiteSpace(input.Region) ? null : input.Region.Trim());

}
