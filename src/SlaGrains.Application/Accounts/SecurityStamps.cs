using System.Collections.Concurrent;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Application.Accounts;

/// <summary>
/// The users' security stamps as this server last read them, for checking every cookie-authenticated request without
/// a grain call each time. An entry is trusted for at most <see cref="MaxAge"/>: a stamp changed on another server
/// (a sign-out, a deleted user, a new role or password) ends the session here within that time; a change made through
/// this server forgets its entry at once (<see cref="Forget"/>), so it takes effect on the next request.
/// </summary>
[ApplicationService]
public sealed class SecurityStamps(IGrainFactory grains, ISlaNow clock)
{
    /// <summary>How long a read stamp is trusted.</summary>
    public static readonly Duration MaxAge = Duration.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (string? Stamp, Instant ReadAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>The user's current stamp (empty for accounts stored before stamps), or null when the user no longer exists.</summary>
    public async ValueTask<string?> CurrentAsync(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var key = UserNames.Key(userName);
        var now = clock.Now;

        // An entry read "in the future" (the SLA clock was moved back) is not trusted either.
        if (_cache.TryGetValue(key, out var cached) && cached.ReadAt <= now && now - cached.ReadAt < MaxAge)
        {
            return cached.Stamp;
        }

        var stamp = await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).SecurityStamp(userName);
        _cache[key] = (stamp, now);
        return stamp;
    }

    /// <summary>Forgets the user's stamp, so that the next request reads the changed one.</summary>
    public void Forget(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        _cache.TryRemove(UserNames.Key(userName), out _);
    }
}
