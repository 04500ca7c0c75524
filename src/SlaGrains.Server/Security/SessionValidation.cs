using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using SlaGrains.Application.Accounts;
using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.Security;

/// <summary>How long a sign-in lasts (configuration section <c>Sessions</c>).</summary>
public sealed class SessionOptions
{
    /// <summary>A session ends this long after sign-in however active it is (besides the sliding 8 hours of inactivity). Default 24.</summary>
    public double AbsoluteLifetimeHours { get; set; } = 24;
}

/// <summary>
/// Checks every cookie-authenticated request: the cookie's security stamp must still be the user's (it is not after a
/// sign-out, a new password, role, customer or team, and there is none once the user is deleted), and the sign-in
/// must be younger than the absolute lifetime. Stamps are read through <see cref="SecurityStamps"/> (≤ 30 s old).
/// A refused cookie is deleted and the request goes on unauthenticated (401 on the API, the sign-in page for pages).
/// </summary>
internal sealed class SessionValidation(SecurityStamps stamps, SlaClock clock, IOptions<SessionOptions> options)
{
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await IsCurrentAsync(context.Principal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>Whether the signed-in principal's session is still current (its stamp is the user's, its sign-in recent enough).</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal? principal)
    {
        var name = principal?.Identity?.Name;
        var stamp = principal?.FindFirst(SignInService.StampClaim)?.Value;
        var signedInAt = principal?.FindFirst(SignInService.SignedInAtClaim)?.Value;

        // A cookie from before stamps existed carries neither claim: it is refused once, and the person signs in again.
        if (name is null || stamp is null || !long.TryParse(signedInAt, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMilliseconds))
        {
            return false;
        }

        var age = clock.Now - Instant.FromUnixTimeMilliseconds(unixMilliseconds);
        if (age > Duration.FromTimeSpan(TimeSpan.FromHours(options.Value.AbsoluteLifetimeHours)))
        {
            return false;
        }

        return await stamps.CurrentAsync(name) is { } current && string.Equals(current, stamp, StringComparison.Ordinal);
    }
}

/// <summary>
/// The same check for open Blazor circuits, which outlive the request that started them: every 30 seconds the
/// circuit's user is checked again, and a session that has ended turns the page into the sign-in redirect.
/// </summary>
internal sealed class CircuitSessionRevalidation(ILoggerFactory loggerFactory, SessionValidation validation)
    : Microsoft.AspNetCore.Components.Server.RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(Microsoft.AspNetCore.Components.Authorization.AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        return authenticationState.User.Identity?.IsAuthenticated != true || await validation.IsCurrentAsync(authenticationState.User);
    }
}
