using SlaGrains.Contracts.Accounts;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Server.Hosting;
using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Api;

/// <summary><c>GET /api/v1/customers/{id}/dashboard</c>.</summary>
internal static class DashboardApi
{
    private static readonly JsonSerializerOptions SnakeCase = CreateSnakeCase();

    public static void MapDashboardApi(this RouteGroupBuilder api)
        => api.MapGet("/customers/{id}/dashboard", Get).WithTags("Customers").Produces<Dashboard>()
            .WithSummary("The customer's live status page data: status now, this month, 12 months, incidents, compliance, credits, components (snake_case).");

    private static async Task<Results<JsonHttpResult<Dashboard>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains, ITicketReadModel tickets, SlaClock clock)
    {
        if (await SlaReads.CustomerAsync(grains, Caller.From(user), id) is not { } entry)
        {
            return Problems.NotFound($"Customer '{id}'");
        }

        return TypedResults.Json(await StatusPage.BuildAsync(grains, tickets, entry, clock.Now), SnakeCase);
    }

    private static JsonSerializerOptions CreateSnakeCase()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        SlaGrainsServer.ConfigureJson(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        return options;
    }
}
