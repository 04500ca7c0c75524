using System.Net;
using System.Text.RegularExpressions;

namespace SlaGrains.Server.Tests.Security;

/// <summary>Sign-in attempts are rate limited per user name and per client address: 429 with Retry-After (the form redirects with the message).</summary>
public sealed partial class SignInRateLimitTests(SignInRateLimitTests.TightLimits server) : IClassFixture<SignInRateLimitTests.TightLimits>
{
    [Fact]
    public async Task Sign_in_attempts_are_limited_per_user_name_then_per_client_address()
    {
        // 3 per name, 8 per address (every attempt here comes from 127.0.0.1): on one name, the 4th is refused
        // unchecked; 4 other names use the address's last 4; then any name, and the form, is refused.
        var onOneName = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            onOneName.Add(await server.TrySignInAsync("rate-name", "not-the-password"));
        }

        var otherNames = new List<HttpStatusCode>();
        foreach (var name in new[] { "rate-b", "rate-c", "rate-d", "rate-e" })
        {
            otherNames.Add((await server.TrySignInAsync(name, "not-the-password")).StatusCode);
        }

        var byAddress = await server.TrySignInAsync("admin", SlaGrainsServerFixture.AdminPassword);
        var form = await FormSignInAsync("admin", SlaGrainsServerFixture.AdminPassword);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], onOneName.Select(r => r.StatusCode));
        Assert.InRange(RetryAfter(onOneName[3]), 1, 60);
        Assert.Equal("application/problem+json", onOneName[3].Content.Headers.ContentType?.MediaType);
        Assert.All(otherNames, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, byAddress.StatusCode);
        Assert.InRange(RetryAfter(byAddress), 1, 60);
        Assert.Equal(HttpStatusCode.Redirect, form.StatusCode);
        Assert.StartsWith("/signin?error=Too%20many", form.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>The sign-in page's form post, as a browser sends it (with the page's anti-forgery token).</summary>
    private async Task<HttpResponseMessage> FormSignInAsync(string userName, string password)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var page = await client.GetStringAsync("signin");
        var token = TokenField().Match(page).Groups[1].Value;
        return await client.PostAsync("signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["userName"] = userName,
            ["password"] = password,
        }));
    }

    private static int RetryAfter(HttpResponseMessage response)
        => int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>3 attempts per name and 8 per address each minute.</summary>
    public sealed class TightLimits : MovableClockServer
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("SignIn:PerAddressPerMinute", "8"),
            new("SignIn:PerUserNamePerMinute", "3"),
        ];
    }
}
