using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using SlaGrains.Application.Accounts;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.Security;

/// <summary>What a sign-in attempt came to.</summary>
/// <param name="User">The signed-in user; null when refused.</param>
/// <param name="Failure">Why it was refused, for people (the same words for unknown names and wrong passwords).</param>
/// <param name="RetryAfter">Set when refused for too many attempts (429): how long to wait.</param>
/// <param name="InvalidField">Set when the input itself is out of bounds (400): the field.</param>
internal sealed record SignInOutcome(UserAccount? User, string? Failure, TimeSpan? RetryAfter = null, string? InvalidField = null);

/// <summary>
/// Checks a password against the stored hash, guarded three ways: a rate limit per client address and one per user
/// name (<see cref="SignInLimits"/>, in this server's memory), and the accounts grain's count of consecutive failures,
/// which delays the name (<see cref="SignInLockout"/>: 1 minute after 5 failures, doubling, at most 15) and is
/// reserved before the hash is checked, so a parallel burst checks at most 5 passwords. Unknown names are checked
/// against a dummy hash and limited the same way, so they answer the same, in about the same time.
/// </summary>
internal sealed class SignInService(
    IGrainFactory grains,
    IPasswordHasher<UserAccount> hasher,
    SlaClock clock,
    SignInLimits limits,
    SecurityStamps stamps)
{
    /// <summary>The one answer to a wrong password and to an unknown name.</summary>
    public const string WrongCredentials = "Unknown user name or wrong password.";

    /// <summary>The claim carrying the user's security stamp as it was at sign-in.</summary>
    public const string StampClaim = "slagrains:stamp";

    /// <summary>The claim carrying the sign-in instant (Unix milliseconds), for the absolute lifetime.</summary>
    public const string SignedInAtClaim = "slagrains:signed-in-at";

    /// <summary>
    /// A hash of a random password in the current format: unknown names are verified against it, taking as long as a
    /// real check. Made when the service is (the first sign-in), not on the first unknown name, which would stand out.
    /// </summary>
    private readonly (UserAccount User, string Hash) _dummy = Dummy(hasher);

    private IAccountsGrain Accounts => grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);

    /// <summary>The user when the password is right and neither the address nor the name is limited; otherwise why not.</summary>
    public async Task<SignInOutcome> CheckAsync(string userName, string password, IPAddress? address)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        // New names have at most 64 characters; accounts made before that bound have up to 200 and still sign in.
        if (userName.Length > SlaGrains.Application.Bounds.NameLength)
        {
            return new SignInOutcome(null, $"A user name has at most {SlaGrains.Application.Bounds.NameLength} characters.", InvalidField: "userName");
        }

        if (password.Length > AccountCommands.MaxPasswordLength)
        {
            return new SignInOutcome(null, $"A password has at most {AccountCommands.MaxPasswordLength:N0} characters.", InvalidField: "password");
        }

        if (limits.TryAcquire(address, userName) is { } wait)
        {
            return new SignInOutcome(null, $"Too many sign-in attempts; try again in {Seconds(wait)} s.", wait);
        }

        var now = clock.Now;
        var attempt = await Accounts.BeginSignIn(userName, now);
        if (attempt.RetryAt is { } retryAt)
        {
            var delay = (retryAt - now).ToTimeSpan();
            return new SignInOutcome(null, $"Sign-in for this user name is locked after {SignInLockout.MaxFailures} failed attempts; try again in {Seconds(delay)} s.", delay);
        }

        // Unknown or not, one hash is verified and the grain is told the outcome: the same work, the same answer.
        var (user, hash) = attempt.User is { } known ? (known, known.PasswordHash) : _dummy;
        var verdict = hasher.VerifyHashedPassword(user, hash, password);
        var succeeded = attempt.User is not null && verdict != PasswordVerificationResult.Failed;
        var rehashed = succeeded && verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(user, password) : null;
        await Accounts.EndSignIn(userName, succeeded, rehashed);
        return succeeded ? new SignInOutcome(attempt.User! with { FailedSignIns = 0, LockedUntil = null }, null) : new SignInOutcome(null, WrongCredentials);
    }

    /// <summary>The cookie principal of a user just signed in: who they are, their stamp and when they signed in.</summary>
    public ClaimsPrincipal PrincipalFor(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        List<Claim> claims =
        [
            .. Caller.ClaimsFor(user),
            new(StampClaim, user.SecurityStamp ?? string.Empty),
            new(SignedInAtClaim, clock.Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>Signs the person out everywhere: their stamp is rotated, so every cookie issued before is refused.</summary>
    public async Task EndSessionsAsync(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme, Name: { } name })
        {
            await Accounts.EndSessions(name);
            stamps.Forget(name);
        }
    }

    /// <summary>A new account with the password hashed.</summary>
    public UserAccount NewUser(string userName, string password, UserRole role, string? customerId, string? team)
    {
        var user = new UserAccount(userName.Trim(), string.Empty, role, customerId, team);
        return user with { PasswordHash = hasher.HashPassword(user, password) };
    }

    private static (UserAccount User, string Hash) Dummy(IPasswordHasher<UserAccount> hasher)
    {
        var user = new UserAccount("dummy", string.Empty, UserRole.Customer, null, null);
        return (user, hasher.HashPassword(user, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
    }

    private static long Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
}
