using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SlaGrains.Contracts.Accounts;

/// <summary>
/// API keys look like <c>sgk_{id}_{secret}</c>: the id finds the record, the secret is compared by its SHA-256 hash
/// (the secret is 256 random bits, so a fast hash is enough; it is shown once and never stored).
/// </summary>
public static class ApiKeys
{
    /// <summary>The authentication scheme's name.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The header a key is sent in.</summary>
    public const string Header = "X-Api-Key";

    private const string Prefix = "sgk_";

    /// <summary>A new key: the record to store and the full key to show once.</summary>
    public static (ApiKeyRecord Record, string Key) Create(string name, ApiKeyScope scope, string? customerId, Instant now)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (new ApiKeyRecord(id, Hash(secret), name, scope, customerId, now), $"{Prefix}{id}_{secret}");
    }

    /// <summary>A new key like <paramref name="template"/> (name, scope, customers) with a new id and secret, created at <paramref name="now"/>.</summary>
    public static (ApiKeyRecord Record, string Key) Like(ApiKeyRecord template, Instant now, Instant? expiresAt)
    {
        ArgumentNullException.ThrowIfNull(template);
        var (record, key) = Create(template.Name, template.Scope, template.CustomerId, now);
        return (record with { Customers = template.Customers, ExpiresAt = expiresAt }, key);
    }

    /// <summary>Splits a presented key into id and secret; false when it is not shaped like one of ours.</summary>
    public static bool TryParse(string presented, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = presented[Prefix.Length..].Split('_', 2);
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        (id, secret) = (parts[0], parts[1]);
        return true;
    }

    /// <summary>Whether <paramref name="secret"/> is the key's secret (compared in constant time by hash).</summary>
    public static bool Matches(ApiKeyRecord record, string secret)
        => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(record.SecretHash), Encoding.ASCII.GetBytes(Hash(secret)));

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
