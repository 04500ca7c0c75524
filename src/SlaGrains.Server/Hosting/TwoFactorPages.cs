using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// The sign-in page's second step: after the password the continuation waits in its own cookie
/// (<see cref="TwoFactorSignIn.PendingCookie"/>: HTTP-only, strict same-site, as long as the continuation lives, and
/// not a session: nothing but this form reads it), and the code's form posts here.
/// </summary>
internal static class TwoFactorPages
{
    /// <summary>The page asking for the code (and where its form posts).</summary>
    public const string CodePage = "/signin/two-factor";

    /// <summary>Keeps the continuation for the code's page.</summary>
    public static void KeepPending(HttpContext http, TwoFactorRequiredResponse pending)
        => http.Response.Cookies.Append(TwoFactorSignIn.PendingCookie, pending.Continuation, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = CodePage,
            MaxAge = TwoFactorSignIn.ContinuationLifetime.ToTimeSpan(),
        });

    /// <summary>The code's form: signs in and lands as the password form does, or back to the form with the reason.</summary>
    public static async Task<IResult> SignIn([FromForm] string? code, [FromForm] string? recoveryCode, HttpContext http, TwoFactorSignIn twoFactor)
    {
        var continuation = http.Request.Cookies[TwoFactorSignIn.PendingCookie];
        if (string.IsNullOrEmpty(continuation))
        {
            return Results.Redirect($"/signin?error={Uri.EscapeDataString("The sign-in has expired: sign in with your password again.")}");
        }

        var outcome = await twoFactor.CheckAsync(new TwoFactorSignInRequest(continuation, code, recoveryCode), http.Connection.RemoteIpAddress);
        if (outcome.User is not { } user)
        {
            return outcome.InvalidField == "continuation"
                ? Results.Redirect($"/signin?error={Uri.EscapeDataString(outcome.Failure ?? "Sign-in failed.")}")
                : Results.Redirect($"{CodePage}?error={Uri.EscapeDataString(outcome.Failure ?? "Sign-in failed.")}");
        }

        http.Response.Cookies.Delete(TwoFactorSignIn.PendingCookie, new CookieOptions { Path = CodePage });
        var principal = twoFactor.PrincipalFor(user, verified: true);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return Results.Redirect(UiHosting.Landing(Caller.From(principal)));
    }
}
