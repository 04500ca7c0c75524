using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Application.Accounts;

/// <summary>A new user (admins only); see <see cref="NewUserRules"/>. <c>email</c> is optional (see <see cref="Channels.EmailAddresses"/>).</summary>
public sealed record NewUserRequest(string? UserName, string? Password, UserRole Role, string? CustomerId, string? Team, string? Email = null);

/// <summary>A user's email address (admins): a bare address, or null or empty to remove it. Sessions go on.</summary>
public sealed record UserEmailRequest(string? Email);

/// <summary>A user's new role, customer (customer users only) and team; any change ends the user's sessions.</summary>
public sealed record ChangeUserRequest(UserRole Role, string? CustomerId, string? Team);

/// <summary>A user's new password (at least 10, at most 1,000 characters); it ends the user's sessions.</summary>
public sealed record NewPasswordRequest(string? Password);

/// <summary>A user as listed (no hash); <c>email</c> null when the user has none.</summary>
public sealed record UserResponse(string UserName, UserRole Role, string? CustomerId, string? Team, bool LockedOut, string? Email = null);

/// <summary>
/// A new API key. <c>customer</c> and <c>ingestion</c> keys are bound to one customer (<c>customerId</c>);
/// <c>read</c>, <c>write</c> and <c>integration</c> keys may be restricted to listed <c>customers</c> (at most
/// <see cref="AccountCommands.MaxKeyCustomers"/>, each existing); <c>admin</c> and <c>metrics</c> keys to none.
/// <c>expiresAt</c> (an ISO instant in the future) is optional.
/// </summary>
public sealed record NewApiKeyRequest(string? Name, ApiKeyScope Scope, string? CustomerId, List<string?>? Customers = null, string? ExpiresAt = null);

/// <summary>
/// Rotates a key: a new key with the same name, scope and customers; the old one keeps working for
/// <c>overlapHours</c> (0–<see cref="AccountCommands.MaxOverlapHours"/>; omitted: 24) and then expires.
/// <c>expiresAt</c> is the new key's own expiry (optional, in the future).
/// </summary>
public sealed record RotateApiKeyRequest(int? OverlapHours, string? ExpiresAt = null);

/// <summary>A key as listed (never the secret): <c>lastUsedAt</c> is at most a minute behind once the server restarts.</summary>
public sealed record ApiKeyResponse(
    string Id,
    string Name,
    ApiKeyScope Scope,
    string? CustomerId,
    Instant CreatedAt,
    Instant? RevokedAt,
    Instant? ExpiresAt,
    IReadOnlyList<string>? Customers,
    Instant? LastUsedAt,
    string? ReplacedBy)
{
    /// <summary>The listing of a stored key.</summary>
    public static ApiKeyResponse From(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.KeyId, key.Name, key.Scope, key.CustomerId, key.CreatedAt, key.RevokedAt, key.ExpiresAt, key.Customers is { } listed ? [.. listed] : null, key.LastUsedAt, key.ReplacedBy);
    }
}

/// <summary>A key just created: <see cref="Key"/> is shown this once and cannot be retrieved again.</summary>
public sealed record CreatedApiKeyResponse(ApiKeyResponse ApiKey, string Key);

/// <summary>
/// Turns a password into the hash stored with a user (the host's ASP.NET Core Identity password hasher, which this
/// layer does not reference): <c>(user, password) → hash</c>.
/// </summary>
public delegate string PasswordHashing(UserAccount user, string password);
