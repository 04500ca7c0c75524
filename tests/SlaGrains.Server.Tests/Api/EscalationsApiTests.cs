using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SlaGrains.Contracts.Escalations;

namespace SlaGrains.Server.Tests.Api;

/// <summary>Escalation rules, the inbox and acknowledgements through the API and the live feed.</summary>
public sealed class EscalationsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task A_breach_escalates_into_the_inbox_and_an_acknowledgement_reaches_the_managers_feed()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1S");
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "to-management", metric = "firstResponse", percent = 100, action = "escalateToManagement", target = "managers" },
        }));
        await ServerScenario.UserAsync(admin.Http, "erin", "manager");
        using var manager = await server.SignInAsync("erin", ServerScenario.Password("erin"));
        await using var hub = manager.Hub();
        var raised = new TaskCompletionSource<EscalationView>(TaskCreationOptions.RunContinuationsAsynchronously);
        var acknowledged = new TaskCompletionSource<EscalationView>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<EscalationView>("EscalationRaised", e => raised.TrySetResult(e));

        // (The 75 % warning matches no rule: it is not an escalation and is not sent.)
        hub.On<EscalationView>("EscalationAcknowledged", e => acknowledged.TrySetResult(e));
        await hub.StartAsync();

        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Down" }))).JsonAsync();
        var escalation = await raised.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var inbox = await (await ServerScenario.Ok(manager.Http.GetAsync($"api/v1/escalations?customer={customer}&acknowledged=false&metric=firstResponse"))).JsonAsync();
        await ServerScenario.Ok(manager.Http.PostAsJsonAsync($"api/v1/customers/{customer}/escalations/acknowledge", new { escalation.EscalationId }));
        var acked = await acknowledged.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var flagged = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{ticket.GetProperty("ticketId").GetString()}"))).JsonAsync();
        var pending = await (await ServerScenario.Ok(manager.Http.GetAsync($"api/v1/escalations?customer={customer}&acknowledged=false"))).JsonAsync();

        Assert.Equal(escalation.EscalationId, Assert.Single(inbox.GetProperty("items").EnumerateArray()).GetProperty("escalationId").GetString());
        Assert.True(escalation.Alert.IsBreach);
        Assert.Equal("erin", acked.AcknowledgedBy);
        Assert.True(flagged.GetProperty("escalatedToManagement").GetBoolean());
        Assert.Equal(0, pending.GetProperty("total").GetInt32());
    }
}
