using System.Security.Claims;
using System.Text.Json;
using SlaGrains.Application.Dashboard;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.Api;

/// <summary><c>GET /api/v1/customers/{id}/dashboard</c>.</summary>
internal static class DashboardApi
{
    private static readonly JsonSerializerOptions SnakeCase = CreateSnakeCase();

    public static void MapDashboardApi(this RouteGroupBuilder api)
        => api.MapGet("/customers/{id}/dashboard", Get).WithTags("Customers").Produces<Dashboard>()
            .WithSummary("The customer's live status page data: status now, this month, 12 months, incidents, compliance, credits, components (snake_case).");

    private static async Task<IResult> Get(string id, ClaimsPrincipal user, StatusPage statusPage)
    {
        var result = await statusPage.Get(Caller.From(user), id);
        return result.Succeeded ? TypedResults.Json(result.Value, SnakeCase) : ApiResults.Problem(result.Failure);
    }

    private static JsonSerializerOptions CreateSnakeCase()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        SlaGrainsServer.ConfigureJson(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        return options;
    }
}
