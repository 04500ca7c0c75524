using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests.StatusPages;

/// <summary>
/// <c>PUT</c>/<c>GET /api/v1/customers/{id}/status-page</c>: who may, bad input, slug uniqueness, and the public
/// address answering exactly as for an unknown slug while the page is off.
/// </summary>
public sealed class StatusPageSettingsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task Only_an_admin_turns_a_page_on_and_anyone_who_sees_the_customer_reads_the_setting()
    {
        using var admin = await server.AdminAsync();
        var customer = await PublicPagesWorld.CustomerAsync(admin.Http, "Contoso");
        var stranger = await PublicPagesWorld.CustomerAsync(admin.Http, "Fabrikam");
        var manager = $"mgr-{Guid.NewGuid():N}"[..12];
        var own = $"own-{Guid.NewGuid():N}"[..12];
        var other = $"oth-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, manager, "manager");
        await ServerScenario.UserAsync(admin.Http, own, "customer", customer);
        await ServerScenario.UserAsync(admin.Http, other, "customer", stranger);
        using var managerSession = await server.SignInAsync(manager, ServerScenario.Password(manager));
        using var ownSession = await server.SignInAsync(own, ServerScenario.Password(own));
        using var otherSession = await server.SignInAsync(other, ServerScenario.Password(other));
        var slug = Slug();
        var body = new { slug, enabled = true, showAvailability = true };

        using var byManager = await managerSession.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", body);
        using var byOwnUser = await ownSession.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", body);
        using var byOtherUser = await otherSession.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", body);
        using var anonymous = server.Anonymous();
        using var beforeAdmin = await anonymous.GetAsync(new Uri($"status-pages/{slug}", UriKind.Relative));
        var saved = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", body))).JsonAsync();
        var readByOwn = await (await ServerScenario.Ok(ownSession.Http.GetAsync($"api/v1/customers/{customer}/status-page"))).JsonAsync();
        using var readByOther = await otherSession.Http.GetAsync($"api/v1/customers/{customer}/status-page");

        Assert.Equal(HttpStatusCode.Forbidden, byManager.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOwnUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOtherUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, beforeAdmin.StatusCode);
        Assert.Equal(customer, saved.GetProperty("customerId").GetString());
        Assert.Equal(slug, saved.GetProperty("slug").GetString());
        Assert.True(saved.GetProperty("enabled").GetBoolean());
        Assert.True(saved.GetProperty("showAvailability").GetBoolean());
        Assert.Equal($"/status-pages/{slug}", saved.GetProperty("path").GetString());
        Assert.Equal(saved.GetRawText(), readByOwn.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, readByOther.StatusCode);
        using var page = await anonymous.GetAsync(new Uri($"status-pages/{slug}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_customer_without_a_page_reads_as_off_with_no_slug()
    {
        using var admin = await server.AdminAsync();
        var customer = await PublicPagesWorld.CustomerAsync(admin.Http, "Tailspin");

        var setting = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/status-page"))).JsonAsync();

        Assert.Equal(JsonValueKind.Null, setting.GetProperty("slug").ValueKind);
        Assert.False(setting.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, setting.GetProperty("path").ValueKind);
    }

    [Theory]
    [InlineData("""{"slug": "ab", "enabled": true}""", "slug")]
    [InlineData("""{"slug": "Upper-Case", "enabled": true}""", "slug")]
    [InlineData("""{"slug": "-leading", "enabled": true}""", "slug")]
    [InlineData("""{"slug": "trailing-", "enabled": true}""", "slug")]
    [InlineData("""{"slug": "has space", "enabled": true}""", "slug")]
    [InlineData("""{"slug": "under_score", "enabled": true}""", "slug")]
    [InlineData("""{"slug": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "enabled": true}""", "slug")]
    [InlineData("""{"enabled": true}""", "slug")]
    [InlineData("""{"slug": null, "enabled": true}""", "slug")]
    [InlineData("""{"slug": "fine-slug"}""", "enabled")]
    public async Task Bad_input_is_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        using var admin = await server.AdminAsync();
        var customer = await PublicPagesWorld.CustomerAsync(admin.Http, "Wide World Importers");
        var before = Slug();
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug = before, enabled = true }));

        using var response = await admin.Http.PutAsync($"api/v1/customers/{customer}/status-page", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.JsonAsync();
        var after = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/status-page"))).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(before, after.GetProperty("slug").GetString());
        Assert.True(after.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_slug_another_customer_holds_is_409_naming_the_slug_and_its_holder_keeps_it()
    {
        using var admin = await server.AdminAsync();
        var first = await PublicPagesWorld.CustomerAsync(admin.Http, "First Holder");
        var second = await PublicPagesWorld.CustomerAsync(admin.Http, "Second Comer");
        var slug = Slug();
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{first}/status-page", new { slug, enabled = true }));

        using var taken = await admin.Http.PutAsJsonAsync($"api/v1/customers/{second}/status-page", new { slug, enabled = true });
        var problem = await taken.JsonAsync();
        var secondSetting = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{second}/status-page"))).JsonAsync();
        using var anonymous = server.Anonymous();
        var page = await anonymous.GetStringAsync(new Uri($"status-pages/{slug}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("application/problem+json", taken.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"slug '{slug}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, secondSetting.GetProperty("slug").ValueKind);
        Assert.Contains("<h1 id=\"page-title\">First Holder</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_slug_moves_the_page_and_frees_the_old_one_for_another_customer()
    {
        using var admin = await server.AdminAsync();
        var mover = await PublicPagesWorld.CustomerAsync(admin.Http, "Mover");
        var taker = await PublicPagesWorld.CustomerAsync(admin.Http, "Taker");
        var (old, moved) = (Slug(), Slug());
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{mover}/status-page", new { slug = old, enabled = true }));
        using var anonymous = server.Anonymous();
        using var atOldBefore = await anonymous.GetAsync(new Uri($"status-pages/{old}", UriKind.Relative));

        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{mover}/status-page", new { slug = moved, enabled = true }));
        using var atOld = await anonymous.GetAsync(new Uri($"status-pages/{old}", UriKind.Relative));
        using var atNew = await anonymous.GetAsync(new Uri($"status-pages/{moved}", UriKind.Relative));
        using var takeOld = await admin.Http.PutAsJsonAsync($"api/v1/customers/{taker}/status-page", new { slug = old, enabled = true });

        Assert.Equal(HttpStatusCode.OK, atOldBefore.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, atOld.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atNew.StatusCode);
        Assert.Equal(HttpStatusCode.OK, takeOld.StatusCode);
    }

    [Fact]
    public async Task A_disabled_page_answers_exactly_like_an_unknown_slug_and_keeps_its_slug()
    {
        using var admin = await server.AdminAsync();
        var customer = await PublicPagesWorld.CustomerAsync(admin.Http, "Off Again");
        var rival = await PublicPagesWorld.CustomerAsync(admin.Http, "Rival");
        var slug = Slug();
        var unknown = Slug();
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug, enabled = true }));
        using var anonymous = server.Anonymous();
        using var whileOn = await anonymous.GetAsync(new Uri($"status-pages/{slug}/badge/status.svg", UriKind.Relative));

        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug, enabled = false }));
        foreach (var leaf in new[] { "", "/history.atom", "/history.rss", "/maintenance.ics", "/badge/status.svg", "/badge/uptime-90d.svg" })
        {
            using var disabled = await anonymous.GetAsync(new Uri($"status-pages/{slug}{leaf}", UriKind.Relative));
            using var missing = await anonymous.GetAsync(new Uri($"status-pages/{unknown}{leaf}", UriKind.Relative));

            Assert.Equal(HttpStatusCode.NotFound, disabled.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal(missing.Content.Headers.ContentType?.ToString(), disabled.Content.Headers.ContentType?.ToString());
            Assert.Equal(await Comparable(missing), await Comparable(disabled));
        }

        // Not a slug at all: the same answer too.
        using var notASlug = await anonymous.GetAsync(new Uri("status-pages/NOT_A_SLUG", UriKind.Relative));
        using var unknownPage = await anonymous.GetAsync(new Uri($"status-pages/{unknown}", UriKind.Relative));
        Assert.Equal(await Comparable(unknownPage), await Comparable(notASlug));

        // The slug stays reserved while off, and the page comes back at the same address.
        using var rivalTakes = await admin.Http.PutAsJsonAsync($"api/v1/customers/{rival}/status-page", new { slug, enabled = true });
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug, enabled = true }));
        using var back = await anonymous.GetAsync(new Uri($"status-pages/{slug}/badge/status.svg", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, whileOn.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, rivalTakes.StatusCode);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    private static string Slug() => $"page-{Guid.NewGuid():N}"[..21];

    /// <summary>
    /// The body as the client reads it, byte for byte, except a problem's <c>traceId</c>: every answer gets its own, which
    /// tells nothing about the page (the HTML page has none and is compared whole).
    /// </summary>
    private static async Task<string> Comparable(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return body;
        }

        var problem = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        Assert.True(problem.Remove("traceId"), body);
        return problem.ToJsonString();
    }
}
