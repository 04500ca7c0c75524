using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// tls monitors through the API on the real server, probing a real Kestrel HTTPS target on 127.0.0.1 whose certificate
/// comes from a CA this server does not trust: the monitor is down as "certificate not trusted" and still shows the
/// certificate's expiry (<c>tls.certificateExpiresAt</c>).
/// </summary>
public sealed class TlsMonitorsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task Tls_monitor_shows_the_certificate_expiry_and_is_down_for_a_certificate_nobody_trusts()
    {
        using var authority = new TestCertificateAuthority();
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = authority.Issue("localhost", now.AddDays(-1), now.AddDays(30));
        await using var target = await TlsTargets.StartAsync(new Dictionary<string, System.Security.Cryptography.X509Certificates.X509Certificate2> { ["untrusted"] = certificate });
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var id = $"tls-{customer}";

        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id,
            customerId = customer,
            name = "Mail relay",
            consecutiveFailures = 1,
            kind = "tls",
            tls = new { host = "localhost", port = target.Ports["untrusted"], warnDays = 7, intervalSeconds = 60, timeoutSeconds = 5 },
        }))).JsonAsync();
        var report = await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>(ProbeKeys.Of(id, "default")).ProbeNow();
        var shown = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{id}"))).JsonAsync();

        Assert.Equal("tls", created.GetProperty("kind").GetString());
        Assert.Equal((false, "certificate not trusted"), (report!.Up, report.Detail));
        Assert.True(shown.GetProperty("isDown").GetBoolean());
        var expires = Instant.FromDateTimeOffset(new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        Assert.Equal(expires, shown.GetProperty("tls").GetProperty("certificateExpiresAt").Deserialize<Instant>(SlaGrainsServerFixture.Json));
        Assert.Equal(7, shown.GetProperty("tls").GetProperty("warnDays").GetInt32());
    }

    [Fact]
    public async Task Tls_input_outside_the_rules_is_a_problem_naming_each_field()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        var response = await admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id = $"tls-bad-{customer}",
            customerId = customer,
            name = "Mail relay",
            kind = "tls",
            tls = new { host = "localhost", port = 70000, warnDays = 400, intervalSeconds = 5 },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray();
        Assert.Contains("tls.port", fields);
        Assert.Contains("tls.warnDays", fields);
        Assert.Contains("tls.intervalSeconds", fields);
    }
}
