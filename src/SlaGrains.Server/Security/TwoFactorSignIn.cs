using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using SlaGrains.Application.Accounts;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.Security;

/// <summary>The answer to a right password when a second factor is needed: no session yet, only the continuation.</summary>
/// <param name="TwoFactorRequired">Always true: send a code to <c>POST /api/v1/auth/sign-in/two-factor</c>.</param>
/// <param name="Continuation">Proves the password was right, for this user, until <paramref name="ExpiresAt"/>; send it with the code.</param>
/// <param name="ExpiresAt">When the continuation stops being accepted (5 minutes after the password).</param>
public sealed record TwoFactorRequiredResponse(bool TwoFactorRequired, string Continuation, Instant ExpiresAt);

/// <summary>The second step of a sign-in: the continuation from the first, and a current code or a recovery code.</summary>
public sealed record TwoFactorSignInRequest(string? Continuation, string? Code, string? RecoveryCode);

/// <summary>What the second step came to: the user signed in, or why not.</summary>
/// <param name="User">The user, when the code was right.</param>
/// <param name="Failure">Why refused.</param>
/// <param name="RetryAfter">Set when refused for too many attempts (429).</param>
/// <param name="InvalidField">Set when the input itself is bad (400): the field.</param>
internal sealed record TwoFactorOutcome(UserAccount? User, string? Failure, TimeSpan? RetryAfter = null, string? InvalidField = null);

/// <summary>
/// The second step of signing in. After the password, a user with a second factor gets no cookie but a continuation:
/// their name, security stamp and an expiry, protected with the server's data-protection keys (so it cannot be made
/// or altered, and a new password, which rotates the stamp, voids it). It is not a session: nothing but this step
/// accepts it. The code step takes a token from the same per-address and per-name limits as passwords, and wrong
/// codes delay the name like wrong passwords (the accounts grain counts them).
/// </summary>
internal sealed class TwoFactorSignIn(
    IDataProtectionProvider protection,
    SlaClock clock,
    SignInLimits limits,
    SignInService signIn,
    TwoFactorCommands twoFactor,
    IGrainFactory grains,
    ILogger<TwoFactorSignIn> logger)
{
    /// <summary>How long the password step is good for.</summary>
    public static readonly Duration ContinuationLifetime = Duration.FromMinutes(5);

    /// <summary>The cookie the sign-in page keeps the continuation in between the password and the code (nothing else reads it).</summary>
    public const string PendingCookie = "slagrains.two-factor";

    /// <summary>The longest continuation taken (a real one is a few hundred characters).</summary>
    private const int MaxContinuationLength = 2_000;

    private readonly IDataProtector _protector = protection.CreateProtector("SlaGrains.TwoFactor.Continuation.v1");

    /// <summary>Whether the user must give a second factor before being signed in.</summary>
    public Task<bool> NeededFor(UserAccount user) => twoFactor.IsEnabled(user.UserName);

    /// <summary>The continuation for a user whose password was right.</summary>
    public TwoFactorRequiredResponse Continue(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var expires = clock.Now + ContinuationLifetime;
        var payload = string.Join('\n', "v1", user.UserName, user.SecurityStamp ?? string.Empty, expires.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return new TwoFactorRequiredResponse(true, _protector.Protect(payload), expires);
    }

    /// <summary>The cookie principal for a user just signed in, marked with how they stand with the second factor.</summary>
    public ClaimsPrincipal PrincipalFor(UserAccount user, bool verified)
    {
        ArgumentNullException.ThrowIfNull(user);
        var principal = signIn.PrincipalFor(user);
        var state = verified ? TwoFactorCommands.Verified : twoFactor.RequiredFor(user.Role) ? TwoFactorCommands.EnrolmentRequired : TwoFactorCommands.NotUsed;
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(TwoFactorCommands.StateClaim, state));
        return principal;
    }

    /// <summary>Checks the second step: a live continuation and a right, unused code (or recovery code).</summary>
    public async Task<TwoFactorOutcome> CheckAsync(TwoFactorSignInRequest request, IPAddress? address)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = new TwoFactorCodeInput(request.Code, request.RecoveryCode);
        if (TwoFactorCommands.CheckInput(input) is { } invalid)
        {
            var (field, messages) = invalid.Errors!.First();
            return new TwoFactorOutcome(null, messages[0], InvalidField: field);
        }

        if (string.IsNullOrEmpty(request.Continuation) || request.Continuation.Length > MaxContinuationLength || Unprotect(request.Continuation) is not { } pending)
        {
            return new TwoFactorOutcome(null, "The sign-in has expired or is not valid: sign in with your password again.", InvalidField: "continuation");
        }

        if (limits.TryAcquire(address, pending.UserName) is { } wait)
        {
            return new TwoFactorOutcome(null, $"Too many sign-in attempts; try again in {Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds))} s.", wait);
        }

        var user = await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).FindUser(pending.UserName);
        if (user is null || !string.Equals(user.SecurityStamp ?? string.Empty, pending.Stamp, StringComparison.Ordinal))
        {
            return new TwoFactorOutcome(null, "The sign-in has expired or is not valid: sign in with your password again.", InvalidField: "continuation");
        }

        var check = await twoFactor.Verify(user.UserName, input);
        if (check.RetryAt is { } retryAt)
        {
            var delay = (retryAt - clock.Now).ToTimeSpan();
            return new TwoFactorOutcome(null, $"Too many wrong codes; try again in {Math.Max(1, (long)Math.Ceiling(delay.TotalSeconds))} s.", delay);
        }

        if (!check.Succeeded)
        {
            logger.LogWarning("A wrong or reused two-factor code for {User}", user.UserName);
            return new TwoFactorOutcome(null, "The code is wrong or was already used.");
        }

        if (!string.IsNullOrWhiteSpace(request.RecoveryCode))
        {
            logger.LogWarning("{User} signed in with a recovery code; {Left} left", user.UserName, check.RecoveryCodesLeft);
        }

        return new TwoFactorOutcome(user, null);
    }

    private (string UserName, string Stamp)? Unprotect(string continuation)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(continuation);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('\n');
        if (parts is not ["v1", var name, var stamp, var expires] || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return null;
        }

        return clock.Now < Instant.FromUnixTimeMilliseconds(ms) ? (name, stamp) : null;
    }
}
