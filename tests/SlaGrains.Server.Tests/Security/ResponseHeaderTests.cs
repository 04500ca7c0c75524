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
}
