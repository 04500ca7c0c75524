using System.Net;
using System.Net.Http.Json;

namespace SlaGrains.Server.Tests.Security;

/// <summary>Account inputs are bounded: a 400 problem naming the field, and nothing stored.</summary>
public sealed class AccountInputBoundsTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    public static TheoryData<string, string> BadUsers => new()
    {
        { "userName", """{"userName": "REPLACE_LONG", "password": "long-enough-password", "role": "technician"}""" },
        { "userName", """{"userName": "tab\tname", "password": "long-enough-password", "role": "technician"}""" },
        { "password", """{"userName": "long-password", "password": "REPLACE_HUGE", "role": "technician"}""" },
        { "role", """{"userName": "odd-role", "password": "long-enough-password", "role": 99}""" },
        { "team", """{"userName": "odd-team", "password": "long-enough-password", "role": "technician", "team": "red team!"}""" },
        { "customerId", """{"userName": "odd-customer", "password": "long-enough-password", "role": "customer", "customerId": "a b"}""" },
    };

    [Theory]
    [MemberData(nameof(BadUsers))]
    public async Task A_new_user_out_of_bounds_is_refused_naming_the_field(string field, string body)
    {
        using var admin = await server.AdminAsync();
        var before = await (await admin.Http.GetAsync("api/v1/users")).Content.ReadAsStringAsync();

        var response = await admin.Http.PostAsync("api/v1/users", Json(body));
        var after = await (await admin.Http.GetAsync("api/v1/users")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_key_scope_outside_the_enum_is_refused()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        var response = await admin.Http.PostAsync("api/v1/api-keys", Json($$"""{"name": "odd", "scope": 99, "customerId": "{{customer}}"}"""));
        var keys = await (await admin.Http.GetAsync("api/v1/api-keys")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("scope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"odd\"", keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_change_outside_the_enum_or_with_a_bad_team_is_refused_and_changes_nothing()
    {
        using var admin = await server.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "steady", "technician", team: "red");
        using var steady = await server.SignInAsync("steady", ServerScenario.Password("steady"));

        var role = await admin.Http.PutAsync("api/v1/users/steady", Json("""{"role": 99}"""));
        var team = await admin.Http.PutAsync("api/v1/users/steady", Json("""{"role": "technician", "team": "no spaces allowed"}"""));
        var customer = await admin.Http.PutAsync("api/v1/users/steady", Json("""{"role": "technician", "customerId": "acme"}"""));
        var shortPassword = await admin.Http.PutAsync("api/v1/users/steady/password", Json("""{"password": "short"}"""));
        var me = await (await ServerScenario.Ok(steady.Http.GetAsync("api/v1/auth/me"))).JsonAsync();

        Assert.All([role, team, customer, shortPassword], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(("technician", "red"), (me.GetProperty("role").GetString(), me.GetProperty("team").GetString()));
    }

    [Fact]
    public async Task An_overlong_sign_in_is_refused_without_checking_anything()
    {
        using var anonymous = server.Anonymous();

        var password = await anonymous.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = new string('x', 1_001) });
        var userName = await anonymous.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = new string('a', 201), password = "whatever-it-is" });

        Assert.Equal(HttpStatusCode.BadRequest, password.StatusCode);
        Assert.True((await password.JsonAsync()).GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.BadRequest, userName.StatusCode);
        Assert.True((await userName.JsonAsync()).GetProperty("errors").TryGetProperty("userName", out _));
    }

    private static StringContent Json(string body)
        => new(body.Replace("REPLACE_LONG", new string('u', 65), StringComparison.Ordinal).Replace("REPLACE_HUGE", new string('p', 1_001), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");
}
