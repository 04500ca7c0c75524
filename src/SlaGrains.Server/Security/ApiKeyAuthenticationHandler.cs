using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Security;

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

        // Keys of the scopes below customer/ingestion act as no person: they reach only the routes that accept their scope.
        List<Claim> claims =
        [
            new(ClaimTypes.Name, $"key:{record.KeyId}"),
            new(ClaimTypes.Role, Caller.RoleName(UserRole.Customer)),
            new(Caller.ScopeClaim, record.Scope.ToString()),
        ];
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
