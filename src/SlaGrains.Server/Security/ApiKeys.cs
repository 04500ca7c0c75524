using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Security;

/// <summary>
/// API keys look like <c>sgk_{id}_{secret}</c>: the id finds the record, the secret is compared by its SHA-256 hash
/// (the secret is 256 random bits, so a fast hash is enough; it is shown once and never stored).
/// </summary>
internal static class ApiKeys
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";
    private const string Prefix = "sgk_";

    /// <summary>A new key: the record to store and the full key to show once.</summary>
    public static (ApiKeyRecord Record, string Key) Create(string name, ApiKeyScope scope, string? customerId, Instant now)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (new ApiKeyRecord(id, Hash(secret), name, scope, customerId, now), $"{Prefix}{id}_{secret}");
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

    public static bool Matches(ApiKeyRecord record, string secret)
        => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(record.SecretHash), Encoding.ASCII.GetBytes(Hash(secret)));

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Authenticates requests carrying <c>X-Api-Key</c> against the stored key hashes.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeys.Header, out var values) || values.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!ApiKeys.TryParse(values[0] ?? string.Empty, out var id, out var secret))
        {
            return AuthenticateResult.Fail("The API key is malformed.");
        }

        var record = await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).FindApiKey(id);
        if (record is null || record.RevokedAt is not null || !ApiKeys.Matches(record, secret))
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        List<Claim> claims = [new(ClaimTypes.Name, $"key:{record.KeyId}"), new(ClaimTypes.Role, Caller.RoleName(UserRole.Customer))];
        if (record.CustomerId is { } customer)
        {
            claims.Add(new Claim(Caller.CustomerClaim, customer));
        }

        if (record.Scope == ApiKeyScope.Ingestion)
        {
            claims.Add(new Claim(Caller.IngestionClaim, "true"));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeys.Scheme)), ApiKeys.Scheme));
    }
}
