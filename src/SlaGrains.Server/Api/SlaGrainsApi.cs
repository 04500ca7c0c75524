using SlaGrains.Server.Api.Tools;
using SlaGrains.Server.Reports;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Api;

/// <summary>
/// The REST API under <c>/api/v1</c>: everything requires a signed-in caller except sign-in and the what-if tools. Every
/// route states the API key scopes it accepts (<see cref="KeyScopeEndpoints.AcceptsKeys"/>; the group below gives the default).
/// </summary>
internal static class SlaGrainsApi
{
    public static void MapSlaGrainsApi(this IEndpointRouteBuilder app)
    {
        // Keys of the staff scopes (read, write, admin) reach every route whose role checks then decide, as do customer
        // and ingestion keys; integration and metrics keys only the routes that name them (see KeyScopeMiddleware).
        var api = app.MapGroup("/api/v1").RequireAuthorization().AcceptsKeys(KeyScopeEndpoints.StaffRoutes);
        api.MapAccountsApi();
        api.MapTwoFactorApi();
        api.MapCustomersApi();
        api.MapCreditsApi();
        api.MapDashboardApi();
        api.MapMonitorsApi();
        api.MapSlisApi();
        api.MapOpenSloApi();
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
