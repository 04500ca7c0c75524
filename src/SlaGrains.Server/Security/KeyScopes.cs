using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Security;

/// <summary>
/// The API key scopes a route accepts (endpoint metadata). People signed in with a cookie are judged by the route's
/// own role checks; a key whose scope the route does not list gets 403 before the handler runs.
/// </summary>
internal sealed record AcceptedKeyScopes(ImmutableArray<ApiKeyScope> Scopes);

/// <summary>Declares on a route or group which key scopes it accepts.</summary>
internal static class KeyScopeEndpoints
{
    /// <summary>The route accepts keys of <paramref name="scopes"/> (and people, by its own role checks).</summary>
    public static TBuilder AcceptsKeys<TBuilder>(this TBuilder builder, params ApiKeyScope[] scopes)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new AcceptedKeyScopes([.. scopes]));
}
