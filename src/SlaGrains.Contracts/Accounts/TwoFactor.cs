using System.Collections.Immutable;

namespace SlaGrains.Contracts.Accounts;

/// <summary>
/// Two-factor sign-in (TOTP, RFC 6238) of the people in the accounts grain: the same grain as
/// <see cref="IAccountsGrain"/> (key <see cref="IAccountsGrain.Key"/>), so a user's removal removes their second factor
/// and every use of a code is judged one at a time. The codes themselves are computed by the caller; the grain keeps
/// the secret, the last time step used (a code counts once) and the recovery codes' hashes.
/// </summary>
public interface ITwoFactorAccounts : IGrainWithStringKey
{
    /// <summary>The user's second factor, or null when the user has never started enrolment (or does not exist).</summary>
    Task<TwoFactorRecord?> TwoFactorOf(string userName);

    /// <summary>Keeps <paramref name="pendingSecret"/> as the user's pending secret (an enabled one stays in force until confirmed); false when the user is unknown.</summary>
    Task<bool> StartTwoFactor(string userName, string pendingSecret);

    /// <summary>
    /// Turns the pending secret on, if it is still <paramref name="pendingSecret"/> (the code was checked against it):
    /// <paramref name="step"/> counts as used and <paramref name="recoveryCodeHashes"/> replace any earlier ones. False
    /// when the user is unknown or the pending secret changed.
    /// </summary>
    Task<bool> ConfirmTwoFactor(string userName, string pendingSecret, long step, ImmutableArray<string> recoveryCodeHashes, Instant at);

    /// <summary>
    /// Judges a second factor at sign-in (or before turning it off), one at a time: while the user is delayed after
    /// failed codes (<see cref="SignInLockout"/>) it is refused unseen; a TOTP <paramref name="step"/> (the caller found
    /// the code right for <paramref name="secret"/> at that step) counts once and only if later than the last one used;
    /// a recovery code (its hash) is consumed. A failure counts towards the delay, a success clears it.
    /// </summary>
    Task<TwoFactorCheck> CheckSecondFactor(string userName, Instant now, string? secret, long? step, string? recoveryCodeHash);

    /// <summary>Turns the user's second factor off (and drops a pending one), recording who did it; false when the user had none.</summary>
    Task<bool> DisableTwoFactor(string userName, string by, Instant at);
}

/// <summary>A user's second factor.</summary>
/// <param name="Secret">The enabled TOTP secret (Base32); null while off.</param>
/// <param name="PendingSecret">A secret being enrolled, not yet confirmed with a code; null when none.</param>
/// <param name="LastUsedStep">The latest TOTP time step accepted: a code of that step or earlier is refused (replay).</param>
/// <param name="RecoveryCodeHashes">SHA-256 (hex) of the unused recovery codes.</param>
/// <param name="EnabledAt">When the current secret was confirmed.</param>
/// <param name="FailedCodes">Consecutive wrong codes since the last right one (delays further attempts like failed passwords).</param>
/// <param name="LockedUntil">Codes refused unseen until then.</param>
/// <param name="History">What happened to the second factor (enabled, disabled, reset by an admin), newest last, at most <see cref="TwoFactorRecord.HistoryKept"/>.</param>
[GenerateSerializer]
[Alias("slagrains.two-factor")]
[Immutable]
public sealed record TwoFactorRecord(
    [property: Id(0)] string? Secret,
    [property: Id(1)] string? PendingSecret,
    [property: Id(2)] long LastUsedStep,
    [property: Id(3)] ImmutableArray<string> RecoveryCodeHashes,
    [property: Id(4)] Instant? EnabledAt,
    [property: Id(5)] int FailedCodes,
    [property: Id(6)] Instant? LockedUntil,
    [property: Id(7)] ImmutableArray<TwoFactorEvent> History)
{
    /// <summary>How many history entries are kept per user.</summary>
    public const int HistoryKept = 20;

    /// <summary>Whether a code is asked for at sign-in.</summary>
    public bool Enabled => Secret is not null;
}

/// <summary>One change to a user's second factor: when, by whom (the user or an admin) and what.</summary>
[GenerateSerializer]
[Alias("slagrains.two-factor-event")]
[Immutable]
public sealed record TwoFactorEvent([property: Id(0)] Instant At, [property: Id(1)] string By, [property: Id(2)] string What);

/// <summary>How a second factor was judged (<see cref="ITwoFactorAccounts.CheckSecondFactor"/>).</summary>
/// <param name="Succeeded">The code was right and unused.</param>
/// <param name="RetryAt">Set when refused unseen: too many wrong codes, wait until then.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes after this check.</param>
[GenerateSerializer]
[Alias("slagrains.two-factor-check")]
[Immutable]
public sealed record TwoFactorCheck([property: Id(0)] bool Succeeded, [property: Id(1)] Instant? RetryAt, [property: Id(2)] int RecoveryCodesLeft);
