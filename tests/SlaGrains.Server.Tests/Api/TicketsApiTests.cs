using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Api;

/// <summary>Tickets through the REST API: targets from the customer's policy, commands, live clocks, lists.</summary>
public sealed class TicketsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task A_ticket_gets_its_targets_from_the_customers_policy_and_shows_live_clocks_and_its_audit_trail()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT30M", resolution: "PT4H");

        var created = await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Mail down", requester = "ana@example.com", team = "red" }));
        var ticket = await created.JsonAsync();
        var id = ticket.GetProperty("ticketId").GetString();
        var reply = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{id}/replies", new { from = "agent" }))).JsonAsync();
        var paused = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{id}/status", new { status = "waitingOnCustomer" }))).JsonAsync();
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{id}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/tickets/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(["PT30M", "PT4H"], Clocks(ticket).Select(c => c.GetProperty("target").GetString()!).ToArray());
        Assert.Equal("met", Clock(reply, "firstResponse").GetProperty("state").GetString());
        Assert.Equal("paused", Clock(paused, "resolution").GetProperty("state").GetString());
        Assert.Equal("waitingOnCustomer", read.GetProperty("status").GetString());
        Assert.Contains(read.GetProperty("audit").EnumerateArray(), a => a.GetProperty("kind").GetString() == "ClockPaused");
    }

    [Fact]
    public async Task The_list_filters_and_sorts_by_time_to_the_next_deadline_and_pages()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        async Task<string> Open(string priority, string team)
            => (await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority, subject = $"{priority} {team}", team }))).JsonAsync()).GetProperty("ticketId").GetString()!;
        var slow = await Open("p2", "blue");
        var fast = await Open("p1", "red");
        var other = await Open("p1", "blue");
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{other}/resolve", new { }));

        var all = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={customer}"))).JsonAsync();
        var blueOpen = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={customer}&team=blue&state=open"))).JsonAsync();
        var page1 = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={customer}&pageSize=1"))).JsonAsync();
        var cursor = page1.GetProperty("nextCursor").GetString();
        var page2 = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={customer}&pageSize=1&cursor={cursor}"))).JsonAsync();
        var page3 = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={customer}&pageSize=1&cursor={page2.GetProperty("nextCursor").GetString()}"))).JsonAsync();
        var found = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={customer}&q=P2%20BLUE&priority=p2"))).JsonAsync();

        // p1 warns after 45 min (75 % of 1 h), p2 after 3 h; the resolved ticket has nothing pending: last.
        Assert.Equal([fast, slow, other], Ids(all));
        Assert.Equal([slow], Ids(blueOpen));
        Assert.Equal(3, page1.GetProperty("total").GetInt32());
        Assert.Equal([fast], Ids(page1));
        Assert.Equal([slow], Ids(page2));
        Assert.Equal([other], Ids(page3));
        Assert.Equal(JsonValueKind.Null, page3.GetProperty("nextCursor").ValueKind);
        Assert.Equal([slow], Ids(found));
    }

    /// <summary>Bad inputs of every kind: problem details naming the field, and nothing changed.</summary>
    public static TheoryData<string, string, string, int, string> BadInputs => new()
    {
        { "POST", "api/v1/tickets", """{"customerId": "{C}", "priority": "p1", "subject": "x",""", 400, "$" },
        { "POST", "api/v1/tickets", """{"customerId": "{C}", "priority": "p9", "subject": "x"}""", 400, "$.priority" },
        { "POST", "api/v1/tickets", """{"customerId": "{C}", "priority": "p1", "subject": " "}""", 400, "subject" },
        { "POST", "api/v1/tickets", """{"customerId": "nobody", "priority": "p1", "subject": "x"}""", 404, "" },
        { "POST", "api/v1/tickets", """{"id": "{T}", "customerId": "{C}", "priority": "p1", "subject": "again"}""", 409, "" },
        { "POST", "api/v1/tickets/{T}/status", """{"status": "sleeping"}""", 400, "$.status" },
        { "POST", "api/v1/tickets/{T}/reopen", "{}", 409, "" },
        { "POST", "api/v1/tickets/{T}/replies", """{"from": "robot"}""", 400, "from" },
        { "POST", "api/v1/tickets/nope/resolve", "{}", 404, "" },
        { "PUT", "api/v1/customers/{C}/calendar", """{"timeZone": "Mars/Olympus"}""", 400, "$.timeZone" },
        { "PUT", "api/v1/customers/{C}/calendar", """{"timeZone": "Europe/Berlin", "weeklyHours": {"monday": [{"start": "09:00", "end": "25:00"}]}}""", 400, "$.weeklyHours.monday[0]" },
        { "PUT", "api/v1/customers/{C}/calendar", """{"timeZone": "Europe/Berlin", "weeklyHours": {"funday": []}}""", 400, "$.weeklyHours.funday" },
        { "PUT", "api/v1/customers/{C}/contract", """{"slaTargetPercent": 120, "monthlyFee": 10, "currency": "EUR"}""", 400, "contract" },
        { "PUT", "api/v1/customers/{C}/contract", """{"slaTargetPercent": 99.9, "monthlyFee": 10, "currency": "euro"}""", 400, "contract" },
        { "PUT", "api/v1/customers/{C}/policy", """{"name": "Gold", "targets": {"p1": {"firstResponse": "one hour", "resolution": "PT4H"}}}""", 400, "$.targets.p1.firstResponse" },
        { "PUT", "api/v1/customers/{C}/policy", """{"name": "Gold", "targets": {"p1": {"firstResponse": "-PT1H", "resolution": "PT4H"}, "p2": {"firstResponse": "PT1H", "resolution": "PT4H"}, "p3": {"firstResponse": "PT1H", "resolution": "PT4H"}, "p4": {"firstResponse": "PT1H", "resolution": "PT4H"}}}""", 400, "targets.p1" },
        { "POST", "api/v1/customers", """{"id": "has space", "name": "x"}""", 400, "id" },
        { "POST", "api/v1/customers", """{"id": "{C}", "name": "again"}""", 409, "" },
        { "POST", "api/v1/monitors", """{"id": "m1", "customerId": "{C}", "name": "x", "consecutiveFailures": 0}""", 400, "consecutiveFailures" },
        { "POST", "api/v1/monitors/{M}/checks", """{"up": "maybe"}""", 400, "$.up" },
        { "POST", "api/v1/monitors/{M}/checks", """{"up": true, "at": "yesterday"}""", 400, "$.at" },
        { "POST", "api/v1/monitors/{M}/checks/batch", "[]", 400, "$" },
        { "POST", "api/v1/monitors/{M}/maintenance", """{"start": "2030-01-01T02:00:00Z", "end": "2030-01-01T01:00:00Z"}""", 400, "end" },
        { "PUT", "api/v1/monitors/{M}/incidents/none/postmortem", """{"url": "not a url"}""", 400, "url" },
        { "PUT", "api/v1/customers/{C}/escalation-rules", """[{"metric": "resolution", "percent": 150, "action": "notify", "target": "x"}]""", 400, "$[0].percent" },
        { "PUT", "api/v1/customers/{C}/escalation-rules", """[{"metric": "resolution", "percent": 100, "action": "webhook", "target": "ftp://x"}]""", 400, "$[0].target" },
        { "GET", "api/v1/tickets?state=sleeping", "", 400, "state" },
        { "GET", "api/v1/tickets?pageSize=0", "", 400, "pageSize" },
        { "GET", "api/v1/tickets?cursor=not-a-cursor", "", 400, "cursor" },
        { "GET", "api/v1/tickets?priority=p9", "", 400, "priority" },
        { "POST", "api/v1/tickets", """{"customerId": "{C}", "subject": "no priority"}""", 400, "priority" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_changes_nothing(string method, string path, string body, int status, string field)
    {
        using var admin = await server.AdminAsync();
        var (customer, ticket, monitor) = await World(admin.Http);
        string Fill(string text) => text.Replace("{C}", customer).Replace("{T}", ticket).Replace("{M}", monitor);
        var before = await Snapshot(admin.Http, customer, ticket, monitor);

        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (method != "GET")
        {
            request.Content = new StringContent(Fill(body), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await admin.Http.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        if (field.Length > 0)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for '{field}' in {problem}");
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        }

        Assert.Equal(before, await Snapshot(admin.Http, customer, ticket, monitor));
    }

    private static async Task<(string Customer, string Ticket, string Monitor)> World(HttpClient admin)
    {
        var customer = await ServerScenario.CustomerAsync(admin);
        var ticket = (await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Printer" }))).JsonAsync()).GetProperty("ticketId").GetString()!;
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true }));
        return (customer, ticket, monitor);
    }

    private static async Task<string> Snapshot(HttpClient admin, string customer, string ticket, string monitor)
    {
        var c = await (await admin.GetAsync($"api/v1/customers/{customer}")).Content.ReadAsStringAsync();
        var t = await (await admin.GetAsync($"api/v1/tickets/{ticket}")).JsonAsync();
        var m = await (await admin.GetAsync($"api/v1/monitors/{monitor}")).JsonAsync();
        var list = await (await admin.GetAsync($"api/v1/tickets?customer={customer}")).JsonAsync();
        var customers = await (await admin.GetAsync("api/v1/customers")).JsonAsync();
        var rules = await (await admin.GetAsync($"api/v1/customers/{customer}/escalation-rules")).Content.ReadAsStringAsync();
        var maintenance = await (await admin.GetAsync($"api/v1/monitors/{monitor}/maintenance")).Content.ReadAsStringAsync();
        return string.Join("|", c, t.GetProperty("status"), t.GetProperty("priority"), t.GetProperty("audit").GetArrayLength(), m.GetProperty("lastResultAt"),
            m.GetProperty("consecutiveFailures"), list.GetProperty("total"), customers.GetArrayLength(), rules, maintenance);
    }

    private static IEnumerable<JsonElement> Clocks(JsonElement ticket) => ticket.GetProperty("clocks").EnumerateArray();

    private static JsonElement Clock(JsonElement ticket, string metric) => Clocks(ticket).Single(c => c.GetProperty("metric").GetString() == metric);

    private static string[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("ticketId").GetString()!)];
}
