using System.Net;

namespace SlaGrains.Server.Tests.Security;

/// <summary>What every answer of the real server says about itself: hardening headers on pages, the API and errors alike.</summary>
public sealed class ResponseHeaderTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Theory]
    [InlineData("sign-in")]
    [InlineData("api/v1/auth/me")]
    [InlineData("api/v1/customers/nobody")]
    [InlineData("health/ready")]
    public async Task Every_answer_forbids_mime_sniffing_limits_the_referrer_and_does_not_name_the_server(string path)
    {
        using var anonymous = server.Anonymous();

        using var response = await anonymous.GetAsync(path);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["strict-origin-when-cross-origin"], response.Headers.GetValues("Referrer-Policy"));
        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(", ", response.Headers.Server)}");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP");
    }

    [Fact]
    public async Task Pages_carry_the_content_security_policy_and_api_answers_a_deny_all_one()
    {
        using var anonymous = server.Anonymous();

        using var page = await anonymous.GetAsync("signin");
        using var api = await anonymous.GetAsync("api/v1/auth/me");
        using var missing = await anonymous.GetAsync("api/v1/customers/nobody");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SlaGrains.Server.Hosting.HardeningHeaders.PagePolicy, policy);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Equal(["DENY"], page.Headers.GetValues("X-Frame-Options"));
        Assert.Equal(["default-src 'none'; frame-ancestors 'none'"], api.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["default-src 'none'; frame-ancestors 'none'"], missing.Headers.GetValues("Content-Security-Policy"));
    }
}
