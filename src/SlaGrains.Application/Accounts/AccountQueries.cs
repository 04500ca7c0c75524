using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Application.Accounts;

/// <summary>The users and API keys (admins only), without hashes or secrets.</summary>
[ApplicationService]
public sealed class AccountQueries(IGrainFactory grains, ISlaNow clock)
{
    /// <summary>Every user, by name, with whether a lock-out is in force now.</summary>
    public async Task<Result<ImmutableArray<UserResponse>>> Users(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage users.");
        }

        var now = clock.Now;
        var users = await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).ListUsers();
        return users.Select(u => new UserResponse(u.UserName, u.Role, u.CustomerId, u.Team, u.LockedUntil > now, u.Email)).ToImmutableArray();
    }

    /// <summary>Every API key, newest first, without its secret.</summary>
    public async Task<Result<ImmutableArray<ApiKeyResponse>>> ApiKeys(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAdmin
            ? (await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).ListApiKeys()).Select(ApiKeyResponse.From).ToImmutableArray()
            : Failure.Forbidden("Only admins manage API keys.");
    }
}
