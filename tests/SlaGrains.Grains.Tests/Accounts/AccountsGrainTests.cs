using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Grains.Tests.Accounts;

/// <summary>The accounts grain counts sign-in attempts one at a time and keeps failures and stamps across a restart.</summary>
public sealed class AccountsGrainTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-accounts-").FullName;
    private SqliteCluster _cluster = null!;

    private IAccountsGrain Accounts => _cluster.Grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);

    public async Task InitializeAsync() => _cluster = await SqliteCluster.StartAsync(Path.Combine(_directory, "sla.db"), silos: 1);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_keys_last_use_is_written_at_most_once_a_minute_and_survives_a_restart()
    {
        var at = Instant.FromUtc(2026, 3, 2, 9, 0);
        await Accounts.AddApiKey(new ApiKeyRecord("k1", "hash", "probe", ApiKeyScope.Read, null, at));

        // One-way notes may arrive out of order: each is seen to arrive before the next is sent.
        await Accounts.ApiKeyUsed("k1", at);
        await LastUseAsync(at);
        await Accounts.ApiKeyUsed("k1", at + Duration.FromSeconds(30));
        var inMemory = await LastUseAsync(at + Duration.FromSeconds(30));
        await RestartAccountsAsync();
        var afterSecondsApart = (await Accounts.FindApiKey("k1"))!.LastUsedAt;
        await Accounts.ApiKeyUsed("k1", at + Duration.FromSeconds(61));
        await LastUseAsync(at + Duration.FromSeconds(61));
        await RestartAccountsAsync();
        var afterAMinute = (await Accounts.FindApiKey("k1"))!.LastUsedAt;

        Assert.Equal(at + Duration.FromSeconds(30), inMemory);
        Assert.Equal(at, afterSecondsApart);
        Assert.Equal(at + Duration.FromSeconds(61), afterAMinute);
    }

    [Fact]
    public async Task Rotation_adds_the_new_key_and_lets_the_old_one_expire_after_the_overlap()
    {
        var at = Instant.FromUtc(2026, 3, 2, 9, 0);
        await Accounts.AddApiKey(new ApiKeyRecord("old", "hash", "sync", ApiKeyScope.Integration, null, at, Customers: ["acme"]));
        await Accounts.AddApiKey(new ApiKeyRecord("gone", "hash", "sync", ApiKeyScope.Integration, null, at, RevokedAt: at));

        var rotated = await Accounts.RotateApiKey("old", new ApiKeyRecord("new", "hash2", "sync", ApiKeyScope.Integration, null, at, Customers: ["acme"]), at + Duration.FromHours(2));
        var revokedRotated = await Accounts.RotateApiKey("gone", new ApiKeyRecord("new2", "hash3", "sync", ApiKeyScope.Integration, null, at), at);
        await RestartAccountsAsync();
        var old = (await Accounts.FindApiKey("old"))!;

        Assert.True(rotated);
        Assert.False(revokedRotated);
        Assert.Null(await Accounts.FindApiKey("new2"));
        Assert.Equal(at + Duration.FromHours(2), old.ExpiresAt);
        Assert.Equal("new", old.ReplacedBy);
        Assert.False(old.IsRefusedAt(at + Duration.FromHours(1)));
        Assert.True(old.IsRefusedAt(at + Duration.FromHours(2)));
        Assert.Equal(new[] { "acme" }, (await Accounts.FindApiKey("new"))!.Customers!.Value.ToArray());
    }

    /// <summary>The key's last use once the one-way note has arrived (it is not awaited by the sender).</summary>
    private async Task<Instant?> LastUseAsync(Instant expected)
    {
        Instant? seen = null;
        for (var attempt = 0; attempt < 50 && seen != expected; attempt++)
        {
            seen = (await Accounts.FindApiKey("k1"))!.LastUsedAt;
            await Task.Delay(seen == expected ? 0 : 100);
        }

        return seen;
    }

    private async Task RestartAccountsAsync()
    {
        await Accounts.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(200);
    }

    [Fact]
    public async Task Parallel_attempts_are_reserved_one_by_one_and_only_the_limit_gets_a_password_check()
    {
        await Accounts.AddUser(new UserAccount("ana", "hash", UserRole.Technician, null, null));
        var now = Instant.FromUtc(2026, 3, 2, 9, 0);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Accounts.BeginSignIn("ANA", now)));
        var unknown = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Accounts.BeginSignIn("nobody", now)));

        Assert.Equal(SignInLockout.MaxFailures, attempts.Count(a => a.User is not null));
        Assert.All(attempts.Where(a => a.User is null), a => Assert.Equal(now + SignInLockout.FirstDelay, a.RetryAt));
        Assert.Equal(SignInLockout.MaxFailures, unknown.Count(a => a.RetryAt is null));
        Assert.All(unknown.Where(a => a.RetryAt is not null), a => Assert.Equal(now + SignInLockout.FirstDelay, a.RetryAt));
    }

    [Fact]
    public async Task A_success_clears_the_reserved_failures_without_ending_sessions()
    {
        await Accounts.AddUser(new UserAccount("ben", "hash", UserRole.Manager, null, null));
        var stamp = await Accounts.SecurityStamp("ben");
        var now = Instant.FromUtc(2026, 3, 2, 9, 0);

        await Accounts.BeginSignIn("ben", now);
        await Accounts.EndSignIn("ben", succeeded: false, rehashedPassword: null);
        await Accounts.BeginSignIn("ben", now);
        await Accounts.EndSignIn("ben", succeeded: true, rehashedPassword: "rehashed");
        var user = await Accounts.FindUser("ben");

        Assert.Equal((0, (Instant?)null, "rehashed"), (user!.FailedSignIns, user.LockedUntil, user.PasswordHash));
        Assert.Equal(stamp, await Accounts.SecurityStamp("ben"));
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(7, 4)]
    [InlineData(8, 8)]
    [InlineData(9, 15)]
    [InlineData(60, 15)]
    public void The_delay_starts_at_a_minute_after_five_failures_and_doubles_up_to_fifteen(int failures, int minutes)
        => Assert.Equal(Duration.FromMinutes(minutes), SignInLockout.DelayAfter(failures));

    [Fact]
    public async Task Failures_and_stamps_survive_a_restart()
    {
        await Accounts.AddUser(new UserAccount("cleo", "hash", UserRole.Technician, null, null));
        var now = Instant.FromUtc(2026, 3, 2, 9, 0);
        for (var i = 0; i < SignInLockout.MaxFailures; i++)
        {
            await Accounts.BeginSignIn("cleo", now);
            await Accounts.EndSignIn("cleo", succeeded: false, rehashedPassword: null);
        }

        var stamp = await Accounts.SecurityStamp("cleo");
        await _cluster.DisposeAsync();
        _cluster = await SqliteCluster.StartAsync(Path.Combine(_directory, "sla.db"), silos: 1);

        var attempt = await Accounts.BeginSignIn("cleo", now + Duration.FromSeconds(30));
        Assert.Equal(now + SignInLockout.FirstDelay, attempt.RetryAt);
        Assert.Equal(stamp, await Accounts.SecurityStamp("cleo"));
    }
}
