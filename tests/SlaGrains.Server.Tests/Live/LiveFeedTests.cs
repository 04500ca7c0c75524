using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Server.Tests.Live;

/// <summary>The SignalR feed through a real client over real HTTP: typed events reach the people who may see them.</summary>
public sealed class LiveFeedTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_ticket_with_a_two_second_target_breaches_and_a_managers_connection_receives_TicketBreached_once()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT2S");
        await ServerScenario.UserAsync(admin.Http, "maria", "manager");
        using var manager = await server.SignInAsync("maria", ServerScenario.Password("maria"));
        await using var hub = manager.Hub();
        var breaches = new ConcurrentBag<SlaAlert>();
        var breached = new TaskCompletionSource<SlaAlert>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<SlaAlert>(nameof(Server.Live.ISlaClient.TicketBreached), alert =>
        {
            breaches.Add(alert);
            breached.TrySetResult(alert);
        });
        await hub.StartAsync();

        var created = await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "VPN down", requester = "it@example.com" }));
        var ticket = await created.Content.ReadFromJsonAsync<TicketView>(SlaGrainsServerFixture.Json);
        var alert = await breached.Task.WaitAsync(Bound);

        // Anything sent twice would arrive right behind the first: wait for the ticket's next event before counting.
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<TicketSummary>(nameof(Server.Live.ISlaClient.TicketClockChanged), t => changed.TrySetResult());
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{ticket!.TicketId}/status", new { status = "inProgress" }));
        await changed.Task.WaitAsync(Bound);

        Assert.Equal((ticket.TicketId, SlaMetric.FirstResponse), (alert.TicketId, alert.Metric));
        Assert.Equal(ticket.CreatedAt + Duration.FromSeconds(2), alert.DueAt);
        Assert.Single(breaches, b => b.TicketId == ticket.TicketId && b.Metric == SlaMetric.FirstResponse);
    }
}
