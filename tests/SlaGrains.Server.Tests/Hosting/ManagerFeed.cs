using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Server.Hosting;

namespace SlaGrains.Server.Tests.Hosting;

/// <summary>
/// A manager signed in to one server process with a SignalR connection to its live feed, recording the breaches and
/// the ticket changes it receives (a later change of a ticket is the barrier after which a duplicate breach would
/// already have arrived).
/// </summary>
internal sealed class ManagerFeed : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HubConnection _hub;

    private ManagerFeed(HttpClient http, HubConnection hub)
    {
        _http = http;
        _hub = hub;
        _hub.On<SlaAlert>(nameof(Server.Live.ISlaClient.TicketBreached), Breaches.Enqueue);
        _hub.On<TicketSummary>(nameof(Server.Live.ISlaClient.TicketClockChanged), t => Changed.Enqueue(t.TicketId));
    }

    public ConcurrentQueue<SlaAlert> Breaches { get; } = new();

    public ConcurrentQueue<string> Changed { get; } = new();

    /// <summary>Signs <paramref name="userName"/> (created with <see cref="ServerScenario.UserAsync"/>) in at <paramref name="server"/> and connects.</summary>
    public static async Task<ManagerFeed> ConnectAsync(Uri server, string userName)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server };
        await ServerScenario.Ok(http.PostAsJsonAsync("api/v1/auth/sign-in", new { userName, password = ServerScenario.Password(userName) }));
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "hubs/sla"), options => options.Cookies = cookies)
            .AddJsonProtocol(options => SlaGrainsServer.ConfigureJson(options.PayloadSerializerOptions))
            .Build();
        var feed = new ManagerFeed(http, hub);
        await hub.StartAsync();
        return feed;
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        _http.Dispose();
    }
}
