using System.Net;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;

namespace SlaGrains.Server.Tests.StatusPages;

/// <summary>The public pages' per-address rate limit and their configured public address, on a server that allows 4 requests a minute.</summary>
public sealed class PublicRateLimitTests(PublicRateLimitTests.FourPerMinute world) : IClassFixture<PublicRateLimitTests.FourPerMinute>
{
    [Fact]
    public async Task Past_the_limit_the_page_feeds_and_badges_answer_429_with_Retry_After_and_links_use_the_public_url()
    {
        using var anonymous = world.Anonymous();
        var slug = world.Slug;

        // Four requests across the page, a feed and the badges: the limit counts them together.
        using var page = await anonymous.GetAsync(new Uri($"status-pages/{slug}", UriKind.Relative));
        using var atom = await anonymous.GetAsync(new Uri($"status-pages/{slug}/history.atom", UriKind.Relative));
        using var badge = await anonymous.GetAsync(new Uri($"status-pages/{slug}/badge/status.svg", UriKind.Relative));
        using var unknown = await anonymous.GetAsync(new Uri("status-pages/no-such-page/badge/status.svg", UriKind.Relative));
        using var refused = await anonymous.GetAsync(new Uri($"status-pages/{slug}/badge/uptime-30d.svg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atom.StatusCode);
        Assert.Equal(HttpStatusCode.OK, badge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var problem = JsonSerializer.Deserialize<JsonElement>(await refused.Content.ReadAsStringAsync(), SlaGrainsServerFixture.Json);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());

        // Other endpoints still answer this address.
        using var health = await anonymous.GetAsync(new Uri("health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        // Links in the feed come from App:PublicUrl, not from the address the request used.
        var formatter = new Atom10FeedFormatter();
        using (var reader = XmlReader.Create(await atom.Content.ReadAsStreamAsync()))
        {
            formatter.ReadFrom(reader);
        }

        Assert.Equal($"{FourPerMinute.PublicUrl}status-pages/{slug}", formatter.Feed.Id);
        Assert.Contains(formatter.Feed.Links, l => l.RelationshipType == "self" && l.Uri.AbsoluteUri == $"{FourPerMinute.PublicUrl}status-pages/{slug}/history.atom");
    }

    public sealed class FourPerMinute : SlaGrainsServerFixture
    {
        /// <summary>Where the operator says the site is reached (never contacted by the tests).</summary>
        public const string PublicUrl = "http://localhost:8443/sla/";

        public string Slug { get; private set; } = null!;

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            [new("RateLimits:StatusPages:PermitsPerMinute", "4"), new("App:PublicUrl", PublicUrl)];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            using var admin = await AdminAsync();
            var customer = await PublicPagesWorld.CustomerAsync(admin.Http, "Limited Company");
            Slug = $"limited-{Guid.NewGuid():N}"[..20];
            await ServerScenario.Ok(System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(admin.Http, $"api/v1/customers/{customer}/status-page", new { slug = Slug, enabled = true }));
        }
    }
}
