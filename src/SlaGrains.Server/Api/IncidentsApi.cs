using System.Collections.Immutable;
using System.Security.Claims;
using SlaGrains.Application.Incidents;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Api;

/// <summary>
/// Incidents with their update timelines: HTTP over the application layer's incident commands and queries (staff post
/// updates and open manual incidents; whoever may read the customer reads its incidents).
/// </summary>
internal static class IncidentsApi
{
    public static void MapIncidentsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/customers/{id}/incidents", async (string id, ClaimsPrincipal user, IncidentQueries queries, CancellationToken cancellationToken)
                => ApiResults.Ok(await queries.ListForCustomer(Caller.From(user), id, cancellationToken: cancellationToken)))
            .WithTags("Incidents").Produces<ImmutableArray<IncidentDetail>>()
            .WithSummary("The customer's incidents of the last 90 days — its monitors' and the manual ones — newest first, each with its updates newest first.");
        api.MapPost("/customers/{id}/incidents", OpenManual)
            .WithTags("Incidents").Produces<IncidentDetail>(StatusCodes.Status201Created)
            .WithSummary("Opens a manual incident (staff): title, components (monitor ids), impact (degraded, partialOutage, majorOutage), the first update's message and status.");
        var incidents = api.MapGroup("/incidents").WithTags("Incidents");
        incidents.MapGet("/{incidentId}", async (string incidentId, ClaimsPrincipal user, IncidentQueries queries) => ApiResults.Ok(await queries.Get(Caller.From(user), incidentId)))
            .Produces<IncidentDetail>().WithSummary("An incident (a monitor's or a manual one) with its updates, newest first.");

        // Issue 20 — incidents linked to tickets.
        incidents.MapGet("/{incidentId}/tickets", async (string incidentId, ClaimsPrincipal user, IncidentQueries queries, CancellationToken cancellationToken)
                => ApiResults.Ok(await queries.LinkedTickets(Caller.From(user), incidentId, cancellationToken)))
            .Produces<IReadOnlyList<SlaGrains.Contracts.Tickets.TicketSummary>>()
            .WithSummary("The tickets linked to the incident (the caller's own customer's only), newest first, as ticket lists show them.");
        incidents.MapPost("/{incidentId}/updates", PostUpdate)
            .Produces<IncidentDetail>(StatusCodes.Status201Created)
            .WithSummary("Posts an update (staff): status (investigating, identified, monitoring, resolved) and message. A resolved update ends a manual incident; a monitor's outage ends when its checks say so.");

        // Issue 20 — exclusions
        incidents.MapPost("/{incidentId}/classifications", Reclassify)
            .Produces<IncidentClassificationDetail>(StatusCodes.Status201Created)
            .WithSummary("Reclassifies a monitor's incident, or a part [from, to) of it, to customerCaused, forceMajeure or thirdParty with a reason (managers and admins). Time of a class the contract excludes leaves the measured period like announced maintenance; a closed month gets a ledger adjustment.");
        incidents.MapGet("/{incidentId}/classifications", async (string incidentId, ClaimsPrincipal user, IncidentClassifications classifications)
                => ApiResults.Ok(await classifications.ForIncident(Caller.From(user), incidentId)))
            .Produces<ImmutableArray<IncidentClassificationDetail>>().WithSummary("The incident's reclassifications, newest first, each with its reason, who, when and effect.");
        api.MapGet("/customers/{id}/classifications", async (string id, ClaimsPrincipal user, IncidentClassifications classifications)
                => ApiResults.Ok(await classifications.ForCustomer(Caller.From(user), id)))
            .WithTags("Incidents").Produces<ImmutableArray<IncidentClassificationDetail>>()
            .WithSummary("Every reclassification of the customer's incidents, newest first.");
    }

    private static async Task<IResult> Reclassify(string incidentId, ClassificationInput request, ClaimsPrincipal user, IncidentClassifications classifications)
    {
        var recorded = await classifications.Reclassify(Caller.From(user), incidentId, request);
        return recorded.Succeeded
            ? TypedResults.Created($"/api/v1/incidents/{incidentId}/classifications", recorded.Value)
            : ApiResults.Problem(recorded.Failure);
    }

    private static async Task<IResult> OpenManual(string id, NewIncidentInput request, ClaimsPrincipal user, IncidentCommands commands)
    {
        var opened = await commands.OpenManual(Caller.From(user), id, request);
        return opened.Succeeded
            ? TypedResults.Created($"/api/v1/incidents/{opened.Value.Id}", opened.Value)
            : ApiResults.Problem(opened.Failure);
    }

    private static async Task<IResult> PostUpdate(string incidentId, IncidentUpdateInput request, ClaimsPrincipal user, IncidentCommands commands)
    {
        var posted = await commands.PostUpdate(Caller.From(user), incidentId, request);
        return posted.Succeeded
            ? TypedResults.Created($"/api/v1/incidents/{posted.Value.Id}", posted.Value)
            : ApiResults.Problem(posted.Failure);
    }
}
