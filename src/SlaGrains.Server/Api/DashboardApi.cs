namespace SlaGrains.Server.Api;

/// <summary>The customer dashboard.</summary>
internal static class DashboardApi
{
    public static void MapDashboardApi(this RouteGroupBuilder api)
    {
    }
}
