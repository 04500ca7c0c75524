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

    /// <summary>Replaces a user's record (password, role, lock-out counters); false when unknown.</summary>
    Task<bool> UpdateUser(UserAccount user);

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
    [property: Id(6)] Instant? LockedUntil = null);

/// <summary>What an API key may do.</summary>
public enum ApiKeyScope
{
    /// <summary>Read and act as a user of one customer (its tickets, dashboard, monitors' results).</summary>
    Customer,

    /// <summary>Only push check results and heartbeats (of one customer's monitors when bound to a customer).</summary>
    Ingestion,
}

/// <summary>An API key: its id is public (part of the key), its secret is kept only as a SHA-256 hash.</summary>
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
    [property: Id(6)] Instant? RevokedAt = null);
