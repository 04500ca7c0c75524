using System.Collections.Immutable;

namespace SlaGrains.Contracts.Accounts;

/// <summary>
/// The people who sign in and the API keys machines use (one grain, key <see cref="Key"/>). It stores only hashes;
/// hashing and the lock-out rule live in the server.
/// </summary>
public interface IAccountsGrain : IGrainWithStringKey
{
    /// <summary>The single instance's key.</summary>
    const string Key = "accounts";

    /// <summary>Adds a user; false when the name is taken (names compare case-insensitively).</summary>
    Task<bool> AddUser(UserAccount user);

    /// <summary>
    /// Adds the user only while there is no user at all; false when there already is one. Several silos starting
    /// on an empty database each try to create the first admin: exactly one of them succeeds.
    /// </summary>
    Task<bool> AddFirstUser(UserAccount user);

    /// <summary>
    /// Starts a sign-in attempt for <paramref name="userName"/> at <paramref name="now"/>, atomically: while the name
    /// is limited (<see cref="SignInAttempt.RetryAt"/>) nothing is to be checked; otherwise the attempt is counted as a
    /// failure up front (so a burst of parallel attempts checks at most <see cref="SignInLockout.MaxFailures"/>
    /// passwords) and the caller verifies the password outside the grain, then calls <see cref="EndSignIn"/>. Unknown
    /// names are limited the same way (in memory), so the answers do not tell them apart.
    /// </summary>
    Task<SignInAttempt> BeginSignIn(string userName, Instant now);

    /// <summary>
    /// Ends an attempt begun with <see cref="BeginSignIn"/>: a success clears the failures and the delay (and stores
    /// <paramref name="rehashedPassword"/> when the hasher asked for a rehash); a failure keeps them and is written.
    /// </summary>
    Task EndSignIn(string userName, bool succeeded, string? rehashedPassword);

    /// <summary>Clears a user's failed sign-ins and delay (an admin's unlock); false when unknown.</summary>
    Task<bool> Unlock(string userName);

    /// <summary>
    /// Changes a user's role, customer and team; when any of them changes, the security stamp is rotated, which ends
    /// all of the user's sessions. False when unknown.
    /// </summary>
    Task<bool> ChangeUser(string userName, UserRole role, string? customerId, string? team);

    /// <summary>Replaces a user's password hash and rotates the security stamp (ends all sessions); false when unknown.</summary>
    Task<bool> SetPassword(string userName, string passwordHash);

    /// <summary>Rotates a user's security stamp: every session signed in before ends (sign-out); false when unknown.</summary>
    Task<bool> EndSessions(string userName);

    /// <summary>
    /// Sets the time zone the user reads times in (an IANA id, already checked), or null to follow the browser's; it
    /// is a preference, so sessions go on. False when unknown.
    /// </summary>
    Task<bool> SetTimeZone(string userName, string? timeZone);

    /// <summary>
    /// Sets the address the user is emailed at (already checked), or null for none; it is a contact detail, so sessions
    /// go on. False when unknown.
    /// </summary>
    Task<bool> SetEmail(string userName, string? email);

    /// <summary>
    /// Sets the user's notification settings (already checked), or null to go back to their role's defaults; they are
    /// preferences, so sessions go on. False when unknown.
    /// </summary>
    Task<bool> SetNotices(string userName, NoticeSettings? notices);

    /// <summary>The user's security stamp (empty for an account stored before stamps existed), or null when there is no such user.</summary>
    Task<string?> SecurityStamp(string userName);

    /// <summary>Removes a user; false when unknown.</summary>
    Task<bool> RemoveUser(string userName);

    /// <summary>The user, or null.</summary>
    Task<UserAccount?> FindUser(string userName);

    /// <summary>Every user, by name.</summary>
    Task<ImmutableArray<UserAccount>> ListUsers();

    /// <summary>Adds an API key (its secret already hashed); false when the id is taken.</summary>
    Task<bool> AddApiKey(ApiKeyRecord key);

    /// <summary>The key, or null (revoked keys are returned with <see cref="ApiKeyRecord.RevokedAt"/> set).</summary>
    Task<ApiKeyRecord?> FindApiKey(string keyId);

    /// <summary>Every key, newest first.</summary>
    Task<ImmutableArray<ApiKeyRecord>> ListApiKeys();

    /// <summary>Revokes a key; false when unknown.</summary>
    Task<bool> RevokeApiKey(string keyId, Instant at);

    /// <summary>
    /// Rotates a key atomically: adds <paramref name="replacement"/> and lets the old key expire at
    /// <paramref name="oldExpiresAt"/> (or at its own earlier expiry). False, changing nothing, when the old key is
    /// unknown or revoked or the replacement's id is taken.
    /// </summary>
    Task<bool> RotateApiKey(string keyId, ApiKeyRecord replacement, Instant oldExpiresAt);

    /// <summary>
    /// Notes that a key authenticated a request at <paramref name="at"/>: kept in memory and written at most once a
    /// minute per key (<see cref="ApiKeyRecord.LastUsedAt"/>), so authenticating never waits on storage.
    /// </summary>
    [Orleans.Concurrency.OneWay]
    Task ApiKeyUsed(string keyId, Instant at);
}

/// <summary>What a person may do.</summary>
public enum UserRole
{
    /// <summary>Everything, including users and API keys.</summary>
    Admin,

    /// <summary>All customers, contracts and escalations; not users or keys.</summary>
    Manager,

    /// <summary>Works tickets of every customer; cannot change contracts.</summary>
    Technician,

    /// <summary>A user of one customer: sees only that customer's data.</summary>
    Customer,
}

/// <summary>A person who signs in.</summary>
/// <param name="UserName">The sign-in name (unique, case-insensitive).</param>
/// <param name="PasswordHash">ASP.NET Core Identity's <c>PasswordHasher</c> output.</param>
/// <param name="Role">What the user may do.</param>
/// <param name="CustomerId">The customer a <see cref="UserRole.Customer"/> user belongs to; null otherwise.</param>
/// <param name="Team">A technician's team, if any.</param>
/// <param name="FailedSignIns">Consecutive failed sign-ins since the last success.</param>
/// <param name="LockedUntil">Sign-in refused until this instant, after too many failures.</param>
/// <param name="SecurityStamp">
/// Changes whenever the user's sessions must end (sign-out, a new password, role, customer or team); every sign-in
/// cookie carries the stamp it was issued with. Null for accounts stored before stamps existed (read as empty).
/// </param>
/// <param name="TimeZone">The IANA zone the user reads times in; null follows the browser's zone (and every account stored before the setting existed).</param>
/// <param name="Email">The address the user is emailed at (escalations, breaches); null for none (and every account stored before the setting existed).</param>
/// <param name="Notices">The user's notification settings; null until they save any (their role's defaults apply: <see cref="NoticeSettings.Of"/>).</param>
[GenerateSerializer]
[Alias("slagrains.user-account")]
[Immutable]
public sealed record UserAccount(
    [property: Id(0)] string UserName,
    [property: Id(1)] string PasswordHash,
    [property: Id(2)] UserRole Role,
    [property: Id(3)] string? CustomerId,
    [property: Id(4)] string? Team,
    [property: Id(5)] int FailedSignIns = 0,
    [property: Id(6)] Instant? LockedUntil = null,
    [property: Id(7)] string? SecurityStamp = null,
    [property: Id(8)] string? TimeZone = null,
    [property: Id(9)] string? Email = null,
    [property: Id(10)] NoticeSettings? Notices = null);

/// <summary>A sign-in attempt as the accounts grain began it (see <see cref="IAccountsGrain.BeginSignIn"/>).</summary>
/// <param name="User">The account whose password to verify; null for an unknown name (verify against a dummy hash).</param>
/// <param name="RetryAt">Set when the name is limited: refuse without checking any password until then.</param>
[GenerateSerializer]
[Alias("slagrains.sign-in-attempt")]
[Immutable]
public sealed record SignInAttempt(
    [property: Id(0)] UserAccount? User,
    [property: Id(1)] Instant? RetryAt);

/// <summary>
/// How failed sign-ins delay the next attempt: short, growing delays rather than a hard lock that anyone who knows a
/// user name could keep closed. After <see cref="MaxFailures"/> consecutive failures the name waits
/// <see cref="FirstDelay"/>, each further failure doubles it, up to <see cref="LongestDelay"/>.
/// </summary>
public static class SignInLockout
{
    /// <summary>Consecutive failures allowed before the first delay.</summary>
    public const int MaxFailures = 5;

    /// <summary>The delay after <see cref="MaxFailures"/> failures.</summary>
    public static readonly Duration FirstDelay = Duration.FromMinutes(1);

    /// <summary>The longest delay, however many failures.</summary>
    public static readonly Duration LongestDelay = Duration.FromMinutes(15);

    /// <summary>How long a name waits after <paramref name="failures"/> consecutive failures (zero below <see cref="MaxFailures"/>).</summary>
    public static Duration DelayAfter(int failures)
    {
        if (failures < MaxFailures)
        {
            return Duration.Zero;
        }

        var doublings = Math.Min(failures - MaxFailures, 10);
        var delay = FirstDelay * (1L << doublings);
        return delay > LongestDelay ? LongestDelay : delay;
    }
}

/// <summary>What an API key may do.</summary>
public enum ApiKeyScope
{
    /// <summary>Read and act as a user of one customer (its tickets, dashboard, monitors' results).</summary>
    Customer,

    /// <summary>Only push check results and heartbeats (of one customer's monitors when bound to a customer).</summary>
    Ingestion,

    /// <summary>Read what staff read (GET routes that accept it), optionally only for listed customers.</summary>
    Read,

    /// <summary>Read and change what managers change (routes that accept it), optionally only for listed customers.</summary>
    Write,

    /// <summary>Everything an admin may do, users and keys included.</summary>
    Admin,

    /// <summary>Send ticket events from another system (<c>/api/v1/integrations/...</c>) and write back billing.</summary>
    Integration,

    /// <summary>Read <c>/metrics</c> only.</summary>
    Metrics,
}

/// <summary>An API key: its id is public (part of the key), its secret is kept only as a SHA-256 hash.</summary>
/// <param name="KeyId">The public id (part of the key).</param>
/// <param name="SecretHash">The SHA-256 hash of the secret.</param>
/// <param name="Name">What uses the key.</param>
/// <param name="Scope">What the key may do.</param>
/// <param name="CustomerId">The one customer a customer or ingestion key is bound to; null for the other scopes.</param>
/// <param name="CreatedAt">When the key was created.</param>
/// <param name="RevokedAt">When it was revoked; null while it is not.</param>
/// <param name="ExpiresAt">From this instant on the key is refused (401); null: it does not expire.</param>
/// <param name="Customers">The only customers a read, write or integration key sees and changes; null: every customer.</param>
/// <param name="LastUsedAt">When the key last authenticated a request, filled in when read (the uses are kept apart from the keys, written at most once a minute); never stored here.</param>
/// <param name="ReplacedBy">The key a rotation replaced this one with.</param>
[GenerateSerializer]
[Alias("slagrains.api-key")]
[Immutable]
public sealed record ApiKeyRecord(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string SecretHash,
    [property: Id(2)] string Name,
    [property: Id(3)] ApiKeyScope Scope,
    [property: Id(4)] string? CustomerId,
    [property: Id(5)] Instant CreatedAt,
    [property: Id(6)] Instant? RevokedAt = null,
    [property: Id(7)] Instant? ExpiresAt = null,
    [property: Id(8)] ImmutableArray<string>? Customers = null,
    [property: Id(9)] Instant? LastUsedAt = null,
    [property: Id(10)] string? ReplacedBy = null)
{
    /// <summary>Whether the key is refused at <paramref name="now"/>: revoked, or past its expiry.</summary>
    public bool IsRefusedAt(Instant now) => RevokedAt is not null || ExpiresAt <= now;
}
