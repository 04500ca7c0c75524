using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Api;

using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.Security;

/// <summary>A sign-in: user name and password.</summary>
public sealed record SignInRequest(string? UserName, string? Password);

/// <summary>Who is signed in.</summary>
public sealed record MeResponse(string Name, string Role, string? CustomerId, string? Team);

/// <summary>The anti-forgery token to send as <c>X-XSRF-TOKEN</c> with cookie-authenticated changes.</summary>
public sealed record AntiforgeryResponse(string Token, string HeaderName);

/// <summary>A new user (admins only); see <see cref="NewUserRules"/>.</summary>
public sealed record NewUserRequest(string? UserName, string? Password, UserRole Role, string? CustomerId, string? Team);

/// <summary>A user as listed (no hash).</summary>
public sealed record UserResponse(string UserName, UserRole Role, string? CustomerId, string? Team, bool LockedOut);

/// <summary>A new API key: <c>customer</c> scope (acts as a user of the customer) or <c>ingestion</c> (checks and heartbeats only).</summary>
public sealed record NewApiKeyRequest(string? Name, ApiKeyScope Scope, string? CustomerId);

/// <summary>A key as listed (never the secret).</summary>
public sealed record ApiKeyResponse(string Id, string Name, ApiKeyScope Scope, string? CustomerId, Instant CreatedAt, Instant? RevokedAt);

/// <summary>A key just created: <see cref="Key"/> is shown this once and cannot be retrieved again.</summary>
public sealed record CreatedApiKeyResponse(ApiKeyResponse ApiKey, string Key);

/// <summary>Sign-in, sign-out, who am I, the anti-forgery token; users and API keys (admins).</summary>
internal static class AccountsApi
{
    public static void MapAccountsApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Sign-in");
        auth.MapPost("/sign-in", SignIn).AllowAnonymous().WithSummary("Signs a person in (sets the sign-in cookie). Locked for 15 minutes after 5 failures.");
        auth.MapPost("/sign-out", (Delegate)SignOut).WithSummary("Signs out.");
        auth.MapGet("/me", (ClaimsPrincipal user) => Me(Caller.From(user))).WithSummary("Who is signed in.");
        auth.MapGet("/antiforgery", Token).WithSummary("The anti-forgery token cookie-authenticated changes must carry.");

        var users = api.MapGroup("/users").WithTags("Users and keys");
        users.MapGet("/", ListUsers).WithSummary("Users (admins).");
        users.MapPost("/", AddUser).WithSummary("Adds a user (admins).");
        users.MapDelete("/{userName}", RemoveUser).WithSummary("Removes a user (admins).");

        var keys = api.MapGroup("/api-keys").WithTags("Users and keys");
        keys.MapGet("/", ListKeys).WithSummary("API keys, without secrets (admins).");
        keys.MapPost("/", AddKey).WithSummary("Creates an API key; the key is in the response once (admins).");
        keys.MapDelete("/{keyId}", RevokeKey).WithSummary("Revokes an API key (admins).");
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> SignIn(SignInRequest request, HttpContext http, SignInService signIn)
    {
        var (user, failure) = await signIn.CheckAsync(request.UserName ?? string.Empty, request.Password ?? string.Empty);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: failure);
        }

        var identity = new ClaimsIdentity(Caller.ClaimsFor(user), CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Ok(Me(Caller.From(new ClaimsPrincipal(identity))));
    }

    private static async Task<NoContent> SignOut(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static MeResponse Me(Caller caller) => new(caller.Name, Caller.RoleName(caller.Role), caller.CustomerId, caller.Team);

    private static Ok<AntiforgeryResponse> Token(HttpContext http, IAntiforgery antiforgery)
        => TypedResults.Ok(new AntiforgeryResponse(antiforgery.GetAndStoreTokens(http).RequestToken!, CookieAntiforgeryMiddleware.HeaderName));

    private static async Task<Results<Ok<ImmutableArray<UserResponse>>, ProblemHttpResult>> ListUsers(ClaimsPrincipal user, IGrainFactory grains, SlaClock clock)
    {
        if (!Caller.From(user).IsAdmin)
        {
            return Problems.Forbidden("Only admins manage users.");
        }

        var now = clock.Now;
        var users = await Accounts(grains).ListUsers();
        return TypedResults.Ok(users.Select(u => new UserResponse(u.UserName, u.Role, u.CustomerId, u.Team, u.LockedUntil > now)).ToImmutableArray());
    }

    private static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> AddUser(
        NewUserRequest request, ClaimsPrincipal user, IGrainFactory grains, SignInService signIn)
    {
        if (!Caller.From(user).IsAdmin)
        {
            return Problems.Forbidden("Only admins manage users.");
        }

        var errors = new InputErrors();
        foreach (var (field, message) in NewUserRules.Check(request.UserName, request.Password, request.Role, request.CustomerId))
        {
            errors.Add(field, message);
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        if (request.CustomerId is { } customer && !await CustomersApi.Exists(grains, customer))
        {
            return Problems.Invalid("customerId", $"Customer '{customer}' does not exist.");
        }

        var account = signIn.NewUser(request.UserName!, request.Password!, request.Role, request.CustomerId, request.Team);
        if (!await Accounts(grains).AddUser(account))
        {
            return Problems.Conflict($"User '{request.UserName}' already exists.");
        }

        return TypedResults.Created($"/api/v1/users/{account.UserName}", new UserResponse(account.UserName, account.Role, account.CustomerId, account.Team, false));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveUser(string userName, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = Caller.From(user);
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only admins manage users.");
        }

        if (string.Equals(userName, caller.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Conflict("An admin cannot remove their own account.");
        }

        return await Accounts(grains).RemoveUser(userName) ? TypedResults.NoContent() : Problems.NotFound($"User '{userName}'");
    }

    private static async Task<Results<Ok<ImmutableArray<ApiKeyResponse>>, ProblemHttpResult>> ListKeys(ClaimsPrincipal user, IGrainFactory grains)
        => Caller.From(user).IsAdmin
            ? TypedResults.Ok((await Accounts(grains).ListApiKeys()).Select(Response).ToImmutableArray())
            : Problems.Forbidden("Only admins manage API keys.");

    private static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem, ProblemHttpResult>> AddKey(
        NewApiKeyRequest request, ClaimsPrincipal user, IGrainFactory grains, SlaClock clock)
    {
        if (!Caller.From(user).IsAdmin)
        {
            return Problems.Forbidden("Only admins manage API keys.");
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Problems.Invalid("name", "A key needs a name saying what uses it.");
        }

        if (request.Scope == ApiKeyScope.Customer && string.IsNullOrWhiteSpace(request.CustomerId))
        {
            return Problems.Invalid("customerId", "A customer-scoped key is bound to one customer.");
        }

        if (request.CustomerId is { } customer && !await CustomersApi.Exists(grains, customer))
        {
            return Problems.Invalid("customerId", $"Customer '{customer}' does not exist.");
        }

        var (record, key) = ApiKeys.Create(request.Name.Trim(), request.Scope, request.CustomerId, clock.Now);
        await Accounts(grains).AddApiKey(record);
        return TypedResults.Created($"/api/v1/api-keys/{record.KeyId}", new CreatedApiKeyResponse(Response(record), key));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(string keyId, ClaimsPrincipal user, IGrainFactory grains, SlaClock clock)
    {
        if (!Caller.From(user).IsAdmin)
        {
            return Problems.Forbidden("Only admins manage API keys.");
        }

        return await Accounts(grains).RevokeApiKey(keyId, clock.Now) ? TypedResults.NoContent() : Problems.NotFound($"API key '{keyId}'");
    }

    private static ApiKeyResponse Response(ApiKeyRecord k) => new(k.KeyId, k.Name, k.Scope, k.CustomerId, k.CreatedAt, k.RevokedAt);

    private static IAccountsGrain Accounts(IGrainFactory grains) => grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);
}
