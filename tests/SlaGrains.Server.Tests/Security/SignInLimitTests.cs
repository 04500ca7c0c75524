using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// Failed sign-ins through the real server: reserved atomically (a burst checks at most 5 passwords), refused while
/// limited whatever the password, the same for unknown names, short growing delays, and an admin's unlock.
/// </summary>
public sealed class SignInLimitTests(MovableClockServer server) : IClassFixture<MovableClockServer>
{
    private IAccountsGrain Accounts => server.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountsGrain>(IAccountsGrain.Key);

    [Fact]
    public async Task Burst_of_wrong_passwords_checks_at_most_the_limit()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "burst", "technician");

        // 50 wrong passwords at once: 401 means the password was checked, 429 that it was refused unchecked.
        var statuses = (await Task.WhenAll(Enumerable.Range(0, 50).Select(i => server.TrySignInAsync("burst", $"wrong-{i}")))).Select(r => r.StatusCode).ToList();
        var right = await server.TrySignInAsync("burst", ServerScenario.Password("burst"));

        Assert.Equal(SignInLockout.MaxFailures, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(50 - SignInLockout.MaxFailures, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(SignInLockout.MaxFailures, (await Accounts.FindUser("burst"))!.FailedSignIns);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task Right_password_is_refused_while_limited()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "limited", "technician");
        for (var i = 0; i < SignInLockout.MaxFailures; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.TrySignInAsync("limited", "not-the-password")).StatusCode);
        }

        var right = await server.TrySignInAsync("limited", ServerScenario.Password("limited"));
        var problem = await right.JsonAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal("application/problem+json", right.Content.Headers.ContentType?.MediaType);
        Assert.InRange(int.Parse(right.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Contains("locked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(right.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("slagrains.auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unknown_and_known_user_names_get_the_same_answer()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "known-name", "manager");

        var known = new List<(HttpStatusCode Status, string? Title, string? Detail)>();
        var unknown = new List<(HttpStatusCode Status, string? Title, string? Detail)>();
        for (var i = 0; i < SignInLockout.MaxFailures + 1; i++)
        {
            known.Add(await Answer(await server.TrySignInAsync("known-name", "not-the-password")));
            unknown.Add(await Answer(await server.TrySignInAsync("no-such-name", "not-the-password")));
        }

        Assert.Equal(known, unknown, (a, b) => a.Status == b.Status && a.Title == b.Title && Normalize(a.Detail) == Normalize(b.Detail));
        Assert.Equal(HttpStatusCode.Unauthorized, known[0].Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, known[^1].Status);

        static async Task<(HttpStatusCode, string?, string?)> Answer(HttpResponseMessage response)
        {
            var body = await response.JsonAsync();
            return (response.StatusCode, body.GetProperty("title").GetString(), body.GetProperty("detail").GetString());
        }

        // The seconds left may differ by one between the two names' delays.
        static string? Normalize(string? detail) => detail is null ? null : System.Text.RegularExpressions.Regex.Replace(detail, "[0-9]+ s", "N s");
    }

    [Fact]
    public async Task Lockout_delay_grows_and_expires()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "grows", "technician");
        var password = ServerScenario.Password("grows");
        for (var i = 0; i < SignInLockout.MaxFailures; i++)
        {
            await server.TrySignInAsync("grows", "not-the-password");
        }

        var first = await server.TrySignInAsync("grows", password);
        server.Clock.Advance(TimeSpan.FromSeconds(61));
        var sixthWrong = await server.TrySignInAsync("grows", "not-the-password");
        var second = await server.TrySignInAsync("grows", password);
        server.Clock.Advance(TimeSpan.FromSeconds(61));
        var stillLimited = await server.TrySignInAsync("grows", password);
        server.Clock.Advance(TimeSpan.FromSeconds(60));
        var signedIn = await server.TrySignInAsync("grows", password);

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.InRange(RetryAfter(first), 1, 60);
        Assert.Equal(HttpStatusCode.Unauthorized, sixthWrong.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.InRange(RetryAfter(second), 61, 120);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(0, (await Accounts.FindUser("grows"))!.FailedSignIns);
    }

    [Fact]
    public async Task Admin_unlock_lets_the_user_sign_in()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "unlock-me", "manager");
        for (var i = 0; i < SignInLockout.MaxFailures; i++)
        {
            await server.TrySignInAsync("unlock-me", "not-the-password");
        }

        var locked = await server.TrySignInAsync("unlock-me", ServerScenario.Password("unlock-me"));
        var listed = await (await admin.Http.GetAsync("api/v1/users")).JsonAsync();
        var unlocked = await (await ServerScenario.Ok(admin.Http.PostAsync("api/v1/users/unlock-me/unlock", null))).JsonAsync();
        var after = await server.TrySignInAsync("unlock-me", ServerScenario.Password("unlock-me"));

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.True(listed.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "unlock-me").GetProperty("lockedOut").GetBoolean());
        Assert.False(unlocked.GetProperty("lockedOut").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Only_admins_unlock_and_an_unknown_user_is_not_found()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "mgr-unlock", "manager");
        using var manager = await server.SignInAsync("mgr-unlock", ServerScenario.Password("mgr-unlock"));

        var byManager = await manager.Http.PostAsync("api/v1/users/admin/unlock", null);
        var unknown = await admin.Http.PostAsync("api/v1/users/nobody-here/unlock", null);

        Assert.Equal(HttpStatusCode.Forbidden, byManager.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static int RetryAfter(HttpResponseMessage response)
        => int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
}
