using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SlaGrains.Server.Tests.Security;

/// <summary>Over HTTPS the sign-in and anti-forgery cookies are Secure (and the sign-in cookie HttpOnly, SameSite=Strict).</summary>
public sealed class SecureCookieTests(SecureCookieTests.HttpsServer server) : IClassFixture<SecureCookieTests.HttpsServer>
{
    [Fact]
    public async Task Auth_cookie_is_Secure_over_https()
    {
        using var client = server.Client();

        var signIn = await ServerScenario.Ok(client.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = SlaGrainsServerFixture.AdminPassword }));
        var auth = SetCookie(signIn, "slagrains.auth");
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, "api/v1/auth/antiforgery");
        tokenRequest.Headers.Add("Cookie", auth.Split(';')[0]);
        var antiforgery = SetCookie(await ServerScenario.Ok(client.SendAsync(tokenRequest)), ".AspNetCore.Antiforgery");

        Assert.Equal("https", server.BaseAddress.Scheme);
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    private static string SetCookie(HttpResponseMessage response, string name)
        => response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name, StringComparison.Ordinal));

    /// <summary>The server on HTTPS with a self-signed certificate for 127.0.0.1 made here.</summary>
    public sealed class HttpsServer : SlaGrainsServerFixture
    {
        private readonly X509Certificate2 _certificate = SelfSigned();

        protected override X509Certificate2? Certificate => _certificate;

        /// <summary>A client that trusts exactly this server's certificate and handles cookies by hand.</summary>
        public HttpClient Client() => new(new HttpClientHandler
        {
            UseCookies = false,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _certificate.Thumbprint,
        })
        { BaseAddress = BaseAddress };

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            _certificate.Dispose();
        }

        private static X509Certificate2 SelfSigned()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

            // Kestrel needs the private key in a form it can use for TLS: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
