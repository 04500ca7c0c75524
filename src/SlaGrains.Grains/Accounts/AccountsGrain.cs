using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Grains.Accounts;

/// <summary>Users and API keys, stored as given (hashes only); every change is written before the call returns.</summary>
public sealed class AccountsGrain([PersistentState("accounts")] IPersistentState<AccountsState> state) : Grain, IAccountsGrain
{
    private Dictionary<string, UserAccount> Users => state.State.Users;

    private Dictionary<string, ApiKeyRecord> Keys => state.State.ApiKeys;

    /// <inheritdoc />
    public async Task<bool> AddUser(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!Users.TryAdd(Normalize(user.UserName), user))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<bool> AddFirstUser(UserAccount user) => Users.Count == 0 ? AddUser(user) : Task.FromResult(false);

    /// <inheritdoc />
    public async Task<bool> UpdateUser(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = Normalize(user.UserName);
        if (!Users.ContainsKey(name))
        {
            return false;
        }

        Users[name] = user;
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveUser(string userName)
    {
        if (!Users.Remove(Normalize(userName)))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<UserAccount?> FindUser(string userName) => Task.FromResult(Users.GetValueOrDefault(Normalize(userName)));

    /// <inheritdoc />
    public Task<ImmutableArray<UserAccount>> ListUsers()
        => Task.FromResult(Users.Values.OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase).ToImmutableArray());

    /// <inheritdoc />
    public async Task<bool> AddApiKey(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Keys.TryAdd(key.KeyId, key))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<ApiKeyRecord?> FindApiKey(string keyId) => Task.FromResult(Keys.GetValueOrDefault(keyId));

    /// <inheritdoc />
    public Task<ImmutableArray<ApiKeyRecord>> ListApiKeys()
        => Task.FromResult(Keys.Values.OrderByDescending(k => k.CreatedAt).ToImmutableArray());

    /// <inheritdoc />
    public async Task<bool> RevokeApiKey(string keyId, Instant at)
    {
        if (!Keys.TryGetValue(keyId, out var key))
        {
            return false;
        }

        if (key.RevokedAt is null)
        {
            Keys[keyId] = key with { RevokedAt = at };
            await state.WriteStateAsync();
        }

        return true;
    }

    private static string Normalize(string userName) => userName.Trim().ToLowerInvariant();
}

/// <summary>The accounts grain's durable state.</summary>
[GenerateSerializer]
[Alias("slagrains.accounts-state")]
public sealed class AccountsState
{
    /// <summary>Users by lower-case name.</summary>
    [Id(0)]
    public Dictionary<string, UserAccount> Users { get; set; } = [];

    /// <summary>API keys by id.</summary>
    [Id(1)]
    public Dictionary<string, ApiKeyRecord> ApiKeys { get; set; } = [];
}
