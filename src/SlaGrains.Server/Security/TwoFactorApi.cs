using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SlaGrains.Application.Accounts;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Api;

namespace SlaGrains.Server.Security;

/// <summary>
/// Two-factor sign-in: the second sign-in step, the signed-in person's enrolment (start, confirm, turn off) and an
/// admin's view and reset of a user's second factor.
/// </summary>
internal static class TwoFactorApi
{
    public static void MapTwoFactorApi(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/sign-in/two-factor", SignIn).AllowAnonymous().AcceptsKeys().WithTags("Sign-in")
            .Produces<MeResponse>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesValidationProblem()
            .WithSummary("The second step of signing in a person with two-factor sign-in: the continuation POST /api/v1/auth/sign-in answered (202) and a current code from the authenticator app (code) or an unused recovery code (recoveryCode). Sets the sign-in cookie. A code counts once; wrong codes are limited like wrong passwords.");

        var mine = api.MapGroup("/me/two-factor").WithTags("Sign-in").AcceptsKeys();
        mine.MapGet("/", async (ClaimsPrincipal user, TwoFactorCommands twoFactor) => ApiResults.Ok(await twoFactor.Status(Caller.From(user))))
            .Produces<TwoFactorStatusResponse>().WithSummary("The signed-in person's two-factor sign-in: on or not, an enrolment pending, recovery codes left, whether it is required of them.");
        mine.MapPost("/enrolment", async (ClaimsPrincipal user, TwoFactorCommands twoFactor) => ApiResults.Ok(await twoFactor.Start(Caller.From(user))))
            .Produces<TwoFactorEnrolmentResponse>()
            .WithSummary("Starts enrolment: a new secret (160 bits) kept pending, as Base32 text, an otpauth://totp URI and its QR code (SVG). Sign-in is unchanged until it is confirmed.");
        mine.MapPost("/enrolment/confirm", Confirm)
            .Produces<RecoveryCodesResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Confirms the pending secret with a current code ({\"code\": \"123456\"}): two-factor sign-in is on, and the 10 recovery codes are in this response only (stored hashed). The sign-in cookie is re-issued as signed in with a second factor: fetch a new anti-forgery token for further changes.");
        mine.MapPost("/disable", async (TwoFactorCodeInput request, ClaimsPrincipal user, TwoFactorCommands twoFactor) => ApiResults.Ok(await twoFactor.Disable(Caller.From(user), request)))
            .Produces<TwoFactorStatusResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Turns two-factor sign-in off, with a current code (code) or a recovery code (recoveryCode); 409 while Security:RequireTwoFactorForAdmins requires it of an admin.");

        var users = api.MapGroup("/users").WithTags("Users and keys").AcceptsKeys(ApiKeyScope.Admin);
        users.MapGet("/{userName}/two-factor", async (string userName, ClaimsPrincipal user, TwoFactorCommands twoFactor) => ApiResults.Ok(await twoFactor.Of(Caller.From(user), userName)))
            .Produces<UserTwoFactorResponse>().WithSummary("A user's two-factor sign-in and its history: enabled, disabled, reset by whom (admins).");
        users.MapDelete("/{userName}/two-factor", async (string userName, ClaimsPrincipal user, TwoFactorCommands twoFactor) => ApiResults.Ok(await twoFactor.Reset(Caller.From(user), userName)))
            .Produces<UserTwoFactorResponse>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Resets a user's two-factor sign-in (a lost phone): it is turned off, the reset is recorded with the admin's name, and the user's sessions end (admins; not their own).");
    }

    private static async Task<IResult> SignIn(TwoFactorSignInRequest request, HttpContext http, TwoFactorSignIn twoFactor)
    {
        var outcome = await twoFactor.CheckAsync(request, http.Connection.RemoteIpAddress);
        if (outcome.InvalidField is { } field)
        {
            return Problems.Invalid(field, outcome.Failure!);
        }

        if (outcome.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = AccountsApi.RetryAfterSeconds(wait);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts", detail: outcome.Failure);
        }

        if (outcome.User is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: outcome.Failure);
        }

        var principal = twoFactor.PrincipalFor(user, verified: true);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        var caller = Caller.From(principal);
        return TypedResults.Ok(new MeResponse(caller.Name, Caller.RoleName(caller.Role), caller.CustomerId, caller.Team));
    }

    /// <summary>Confirms, and re-issues this session's cookie as signed in with a second factor (an admin who had to enrol may now use everything).</summary>
    private static async Task<IResult> Confirm(TwoFactorCodeInput request, HttpContext http, TwoFactorCommands twoFactor, TwoFactorSignIn signIn, IGrainFactory grains)
    {
        var caller = Caller.From(http.User);
        var confirmed = await twoFactor.Confirm(caller, request);
        if (!confirmed.Succeeded)
        {
            return ApiResults.Problem(confirmed.Failure);
        }

        await Upgrade(http, signIn, grains);
        return TypedResults.Ok(confirmed.Value);
    }

    /// <summary>Re-issues the cookie of the person signed in on <paramref name="http"/> as having proved a second factor.</summary>
    public static async Task Upgrade(HttpContext http, TwoFactorSignIn signIn, IGrainFactory grains)
    {
        if (http.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme, Name: { } name }
            && await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).FindUser(name) is { } account)
        {
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, signIn.PrincipalFor(account, verified: true));
        }
    }
}

/// <summary>The security page's way to re-issue the cookie once an enrolment is confirmed.</summary>
internal sealed class TwoFactorSession(TwoFactorSignIn signIn, IGrainFactory grains) : SlaGrains.Ui.Services.ITwoFactorSession
{
    public Task MarkVerifiedAsync(HttpContext http) => TwoFactorApi.Upgrade(http, signIn, grains);
}
