using SlaGrains.Contracts.Accounts;
using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;
using SlaGrains.Server.Hosting;
using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Api;

/// <summary>
/// A new monitor of a customer's component: <c>consecutiveFailures</c> failed checks open an incident (default 2),
/// <c>regions</c> vote by majority, <c>heartbeatGraceSeconds</c> turns a missed heartbeat into a failure, the internal
/// SLO defaults to the customer's. The monitor becomes one of the customer's components.
/// </summary>
public sealed record NewMonitorRequest(
    string? Id,
    string? CustomerId,
    string? Name,
    bool Critical,
    int? ConsecutiveFailures,
    decimal? SloPercent,
    List<string>? Regions,
    int? HeartbeatGraceSeconds);

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
    Instant AsOf)
{
    /// <summary>The response for a monitor's view.</summary>
    public static MonitorResponse From(MonitorView m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var s = m.Settings;
        return new(m.MonitorId, s.CustomerId, s.ComponentName, s.IsCritical, s.ConsecutiveFailures, s.SloPercent, s.Regions.IsDefault ? [] : s.Regions,
            s.HeartbeatGrace, m.IsDown, m.OpenIncident, m.LastResultAt, m.HeartbeatDueAt, m.FiringAlerts, m.AsOf);
    }
}

/// <summary>Monitors: create, ingest checks and heartbeats, maintenance windows, incidents.</summary>
internal static class MonitorsApi
{
    private const int MaxBatch = 10_000;

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
    }

    private static async Task<Results<Created<MonitorResponse>, ValidationProblem, ProblemHttpResult>> Create(NewMonitorRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new Json.InputErrors();
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
            request.HeartbeatGraceSeconds is { } grace ? Duration.FromSeconds(grace) : null));
        return result switch
        {
            { Accepted: true } => TypedResults.Created($"/api/v1/monitors/{request.Id}", MonitorResponse.From(result.Monitor!)),
            { Rejection.Code: "monitor-exists" } => Problems.Conflict(result.Rejection.Message),
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
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
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
