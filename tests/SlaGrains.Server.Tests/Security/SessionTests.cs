using System.Net;
using System.Net.Http.Json;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// Sessions that end: every cookie carries the user's security stamp and sign-in time, checked on each request, so a
/// sign-out, a deleted user, a new role or password, or the absolute lifetime ends it — even for a copied cookie.
/// </summary>
public sealed class SessionTests(MovableClockServer server) : IClassFixture<MovableClockServer>
{
    [Fact]
    public async Task Signed_out_cookie_is_refused()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "leaver", "technician");
        using var laptop = await Person.SignInAsync(server, "leaver", ServerScenario.Password("leaver"));
        using var phone = await Person.SignInAsync(server, "leaver", ServerScenario.Password("leaver"));
        var copied = laptop.CookieHeader;

        var before = await Person.ReplayAsync(server, copied, "api/v1/auth/me");
        await ServerScenario.Ok(laptop.Http.PostAsync("api/v1/auth/sign-out", null));
        var replayed = await Person.ReplayAsync(server, copied, "api/v1/auth/me");
        var otherDevice = await phone.Http.GetAsync("api/v1/auth/me");

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed);
        Assert.Equal(HttpStatusCode.Unauthorized, otherDevice.StatusCode);
    }

    [Fact]
    public async Task Form_sign_out_ends_the_session_too()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "form-leaver", "technician");
        using var person = await Person.SignInAsync(server, "form-leaver", ServerScenario.Password("form-leaver"));
        var copied = person.CookieHeader;

        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "signout");
        signOut.Headers.Add("Cookie", copied);
        var answer = await client.SendAsync(signOut);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await Person.ReplayAsync(server, copied, "api/v1/auth/me"));
    }

    [Fact]
    public async Task Deleted_user_cookie_is_refused()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "gone-manager", "manager");
        using var manager = await Person.SignInAsync(server, "gone-manager", ServerScenario.Password("gone-manager"));
        var before = await manager.Http.PostAsJsonAsync("api/v1/customers", new { id = "made-before-deletion", name = "Before" });

        await ServerScenario.Ok(admin.Http.DeleteAsync("api/v1/users/gone-manager"));
        var after = await manager.Http.PostAsJsonAsync("api/v1/customers", new { id = "made-after-deletion", name = "After" });
        var customers = await (await admin.Http.GetAsync("api/v1/customers")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.DoesNotContain("made-after-deletion", customers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Role_change_ends_the_users_sessions()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "promoted", "technician", team: "red");
        using var person = await Person.SignInAsync(server, "promoted", ServerScenario.Password("promoted"));
        var before = await person.Http.GetAsync("api/v1/auth/me");

        var changed = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync("api/v1/users/promoted", new { role = "manager", team = "red" }))).JsonAsync();
        var after = await person.Http.GetAsync("api/v1/auth/me");
        using var again = await Person.SignInAsync(server, "promoted", ServerScenario.Password("promoted"));
        var me = await (await again.Http.GetAsync("api/v1/auth/me")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("manager", changed.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("manager", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Team_change_ends_the_users_sessions_and_an_unchanged_user_keeps_them()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "mover", "technician", team: "red");
        using var person = await Person.SignInAsync(server, "mover", ServerScenario.Password("mover"));

        await ServerScenario.Ok(admin.Http.PutAsJsonAsync("api/v1/users/mover", new { role = "technician", team = "red" }));
        var unchanged = await person.Http.GetAsync("api/v1/auth/me");
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync("api/v1/users/mover", new { role = "technician", team = "blue" }));
        var moved = await person.Http.GetAsync("api/v1/auth/me");

        Assert.Equal(HttpStatusCode.OK, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, moved.StatusCode);
    }

    [Fact]
    public async Task Password_change_ends_the_users_sessions()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "rekeyed", "manager");
        using var person = await Person.SignInAsync(server, "rekeyed", ServerScenario.Password("rekeyed"));

        await ServerScenario.Ok(admin.Http.PutAsJsonAsync("api/v1/users/rekeyed/password", new { password = "a-brand-new-password" }));
        var after = await person.Http.GetAsync("api/v1/auth/me");
        var oldPassword = await server.TrySignInAsync("rekeyed", ServerScenario.Password("rekeyed"));
        var newPassword = await server.TrySignInAsync("rekeyed", "a-brand-new-password");

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
    }

    [Fact]
    public async Task Session_ends_after_the_absolute_lifetime()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "all-day", "technician");
        using var person = await Person.SignInAsync(server, "all-day", ServerScenario.Password("all-day"));

        server.Clock.Advance(TimeSpan.FromHours(23));
        var withinTheDay = await person.Http.GetAsync("api/v1/auth/me");
        server.Clock.Advance(TimeSpan.FromHours(2));
        var pastTheDay = await person.Http.GetAsync("api/v1/auth/me");

        Assert.Equal(HttpStatusCode.OK, withinTheDay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, pastTheDay.StatusCode);
    }

    [Fact]
    public async Task Revoked_ingestion_key_is_refused_at_once()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"{customer}-api", customerId = customer, name = "API" }));
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "probe", scope = "ingestion", customerId = customer }))).JsonAsync();
        using var key = server.WithApiKey(created.GetProperty("key").GetString()!);

        var before = await key.PostAsJsonAsync($"api/v1/monitors/{customer}-api/checks", new { up = true });
        await ServerScenario.Ok(admin.Http.DeleteAsync($"api/v1/api-keys/{created.GetProperty("apiKey").GetProperty("id").GetString()}"));
        var after = await key.PostAsJsonAsync($"api/v1/monitors/{customer}-api/checks", new { up = true });

        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
