using System.Collections.Immutable;
using System.Security.Cryptography;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Grains.Accounts;

/// <summary>
/// Users and API keys, stored as given (hashes only); every change is written before the call returns. Sign-in
/// attempts are counted here, one at a time, so parallel attempts cannot all read the same failure count; the
/// passwords themselves are verified by the caller, outside the grain, so hashing never queues every sign-in here.
/// </summary>
public sealed partial class AccountsGrain(
    [PersistentState("accounts")] IPersistentState<AccountsState> state,
    [PersistentState(AccountsGrain.UsesStateName)] IPersistentState<ApiKeyUsesState> uses) : Grain, IAccountsGrain
{
    /// <summary>
    /// The state keys' last uses are written to: apart from the accounts, so noting a use never rewrites the users and
    /// keys (and what changes on mere use is one small row that can be told apart).
    /// </summary>
    public const string UsesStateName = "api-key-uses";

    /// <summary>How many unknown names are throttled in memory at once (they are not stored; past this the oldest go).</summary>
    private const int UnknownNamesKept = 10_000;

    /// <summary>
    /// Failed attempts on names that are no user: limited exactly like real users, so the answers (and their timing)
    /// do not reveal which names exist. In memory only: there is nothing to protect behind them.
    /// </summary>
    private readonly Dictionary<string, (int Failures, Instant? LockedUntil)> _unknown = new(StringComparer.Ordinal);

    /// <summary>How often a key's last use is written at most: a busy key must not write on every request.</summary>
    private static readonly Duration LastUseWrittenEvery = Duration.FromMinutes(1);

    /// <summary>Keys' latest uses not yet written (at most <see cref="LastUseWrittenEvery"/> old when the grain stops).</summary>
    private readonly Dictionary<string, Instant> _lastUsed = new(StringComparer.Ordinal);

    private Dictionary<string, UserAccount> Users => state.State.Users;

    private Dictionary<string, ApiKeyRecord> Keys => state.State.ApiKeys;

    /// <inheritdoc />
    public async Task<bool> AddUser(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!Users.TryAdd(UserNames.Key(user.UserName), user with { SecurityStamp = user.SecurityStamp ?? NewStamp() }))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<bool> AddFirstUser(UserAccount user) => Users.Count == 0 ? AddUser(user) : Task.FromResult(false);

    /// <inheritdoc />
    public Task<SignInAttempt> BeginSignIn(string userName, Instant now)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.TryGetValue(name, out var user))
        {
            var (failures, lockedUntil) = _unknown.GetValueOrDefault(name);
            if (lockedUntil > now)
            {
                return Task.FromResult(new SignInAttempt(null, lockedUntil));
            }

            // Counted as a failure up front, as for a real user: an unknown name never signs in.
            KeepUnknown(name, failures + 1, now);
            return Task.FromResult(new SignInAttempt(null, null));
        }

        if (user.LockedUntil > now)
        {
            return Task.FromResult(new SignInAttempt(null, user.LockedUntil));
        }

        // Reserve the attempt as a failure before the password is checked: a burst of parallel attempts sees the
        // count rise one by one and is limited after MaxFailures of them. A success clears it in EndSignIn. Written
        // with the outcome (EndSignIn), so reserving costs no write.
        var reserved = user.FailedSignIns + 1;
        var delay = SignInLockout.DelayAfter(reserved);
        Users[name] = user with { FailedSignIns = reserved, LockedUntil = delay > Duration.Zero ? now + delay : null };
        return Task.FromResult(new SignInAttempt(user, null));
    }

    /// <inheritdoc />
    public async Task EndSignIn(string userName, bool succeeded, string? rehashedPassword)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.TryGetValue(name, out var user))
        {
            return;
        }

        if (succeeded)
        {
            Users[name] = user with { FailedSignIns = 0, LockedUntil = null, PasswordHash = rehashedPassword ?? user.PasswordHash };
        }

        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task<bool> Unlock(string userName)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        _unknown.Remove(name);
        if (!Users.TryGetValue(name, out var user))
        {
            return false;
        }

        Users[name] = user with { FailedSignIns = 0, LockedUntil = null };
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> ChangeUser(string userName, UserRole role, string? customerId, string? team)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.TryGetValue(name, out var user))
        {
            return false;
        }

        var changed = user with { Role = role, CustomerId = customerId, Team = team };
        if (changed != user)
        {
            Users[name] = changed with { SecurityStamp = NewStamp() };
            await state.WriteStateAsync();
        }

        return true;
    }

    /// <inheritdoc />
    public async Task<bool> SetPassword(string userName, string passwordHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.TryGetValue(name, out var user))
        {
            return false;
        }

        Users[name] = user with { PasswordHash = passwordHash, SecurityStamp = NewStamp() };
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> EndSessions(string userName)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.TryGetValue(name, out var user))
        {
            return false;
        }

        Users[name] = user with { SecurityStamp = NewStamp() };
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> SetTimeZone(string userName, string? timeZone)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.TryGetValue(name, out var user))
        {
            return false;
        }

        if (user.TimeZone != timeZone)
        {
            Users[name] = user with { TimeZone = timeZone };
            await state.WriteStateAsync();
        }

        return true;
    }

    /// <inheritdoc />
    public async Task<bool> SetEmail(string userName, string? email)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.TryGetValue(name, out var user))
        {
            return false;
        }

        if (user.Email != email)
        {
            Users[name] = user with { Email = email };
            await state.WriteStateAsync();
        }

        return true;
    }

    /// <inheritdoc />
    public async Task<bool> SetNotices(string userName, NoticeSettings? notices)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.TryGetValue(name, out var user))
        {
            return false;
        }

        if (user.Notices != notices)
        {
            Users[name] = user with { Notices = notices };
            await state.WriteStateAsync();
        }

        return true;
    }

    /// <inheritdoc />
    public Task<string?> SecurityStamp(string userName)
        => Task.FromResult(Users.TryGetValue(UserNames.Key(userName ?? string.Empty), out var user) ? user.SecurityStamp ?? string.Empty : null);

    /// <inheritdoc />
    public async Task<bool> RemoveUser(string userName)
    {
        if (!Users.Remove(UserNames.Key(userName)))
        {
            return false;
        }

        // A new user of the same name starts without the old one's second factor.
        TwoFactors.Remove(UserNames.Key(userName));

        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<UserAccount?> FindUser(string userName) => Task.FromResult(Users.GetValueOrDefault(UserNames.Key(userName)));

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
    public Task<ApiKeyRecord?> FindApiKey(string keyId) => Task.FromResult(Keys.GetValueOrDefault(keyId) is { } key ? WithLastUse(key) : null);

    /// <inheritdoc />
    public Task<ImmutableArray<ApiKeyRecord>> ListApiKeys()
        => Task.FromResult(Keys.Values.OrderByDescending(k => k.CreatedAt).Select(WithLastUse).ToImmutableArray());

    /// <inheritdoc />
    public async Task<bool> RotateApiKey(string keyId, ApiKeyRecord replacement, Instant oldExpiresAt)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        if (!Keys.TryGetValue(keyId, out var old) || old.RevokedAt is not null || Keys.ContainsKey(replacement.KeyId))
        {
            return false;
        }

        Keys[replacement.KeyId] = replacement;
        Keys[keyId] = old with { ExpiresAt = old.ExpiresAt < oldExpiresAt ? old.ExpiresAt : oldExpiresAt, ReplacedBy = replacement.KeyId };
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task ApiKeyUsed(string keyId, Instant at)
    {
        if (!Keys.TryGetValue(keyId, out var key) || (_lastUsed.TryGetValue(keyId, out var known) && known >= at))
        {
            return;
        }

        _lastUsed[keyId] = at;
        if (!uses.State.LastUsed.TryGetValue(key.KeyId, out var written) || at - written >= LastUseWrittenEvery)
        {
            uses.State.LastUsed[key.KeyId] = at;
            await uses.WriteStateAsync();
        }
    }

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

    private ApiKeyRecord WithLastUse(ApiKeyRecord key)
    {
        Instant? used = _lastUsed.TryGetValue(key.KeyId, out var inMemory) ? inMemory : null;
        if (uses.State.LastUsed.TryGetValue(key.KeyId, out var written) && !(used >= written))
        {
            used = written;
        }

        return used is null ? key : key with { LastUsedAt = used };
    }

    private void KeepUnknown(string name, int failures, Instant now)
    {
        if (_unknown.Count >= UnknownNamesKept && !_unknown.ContainsKey(name))
        {
            // Forget the names no longer delayed; when every one still is, forget them all (a flood of invented
            // names must not grow memory without bound, and forgetting them only lets an attacker guess again).
            foreach (var stale in _unknown.Where(u => !(u.Value.LockedUntil > now)).Select(u => u.Key).ToList())
            {
                _unknown.Remove(stale);
            }

            if (_unknown.Count >= UnknownNamesKept)
            {
                _unknown.Clear();
            }
        }

        var delay = SignInLockout.DelayAfter(failures);
        _unknown[name] = (failures, delay > Duration.Zero ? now + delay : null);
    }

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
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

    /// <summary>Users' second factors (two-factor sign-in) by lower-case name.</summary>
    [Id(20)]
    public Dictionary<string, TwoFactorRecord> TwoFactors { get; set; } = [];
}

/// <summary>When each API key was last used, as last written (at most once a minute per key).</summary>
[GenerateSerializer]
[Alias("slagrains.api-key-uses-state")]
public sealed class ApiKeyUsesState
{
    /// <summary>The last written use by key id.</summary>
    [Id(0)]
    public Dictionary<string, Instant> LastUsed { get; set; } = [];
}
