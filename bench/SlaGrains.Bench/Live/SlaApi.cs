using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SlaGrains.Testing;

namespace SlaGrains.Bench.Live;

/// <summary>
/// A client of one server's REST API as a person (cookie sign-in plus the <c>X-XSRF-TOKEN</c> anti-forgery header
/// on every change, like the UI) or a machine (<c>X-Api-Key</c>), with the set-up calls the scenarios need.
/// </summary>
internal sealed class SlaApi : IDisposable
{
    private readonly CookieContainer? _cookies;
    private readonly string? _apiKey;

    private SlaApi(Uri baseAddress, HttpMessageHandler handler, CookieContainer? cookies, string? apiKey)
    {
        BaseAddress = baseAddress;
        _cookies = cookies;
        _apiKey = apiKey;
        Http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        if (apiKey is not null)
        {
            Http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Signs in (cookie) as <paramref name="user"/>; every change then carries the anti-forgery token.</summary>
    public static async Task<SlaApi> SignInAsync(Uri baseAddress, string user, string password, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        var api = new SlaApi(baseAddress, new AntiforgeryHandler(Sockets(cookies)), cookies, null);
        using var response = await api.Http.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = user, password }, cancellationToken);
        await EnsureAsync(response, "sign-in", cancellationToken);
        return api;
    }

    public static Task<SlaApi> AdminAsync(ServerProcess server, CancellationToken cancellationToken)
        => SignInAsync(server.BaseAddress, "admin", ServerProcess.AdminPassword, cancellationToken);

    public static SlaApi WithKey(Uri baseAddress, string key) => new(baseAddress, Sockets(null), null, key);

    /// <summary>POSTs JSON; throws with the problem details unless 2xx.</summary>
    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsJsonAsync(path, body, cancellationToken);
        return await EnsureAsync(response, path, cancellationToken);
    }

    public async Task<JsonElement> PutAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await Http.PutAsJsonAsync(path, body, cancellationToken);
        return await EnsureAsync(response, path, cancellationToken);
    }

    public async Task CreateCustomerAsync(string id, CancellationToken cancellationToken)
        => await PostAsync("api/v1/customers", new { id, name = $"Bench {id}" }, cancellationToken);

    /// <summary>Sets a 24×7 calendar (UTC) and tier: every priority gets the same first-response and resolution targets.</summary>
    public async Task SetTargetsAsync(string customerId, TimeSpan firstResponse, TimeSpan resolution, CancellationToken cancellationToken)
    {
        await PutAsync($"api/v1/customers/{customerId}/calendar", new { timeZone = "UTC" }, cancellationToken);
        var targets = new { firstResponse = Iso(firstResponse), resolution = Iso(resolution), nextReply = (string?)null, coverage = "aroundTheClock" };
        await PutAsync($"api/v1/customers/{customerId}/policy", new { name = "Bench", targets = new { p1 = targets, p2 = targets, p3 = targets, p4 = targets } }, cancellationToken);
    }

    /// <summary>Creates an API key and returns the key itself (shown once).</summary>
    public async Task<string> CreateApiKeyAsync(string name, string scope, string? customerId, CancellationToken cancellationToken)
        => (await PostAsync("api/v1/api-keys", new { name, scope, customerId }, cancellationToken)).GetProperty("key").GetString()!;

    public async Task CreateUserAsync(string userName, string password, string role, string? customerId, CancellationToken cancellationToken)
        => await PostAsync("api/v1/users", new { userName, password, role, customerId, team = (string?)null }, cancellationToken);

    /// <summary>Opens a ticket (P2) with the given id.</summary>
    public Task<HttpResponseMessage> OpenTicketAsync(string id, string customerId, CancellationToken cancellationToken)
        => Http.PostAsJsonAsync("api/v1/tickets", new { id, customerId, priority = "p2", subject = "Benchmark ticket", requester = "bench@example.com" }, cancellationToken);

    /// <summary>A live-feed connection with this client's identity (cookie or API key), over WebSockets.</summary>
    public HubConnection Hub() => new HubConnectionBuilder()
        .WithUrl(new Uri(BaseAddress, "hubs/sla"), options =>
        {
            options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            options.SkipNegotiation = true;
            if (_cookies is not null)
            {
                options.Cookies = _cookies;
            }

            if (_apiKey is not null)
            {
                options.Headers["X-Api-Key"] = _apiKey;
            }
        })
        .Build();

    public void Dispose() => Http.Dispose();

    public static string Iso(TimeSpan duration) => System.Xml.XmlConvert.ToString(duration);

    public static async Task<JsonElement> EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static SocketsHttpHandler Sockets(CookieContainer? cookies) => new()
    {
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        MaxConnectionsPerServer = int.MaxValue,
    };
}
