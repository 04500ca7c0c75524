using Microsoft.AspNetCore.Http.Extensions;
using System.Security.Claims;
using SlaGrains.Application.Integrations;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Api;

/// <summary>Ticket events from other systems and each source's mapping: HTTP over the application layer's integration commands.</summary>
internal static class IntegrationsApi
{
    public static void MapIntegrationsApi(this RouteGroupBuilder api)
    {
        var integrations = api.MapGroup("/integrations/{source}").WithTags("Integrations");
        integrations.MapPost("/events", Events)
            .Accepts<object>("application/json", "text/csv")
            .Produces<SyncResponse>()
            .Produces<SyncResponse>(StatusCodes.Status409Conflict)
            .WithSummary("Ticket events from another system, applied at their own instants (idempotent by event id; all checked before any is applied).")
            .AcceptsKeys(ApiKeyScope.Integration, ApiKeyScope.Write, ApiKeyScope.Admin)
            .AcceptsRestrictedKeys();
        integrations.MapPost("/webhook", Webhook).AllowAnonymous()
            .Accepts<object>("application/json")
            .Produces<SyncResponse>()
            .Produces<SyncResponse>(StatusCodes.Status409Conflict)
            .WithSummary("The same, for senders that cannot add a key header (Jira, ConnectWise, HaloPSA): no key; the source's own signature with its configured secret is the proof of origin (401 without a secret). Bodies of at most 64 KB.");
        integrations.MapGet("", async (string source, ClaimsPrincipal user, IntegrationCommands commands) => ApiResults.Ok(await commands.Get(Caller.From(user), source)))
            .Produces<IntegrationView>().WithSummary("A source's mapping (statuses, priorities, organisations), whether a secret is set, and escalatePast (admins and managers).")
            .AcceptsKeys(ApiKeyScope.Write, ApiKeyScope.Admin);
        integrations.MapPut("", async (string source, IntegrationInput request, ClaimsPrincipal user, IntegrationCommands commands) =>
                ApiResults.Ok(await commands.Set(Caller.From(user), source, request)))
            .Produces<IntegrationView>().WithSummary("Replaces a source's mapping; the secret is write-only (absent keeps it, empty removes it) (admins and managers).")
            .AcceptsKeys(ApiKeyScope.Write, ApiKeyScope.Admin);
    }

    private static async Task<IResult> Events(string source, HttpContext context, ClaimsPrincipal user, IntegrationCommands commands)
        => Answer(await commands.Sync(Caller.From(user), source, await ReadAsync(context)));

    private static async Task<IResult> Webhook(string source, HttpContext context, IntegrationCommands commands)
        => Answer(await commands.SyncSigned(source, await ReadAsync(context)));

    /// <summary>The raw body (a signature covers its exact bytes), its headers and URL, handed to the source.</summary>
    private static async Task<IntegrationRequest> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new IntegrationRequest(buffer.ToArray(), context.Request.ContentType, headers, context.Request.GetDisplayUrl());
    }

    private static IResult Answer(Application.Result<SyncResponse> result)
    {
        if (!result.Succeeded)
        {
            return ApiResults.Problem(result.Failure);
        }

        // Every event a conflict: the request as a whole is one (the body still says which and why).
        var allConflicts = result.Value.Events.Length > 0 && result.Value.Conflicts == result.Value.Events.Length;
        return TypedResults.Json(result.Value, statusCode: allConflicts ? StatusCodes.Status409Conflict : StatusCodes.Status200OK);
    }
}
