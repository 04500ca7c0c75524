using System.Security.Claims;

namespace SlaGrains.Contracts.Accounts;

/// <summary>
/// Who is calling, read from the signed-in principal: a person (cookie) or a machine (API key). Every tenant check
/// goes through here, so "a customer's user sees only that customer's data" is decided in one place.
/// </summary>
/// <param name="Name">The user name, or <c>key:{id}</c> for an API key.</param>
/// <param name="Role">The role (a customer-scoped API key acts as <see cref="UserRole.Customer"/>).</param>
/// <param name="CustomerId">The one customer a customer user or a bound key may see; null for staff.</param>
/// <param name="Team">A technician's team.</param>
/// <param name="IngestionOnly">An ingestion API key: may only push check results and heartbeats.</param>
public sealed record Caller(string Name, UserRole Role, string? CustomerId, string? Team, bool IngestionOnly)
{
    /// <summary>The claim naming a customer user's (or a bound key's) customer.</summary>
    public const string CustomerClaim = "slagrains:customer";

    /// <summary>The claim naming a technician's team.</summary>
    public const string TeamClaim = "slagrains:team";

    /// <summary>The claim marking an ingestion-only API key.</summary>
    public const string IngestionClaim = "slagrains:ingestion";

    /// <summary>The claim carrying an API key's scope (absent for people signed in with a cookie).</summary>
    public const string ScopeClaim = "slagrains:scope";

    /// <summary>The API key's scope; null for a person signed in with a cookie.</summary>
    public ApiKeyScope? KeyScope { get; init; }

    /// <summary>An <see cref="ApiKeyScope.Integration"/> key: sends ticket events from another system and writes back billing.</summary>
    public bool IsIntegration => KeyScope == ApiKeyScope.Integration;

    /// <summary>A <see cref="ApiKeyScope.Metrics"/> key: reads <c>/metrics</c> only.</summary>
    public bool IsMetricsReader => KeyScope == ApiKeyScope.Metrics;

    /// <summary>Admins, managers and technicians: people of the service provider.</summary>
    public bool IsStaff => !IngestionOnly && Role is UserRole.Admin or UserRole.Manager or UserRole.Technician;

    /// <summary>Admins and managers change contracts, policies, rules, monitors and maintenance.</summary>
    public bool ManagesContracts => !IngestionOnly && Role is UserRole.Admin or UserRole.Manager;

    /// <summary>Only admins manage users and API keys.</summary>
    public bool IsAdmin => !IngestionOnly && Role == UserRole.Admin;

    /// <summary>Whether this caller may read <paramref name="customerId"/>'s data.</summary>
    public bool CanRead(string? customerId) => !IngestionOnly && (IsStaff || (customerId is not null && customerId == CustomerId));

    /// <summary>Whether this is one of <paramref name="customerId"/>'s own users (not staff acting for it): who files its disputes and keeps its webhooks.</summary>
    public bool IsOwnCustomer(string? customerId) => !IsStaff && customerId is not null && CustomerId == customerId;


    /// <summary>The caller of the current request (the endpoints all require an authenticated caller).</summary>
    public static Caller From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var role = Enum.TryParse<UserRole>(user.FindFirst(ClaimTypes.Role)?.Value, ignoreCase: true, out var r) ? r : UserRole.Customer;
        return new Caller(
            user.Identity?.Name ?? "anonymous",
            role,
            user.FindFirst(CustomerClaim)?.Value,
            user.FindFirst(TeamClaim)?.Value,
            user.HasClaim(IngestionClaim, "true"))
        {
            KeyScope = Enum.TryParse<ApiKeyScope>(user.FindFirst(ScopeClaim)?.Value, ignoreCase: true, out var scope) ? scope : null,
        };
    }

    /// <summary>The claims a person signs in with.</summary>
    public static IEnumerable<Claim> ClaimsFor(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        yield return new Claim(ClaimTypes.Name, user.UserName);
        yield return new Claim(ClaimTypes.Role, RoleName(user.Role));
        if (user.CustomerId is { } customer)
        {
            yield return new Claim(CustomerClaim, customer);
        }

        if (user.Team is { } team)
        {
            yield return new Claim(TeamClaim, team);
        }
    }

    /// <summary>The role as it appears in claims and JSON (lower case).</summary>
    public static string RoleName(UserRole role) => role.ToString().ToLowerInvariant();
}
