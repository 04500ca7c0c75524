using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Grains;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// The server with an SLA clock the test can move forward (lock-out delays and session lifetimes are read on it) and
/// address limits high enough for bursts from one loopback address.
/// </summary>
public class MovableClockServer : SlaGrainsServerFixture
{
    public MovableClock Clock { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("SignIn:PerAddressPerMinute", "10000"),
        new("SignIn:PerUserNamePerMinute", "10000"),
    ];

    protected override void ConfigureServices(IServiceCollection services) => services.AddKeyedSingleton<TimeProvider>(SlaTime.Key, Clock);

    /// <summary>A sign-in attempt without keeping the cookie.</summary>
    public async Task<HttpResponseMessage> TrySignInAsync(string userName, string password)
    {
        using var client = Anonymous();
        return await client.PostAsJsonAsync("api/v1/auth/sign-in", new { userName, password });
    }
}

/// <summary>Real time moved forward by the test: now is the system's now plus the offset.</summary>
public sealed class MovableClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}

/// <summary>A sign-in client that keeps its cookie but sends no anti-forgery header (reads only).</summary>
internal static class CookieClients
{
    public static async Task<(HttpClient Client, CookieContainer Cookies)> SignedInAsync(SlaGrainsServerFixture server, string userName, string password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.BaseAddress };
        await ServerScenario.Ok(client.PostAsJsonAsync("api/v1/auth/sign-in", new { userName, password }));
        return (client, cookies);
    }
}

/// <summary>A person's client whose cookie the test can read and replay elsewhere.</summary>
internal sealed class Person(HttpClient http, CookieContainer cookies, Uri baseAddress) : IDisposable
{
    public HttpClient Http { get; } = http;

    /// <summary>The Cookie header this person's browser would send.</summary>
    public string CookieHeader => cookies.GetCookieHeader(baseAddress);

    public static async Task<Person> SignInAsync(SlaGrainsServerFixture server, string userName, string password)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SlaGrains.Testing.AntiforgeryHandler(new HttpClientHandler { CookieContainer = cookies })) { BaseAddress = server.BaseAddress };
        await ServerScenario.Ok(http.PostAsJsonAsync("api/v1/auth/sign-in", new { userName, password }));
        return new Person(http, cookies, server.BaseAddress);
    }

    /// <summary>GET with exactly this Cookie header (as a copied cookie would be replayed), from a fresh client.</summary>
    public static async Task<HttpStatusCode> ReplayAsync(SlaGrainsServerFixture server, string cookieHeader, string path)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookieHeader);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>
/// The server on a clock the tests move forward, with webhook retries in milliseconds and a webhook receiver on
/// loopback (whose subscriptions the tests make and whose deliveries they read).
/// </summary>
public class WebhookReceiverServer : MovableClockServer
{
    public WebhookReceiver Receiver { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        .. base.Settings,
        new("Webhooks:FirstRetryDelay", "00:00:00.050"),
        new("Webhooks:MaxRetryDelay", "00:00:00.200"),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Receiver = await WebhookReceiver.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await base.DisposeAsync();
    }
}
