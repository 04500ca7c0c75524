using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Grains.Accounts;

/// <summary>Two-factor sign-in: the users' TOTP secrets, the last step each used and their recovery codes' hashes.</summary>
public sealed partial class AccountsGrain : ITwoFactorAccounts
{
    private Dictionary<string, TwoFactorRecord> TwoFactors => state.State.TwoFactors;

    /// <inheritdoc />
    public Task<TwoFactorRecord?> TwoFactorOf(string userName)
        => Task.FromResult(TwoFactors.GetValueOrDefault(UserNames.Key(userName ?? string.Empty)));

    /// <inheritdoc />
    public async Task<bool> StartTwoFactor(string userName, string pendingSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(pendingSecret);
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.ContainsKey(name))
        {
            return false;
        }

        TwoFactors[name] = (TwoFactors.GetValueOrDefault(name) ?? Empty) with { PendingSecret = pendingSecret };
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> ConfirmTwoFactor(string userName, string pendingSecret, long step, ImmutableArray<string> recoveryCodeHashes, Instant at)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (!Users.ContainsKey(name) || TwoFactors.GetValueOrDefault(name) is not { } record || record.PendingSecret != pendingSecret)
        {
            return false;
        }

        TwoFactors[name] = record with
        {
            Secret = pendingSecret,
            PendingSecret = null,
            LastUsedStep = step,
            RecoveryCodeHashes = recoveryCodeHashes,
            EnabledAt = at,
            FailedCodes = 0,
            LockedUntil = null,
            History = Append(record.History, new TwoFactorEvent(at, AuditActor.Current(userName!), "enabled")),
        };
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<TwoFactorCheck> CheckSecondFactor(string userName, Instant now, string? secret, long? step, string? recoveryCodeHash)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (TwoFactors.GetValueOrDefault(name) is not { Enabled: true } record)
        {
            return new TwoFactorCheck(false, null, 0);
        }

        if (record.LockedUntil > now)
        {
            return new TwoFactorCheck(false, record.LockedUntil, record.RecoveryCodeHashes.Length);
        }

        // A step counts only for the secret it was computed with (it may have been replaced meanwhile) and only once.
        var byCode = step is { } s && secret == record.Secret && s > record.LastUsedStep;
        var byRecovery = !byCode && recoveryCodeHash is not null && record.RecoveryCodeHashes.Contains(recoveryCodeHash, StringComparer.Ordinal);
        TwoFactorRecord next;
        if (byCode || byRecovery)
        {
            next = record with
            {
                LastUsedStep = byCode ? step!.Value : record.LastUsedStep,
                RecoveryCodeHashes = byRecovery ? record.RecoveryCodeHashes.Remove(recoveryCodeHash!, StringComparer.Ordinal) : record.RecoveryCodeHashes,
                FailedCodes = 0,
                LockedUntil = null,
                History = byRecovery ? Append(record.History, new TwoFactorEvent(now, userName!, "recovery code used")) : record.History,
            };
        }
        else
        {
            var failures = record.FailedCodes + 1;
            var delay = SignInLockout.DelayAfter(failures);
            next = record with { FailedCodes = failures, LockedUntil = delay > Duration.Zero ? now + delay : null };
        }

        TwoFactors[name] = next;
        await state.WriteStateAsync();
        return new TwoFactorCheck(byCode || byRecovery, null, next.RecoveryCodeHashes.Length);
    }

    /// <inheritdoc />
    public async Task<bool> DisableTwoFactor(string userName, string by, Instant at)
    {
        var name = UserNames.Key(userName ?? string.Empty);
        if (TwoFactors.GetValueOrDefault(name) is not { } record || (record.Secret is null && record.PendingSecret is null))
        {
            return false;
        }

        var what = string.Equals(UserNames.Key(by ?? string.Empty), name, StringComparison.Ordinal) ? "disabled" : "reset by an admin";
        TwoFactors[name] = Empty with { History = Append(record.History, new TwoFactorEvent(at, by ?? string.Empty, what)) };
        await state.WriteStateAsync();
        return true;
    }

    private static TwoFactorRecord Empty => new(null, null, 0, [], null, 0, null, []);

    private static ImmutableArray<TwoFactorEvent> Append(ImmutableArray<TwoFactorEvent> history, TwoFactorEvent entry)
    {
        var kept = history.IsDefault ? [] : history;
        return kept.Length < TwoFactorRecord.HistoryKept ? kept.Add(entry) : kept.RemoveAt(0).Add(entry);
    }
}
