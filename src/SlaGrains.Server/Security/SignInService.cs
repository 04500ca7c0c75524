using Microsoft.AspNetCore.Identity;
using SlaGrains.Contracts.Accounts;

using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.Security;

/// <summary>
/// Checks a password against the stored hash, with lock-out: after <see cref="MaxFailures"/> consecutive failures
/// the account is refused for <see cref="LockoutDuration"/>, whatever the password.
/// </summary>
internal sealed class SignInService(IGrainFactory grains, IPasswordHasher<UserAccount> hasher, SlaClock clock)
{
    public const int MaxFailures = 5;
    public static readonly Duration LockoutDuration = Duration.FromMinutes(15);

    private IAccountsGrain Accounts => grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);

    /// <summary>The user when the password is right and the account not locked out; otherwise null and why.</summary>
    public async Task<(UserAccount? User, string? Failure)> CheckAsync(string userName, string password)
    {
        var now = clock.Now;
        var user = await Accounts.FindUser(userName);
        if (user is null)
        {
            return (null, "Unknown user name or wrong password.");
        }

        if (user.LockedUntil is { } until && until > now)
        {
            return (null, $"The account is locked after {MaxFailures} failed sign-ins; try again after {until:uuuu-MM-dd'T'HH:mm:ss'Z'}.");
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = user.FailedSignIns + 1;
            await Accounts.UpdateUser(user with
            {
                FailedSignIns = failures >= MaxFailures ? 0 : failures,
                LockedUntil = failures >= MaxFailures ? now + LockoutDuration : user.LockedUntil,
            });
            return (null, "Unknown user name or wrong password.");
        }

        var signedIn = user with
        {
            FailedSignIns = 0,
            LockedUntil = null,
            PasswordHash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(user, password) : user.PasswordHash,
        };
        if (signedIn != user)
        {
            await Accounts.UpdateUser(signedIn);
        }

        return (signedIn, null);
    }

    /// <summary>A new account with the password hashed.</summary>
    public UserAccount NewUser(string userName, string password, UserRole role, string? customerId, string? team)
    {
        var user = new UserAccount(userName.Trim(), string.Empty, role, customerId, team);
        return user with { PasswordHash = hasher.HashPassword(user, password) };
    }
}
