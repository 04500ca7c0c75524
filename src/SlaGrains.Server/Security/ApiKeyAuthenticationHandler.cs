using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Security;

/// <summary>
/// Tells the accounts grain that a key was used, at most once a minute per key from this server: the grain writes a
/// key's last use at most that often anyway, and a keyed request (an ingestion key pushing checks all day) should not
/// cost a second message to the one accounts grain on every call.
/// </summary>
internal sealed class ApiKeyUseNotes(IGrainFactory grains)
{
    private static readonly Duration Every = Duration.FromMinutes(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Instant> _told = new(StringComparer.Ordinal);

    /// <summary>Notes a use of a valid key (only keys that authenticated reach here, so the map holds real key ids only).</summary>
    public void Used(string keyId, Instant at)
    {
        if (_told.TryGetValue(keyId, out var last) && at >= last && at - last < Every)
        {
            return;
        }

        _told[keyId] = at;

        // One-way: the grain keeps the time in memory and writes it at most once a minute.
        _ = grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).ApiKeyUsed(keyId, at);
    }
}

/// <summary>Authenticates requests carrying <c>X-Api-Key</c> against the stored key hashes.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    ApiKeyUseNotes uses,
    SlaGrains.Application.ISlaNow clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
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

        var accounts = grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);
        var record = await accounts.FindApiKey(id);
        var now = clock.Now;
        if (record is null || record.IsRefusedAt(now) || !ApiKeys.Matches(record, secret))
        {
            return AuthenticateResult.Fail("The API key is unknown, revoked or expired.");
        }

        uses.Used(record.KeyId, now);

        // Read and write keys act as a manager, admin keys as an admin; the others as no person (they reach only the
        // routes that accept their scope, see KeyScopeMiddleware).
        List<Claim> claims =
        [
            new(ClaimTypes.Name, $"key:{record.KeyId}"),
            new(ClaimTypes.Role, Caller.RoleName(Caller.RoleOf(record.Scope))),
            new(Caller.ScopeClaim, record.Scope.ToString()),
        ];
        if (record.CustomerId is { } customer)
        {
            claims.Add(new Claim(Caller.CustomerClaim, customer));
        }

        if (record.Customers is { } listed)
        {
            claims.Add(new Claim(Caller.RestrictedClaim, "true"));
            claims.AddRange(listed.Select(c => new Claim(Caller.RestrictedToClaim, c)));
        }

        if (record.Scope == ApiKeyScope.Ingestion)
        {
            claims.Add(new Claim(Caller.IngestionClaim, "true"));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeys.Scheme)), ApiKeys.Scheme));
    }
}
