using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Server.Hosting;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests;

/// <summary>
/// The real server — silo, API, hub — on Kestrel at a free loopback port, with its own SQLite file, and the first
/// admin's password set. People sign in through the API like a browser would (cookie + anti-forgery header).
/// </summary>
public class SlaGrainsServerFixture : IAsyncLifetime
{
    public const string AdminPassword = "admin-password-for-tests";
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-server-").FullName;
    private Factory _factory = null!;

    /// <summary>JSON as the API writes it.</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public string DatabasePath => Path.Combine(_directory, "sla.db");

    /// <summary>More settings for the server (a derived fixture's), applied after the defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    /// <summary>The CIDRs outbound requests may reach although private (<c>Network:AllowedPrivateTargets</c>); by default loopback, where the tests' receivers are.</summary>
    protected virtual IReadOnlyList<string> AllowedPrivateTargets => [.. LoopbackTargets.Settings.Values];

    /// <summary>More services for the server (a derived fixture's, e.g. a shifted SLA clock or a test resolver), registered last.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>A certificate to serve HTTPS with instead of HTTP (a derived fixture's).</summary>
    protected virtual System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate => null;

    public virtual Task InitializeAsync()
    {
        _factory = new Factory(DatabasePath, [.. AllowedPrivateTargets.Select((cidr, i) => new KeyValuePair<string, string>($"Network:AllowedPrivateTargets:{i}", cidr)), .. Settings], ConfigureServices);
        var port = FreePort.Next();
        if (Certificate is { } certificate)
        {
            _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        }
        else
        {
            _factory.UseKestrel(port);
        }

        _factory.StartServer();
        BaseAddress = new Uri($"{(Certificate is null ? "http" : "https")}://127.0.0.1:{port}/");
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A client that is not signed in.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    /// <summary>A client signed in as the user, sending the anti-forgery header on every change.</summary>
    public async Task<Session> SignInAsync(string userName, string password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new AntiforgeryHandler(new HttpClientHandler { CookieContainer = cookies })) { BaseAddress = BaseAddress };
        var response = await client.PostAsJsonAsync("api/v1/auth/sign-in", new { userName, password });
        response.EnsureSuccessStatusCode();
        return new Session(client, cookies, BaseAddress);
    }

    public Task<Session> AdminAsync() => SignInAsync("admin", AdminPassword);

    /// <summary>A client authenticated by an API key.</summary>
    public HttpClient WithApiKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        SlaGrainsServer.ConfigureJson(options);
        return options;
    }

    /// <summary>A signed-in person: the HTTP client and a way to open the live feed with the same cookie.</summary>
    public sealed class Session(HttpClient client, CookieContainer cookies, Uri baseAddress) : IDisposable
    {
        public HttpClient Http { get; } = client;

        public HubConnection Hub() => new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "hubs/sla"), options => options.Cookies = cookies)
            .AddJsonProtocol(options => SlaGrainsServer.ConfigureJson(options.PayloadSerializerOptions))
            .Build();

        public void Dispose() => Http.Dispose();
    }

    private sealed class Factory(string databasePath, IEnumerable<KeyValuePair<string, string>> settings, Action<IServiceCollection> services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Storage:Provider", "sqlite");
            builder.UseSetting("Storage:SqlitePath", databasePath);
            builder.UseSetting("Orleans:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Orleans:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Orleans:ServiceId", $"tests-{Guid.NewGuid():N}");
            builder.UseSetting("Admin:Password", AdminPassword);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");

            // Every test talks from 127.0.0.1 and signs the same people in again and again: the per-address and per-name
            // limits (tools, sign-in) must not shape other tests; the tests of those limits set their own.
            builder.UseSetting("RateLimits:Tools:PermitsPerMinute", "100000");
            builder.UseSetting("SignIn:PerAddressPerMinute", "100000");
            builder.UseSetting("SignIn:PerUserNamePerMinute", "100000");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services);
        }
    }
}
