using System.Net;
using System.Net.Http.Json;

namespace SlaGrains.Server.Tests.Security;

/// <summary>Sign-in, lock-out, anti-forgery and API keys through the real server.</summary>
public sealed class SignInTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "lock-me", "technician");
        using var anonymous = server.Anonymous();

        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            wrong.Add((await anonymous.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "lock-me", password = "not-the-password" })).StatusCode);
        }

        var right = await anonymous.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "lock-me", password = ServerScenario.Password("lock-me") });
        var users = await (await admin.Http.GetAsync("api/v1/users")).JsonAsync();

        // Locked: 429 with Retry-After (a short delay that grows with further failures; see SignInLimitTests).
        Assert.All(wrong, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.Contains("Retry-After"));
        Assert.Contains("locked", (await right.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(users.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "lock-me").GetProperty("lockedOut").GetBoolean());
    }

    [Fact]
    public async Task A_change_made_with_the_cookie_but_without_the_antiforgery_header_is_refused()
    {
        using var admin = await server.AdminAsync();
        var cookies = new CookieContainer();
        using var bare = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.BaseAddress };
        await ServerScenario.Ok(bare.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = SlaGrainsServerFixture.AdminPassword }));

        var read = await bare.GetAsync("api/v1/customers");
        var change = await bare.PostAsJsonAsync("api/v1/customers", new { id = "forged", name = "Forged" });
        var customers = await (await admin.Http.GetAsync("api/v1/customers")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, change.StatusCode);
        Assert.DoesNotContain(customers.EnumerateArray(), c => c.GetProperty("customerId").GetString() == "forged");
    }

    [Fact]
    public async Task An_api_key_is_shown_once_works_until_revoked_and_is_never_listed()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "portal", scope = "customer", customerId = customer }))).JsonAsync();
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("apiKey").GetProperty("id").GetString();
        using var machine = server.WithApiKey(key);

        var before = await machine.GetAsync($"api/v1/customers/{customer}");
        var listed = await (await admin.Http.GetAsync("api/v1/api-keys")).Content.ReadAsStringAsync();
        await ServerScenario.Ok(admin.Http.DeleteAsync($"api/v1/api-keys/{id}"));
        var after = await machine.GetAsync($"api/v1/customers/{customer}");
        using var forged = server.WithApiKey($"sgk_{id}_not-the-secret");
        var wrongSecret = await forged.GetAsync($"api/v1/customers/{customer}");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.True(SlaGrains.Contracts.Accounts.ApiKeys.TryParse(key, out _, out var secret));
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_and_needs_no_sign_in()
    {
        using var anonymous = server.Anonymous();

        var document = await (await ServerScenario.Ok(anonymous.GetAsync("openapi/v1.json"))).JsonAsync();
        var paths = document.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/tickets", out _));
        Assert.True(paths.TryGetProperty("/api/v1/customers/{id}/dashboard", out _));
        Assert.True(paths.TryGetProperty("/api/v1/monitors/{id}/checks/batch", out _));
    }
}
