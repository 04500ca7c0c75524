using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SlaGrains.Contracts.Escalations;

namespace SlaGrains.Server.Tests.Api;

/// <summary>POST /api/v1/escalations/acknowledge: several escalations at once, with the rules of one.</summary>
public sealed class BulkAcknowledgeApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task Acknowledging_three_escalations_at_once_acknowledges_each_and_answers_per_id()
    {
        using var admin = await server.AdminAsync();
        var ids = await EscalationsAsync(admin, count: 3);

        var answer = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/escalations/acknowledge", new { ids = ids.Append("esc-none").Append(ids[0]) }))).JsonAsync();
        var again = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/escalations/acknowledge", new { ids = new[] { ids[1] } }))).JsonAsync();

        var outcomes = answer.EnumerateArray().ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("outcome").GetString());
        Assert.Equal(4, outcomes.Count);
        Assert.All(ids, id => Assert.Equal("acknowledged", outcomes[id]));
        Assert.Equal("notFound", outcomes["esc-none"]);
        Assert.Equal("alreadyAcknowledged", Assert.Single(again.EnumerateArray()).GetProperty("outcome").GetString());
        foreach (var id in ids)
        {
            Assert.Equal("admin", await AcknowledgedByAsync(admin, id));
        }
    }

    [Fact]
    public async Task More_than_200_ids_or_an_overlong_id_is_400_naming_ids_and_acknowledges_nothing()
    {
        using var admin = await server.AdminAsync();
        var ids = await EscalationsAsync(admin, count: 1);

        var tooMany = await admin.Http.PostAsJsonAsync("api/v1/escalations/acknowledge", new { ids = ids.Concat(Enumerable.Range(0, 200).Select(i => $"esc-{i}")) });
        var tooLong = await admin.Http.PostAsJsonAsync("api/v1/escalations/acknowledge", new { ids = ids.Append(new string('x', 201)) });
        var none = await admin.Http.PostAsJsonAsync("api/v1/escalations/acknowledge", new { ids = Array.Empty<string>() });

        foreach (var response in new[] { tooMany, tooLong, none })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.JsonAsync();
            Assert.True(problem.GetProperty("errors").TryGetProperty("ids", out _), problem.ToString());
        }

        Assert.Null(await AcknowledgedByAsync(admin, ids[0]));
    }

    [Fact]
    public async Task A_customers_user_is_refused_403_and_the_escalation_of_another_customer_stays_unacknowledged()
    {
        using var admin = await server.AdminAsync();
        var ids = await EscalationsAsync(admin, count: 1);
        var own = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.UserAsync(admin.Http, "bulk-cust", "customer", customerId: own);
        using var customer = await server.SignInAsync("bulk-cust", ServerScenario.Password("bulk-cust"));

        var refused = await customer.Http.PostAsJsonAsync("api/v1/escalations/acknowledge", new { ids });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(await AcknowledgedByAsync(admin, ids[0]));
    }

    /// <summary>Raises <paramref name="count"/> breach escalations on a new customer (1 s first response) and waits for them on the live feed.</summary>
    private async Task<string[]> EscalationsAsync(SlaGrainsServerFixture.Session admin, int count)
    {
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1S");
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "breach", metric = "firstResponse", percent = 100, action = "escalateToManagement", target = "managers" },
        }));
        await using var hub = admin.Hub();
        var raised = new ConcurrentDictionary<string, bool>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<EscalationView>("EscalationRaised", e =>
        {
            if (e.Alert.CustomerId == customer && raised.TryAdd(e.EscalationId, true) && raised.Count == count)
            {
                all.TrySetResult();
            }
        });
        await hub.StartAsync();
        for (var i = 0; i < count; i++)
        {
            await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = $"Down {i}" }));
        }

        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return [.. raised.Keys];
    }

    private static async Task<string?> AcknowledgedByAsync(SlaGrainsServerFixture.Session admin, string escalationId)
    {
        var page = await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/escalations?pageSize=500"))).JsonAsync();
        var row = page.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("escalationId").GetString() == escalationId);
        return row.GetProperty("acknowledgedBy").ValueKind == System.Text.Json.JsonValueKind.String ? row.GetProperty("acknowledgedBy").GetString() : null;
    }
}
