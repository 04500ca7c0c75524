using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// What an attacker found (issue 14): every input is bounded in the application layer, so odd ids, missing or
/// out-of-range enums, null items, control characters, huge strings and numbers, far dates and pages are a 4xx
/// problem that changes nothing (each test reads back); ticket ids and components never cross customers.
/// </summary>
/// <remarks>The world is the tenant-isolation one: customers A and B, a ticket and a monitor each, A's people and keys.</remarks>
public sealed class InputBoundsTests(TenantIsolationTests.World world) : IClassFixture<TenantIsolationTests.World>
{
    /// <summary>Every route that names a resource by id, with the id replaced by what is not an id.</summary>
    public static TheoryData<string, string, string?> RoutesWithOddIds
    {
        get
        {
            var data = new TheoryData<string, string, string?>();
            string[] routes =
            [
                "GET api/v1/customers/{x}",
                "GET api/v1/customers/{x}/dashboard",
                "GET api/v1/customers/{x}/credits",
                "GET api/v1/customers/{x}/notices",
                "GET api/v1/customers/{x}/disputes",
                "POST api/v1/customers/{A}/disputes/{x}/resolve {\"decision\": \"accept\"}",
                "GET api/v1/customers/{x}/reports",
                "GET api/v1/customers/{x}/renewal",
                "PUT api/v1/customers/{x}/contract {\"slaTargetPercent\": 99, \"monthlyFee\": 1, \"currency\": \"EUR\"}",
                "PUT api/v1/customers/{x}/calendar {\"timeZone\": \"UTC\"}",
                "PUT api/v1/customers/{x}/components []",
                "GET api/v1/customers/{x}/escalation-rules",
                "DELETE api/v1/customers/{A}/escalation-rules/{x}",
                "POST api/v1/customers/{x}/escalations/acknowledge {\"escalationId\": \"any\"}",
                "GET api/v1/customers/{x}/webhooks",
                "PATCH api/v1/customers/{A}/webhooks/{x} {\"enabled\": false}",
                "DELETE api/v1/customers/{A}/webhooks/{x}",
                "POST api/v1/customers/{A}/webhooks/dead-letters/{x}/redeliver",
                "GET api/v1/tickets/{x}",
                "GET api/v1/tickets/{x}/audit",
                "POST api/v1/tickets/{x}/status {\"status\": \"open\"}",
                "POST api/v1/tickets/{x}/close",
                "GET api/v1/monitors/{x}",
                "POST api/v1/monitors/{x}/checks {\"up\": true}",
                "POST api/v1/monitors/{x}/heartbeat",
                "GET api/v1/monitors/{x}/rollups",
                "DELETE api/v1/monitors/{AM}/maintenance/{x}",
                "PUT api/v1/monitors/{AM}/incidents/{x}/review {\"rootCause\": \"other\"}",
                "PUT api/v1/monitors/{AM}/incidents/{x}/postmortem {\"url\": \"https://example.com/pm\"}",
            ];
            foreach (var route in routes)
            {
                var parts = route.Split(' ', 3);
                foreach (var odd in new[] { "%20", "%20%20", "a%0D%0Ab", "a%01b", new string('x', 200) })
                {
                    data.Add(parts[0], parts[1].Replace("{x}", odd, StringComparison.Ordinal), parts.Length > 2 ? parts[2] : null);
                }
            }

            return data;
        }
    }

    /// <summary>A route id that is not an id names nothing: 404, the same as an unknown or another tenant's id, never 500.</summary>
    [Theory]
    [MemberData(nameof(RoutesWithOddIds))]
    public async Task Whitespace_route_id_is_404_not_500(string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{A}", world.A, StringComparison.Ordinal).Replace("{AM}", world.MonitorOfA, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await world.Admin.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.DoesNotContain(detail, char.IsControl);
    }

    [Fact]
    public async Task Ticket_without_priority_is_400_naming_priority()
    {
        var before = await TicketCount(world.A);

        var missing = await world.Admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = world.A, subject = "No priority" });
        var zero = await world.Admin.Http.PostAsync("api/v1/tickets", Json($$"""{"customerId": "{{world.A}}", "subject": "Zero", "priority": 0}"""));
        var ninetyNine = await world.Admin.Http.PostAsync("api/v1/tickets", Json($$"""{"customerId": "{{world.A}}", "subject": "99", "priority": 99}"""));

        // Missing is the application's check; a number is refused while reading the JSON (enums are taken by name only).
        await AssertInvalid(missing, "priority");
        await AssertInvalid(zero, "$.priority");
        await AssertInvalid(ninetyNine, "$.priority");
        Assert.Equal(before, await TicketCount(world.A));
    }

    [Fact]
    public async Task Ticket_status_outside_the_enum_is_400()
    {
        var response = await world.Admin.Http.PostAsync($"api/v1/tickets/{world.TicketOfA}/status", Json("""{"status": 99}"""));
        var missing = await world.Admin.Http.PostAsync($"api/v1/tickets/{world.TicketOfA}/status", Json("{}"));

        await AssertInvalid(response, "$.status");
        await AssertInvalid(missing, "status");
        var ticket = await (await world.Admin.Http.GetAsync($"api/v1/tickets/{world.TicketOfA}")).JsonAsync();
        Assert.Equal("new", ticket.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Null_array_element_is_400()
    {
        var customerBefore = await Read($"api/v1/customers/{world.A}");
        var rulesBefore = await Read($"api/v1/customers/{world.A}/escalation-rules");
        var hooksBefore = await Read($"api/v1/customers/{world.A}/webhooks");

        var components = await world.Admin.Http.PutAsync($"api/v1/customers/{world.A}/components", Json("[null]"));
        var rules = await world.Admin.Http.PutAsync($"api/v1/customers/{world.A}/escalation-rules", Json("[null]"));
        var checks = await world.Admin.Http.PostAsync($"api/v1/monitors/{world.MonitorOfA}/checks/batch", Json("[null]"));
        var regions = await world.Admin.Http.PostAsync("api/v1/monitors", Json($$"""{"id": "regions-null", "customerId": "{{world.A}}", "name": "x", "regions": [null]}"""));
        var events = await world.Admin.Http.PostAsync($"api/v1/customers/{world.A}/webhooks", Json("""{"url": "http://127.0.0.1:9/hook", "eventTypes": ["incident.opened", null]}"""));
        var special = await world.Admin.Http.PutAsync($"api/v1/customers/{world.A}/calendar", Json("""{"timeZone": "UTC", "specialHours": [null]}"""));
        var schedule = await world.Admin.Http.PutAsync($"api/v1/customers/{world.A}/contract", Json("""{"slaTargetPercent": 99, "monthlyFee": 1, "currency": "EUR", "creditSchedule": [null]}"""));

        await AssertInvalid(components, "$[0].monitorId");
        await AssertInvalid(rules, "$[0]");
        await AssertInvalid(checks, "$[0]");
        await AssertInvalid(regions, "regions[0]");
        await AssertInvalid(events, "eventTypes[1]");
        await AssertInvalid(special, "$.specialHours[0]");
        await AssertInvalid(schedule, "creditSchedule");
        Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.Http.GetAsync("api/v1/monitors/regions-null")).StatusCode);
        Assert.Equal(customerBefore, await Read($"api/v1/customers/{world.A}"));
        Assert.Equal(rulesBefore, await Read($"api/v1/customers/{world.A}/escalation-rules"));
        Assert.Equal(hooksBefore, await Read($"api/v1/customers/{world.A}/webhooks"));
    }

    [Fact]
    public async Task Control_characters_in_id_are_400()
    {
        var ticket = await world.Admin.Http.PostAsJsonAsync("api/v1/tickets", new { id = "evil\r\nSet-Cookie: x=1", customerId = world.A, priority = "p2", subject = "x" });
        var customer = await world.Admin.Http.PostAsJsonAsync("api/v1/customers", new { id = "evil\u0001", name = "Evil" });
        var monitor = await world.Admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = "evil\tmonitor", customerId = world.A, name = "Evil" });
        var rule = await world.Admin.Http.PostAsJsonAsync($"api/v1/customers/{world.A}/escalation-rules", new { id = "evil\u001b[31m", metric = "resolution", percent = 75, action = "notify", target = "role:manager" });

        await AssertInvalid(ticket, "id");
        await AssertInvalid(customer, "id");
        await AssertInvalid(monitor, "id");
        await AssertInvalid(rule, "$.id");
        Assert.All(new[] { ticket, customer, monitor, rule }, r => Assert.Null(r.Headers.Location));
        Assert.DoesNotContain(await ListedCustomerIds(), id => id.StartsWith("evil", StringComparison.Ordinal));
        Assert.DoesNotContain("evil", await Read($"api/v1/customers/{world.A}/escalation-rules"), StringComparison.Ordinal);
        Assert.DoesNotContain("evil", await Read($"api/v1/customers/{world.A}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Megabyte_name_is_400()
    {
        var megabyte = new string('x', 1 << 20);

        var customer = await world.Admin.Http.PostAsJsonAsync("api/v1/customers", new { id = "megabyte", name = megabyte });
        var id = await world.Admin.Http.PostAsJsonAsync("api/v1/customers", new { id = megabyte, name = "Megabyte" });
        var subject = await world.Admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = world.A, priority = "p3", subject = megabyte });

        // The body limit (another part of issue 14) may answer 413 before the bounds do; either way nothing is stored.
        foreach (var (response, field) in new[] { (customer, "name"), (id, "id"), (subject, "subject") })
        {
            if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge)
            {
                await AssertInvalid(response, field);
            }
        }

        Assert.Equal(HttpStatusCode.NotFound, (await world.Admin.Http.GetAsync("api/v1/customers/megabyte")).StatusCode);
        Assert.DoesNotContain(await ListedCustomerIds(), c => c.Length > 64);
    }

    [Fact]
    public async Task Fee_beyond_bound_is_400()
    {
        var before = await Read($"api/v1/customers/{world.A}");

        var huge = await world.Admin.Http.PutAsync($"api/v1/customers/{world.A}/contract", Json("""{"slaTargetPercent": 99.9, "monthlyFee": 18000000000000000000, "currency": "EUR"}"""));
        var fraction = await world.Admin.Http.PutAsync($"api/v1/customers/{world.A}/contract", Json("""{"slaTargetPercent": 99.9, "monthlyFee": 10.001, "currency": "EUR"}"""));
        var negative = await world.Admin.Http.PutAsync($"api/v1/customers/{world.A}/contract", Json("""{"slaTargetPercent": 99.9, "monthlyFee": -1, "currency": "EUR"}"""));

        await AssertInvalid(huge, "monthlyFee");
        await AssertInvalid(fraction, "monthlyFee");
        await AssertInvalid(negative, "monthlyFee");
        Assert.Equal(before, await Read($"api/v1/customers/{world.A}"));
    }

    [Fact]
    public async Task Maintenance_until_year_9999_is_400()
    {
        var before = await Read($"api/v1/monitors/{world.MonitorOfA}/maintenance");

        var far = await world.Admin.Http.PostAsync($"api/v1/monitors/{world.MonitorOfA}/maintenance", Json("""{"start": "2030-01-01T00:00:00Z", "end": "9999-01-01T00:00:00Z"}"""));
        var ancient = await world.Admin.Http.PostAsync($"api/v1/monitors/{world.MonitorOfA}/maintenance", Json("""{"start": "1900-01-01T00:00:00Z", "end": "1900-01-02T00:00:00Z"}"""));
        var missing = await world.Admin.Http.PostAsync($"api/v1/monitors/{world.MonitorOfA}/maintenance", Json("""{"end": "2030-01-01T00:00:00Z"}"""));

        await AssertInvalid(far, "end");
        await AssertInvalid(ancient, "start");
        await AssertInvalid(missing, "start");
        Assert.Equal(before, await Read($"api/v1/monitors/{world.MonitorOfA}/maintenance"));
    }

    [Fact]
    public async Task A_ticket_list_sort_that_is_not_an_order_is_400_naming_sort_and_a_known_one_lists()
    {
        var unknown = await world.Admin.Http.GetAsync("api/v1/tickets?sort=" + new string('x', 500));
        var byPriority = await world.Admin.Http.GetAsync("api/v1/tickets?sort=priority&pageSize=5");

        await AssertInvalid(unknown, "sort");
        Assert.Equal(System.Net.HttpStatusCode.OK, byPriority.StatusCode);
    }

    [Fact]
    public async Task Page_beyond_bound_is_400()
    {
        var deliveries = await world.Admin.Http.GetAsync($"api/v1/customers/{world.A}/webhooks/deliveries?page=2147483647");
        var deliverySize = await world.Admin.Http.GetAsync($"api/v1/customers/{world.A}/webhooks/deliveries?pageSize=0");
        var tickets = await world.Admin.Http.GetAsync("api/v1/tickets?pageSize=2147483647");
        var escalations = await world.Admin.Http.GetAsync("api/v1/escalations?pageSize=-1");
        var results = await world.Admin.Http.GetAsync($"api/v1/monitors/{world.MonitorOfA}/results?limit=2147483647");
        var reports = await world.Admin.Http.GetAsync("api/v1/reports/managers?from=2000-01&to=2099-12");

        await AssertInvalid(deliveries, "page");
        await AssertInvalid(deliverySize, "pageSize");
        await AssertInvalid(tickets, "pageSize");
        await AssertInvalid(escalations, "pageSize");
        await AssertInvalid(results, "limit");
        await AssertInvalid(reports, "to");
    }

    [Fact]
    public async Task Customer_ticket_id_never_reveals_another_customers_ticket()
    {
        var before = await TicketState(world.TicketOfB);

        var onBs = await world.CustomerUserOfA.Http.PostAsJsonAsync("api/v1/tickets", new { id = world.TicketOfB, customerId = world.A, priority = "p2", subject = "Mine" });
        var onFree = await world.CustomerUserOfA.Http.PostAsJsonAsync("api/v1/tickets", new { id = $"FREE-{Guid.NewGuid():N}"[..12], customerId = world.A, priority = "p2", subject = "Mine" });

        Assert.Equal(onFree.StatusCode, onBs.StatusCode);
        var (bs, free) = (await ProblemErrors(onBs, "id"), await ProblemErrors(onFree, "id"));
        Assert.Equal(free, bs);
        Assert.Equal(before, await TicketState(world.TicketOfB));
    }

    [Fact]
    public async Task Customer_cannot_squat_ticket_ids()
    {
        var wanted = $"SQ-{Guid.NewGuid():N}"[..12];

        var squat = await world.CustomerUserOfA.Http.PostAsJsonAsync("api/v1/tickets", new { id = wanted, customerId = world.A, priority = "p2", subject = "Squat" });
        var generated = await world.CustomerUserOfA.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = world.A, priority = "p2", subject = "Fine" });
        var bsOwn = await world.Admin.Http.PostAsJsonAsync("api/v1/tickets", new { id = wanted, customerId = world.B, priority = "p2", subject = "B's" });

        await AssertInvalid(squat, "id");
        Assert.Equal(HttpStatusCode.Created, generated.StatusCode);
        var ticketId = (await generated.JsonAsync()).GetProperty("ticketId").GetString()!;
        Assert.StartsWith("T-", ticketId, StringComparison.Ordinal);
        Assert.Equal($"/api/v1/tickets/{ticketId}", generated.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Created, bsOwn.StatusCode);
        Assert.Equal(world.B, (await bsOwn.JsonAsync()).GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task Component_cannot_reference_another_customers_monitor()
    {
        var before = await Read($"api/v1/customers/{world.A}");

        var foreign = await world.Admin.Http.PutAsJsonAsync($"api/v1/customers/{world.A}/components", new[] { new { monitorId = world.MonitorOfA, critical = true }, new { monitorId = world.MonitorOfB, critical = true } });
        var unknown = await world.Admin.Http.PutAsJsonAsync($"api/v1/customers/{world.A}/components", new[] { new { monitorId = world.MonitorOfA, critical = true }, new { monitorId = "no-such-monitor", critical = true } });

        var (foreignErrors, unknownErrors) = (await ProblemErrors(foreign, "$[1].monitorId"), await ProblemErrors(unknown, "$[1].monitorId"));
        Assert.Equal(unknownErrors.Replace("no-such-monitor", "X", StringComparison.Ordinal), foreignErrors.Replace(world.MonitorOfB, "X", StringComparison.Ordinal));
        Assert.Equal(before, await Read($"api/v1/customers/{world.A}"));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>What a read answers, without the parts that move with the clock.</summary>
    private async Task<string> Read(string path)
    {
        var text = await (await ServerScenario.Ok(world.Admin.Http.GetAsync(path))).Content.ReadAsStringAsync();
        return System.Text.RegularExpressions.Regex.Replace(text, "\"(asOf|openTickets|nextMonthCloseAt)\":[^,}]*", string.Empty);
    }

    /// <summary>A ticket's identity, status and audit length: what a refused command must leave as it was.</summary>
    private async Task<string> TicketState(string ticketId)
    {
        var ticket = await (await ServerScenario.Ok(world.Admin.Http.GetAsync($"api/v1/tickets/{ticketId}"))).JsonAsync();
        return string.Join("|", ticket.GetProperty("customerId").GetString(), ticket.GetProperty("status").GetString(), ticket.GetProperty("subject").GetString(), ticket.GetProperty("audit").GetArrayLength());
    }

    private async Task<long> TicketCount(string customer)
        => (await (await ServerScenario.Ok(world.Admin.Http.GetAsync($"api/v1/tickets?customer={customer}"))).JsonAsync()).GetProperty("total").GetInt64();

    private async Task<string[]> ListedCustomerIds()
        => [.. (await (await ServerScenario.Ok(world.Admin.Http.GetAsync("api/v1/customers"))).JsonAsync()).EnumerateArray().Select(c => c.GetProperty("customerId").GetString()!)];

    /// <summary>Asserts a 400 problem+json naming <paramref name="field"/>.</summary>
    private static async Task AssertInvalid(HttpResponseMessage response, string field) => await ProblemErrors(response, field);

    /// <summary>The messages a 400 problem+json gives for <paramref name="field"/>, joined (fails unless it is one).</summary>
    private static async Task<string> ProblemErrors(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}': {text}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }
}
