using System.Net;
using System.Text;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Tools;

/// <summary>The anonymous tools' per-address rate limit, on a server that allows 3 tool requests a minute.</summary>
public sealed class ToolRateLimitTests(ToolRateLimitTests.ThreePerMinute server) : IClassFixture<ToolRateLimitTests.ThreePerMinute>
{
    [Fact]
    public async Task Tools_answer_429_with_Retry_After_past_the_rate_limit()
    {
        using var client = server.Anonymous();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await PostAsync(client, "credit", """{"availabilityPercent": 99.5, "targetPercent": 99.9, "monthlyFee": 1000.0}""");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        // The limit is per address across the tools, not per tool.
        using var refused = await PostAsync(client, "business-time", """{"calendar": {"timeZone": "UTC"}, "start": "2026-11-20T15:30:00Z", "add": "PT4H"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var problem = JsonSerializer.Deserialize<JsonElement>(await refused.Content.ReadAsStringAsync(), SlaGrainsServerFixture.Json);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());

        // Only the tools are counted: other endpoints still answer this address.
        using var health = await client.GetAsync(new Uri("health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string tool, string body)
        => client.PostAsync(new Uri($"api/v1/tools/{tool}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    public sealed class ThreePerMinute : SlaGrainsServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("RateLimits:Tools:PermitsPerMinute", "3")];
    }
}
