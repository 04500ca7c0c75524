using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using SlaGrains.Application.Accounts;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Api;

namespace SlaGrains.Server.Security;

/// <summary>A sign-in: user name and password.</summary>
public sealed record SignInRequest(string? UserName, string? Password);

/// <summary>Who is signed in.</summary>
public sealed record MeResponse(string Name, string Role, string? CustomerId, string? Team);

/// <summary>The anti-forgery token to send as <c>X-XSRF-TOKEN</c> with cookie-authenticated changes.</summary>
public sealed record AntiforgeryResponse(string Token, string HeaderName);

/// <summary>Sign-in, sign-out, who am I, the anti-forgery token; users and API keys (admins).</summary>
internal static class AccountsApi
{
    public static void MapAccountsApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Sign-in");
        auth.MapPost("/sign-in", SignIn).AllowAnonymous()
            .Produces<MeResponse>().Produces<TwoFactorRequiredResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesValidationProblem()
            .WithSummary("Signs a person in (sets the sign-in cookie); for a person with two-factor sign-in, 202 with a continuation and no cookie: send it with a code to POST /api/v1/auth/sign-in/two-factor. 429 with Retry-After when the client address or the user name made too many attempts; after 5 failures in a row the name waits 1 minute, doubling per failure up to 15.");
        auth.MapPost("/sign-out", (Delegate)SignOut).WithSummary("Signs out: ends every session of the signed-in user (on every device).");
        auth.MapGet("/me", (ClaimsPrincipal user) => Me(Caller.From(user))).WithSummary("Who is signed in.");
        auth.MapGet("/antiforgery", Token).WithSummary("The anti-forgery token cookie-authenticated changes must carry.");

        var me = api.MapGroup("/me").WithTags("Sign-in");
        me.MapGet("/preferences", async (ClaimsPrincipal user, Preferences preferences) => ApiResults.Ok(await preferences.Get(Caller.From(user))))
            .Produces<PreferencesResponse>().WithSummary("The signed-in person's settings: the IANA time zone times are shown in (null: the browser's).");
        me.MapPut("/preferences", async (PreferencesInput request, ClaimsPrincipal user, Preferences preferences) => ApiResults.Ok(await preferences.Set(Caller.From(user), request)))
            .Produces<PreferencesResponse>().ProducesValidationProblem().WithSummary("Sets the signed-in person's time zone (an IANA id such as Europe/Berlin; null follows the browser) and email (an address; \"\" removes it; omitted keeps it). Sessions go on.");

        me.MapGet("/notification-preferences", async (ClaimsPrincipal user, NotificationPreferences preferences) => ApiResults.Ok(await preferences.GetMine(Caller.From(user))))
            .Produces<NotificationPreferencesResponse>().WithTags("Notifications")
            .WithSummary("Who gets what: the signed-in person's notification preferences (kind × channel → off, immediately, hourlyDigest, dailyDigest), working hours, quiet hours, own Slack/Teams webhooks.");
        me.MapPut("/notification-preferences", async (NotificationPreferencesInput request, ClaimsPrincipal user, NotificationPreferences preferences) => ApiResults.Ok(await preferences.SetMine(Caller.From(user), request)))
            .Produces<NotificationPreferencesResponse>().ProducesValidationProblem().WithTags("Notifications")
            .WithSummary("Replaces the signed-in person's notification preferences; 400 naming the field (e.g. deliveries[breach].email) for bad input, or quietOutsideWorkingHours without working hours.");

        var users = api.MapGroup("/users").WithTags("Users and keys").AcceptsKeys(ApiKeyScope.Admin);
        users.MapGet("/{userName}/notification-preferences", async (string userName, ClaimsPrincipal user, NotificationPreferences preferences) => ApiResults.Ok(await preferences.Get(Caller.From(user), userName)))
            .Produces<NotificationPreferencesResponse>().WithSummary("A user's notification preferences (admins).");
        users.MapPut("/{userName}/notification-preferences", async (string userName, NotificationPreferencesInput request, ClaimsPrincipal user, NotificationPreferences preferences) => ApiResults.Ok(await preferences.Set(Caller.From(user), userName, request)))
            .Produces<NotificationPreferencesResponse>().ProducesValidationProblem().WithSummary("Replaces a user's notification preferences (admins).");
        users.MapGet("/", async (ClaimsPrincipal user, AccountQueries accounts) => ApiResults.Ok(await accounts.Users(Caller.From(user))))
            .Produces<ImmutableArray<UserResponse>>().WithSummary("Users (admins).");
        users.MapPost("/", AddUser).Produces<UserResponse>(StatusCodes.Status201Created).WithSummary("Adds a user (admins).");
        users.MapDelete("/{userName}", async (string userName, ClaimsPrincipal user, AccountCommands accounts) => NoContentOr(await accounts.RemoveUser(Caller.From(user), userName)))
            .Produces(StatusCodes.Status204NoContent).WithSummary("Removes a user (admins); their sessions end.");
        users.MapPut("/{userName}", async (string userName, ChangeUserRequest request, ClaimsPrincipal user, AccountCommands accounts) => ApiResults.Ok(await accounts.ChangeUser(Caller.From(user), userName, request)))
            .Produces<UserResponse>().WithSummary("Changes a user's role, customer and team (admins); a change ends the user's sessions.");
        users.MapPut("/{userName}/email", async (string userName, UserEmailRequest request, ClaimsPrincipal user, AccountCommands accounts) => ApiResults.Ok(await accounts.SetEmail(Caller.From(user), userName, request)))
            .Produces<UserResponse>().ProducesValidationProblem().WithSummary("Sets a user's email address (admins): {\"email\": \"morgan@example.com\"}; null or \"\" removes it. Sessions go on.");
        users.MapPut("/{userName}/password", SetPassword)
            .Produces<UserResponse>().WithSummary("Sets a user's password (admins); it ends the user's sessions.");
        users.MapPost("/{userName}/unlock", async (string userName, ClaimsPrincipal user, AccountCommands accounts) => ApiResults.Ok(await accounts.Unlock(Caller.From(user), userName)))
            .Produces<UserResponse>().WithSummary("Clears a user's failed sign-ins and the delay they caused (admins).");

        var keys = api.MapGroup("/api-keys").WithTags("Users and keys").AcceptsKeys(ApiKeyScope.Admin);
        keys.MapGet("/", async (ClaimsPrincipal user, AccountQueries accounts) => ApiResults.Ok(await accounts.ApiKeys(Caller.From(user))))
            .Produces<ImmutableArray<ApiKeyResponse>>().WithSummary("API keys, without secrets (admins).");
        keys.MapPost("/", AddKey).Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created).WithSummary("Creates an API key; the key is in the response once (admins).");
        keys.MapDelete("/{keyId}", async (string keyId, ClaimsPrincipal user, AccountCommands accounts) => NoContentOr(await accounts.RevokeApiKey(Caller.From(user), keyId)))
            .Produces(StatusCodes.Status204NoContent).WithSummary("Revokes an API key (admins).");
        keys.MapPost("/{keyId}/rotate", RotateKey).Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .WithSummary("Rotates an API key (admins): a new key with the same name, scope and customers, in the response once; the old key works on for overlapHours (0–720, default 24), then expires. Body: {\"overlapHours\": 24, \"expiresAt\": null}.");
    }

    private static async Task<IResult> SignIn(SignInRequest request, HttpContext http, SignInService signIn, TwoFactorSignIn twoFactor)
    {
        var outcome = await signIn.CheckAsync(request.UserName ?? string.Empty, request.Password ?? string.Empty, http.Connection.RemoteIpAddress);
        if (outcome.InvalidField is { } field)
        {
            return Problems.Invalid(field, outcome.Failure!);
        }

        if (outcome.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds(wait);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts", detail: outcome.Failure);
        }

        if (outcome.User is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: outcome.Failure);
        }

        // Two-factor sign-in: no session until the code (POST /auth/sign-in/two-factor), only the continuation.
        if (await twoFactor.NeededFor(user))
        {
            return TypedResults.Accepted((string?)null, twoFactor.Continue(user));
        }

        var principal = twoFactor.PrincipalFor(user, verified: false);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return TypedResults.Ok(Me(Caller.From(principal)));
    }

    /// <summary>Whole seconds, rounded up (a client waiting that long is let in).</summary>
    public static string RetryAfterSeconds(TimeSpan wait)
        => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ends every session of the signed-in user (their stamp is rotated) and deletes this cookie.</summary>
    private static async Task<NoContent> SignOut(HttpContext http, SignInService signIn)
    {
        await signIn.EndSessionsAsync(http.User);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static MeResponse Me(Caller caller) => new(caller.Name, Caller.RoleName(caller.Role), caller.CustomerId, caller.Team);

    private static Ok<AntiforgeryResponse> Token(HttpContext http, IAntiforgery antiforgery)
        => TypedResults.Ok(new AntiforgeryResponse(antiforgery.GetAndStoreTokens(http).RequestToken!, CookieAntiforgeryMiddleware.HeaderName));

    /// <summary>As the admin page: the password is hashed with the host's hasher, never stored in clear.</summary>
    private static async Task<IResult> AddUser(NewUserRequest request, ClaimsPrincipal user, AccountCommands accounts, IPasswordHasher<UserAccount> hasher)
    {
        var added = await accounts.AddUser(Caller.From(user), request, hasher.HashPassword);
        return added.Succeeded ? TypedResults.Created($"/api/v1/users/{added.Value.UserName}", added.Value) : ApiResults.Problem(added.Failure);
    }

    private static async Task<IResult> SetPassword(string userName, NewPasswordRequest request, ClaimsPrincipal user, AccountCommands accounts, IPasswordHasher<UserAccount> hasher)
        => ApiResults.Ok(await accounts.SetPassword(Caller.From(user), userName, request, hasher.HashPassword));

    private static async Task<IResult> AddKey(NewApiKeyRequest request, ClaimsPrincipal user, AccountCommands accounts)
    {
        var created = await accounts.CreateApiKey(Caller.From(user), request);
        return created.Succeeded ? TypedResults.Created($"/api/v1/api-keys/{created.Value.ApiKey.Id}", created.Value) : ApiResults.Problem(created.Failure);
    }

    private static async Task<IResult> RotateKey(string keyId, RotateApiKeyRequest request, ClaimsPrincipal user, AccountCommands accounts)
    {
        var rotated = await accounts.RotateApiKey(Caller.From(user), keyId, request);
        return rotated.Succeeded ? TypedResults.Created($"/api/v1/api-keys/{rotated.Value.ApiKey.Id}", rotated.Value) : ApiResults.Problem(rotated.Failure);
    }

    private static IResult NoContentOr<T>(Result<T> result) => result.Succeeded ? TypedResults.NoContent() : ApiResults.Problem(result.Failure);
}
