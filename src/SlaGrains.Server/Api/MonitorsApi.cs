using System.Collections.Immutable;
using System.Security.Claims;
using SlaGrains.Application.Escalations;
using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Server.Api;

/// <summary>An incident's review: the root-cause category (null until classified) and how it was resolved.</summary>
public sealed record IncidentReviewRequest(IncidentRootCause? RootCause, string? Resolution);

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
    Duration? LastResponseTime,
    string Health = "up",
    Instant? UnknownSince = null,
    Duration? StaleAfter = null,
    string? StatusText = null,
    TcpProbeResponse? Tcp = null,
    DnsProbeResponse? Dns = null,
    TlsProbeResponse? Tls = null,
    PingProbeResponse? Ping = null,
    LatencySlo? Latency = null)
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
            s.Kind, s.Http is { } http ? HttpMonitorResponse.From(http) : null, probes, newest?.ResponseTime,
            MonitorWords.Health(m.Health), m.UnknownSince, s.Staleness, MonitorWords.Status(m),
            s.Tcp is { } tcp ? new(tcp.Host, tcp.Port, tcp.Interval.TotalSeconds, tcp.Timeout.TotalSeconds) : null,
            s.Dns is { } dns ? new(dns.Name, dns.RecordType, dns.Server, dns.ExpectedValues, dns.Interval.TotalSeconds, dns.Timeout.TotalSeconds) : null,
            s.Tls is { } tls ? new(tls.Host, tls.Port, tls.WarnDays, tls.Interval.TotalSeconds, tls.Timeout.TotalSeconds,
                m.CertificateExpiresAt ?? probes.Select(p => p.CertificateExpiresAt).Min()) : null,
            s.Ping is { } ping ? new(ping.Host, ping.Interval.TotalSeconds, ping.Timeout.TotalSeconds) : null,
            s.Latency);
    }
}

/// <summary>A tcp monitor's probe settings as the API shows them.</summary>
public sealed record TcpProbeResponse(string Host, int Port, double IntervalSeconds, double TimeoutSeconds);

/// <summary>A dns monitor's probe settings as the API shows them.</summary>
public sealed record DnsProbeResponse(string Name, string RecordType, string? Server, ImmutableArray<string> Expected, double IntervalSeconds, double TimeoutSeconds);

/// <summary>A tls monitor's probe settings as the API shows them, with the earliest certificate expiry its regions saw last.</summary>
public sealed record TlsProbeResponse(string Host, int Port, int WarnDays, double IntervalSeconds, double TimeoutSeconds, Instant? CertificateExpiresAt);

/// <summary>A ping monitor's probe settings as the API shows them.</summary>
public sealed record PingProbeResponse(string Host, double IntervalSeconds, double TimeoutSeconds);

/// <summary>
/// An http monitor's probe settings as the API shows them (the shape <see cref="HttpMonitorInput"/> takes), without
/// secrets: the basic-auth password and the values of Authorization and Cookie headers show as <c>set</c>.
/// </summary>
public sealed record HttpMonitorResponse(
    Uri Url,
    double IntervalSeconds,
    double TimeoutSeconds,
    ImmutableArray<string> ExpectedStatusCodes,
    string? Keyword,
    string Method = "GET",
    IReadOnlyList<HttpHeaderInput>? Headers = null,
    string? Body = null,
    string? ContentType = null,
    HttpBasicAuthInput? BasicAuth = null,
    bool KeywordAbsent = false,
    JsonAssertionResponse? Json = null)
{
    /// <summary>What a secret shows as.</summary>
    public const string Set = "set";

    /// <summary>The response for probe settings.</summary>
    public static HttpMonitorResponse From(HttpProbeSettings http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return new(http.Url, http.Interval.TotalSeconds, http.Timeout.TotalSeconds, [.. http.Expected.Select(r => r.ToString())], http.Keyword,
            http.MethodName, [.. http.RequestHeaders.Select(h => new HttpHeaderInput(h.Name, HttpHeader.IsSecret(h.Name) ? Set : h.Value))],
            http.Body, http.ContentType, http.BasicAuth is { } auth ? new HttpBasicAuthInput(auth.Username, Set) : null, http.KeywordAbsent,
            http.Json is { } json ? new JsonAssertionResponse(json.Pointer, json.Expected) : null);
    }
}

/// <summary>An http monitor's JSON assertion: the pointer and the expected value as text (a string's text, other values' JSON text).</summary>
public sealed record JsonAssertionResponse(string Pointer, string Expected);

/// <summary>One hour or UTC day of a monitor: up, down and unknown (unmeasured) seconds; checks; response times in milliseconds.</summary>
public sealed record RollupResponse(
    Instant BucketStart, string Granularity, double UpSeconds, double DownSeconds, double UnknownSeconds, int Checks, int FailedChecks,
    double? ResponseP50Ms, double? ResponseP95Ms, double? ResponseMaxMs, double? ResponseP99Ms = null)
{
    /// <summary>The response for a rollup row.</summary>
    public static RollupResponse From(CheckRollupRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var f = row.Figures;
        return new(row.BucketStart, row.Granularity == RollupGranularity.Hour ? "hour" : "day", f.Up.TotalSeconds, f.Down.TotalSeconds, f.Unknown.TotalSeconds,
            f.Checks, f.FailedChecks, f.ResponseP50?.TotalMilliseconds, f.ResponseP95?.TotalMilliseconds, f.ResponseMax?.TotalMilliseconds, f.ResponseP99?.TotalMilliseconds);
    }
}

/// <summary>One raw check result: when, from which region (empty: single location), whether it failed, the response time in milliseconds.</summary>
public sealed record CheckResultResponse(Instant At, string Region, bool Down, double? ResponseMs)
{
    /// <summary>The response for a result row.</summary>
    public static CheckResultResponse From(CheckResultRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.At, row.Region, row.IsDown, row.ResponseTime?.TotalMilliseconds);
    }
}

/// <summary>Monitors: HTTP over the application layer's monitor commands and queries (create, checks and heartbeats, maintenance windows, incidents).</summary>
internal static class MonitorsApi
{
    public static void MapMonitorsApi(this RouteGroupBuilder api)
    {
        var monitors = api.MapGroup("/monitors").WithTags("Monitors");
        monitors.MapPost("/", Create).Produces<MonitorResponse>(StatusCodes.Status201Created)
            .WithSummary("Creates (or reconfigures) a monitor and adds it to its customer's components (admins and managers).");
        monitors.MapGet("/{id}", async (string id, ClaimsPrincipal user, MonitorQueries queries) => Monitor(await queries.Get(Caller.From(user), id)))
            .Produces<MonitorResponse>().WithSummary("A monitor: status, open incident, last result, heartbeat deadline.");
        monitors.MapPost("/{id}/checks", async (string id, CheckInput request, ClaimsPrincipal user, MonitorCommands commands) => Accepted(id, await commands.Check(Caller.From(user), id, request)))
            .Produces<MonitorResponse>(StatusCodes.Status202Accepted).WithSummary("Ingests one check result. 202 means it is committed.");
        monitors.MapPost("/{id}/checks/batch", async (string id, List<CheckInput?> request, ClaimsPrincipal user, MonitorCommands commands) => Accepted(id, await commands.Checks(Caller.From(user), id, request)))
            .Produces<MonitorResponse>(StatusCodes.Status202Accepted).WithSummary("Ingests up to 10,000 check results at once, all or nothing.");
        monitors.MapPost("/{id}/heartbeat", async (string id, ClaimsPrincipal user, MonitorCommands commands) => Accepted(id, await commands.Heartbeat(Caller.From(user), id)))
            .Produces<MonitorResponse>(StatusCodes.Status202Accepted).WithSummary("Records a heartbeat (the monitor is alive).");
        monitors.MapPost("/{id}/maintenance", Announce).Produces<MaintenanceView>(StatusCodes.Status201Created).WithSummary("Announces a maintenance window (admins and managers).");
        monitors.MapGet("/{id}/maintenance", async (string id, ClaimsPrincipal user, MonitorQueries queries) => ApiResults.Ok(await queries.Maintenance(Caller.From(user), id)))
            .Produces<ImmutableArray<MaintenanceView>>().WithSummary("Announced maintenance windows.");
        monitors.MapDelete("/{id}/maintenance/{maintenanceId}", async (string id, string maintenanceId, ClaimsPrincipal user, MonitorCommands commands) => NoContentOr(await commands.CancelMaintenance(Caller.From(user), id, maintenanceId)))
            .Produces(StatusCodes.Status204NoContent).WithSummary("Cancels a maintenance window (admins and managers).");
        api.MapGet("/budget-alerts", async (string? customer, bool? firing, int? limit, ClaimsPrincipal user, EscalationInbox inbox, CancellationToken cancellationToken)
                => ApiResults.Ok(await inbox.BudgetAlerts(Caller.From(user), customer, firing, limit, cancellationToken)))
            .WithTags("Inbox").Produces<IReadOnlyList<BudgetAlertView>>()
            .WithSummary("The monitors' burn-rate (error-budget) alerts, newest first, one per firing: started, then stopped, and who acknowledged it (staff).");
        api.MapPost("/budget-alerts/{id}/acknowledge", async (string id, ClaimsPrincipal user, EscalationInbox inbox)
                => ApiResults.Ok(await inbox.AcknowledgeBudgetAlert(Caller.From(user), id)))
            .WithTags("Inbox").Produces<BudgetAlertView>()
            .WithSummary("Acknowledges a burn-rate alert's firing, firing or stopped (staff); acknowledging again keeps the first.");
        monitors.MapGet("/{id}/latency", async (string id, ClaimsPrincipal user, MonitorQueries queries, CancellationToken cancellationToken)
                => ApiResults.Ok(await queries.Latency(Caller.From(user), id, cancellationToken)))
            .Produces<LatencyView>()
            .WithSummary("The monitor's latency SLO this month so far: good and total checks, the SLI, the error budget in checks and the latency burn-rate alerts now.");
        monitors.MapGet("/{id}/incidents", async (string id, ClaimsPrincipal user, MonitorQueries queries) => ApiResults.Ok(await queries.Incidents(Caller.From(user), id)))
            .Produces<ImmutableArray<IncidentView>>().WithSummary("The monitor's incidents, newest first.");
        monitors.MapGet("/{id}/rollups", async (string id, string? granularity, string? from, string? to, ClaimsPrincipal user, MonitorQueries queries, CancellationToken cancellationToken)
                => ApiResults.Ok(await queries.Rollups(Caller.From(user), id, granularity, from, to, cancellationToken), rows => rows.Select(RollupResponse.From).ToList()))
            .Produces<List<RollupResponse>>()
            .WithSummary("Hourly or daily figures (granularity=hour|day, from/to ISO instants; default the last 90 days): up, down and unknown seconds, checks, response-time p50/p95/p99/max.");
        monitors.MapGet("/{id}/response-times", async (string id, string? granularity, string? from, string? to, int? limit, ClaimsPrincipal user, MonitorQueries queries, CancellationToken cancellationToken)
                => ApiResults.Ok(await queries.ResponseTimes(Caller.From(user), id, granularity, from, to, limit, cancellationToken)))
            .Produces<ResponseTimeHistory>()
            .WithSummary("Response-time history from the rollups: granularity=hour (default; last 24 hours, at most 31 days) or day (last 30 days, at most 400), from/to ISO instants, limit 1–1,000 (default 500); buckets oldest first with checks and p50/p95/p99/max in milliseconds, and next: the from of the next page.");
        monitors.MapGet("/{id}/results", async (string id, string? from, string? to, int? limit, ClaimsPrincipal user, MonitorQueries queries, CancellationToken cancellationToken)
                => ApiResults.Ok(await queries.Results(Caller.From(user), id, from, to, limit, cancellationToken), rows => rows.Select(CheckResultResponse.From).ToList()))
            .Produces<List<CheckResultResponse>>()
            .WithSummary("Raw check results (kept 90 days), newest first: from/to ISO instants (default the last 24 hours), limit 1–10,000 (default 1,000).");
        monitors.MapPut("/{id}/incidents/{incidentId}/postmortem", async (string id, string incidentId, PostmortemRequest request, ClaimsPrincipal user, MonitorCommands commands)
                => ApiResults.Ok(await commands.LinkPostmortem(Caller.From(user), id, incidentId, request.Url)))
            .Produces<IncidentView>().WithSummary("Links a postmortem to an incident (admins and managers).");
        monitors.MapPut("/{id}/incidents/{incidentId}/review", async (string id, string incidentId, IncidentReviewRequest request, ClaimsPrincipal user, MonitorCommands commands)
                => ApiResults.Ok(await commands.Review(Caller.From(user), id, incidentId, request.RootCause, request.Resolution)))
            .Produces<IncidentView>().WithSummary("Sets an incident's root-cause category and resolution (admins and managers).");
    }

    private static async Task<IResult> Create(NewMonitorRequest request, ClaimsPrincipal user, MonitorCommands commands)
    {
        var created = await commands.Create(Caller.From(user), request);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/monitors/{created.Value.MonitorId}", MonitorResponse.From(created.Value))
            : ApiResults.Problem(created.Failure);
    }

    private static async Task<IResult> Announce(string id, MaintenanceRequest request, ClaimsPrincipal user, MonitorCommands commands)
    {
        var announced = await commands.AnnounceMaintenance(Caller.From(user), id, request.Start, request.End, request.Description);
        return announced.Succeeded
            ? TypedResults.Created($"/api/v1/monitors/{id}/maintenance/{announced.Value.MaintenanceId}", announced.Value)
            : ApiResults.Problem(announced.Failure);
    }

    private static IResult Monitor(Result<MonitorView> result)
        => result.Succeeded ? TypedResults.Ok(MonitorResponse.From(result.Value)) : ApiResults.Problem(result.Failure);

    private static IResult Accepted(string id, Result<MonitorView> result)
        => result.Succeeded ? TypedResults.Accepted($"/api/v1/monitors/{id}", MonitorResponse.From(result.Value)) : ApiResults.Problem(result.Failure);

    private static IResult NoContentOr<T>(Result<T> result) => result.Succeeded ? TypedResults.NoContent() : ApiResults.Problem(result.Failure);
}
