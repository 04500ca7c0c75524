using System.Collections.Immutable;
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

    /// <summary>The claim marking a key restricted to listed customers (<see cref="RestrictedToClaim"/> names them).</summary>
    public const string RestrictedClaim = "slagrains:restricted";

    /// <summary>The claim naming one of the customers a restricted key is limited to (one claim per customer).</summary>
    public const string RestrictedToClaim = "slagrains:restricted-to";

    /// <summary>The API key's scope; null for a person signed in with a cookie.</summary>
    public ApiKeyScope? KeyScope { get; init; }

    /// <summary>
    /// The only customers a restricted key (read, write or integration) sees and changes; null when the caller is not
    /// restricted this way. Every tenant check below honours it.
    /// </summary>
    public ImmutableArray<string>? RestrictedTo { get; init; }

    /// <summary>Whether the caller is a key restricted to listed customers.</summary>
    public bool IsRestricted => RestrictedTo is not null;

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

    /// <summary>
    /// Whether this caller may read <paramref name="customerId"/>'s data: staff (and integration keys) any customer's,
    /// or only the listed ones when restricted; a customer's user or key only its own.
    /// </summary>
    public bool CanRead(string? customerId)
        => !IngestionOnly && ((IsStaff || IsIntegration) ? MayTouch(customerId) : customerId is not null && customerId == CustomerId);

    /// <summary>
    /// The customers a list may cover: null for every one (unrestricted staff); otherwise exactly these, narrowed to
    /// <paramref name="only"/> when given (an unseen one gives none).
    /// </summary>
    public IReadOnlyCollection<string>? VisibleCustomers(string? only)
    {
        if (IngestionOnly)
        {
            return [];
        }

        if (IsStaff || IsIntegration)
        {
            return RestrictedTo is { } listed
                ? only is null ? listed : listed.Contains(only, StringComparer.Ordinal) ? [only] : []
                : only is null ? null : [only];
        }

        return CustomerId is { } own && (only is null || only == own) ? [own] : [];
    }

    /// <summary>Whether an unrestricted caller, or a restricted one listing <paramref name="customerId"/>, may touch it (null: only the unrestricted).</summary>
    private bool MayTouch(string? customerId)
        => RestrictedTo is not { } listed || (customerId is not null && listed.Contains(customerId, StringComparer.Ordinal));

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
            // The marker, not the number of customers, says a key is restricted: a restriction to none sees nothing.
            RestrictedTo = user.HasClaim(RestrictedClaim, "true") ? [.. user.FindAll(RestrictedToClaim).Select(c => c.Value)] : null,
        };
    }

    /// <summary>The role an API key of <paramref name="scope"/> acts with: read and write keys as a manager, admin keys as an admin, the rest as no person.</summary>
    public static UserRole RoleOf(ApiKeyScope scope) => scope switch
    {
        ApiKeyScope.Read or ApiKeyScope.Write => UserRole.Manager,
        ApiKeyScope.Admin => UserRole.Admin,
        _ => UserRole.Customer,
    };

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
