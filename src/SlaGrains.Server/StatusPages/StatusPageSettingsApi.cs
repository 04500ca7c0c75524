using System.Security.Claims;
using SlaGrains.Application.StatusPages;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Api;

namespace SlaGrains.Server.StatusPages;

/// <summary><c>GET</c> and <c>PUT /api/v1/customers/{id}/status-page</c>: a customer's public status page setting.</summary>
internal static class StatusPageSettingsApi
{
    public static void MapStatusPageSettingsApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers");
        customers.MapGet("/{id}/status-page", async (string id, ClaimsPrincipal user, StatusPageSettingsCommands commands) => ApiResults.Ok(await commands.Get(Caller.From(user), id)))
            .Produces<StatusPageSettingsView>().WithSummary("The customer's public status page: slug, enabled, showAvailability and its path.");
        customers.MapPut("/{id}/status-page", async (string id, StatusPageInput request, ClaimsPrincipal user, StatusPageSettingsCommands commands) => ApiResults.Ok(await commands.Set(Caller.From(user), id, request)))
            .Produces<StatusPageSettingsView>()
            .WithSummary("Turns the customer's public status page on or off (admins): slug (3–64 of a–z, 0–9, '-'; unique: 409 when taken), enabled, showAvailability.");
    }
}
