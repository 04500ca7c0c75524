using SlaGrains.Server.Api.Tools;
using SlaGrains.Server.Reports;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Api;

/// <summary>The REST API under <c>/api/v1</c>: everything requires a signed-in caller except sign-in and the what-if tools.</summary>
internal static class SlaGrainsApi
{
    public static void MapSlaGrainsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapAccountsApi();
        api.MapCustomersApi();
        api.MapCreditsApi();
        api.MapDashboardApi();
        api.MapMonitorsApi();
        api.MapSlisApi();
        api.MapIncidentsApi();
        api.MapTicketsApi();
        api.MapIntegrationsApi();
        api.MapEscalationsApi();
        api.MapWebhooksApi();
        api.MapNotificationsApi();
        api.MapReportsApi();
        api.MapManagerReportsApi();
        StatusPages.StatusPageSettingsApi.MapStatusPageSettingsApi(api);
        api.MapCustomerContactsApi();
        app.MapGroup("/api/v1/tools").AllowAnonymous().WithTags("What-if tools").MapToolsApi();
        StatusPages.PublicStatusPagesEndpoints.MapPublicStatusPages(app);
        app.MapContactUnsubscribe();
        StatusPages.StatusSubscriberEndpoints.MapStatusSubscriberEndpoints(app);
    }
}
