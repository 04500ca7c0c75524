namespace SlaGrains.Server.Api.Tools;

/// <summary>The what-if tools: computed only on the request's own data; nothing stored is read; no sign-in.</summary>
internal static class ToolsApi
{
    public static RouteGroupBuilder MapToolsApi(this RouteGroupBuilder tools) => tools;
}
