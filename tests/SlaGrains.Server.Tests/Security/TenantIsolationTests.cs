using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SlaGrains.Contracts.Tickets;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// Two customers, A and B. A's people and A's API key reach none of B's data on any route and receive none of B's
/// events; roles limit who changes contracts and who manages users and keys.
/// </summary>
public sealed class TenantIsolationTests(TenantIsolationTests.World world) : IClassFixture<TenantIsolationTests.World>
{
    /// <summary>Every route that names a customer's resource, with B's ids filled in (method, path, body).</summary>
    public static TheoryData<string, string, string?> RoutesOfB => new()
    {
        { "GET", "api/v1/customers/{B}", null },
        { "GET", "api/v1/customers/{B}/dashboard", null },
        { "GET", "api/v1/customers/{B}/credits", null },
        { "GET", "api/v1/customers/{B}/reports", null },
        { "GET", "api/v1/customers/{B}/reports?period=2026-01&format=pdf", null },
        { "GET", "api/v1/customers/{B}/renewal", null },
        { "GET", "api/v1/customers/{B}/notices", null },
        { "POST", "api/v1/customers/{B}/notices/notice-2026-01/read", null },
        { "GET", "api/v1/customers/{B}/disputes", null },
        { "POST", "api/v1/customers/{B}/disputes", """{"month": "2026-01", "claimedAvailabilityPercent": 99}""" },
        { "POST", "api/v1/customers/{B}/disputes/dispute-2026-01/resolve", """{"decision": "accept"}""" },
        { "PUT", "api/v1/customers/{B}/contract", """{"slaTargetPercent": 99, "monthlyFee": 1, "currency": "EUR"}""" },
        { "PUT", "api/v1/customers/{B}/calendar", """{"timeZone": "Europe/Paris"}""" },
        { "PUT", "api/v1/customers/{B}/policy", """{"name": "X", "targets": {"p1": {"firstResponse": "PT1H", "resolution": "PT2H"}}}""" },
        { "PUT", "api/v1/customers/{B}/components", "[]" },
        { "GET", "api/v1/customers/{B}/escalation-rules", null },
        { "PUT", "api/v1/customers/{B}/escalation-rules", "[]" },
        { "POST", "api/v1/customers/{B}/escalation-rules", """{"metric": "resolution", "percent": 75, "action": "notify", "target": "x"}""" },
        { "DELETE", "api/v1/customers/{B}/escalation-rules/any", null },
        { "POST", "api/v1/customers/{B}/escalations/acknowledge", """{"escalationId": "any"}""" },
        { "POST", "api/v1/escalations/acknowledge", """{"ids": ["any"]}""" },
        { "GET", "api/v1/customers/{B}/webhooks", null },
        { "POST", "api/v1/customers/{B}/webhooks", """{"url": "http://127.0.0.1:9/hook", "eventTypes": ["incident.opened"]}""" },
        { "PATCH", "api/v1/customers/{B}/webhooks/{BW}", """{"enabled": false}""" },
        { "DELETE", "api/v1/customers/{B}/webhooks/{BW}", null },
        { "GET", "api/v1/customers/{B}/webhooks/deliveries", null },
        { "GET", "api/v1/customers/{B}/webhooks/pending", null },
        { "GET", "api/v1/customers/{B}/webhooks/dead-letters", null },
        { "POST", "api/v1/customers/{B}/webhooks/dead-letters/any/redeliver", null },
        { "POST", "api/v1/customers/{B}/webhooks/rule-secret", null },
        { "GET", "api/v1/tickets/{BT}", null },
        { "POST", "api/v1/tickets", """{"customerId": "{B}", "priority": "p1", "subject": "x"}""" },
        { "POST", "api/v1/tickets/{BT}/assign", """{"team": "x"}""" },
        { "POST", "api/v1/tickets/{BT}/priority", """{"priority": "p2"}""" },
        { "POST", "api/v1/tickets/{BT}/status", """{"status": "onHold"}""" },
        { "POST", "api/v1/tickets/{BT}/replies", """{"from": "customer"}""" },
        { "POST", "api/v1/tickets/{BT}/resolve", null },
        { "POST", "api/v1/tickets/{BT}/reopen", null },
        { "POST", "api/v1/tickets/{BT}/close", null },
        { "GET", "api/v1/monitors/{BM}", null },
        { "POST", "api/v1/monitors", """{"id": "{BM}", "customerId": "{B}", "name": "x"}""" },
        { "POST", "api/v1/monitors/{BM}/checks", """{"up": false}""" },
        { "POST", "api/v1/monitors/{BM}/checks/batch", """[{"up": false}]""" },
        { "POST", "api/v1/monitors/{BM}/heartbeat", null },
        { "GET", "api/v1/monitors/{BM}/maintenance", null },
        { "POST", "api/v1/monitors/{BM}/maintenance", """{"start": "2030-01-01T00:00:00Z", "end": "2030-01-01T01:00:00Z"}""" },
        { "DELETE", "api/v1/monitors/{BM}/maintenance/any", null },
        { "GET", "api/v1/monitors/{BM}/incidents", null },
        { "PUT", "api/v1/monitors/{BM}/incidents/any/postmortem", """{"url": "https://example.com/pm"}""" },
        { "POST", "api/v1/budget-alerts/{BM}.page-fast.0/acknowledge", null },

        // Issue 20 — exclusions
        { "GET", "api/v1/customers/{B}/classifications", null },
        { "GET", "api/v1/incidents/{BM}-1/classifications", null },
        { "POST", "api/v1/incidents/{BM}-1/classifications", """{"class": "forceMajeure", "reason": "Storm."}""" },
    };

    [Theory]
    [MemberData(nameof(RoutesOfB))]
    public async Task A_customer_user_of_A_gets_403_or_404_for_Bs_data(string method, string path, string? body)
        => await AssertRefused(world.CustomerUserOfA!.Http, method, path, body);

    [Theory]
    [MemberData(nameof(RoutesOfB))]
    public async Task As_customer_scoped_API_key_gets_403_or_404_for_Bs_data(string method, string path, string? body)
        => await AssertRefused(world.KeyOfA!, method, path, body);

    [Fact]
    public async Task Lists_show_a_customer_user_only_their_own_customer()
    {
        var customers = await (await world.CustomerUserOfA!.Http.GetAsync("api/v1/customers")).JsonAsync();
        var tickets = await (await world.CustomerUserOfA.Http.GetAsync("api/v1/tickets?pageSize=200")).JsonAsync();
        var onlyB = await (await world.CustomerUserOfA.Http.GetAsync($"api/v1/tickets?customer={world.B}")).JsonAsync();
        var inbox = await world.CustomerUserOfA.Http.GetAsync("api/v1/escalations");

        Assert.Equal([world.A], customers.EnumerateArray().Select(c => c.GetProperty("customerId").GetString()!).ToArray());
        Assert.All(tickets.GetProperty("items").EnumerateArray(), t => Assert.Equal(world.A, t.GetProperty("customerId").GetString()));
        Assert.Contains(tickets.GetProperty("items").EnumerateArray(), t => t.GetProperty("ticketId").GetString() == world.TicketOfA);
        Assert.Equal(0, onlyB.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, inbox.StatusCode);
    }

    [Fact]
    public async Task A_customer_user_of_A_receives_As_ticket_events_and_none_of_Bs()
    {
        await using var hub = world.CustomerUserOfA!.Hub();
        var seen = new ConcurrentQueue<string>();
        var sawA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<TicketSummary>("TicketClockChanged", t =>
        {
            seen.Enqueue(t.CustomerId);
            if (t.TicketId == world.TicketOfA)
            {
                sawA.TrySetResult();
            }
        });
        await hub.StartAsync();

        // B's change first, then A's: by the time A's arrives, B's would have (one feed, in order per silo).
        await ServerScenario.Ok(world.Admin!.Http.PostAsJsonAsync($"api/v1/tickets/{world.TicketOfB}/assign", new { team = "blue" }));
        await ServerScenario.Ok(world.Admin.Http.PostAsJsonAsync($"api/v1/tickets/{world.TicketOfA}/assign", new { team = "red" }));
        await sawA.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(world.B, seen);
    }

    [Fact]
    public async Task Technicians_cannot_change_contracts_and_managers_cannot_manage_users_or_keys()
    {
        var contract = await world.Technician!.Http.PutAsJsonAsync($"api/v1/customers/{world.A}/contract", new { slaTargetPercent = 99, monthlyFee = 1, currency = "EUR" });
        var users = await world.Manager!.Http.PostAsJsonAsync("api/v1/users", new { userName = "mallory", password = "mallory-password", role = "admin" });
        var keys = await world.Manager.Http.GetAsync("api/v1/api-keys");
        var ticket = await world.Technician!.Http.PostAsJsonAsync($"api/v1/tickets/{world.TicketOfB}/status", new { status = "inProgress" });

        Assert.Equal(HttpStatusCode.Forbidden, contract.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, keys.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ticket.StatusCode);
    }

    [Fact]
    public async Task An_ingestion_key_pushes_checks_and_reads_nothing()
    {
        var check = await world.IngestionKeyOfA!.PostAsJsonAsync($"api/v1/monitors/{world.MonitorOfA}/checks", new { up = true });
        var read = await world.IngestionKeyOfA.GetAsync($"api/v1/customers/{world.A}");
        var foreign = await world.IngestionKeyOfA.PostAsJsonAsync($"api/v1/monitors/{world.MonitorOfB}/checks", new { up = true });

        Assert.Equal(HttpStatusCode.Accepted, check.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    private async Task AssertRefused(HttpClient client, string method, string path, string? body)
    {
        var before = await Snapshot();
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null)
        {
            request.Content = new StringContent(Fill(body), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await Snapshot());
    }

    /// <summary>B's state as the admin sees it: nothing a refused request does may change it.</summary>
    private async Task<string> Snapshot()
    {
        var customer = await (await world.Admin!.Http.GetAsync($"api/v1/customers/{world.B}")).Content.ReadAsStringAsync();
        var ticket = await (await world.Admin.Http.GetAsync($"api/v1/tickets/{world.TicketOfB}")).JsonAsync();
        var monitor = await (await world.Admin.Http.GetAsync($"api/v1/monitors/{world.MonitorOfB}")).JsonAsync();
        var rules = await (await world.Admin.Http.GetAsync($"api/v1/customers/{world.B}/escalation-rules")).Content.ReadAsStringAsync();
        var webhooks = await (await world.Admin.Http.GetAsync($"api/v1/customers/{world.B}/webhooks")).Content.ReadAsStringAsync();
        return string.Join("|", customer, ticket.GetProperty("status"), ticket.GetProperty("team"), ticket.GetProperty("priority"), monitor.GetProperty("lastResultAt"), rules, webhooks);
    }

    private string Fill(string text) => text.Replace("{BW}", world.WebhookOfB).Replace("{BT}", world.TicketOfB).Replace("{BM}", world.MonitorOfB).Replace("{B}", world.B);

    /// <summary>The server with customers A and B, a ticket and a monitor each, and A's people and keys.</summary>
    public sealed class World : SlaGrainsServerFixture
    {
        public string A { get; private set; } = "";

        public string B { get; private set; } = "";

        public string TicketOfA { get; private set; } = "";

        public string TicketOfB { get; private set; } = "";

        public string MonitorOfA { get; private set; } = "";

        public string MonitorOfB { get; private set; } = "";

        public string WebhookOfB { get; private set; } = "";

        public Session Admin { get; private set; } = null!;

        public Session CustomerUserOfA { get; private set; } = null!;

        public Session Technician { get; private set; } = null!;

        public Session Manager { get; private set; } = null!;

        public HttpClient KeyOfA { get; private set; } = null!;

        public HttpClient IngestionKeyOfA { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Admin = await AdminAsync();
            A = await ServerScenario.CustomerAsync(Admin.Http);
            B = await ServerScenario.CustomerAsync(Admin.Http);
            (TicketOfA, MonitorOfA) = await Resources(A);
            (TicketOfB, MonitorOfB) = await Resources(B);
            var webhook = await (await ServerScenario.Ok(Admin.Http.PostAsJsonAsync($"api/v1/customers/{B}/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "incident.opened" } }))).JsonAsync();
            WebhookOfB = webhook.GetProperty("webhook").GetProperty("webhookId").GetString()!;
            await ServerScenario.UserAsync(Admin.Http, "alice", "customer", customerId: A);
            await ServerScenario.UserAsync(Admin.Http, "tom", "technician", team: "red");
            await ServerScenario.UserAsync(Admin.Http, "mona", "manager");
            CustomerUserOfA = await SignInAsync("alice", ServerScenario.Password("alice"));
            Technician = await SignInAsync("tom", ServerScenario.Password("tom"));
            Manager = await SignInAsync("mona", ServerScenario.Password("mona"));
            KeyOfA = WithApiKey(await Key("customer"));
            IngestionKeyOfA = WithApiKey(await Key("ingestion"));
        }

        public override async Task DisposeAsync()
        {
            foreach (var session in new[] { Admin, CustomerUserOfA, Technician, Manager })
            {
                session?.Dispose();
            }

            KeyOfA?.Dispose();
            IngestionKeyOfA?.Dispose();
            await base.DisposeAsync();
        }

        private async Task<(string Ticket, string Monitor)> Resources(string customer)
        {
            var ticket = await (await ServerScenario.Ok(Admin!.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Printer" }))).JsonAsync();
            var monitor = $"m-{customer}";
            await ServerScenario.Ok(Admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true }));
            await ServerScenario.Ok(Admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = true }));
            await ServerScenario.Ok(Admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[] { new { id = "warn", metric = "resolution", percent = 75, action = "notify", target = "role:manager" } }));
            return (ticket.GetProperty("ticketId").GetString()!, monitor);
        }

        private async Task<string> Key(string scope)
        {
            var created = await (await ServerScenario.Ok(Admin!.Http.PostAsJsonAsync("api/v1/api-keys", new { name = $"{scope} key of A", scope, customerId = A }))).JsonAsync();
            return created.GetProperty("key").GetString()!;
        }
    }
}
