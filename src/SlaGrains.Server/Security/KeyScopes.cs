using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Security;

/// <summary>
/// The API key scopes a route accepts (endpoint metadata). People signed in with a cookie are judged by the route's
/// own role checks; a key whose scope the route does not list gets 403 before the handler runs.
/// </summary>
internal sealed record AcceptedKeyScopes(ImmutableArray<ApiKeyScope> Scopes);

/// <summary>
/// Marks a route whose every tenant check goes through <see cref="Caller.CanRead"/> or
/// <see cref="Caller.VisibleCustomers"/>, so keys restricted to listed customers may use it; other routes refuse them.
/// </summary>
internal sealed record RestrictedKeysHonoured;

/// <summary>Declares on a route or group which key scopes it accepts.</summary>
internal static class KeyScopeEndpoints
{
    /// <summary>The scopes every staff route of <c>/api/v1</c> accepts unless it says otherwise (the route's own role checks decide the rest).</summary>
    public static readonly ApiKeyScope[] StaffRoutes = [ApiKeyScope.Customer, ApiKeyScope.Ingestion, ApiKeyScope.Read, ApiKeyScope.Write, ApiKeyScope.Admin];

    /// <summary>The route accepts keys of <paramref name="scopes"/> (and people, by its own role checks).</summary>
    public static TBuilder AcceptsKeys<TBuilder>(this TBuilder builder, params ApiKeyScope[] scopes)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new AcceptedKeyScopes([.. scopes]));

    /// <summary>The route decides every tenant question through <see cref="Caller"/>: keys restricted to listed customers may use it.</summary>
    public static TBuilder AcceptsRestrictedKeys<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new RestrictedKeysHonoured());

    /// <summary>Whether a key of <paramref name="scope"/> may call the endpoint (see <see cref="KeyScopeMiddleware"/>).</summary>
    public static bool Accepts(this AcceptedKeyScopes? accepted, ApiKeyScope scope)
        => accepted is null ? scope is ApiKeyScope.Customer or ApiKeyScope.Ingestion : accepted.Scopes.Contains(scope);

    /// <summary>Lists on each OpenAPI operation the key scopes it accepts (<c>x-api-key-scopes</c>) and, as a security requirement, the key header.</summary>
    public static OpenApiOptions AddKeyScopes(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeys.Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeys.Header,
                Description = "An API key (sgk_...). Each operation lists the key scopes it accepts in x-api-key-scopes.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                return Task.CompletedTask;
            }

            var accepted = metadata.OfType<AcceptedKeyScopes>().LastOrDefault();
            var scopes = Enum.GetValues<ApiKeyScope>().Where(accepted.Accepts).Select(ScopeName).ToList();
            var readOnly = string.Equals(context.Description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase)
                || string.Equals(context.Description.HttpMethod, "HEAD", StringComparison.OrdinalIgnoreCase);
            if (!readOnly)
            {
                scopes.Remove(ScopeName(ApiKeyScope.Read));
            }

            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-api-key-scopes"] = new JsonNodeExtension(new JsonArray([.. scopes.Select(s => (JsonNode)JsonValue.Create(s))]));
            if (!metadata.OfType<RestrictedKeysHonoured>().Any())
            {
                operation.Extensions["x-api-key-restricted-customers"] = new JsonNodeExtension(JsonValue.Create(false));
            }

            if (scopes.Count > 0)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeys.Scheme, context.Document)] = scopes });
            }

            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>The scope as it appears in JSON (lower case).</summary>
    public static string ScopeName(ApiKeyScope scope) => scope.ToString().ToLowerInvariant();
}

/// <summary>
/// Enforces the key scopes routes accept: a key-authenticated request to a route whose <see cref="AcceptedKeyScopes"/>
/// do not list the key's scope is refused with 403 naming the scopes needed. A route that declares nothing accepts
/// only customer and ingestion keys (as before scopes existed: their routes' own checks decide); read keys only read
/// (GET, HEAD); keys restricted to customers only reach routes marked <see cref="RestrictedKeysHonoured"/>.
/// Anonymous routes are left alone (a key adds nothing to them).
/// </summary>
internal sealed class KeyScopeMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity is not { IsAuthenticated: true, AuthenticationType: ApiKeys.Scheme }
            || context.GetEndpoint() is not { } endpoint
            || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }

        var caller = Caller.From(context.User);
        if (caller.KeyScope is not { } scope)
        {
            await next(context);
            return;
        }

        var accepted = endpoint.Metadata.GetMetadata<AcceptedKeyScopes>();
        var reads = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var refusal = !accepted.Accepts(scope)
            ? accepted is null || accepted.Scopes.IsEmpty
                ? $"This route accepts no {KeyScopeEndpoints.ScopeName(scope)} key."
                : $"This route needs a key of scope {string.Join(" or ", accepted.Scopes.Where(s => reads || s != ApiKeyScope.Read).Select(KeyScopeEndpoints.ScopeName))}; this key's scope is {KeyScopeEndpoints.ScopeName(scope)}."
            : scope == ApiKeyScope.Read && !reads
                ? "A read key only reads (GET): this change needs a key of scope write or admin."
                : caller.IsRestricted && endpoint.Metadata.GetMetadata<RestrictedKeysHonoured>() is null
                    ? "A key restricted to listed customers cannot use this route: it is not limited to those customers' data. Use an unrestricted key."
                    : null;
        if (refusal is null)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = "Outside the API key's scope", Detail = refusal },
        });
    }
}
