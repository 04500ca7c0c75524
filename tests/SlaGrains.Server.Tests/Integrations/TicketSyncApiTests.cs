using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NodaTime.Text;

namespace SlaGrains.Server.Tests.Integrations;

/// <summary><c>POST /api/v1/integrations/generic/events</c> over real HTTP: tickets imported with their history.</summary>
public sealed class TicketSyncApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task An_integration_key_imports_a_ticket_with_its_history_and_the_clocks_show_when_each_fell_due()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1H", resolution: "PT8H");
        using var integration = await IntegrationKeyAsync(admin.Http, customer);
        var (ticket, opened) = ($"EXT-{Guid.NewGuid():N}"[..16], Hour(-10));
        var events = Events(ticket, customer, opened);

        using var response = await integration.PostAsJsonAsync("api/v1/integrations/generic/events", new { events });
        var body = await response.JsonAsync();
        var view = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{ticket}"))).JsonAsync();
        using var again = await integration.PostAsJsonAsync("api/v1/integrations/generic/events", new { events });
        var replay = await again.JsonAsync();
        var afterReplay = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{ticket}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(body.GetProperty("events").EnumerateArray(), e => Assert.Equal(("applied", ticket), (e.GetProperty("outcome").GetString(), e.GetProperty("ticketId").GetString())));
        Assert.Equal("resolved", view.GetProperty("status").GetString());
        Assert.Equal(Text(opened), view.GetProperty("createdAt").GetString());
        var firstResponse = Clock(view, "firstResponse");
        Assert.Equal(("breachedStopped", Text(opened + Duration.FromHours(1))), (firstResponse.GetProperty("state").GetString(), firstResponse.GetProperty("breachedAt").GetString()));
        Assert.Equal(Text(opened + Duration.FromHours(1)), firstResponse.GetProperty("dueAt").GetString());
        var resolution = Clock(view, "resolution");
        Assert.Equal(("breachedStopped", Text(opened + Duration.FromHours(8))), (resolution.GetProperty("state").GetString(), resolution.GetProperty("breachedAt").GetString()));
        Assert.Equal(JsonValueKind.Null, resolution.GetProperty("metAt").ValueKind);
        Assert.Equal("PT9H", resolution.GetProperty("elapsed").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.All(replay.GetProperty("events").EnumerateArray(), e => Assert.Equal("replayed", e.GetProperty("outcome").GetString()));
        Assert.Equal(view.GetProperty("audit").GetRawText(), afterReplay.GetProperty("audit").GetRawText());
    }

    [Fact]
    public async Task Events_sent_out_of_order_give_the_ticket_and_read_model_rows_of_the_same_events_in_order()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1H", resolution: "PT8H");
        using var integration = await IntegrationKeyAsync(admin.Http, customer);
        var opened = Hour(-10);
        var (inOrder, outOfOrder) = ($"IO-{Guid.NewGuid():N}"[..16], $"OO-{Guid.NewGuid():N}"[..16]);
        var late = Events(outOfOrder, customer, opened);

        await ServerScenario.Ok(integration.PostAsJsonAsync("api/v1/integrations/generic/events", new { events = Events(inOrder, customer, opened) }));
        await ServerScenario.Ok(integration.PostAsJsonAsync("api/v1/integrations/generic/events", new { events = new[] { late[0], late[3] } }));
        await ServerScenario.Ok(integration.PostAsJsonAsync("api/v1/integrations/generic/events", new { events = new[] { late[2], late[1] } }));
        var expected = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{inOrder}"))).JsonAsync();
        var actual = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{outOfOrder}"))).JsonAsync();
        var rows = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{outOfOrder}/audit"))).JsonAsync();

        Assert.Equal(expected.GetProperty("clocks").GetRawText(), actual.GetProperty("clocks").GetRawText());
        Assert.Equal(Kinds(expected.GetProperty("audit")), Kinds(actual.GetProperty("audit")));
        Assert.Equal(Kinds(actual.GetProperty("audit")), Kinds(rows));
    }

    [Fact]
    public async Task An_unmapped_priority_or_unknown_customer_is_a_problem_naming_the_event_and_nothing_is_stored()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        using var integration = await IntegrationKeyAsync(admin.Http, customer);
        var (good, bad) = ($"G-{Guid.NewGuid():N}"[..16], $"B-{Guid.NewGuid():N}"[..16]);
        var events = new object[]
        {
            new { eventId = "1", ticketId = good, customerId = customer, type = "created", at = Text(Hour(-2)), priority = "p2", subject = "Fine" },
            new { eventId = "1", ticketId = bad, customerId = customer, type = "created", at = Text(Hour(-2)), priority = "urgent", subject = "Unmapped" },
            new { eventId = "2", ticketId = bad, customerId = "no-such-customer", type = "created", at = Text(Hour(-2)), priority = "p1", subject = "Nobody's" },
        };

        using var response = await integration.PostAsJsonAsync("api/v1/integrations/generic/events", new { events });
        var problem = await response.JsonAsync();
        using var stored = await admin.Http.GetAsync($"api/v1/tickets/{good}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("events[1].priority", out _), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("events[2].customerId", out _), problem.ToString());
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
    }

    [Fact]
    public async Task With_a_secret_set_a_bad_signature_is_401_and_the_right_one_is_applied_and_the_secret_is_never_shown()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        using var integration = await IntegrationKeyAsync(admin.Http, customer);
        var saved = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync("api/v1/integrations/generic", new { secret = "s3cret-value", statuses = new { pending = "waitingOnCustomer" } }))).JsonAsync();
        var ticket = $"S-{Guid.NewGuid():N}"[..16];
        var body = JsonSerializer.Serialize(new { events = new[] { new { eventId = "1", ticketId = ticket, customerId = customer, type = "created", at = Text(Hour(-1)), priority = "p2", subject = "Signed", status = "Pending" } } });
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret-value"), Encoding.UTF8.GetBytes(body)));

        try
        {
            using var unsigned = await integration.PostAsync("api/v1/integrations/generic/events", new StringContent(body, Encoding.UTF8, "application/json"));
            using var forged = await PostSigned(integration, body, "sha256=" + new string('0', 64));
            using var signed = await PostSigned(integration, body, signature);
            var shown = await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/integrations/generic"))).Content.ReadAsStringAsync();
            var view = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{ticket}"))).JsonAsync();

            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
            Assert.True(saved.GetProperty("secretSet").GetBoolean());
            Assert.DoesNotContain("s3cret-value", shown, StringComparison.Ordinal);
            Assert.Equal("waitingOnCustomer", view.GetProperty("status").GetString());
        }
        finally
        {
            await ServerScenario.Ok(admin.Http.PutAsJsonAsync("api/v1/integrations/generic", new { secret = "" }));
        }
    }

    [Fact]
    public async Task An_unknown_source_is_not_found_and_a_customer_user_cannot_post_events()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var userName = $"u-{customer}";
        await ServerScenario.UserAsync(admin.Http, userName, "customer", customer);
        using var user = await server.SignInAsync(userName, ServerScenario.Password(userName));
        var events = new { events = Array.Empty<object>() };

        using var unknown = await admin.Http.PostAsJsonAsync("api/v1/integrations/nosuchdesk/events", events);
        using var byCustomer = await user.Http.PostAsJsonAsync("api/v1/integrations/generic/events", events);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("nosuchdesk", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
    }

    /// <summary>Created (p1) at <paramref name="opened"/>, agent reply after 2h (first response breached at 1h), resolved after 9h (resolution breached at 8h).</summary>
    private static object[] Events(string ticket, string customer, Instant opened) =>
    [
        new { eventId = $"{ticket}-1", ticketId = ticket, customerId = customer, type = "created", at = Text(opened), priority = "p1", subject = "Mail down" },
        new { eventId = $"{ticket}-2", ticketId = ticket, type = "agentReply", at = Text(opened + Duration.FromHours(2)) },
        new { eventId = $"{ticket}-3", ticketId = ticket, type = "status", at = Text(opened + Duration.FromHours(3)), status = "inProgress" },
        new { eventId = $"{ticket}-4", ticketId = ticket, type = "resolved", at = Text(opened + Duration.FromHours(9)) },
    ];

    private async Task<HttpClient> IntegrationKeyAsync(HttpClient admin, string customer)
    {
        var created = await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/api-keys", new { name = $"helpdesk {customer}", scope = "integration", customers = new[] { customer } }))).JsonAsync();
        return server.WithApiKey(created.GetProperty("key").GetString()!);
    }

    private static Task<HttpResponseMessage> PostSigned(HttpClient client, string body, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/integrations/generic/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-SlaGrains-Signature", signature);
        return client.SendAsync(request);
    }

    /// <summary>Whole seconds, so the instants read back exactly as sent.</summary>
    private static Instant Hour(int hours) => Instant.FromUnixTimeSeconds(SystemClock.Instance.GetCurrentInstant().ToUnixTimeSeconds()) + Duration.FromHours(hours);

    private static string Text(Instant at) => InstantPattern.ExtendedIso.Format(at);

    private static JsonElement Clock(JsonElement view, string metric) => view.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("metric").GetString() == metric);

    private static string[] Kinds(JsonElement audit) => [.. audit.EnumerateArray().Select(a => $"{a.GetProperty("at").GetString()} {a.GetProperty("kind").GetString()}")];
}
