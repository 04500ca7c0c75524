using System.Security.Claims;
using SlaGrains.Application.Slis;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Slis;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Slis;

namespace SlaGrains.Server.Api;

/// <summary>An SLI's window as the API shows it: <c>{ kind: "rolling", days }</c> or <c>{ kind: "calendar", unit: "month" }</c>.</summary>
public sealed record SliWindowResponse(string Kind, int? Days, string? Unit, string TimeZone);

/// <summary>One SRE-workbook alert evaluated now: both windows' burn rates (4 decimals, toward zero) and whether it fires.</summary>
public sealed record SliBurnRateResponse(
    string Name, string Severity, decimal Factor, double LongWindowSeconds, double ShortWindowSeconds, decimal LongWindowBurnRate, decimal ShortWindowBurnRate, bool Firing);

/// <summary>
/// A request-based SLI as the API shows it: counts of its window <c>[windowStart, windowEnd)</c>, the SLI, the error
/// budget in events (<c>budget = (1 − objective) × total</c>, <c>used = total − good</c>, exact) and the burn-rate alerts.
/// <c>replayed</c> is true when a post repeated counts already recorded and changed nothing.
/// </summary>
public sealed record SliResponse(
    string Id,
    string CustomerId,
    string Name,
    decimal ObjectivePercent,
    SliWindowResponse Window,
    Instant WindowStart,
    Instant WindowEnd,
    long Good,
    long Total,
    decimal? SliPercent,
    decimal Budget,
    long Used,
    decimal Remaining,
    decimal? RemainingPercent,
    IReadOnlyList<SliBurnRateResponse> BurnRates,
    Instant AsOf,
    bool Replayed = false)
{
    /// <summary>The response for a view.</summary>
    public static SliResponse From(SliView v, bool replayed = false)
    {
        ArgumentNullException.ThrowIfNull(v);
        var s = v.Settings;
        var window = s.WindowKind == SliWindowKind.CalendarMonth
            ? new SliWindowResponse("calendar", null, "month", s.TimeZoneId)
            : new SliWindowResponse("rolling", s.WindowDays, null, s.TimeZoneId);
        return new(
            v.SliId, s.CustomerId, s.Name, s.ObjectivePercent, window, v.WindowStart, v.WindowEnd, v.Good, v.Total, v.SliPercent, v.Budget, v.Used,
            v.Remaining, v.RemainingPercent,
            [.. v.BurnRates.Select(b => new SliBurnRateResponse(
                b.Name, b.Severity == AlertSeverity.Page ? "page" : "ticket", b.Factor, b.LongWindow.TotalSeconds, b.ShortWindow.TotalSeconds,
                b.LongWindowBurnRate, b.ShortWindowBurnRate, b.IsFiring))],
            v.AsOf,
            replayed);
    }
}

/// <summary>Request-based SLIs: set up (admins and managers), counts in (staff and ingestion keys), figures out.</summary>
internal static class SlisApi
{
    public static void MapSlisApi(this RouteGroupBuilder api)
    {
        var slis = api.MapGroup("/slis").WithTags("SLIs");
        slis.MapPut("/{id}", async (string id, SliInput request, ClaimsPrincipal user, SliCommands commands)
                => ApiResults.Ok(await commands.Put(Caller.From(user), id, request), v => SliResponse.From(v)))
            .Produces<SliResponse>()
            .WithSummary("Creates or changes a request-based SLI: customerId, name, objectivePercent, window (admins and managers).");
        slis.MapGet("/{id}", async (string id, ClaimsPrincipal user, SliCommands commands)
                => ApiResults.Ok(await commands.Get(Caller.From(user), id), v => SliResponse.From(v)))
            .Produces<SliResponse>().WithSummary("An SLI: its window's counts, SLI %, error budget and burn-rate alerts.");
        slis.MapGet("/", async (string? customerId, ClaimsPrincipal user, SliCommands commands)
                => ApiResults.Ok(await commands.List(Caller.From(user), customerId), list => list.Select(v => SliResponse.From(v)).ToList()))
            .Produces<List<SliResponse>>().WithSummary("A customer's SLIs (?customerId=; a customer's user: its own).");
        slis.MapPost("/{id}/counts", async (string id, SliCountsInput request, ClaimsPrincipal user, SliCommands commands) =>
            {
                var result = await commands.Counts(Caller.From(user), id, request);
                return !result.Succeeded ? ApiResults.Problem(result.Failure)
                    : result.Value.Replayed ? TypedResults.Ok(SliResponse.From(result.Value.Sli!, replayed: true))
                    : TypedResults.Accepted($"/api/v1/slis/{id}", SliResponse.From(result.Value.Sli!));
            })
            .Produces<SliResponse>(StatusCodes.Status202Accepted).Produces<SliResponse>()
            .WithSummary("Records good and total events over [from, to) (staff and the customer's ingestion keys). 202: committed; 200: the same counts were already recorded.");
    }
}
