using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime.Text;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Issue 20 — incidents linked to tickets, end to end over HTTP: a ticket references an incident when opened or later
/// (<c>PUT</c>/<c>DELETE /api/v1/tickets/{id}/incident</c>), the incident lists its tickets from the read model, an
/// incident of another customer (or none) is a 400 naming <c>incidentId</c>, other tenants see nothing; a critical
/// component set to open a ticket on outage gets exactly one P1 ticket per incident; the month report and the manager
/// report show the SLA-related ticket rate.
/// </summary>
public sealed class IncidentTicketsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private static Instant Now => SystemClock.Instance.GetCurrentInstant();

    [Fact]
    public async Task A_ticket_is_linked_on_creation_or_later_the_incident_lists_it_and_unlinking_is_audited()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var incident = $"{await DownMonitorAsync(admin.Http, customer)}-1";

        var created = await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Cannot log in", incidentId = incident }));
        var opened = await created.JsonAsync();
        var first = opened.GetProperty("ticketId").GetString()!;
        var second = await OpenAsync(admin.Http, customer, "Slow pages");
        var linked = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/tickets/{second}/incident", new { incidentId = incident }))).JsonAsync();
        var listed = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/incidents/{incident}/tickets"))).JsonAsync();
        var filtered = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={customer}&incident={incident}"))).JsonAsync();
        var row = Assert.Single(filtered.GetProperty("items").EnumerateArray(), t => t.GetProperty("ticketId").GetString() == second);
        var unlinked = await (await ServerScenario.Ok(admin.Http.DeleteAsync($"api/v1/tickets/{second}/incident"))).JsonAsync();
        var after = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/incidents/{incident}/tickets"))).JsonAsync();
        var audit = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{second}/audit"))).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(incident, opened.GetProperty("incidentId").GetString());
        Assert.Contains(opened.GetProperty("audit").EnumerateArray(), a => a.GetProperty("kind").GetString() == "IncidentLinked");
        Assert.Equal(incident, linked.GetProperty("incidentId").GetString());
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), Ids(listed).Order(StringComparer.Ordinal));
        Assert.Equal(2, filtered.GetProperty("items").GetArrayLength());
        Assert.Equal(incident, row.GetProperty("incidentId").GetString());
        Assert.Equal(JsonValueKind.Null, unlinked.GetProperty("incidentId").ValueKind);
        Assert.Equal([first], Ids(after));
        Assert.Equal(["IncidentLinked", "IncidentUnlinked"], audit.EnumerateArray().Select(a => a.GetProperty("kind").GetString()!).Where(k => k.StartsWith("Incident", StringComparison.Ordinal)));

        // Unlinking again, or linking to the same incident twice, changes nothing.
        await ServerScenario.Ok(admin.Http.DeleteAsync($"api/v1/tickets/{second}/incident"));
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/tickets/{first}/incident", new { incidentId = incident }));
        var firstAudit = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{first}/audit"))).JsonAsync();
        Assert.Single(firstAudit.EnumerateArray(), a => a.GetProperty("kind").GetString() == "IncidentLinked");
        Assert.Equal(2, (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{second}/audit"))).JsonAsync()).EnumerateArray()
            .Count(a => a.GetProperty("kind").GetString()!.StartsWith("Incident", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_incident_that_is_not_the_tickets_customers_or_a_bad_id_is_a_400_naming_incidentId_and_changes_nothing()
    {
        using var admin = await server.AdminAsync();
        var a = await ServerScenario.CustomerAsync(admin.Http);
        var b = await ServerScenario.CustomerAsync(admin.Http);
        var monitorOfA = await DownMonitorAsync(admin.Http, a);
        var incidentOfB = $"{await DownMonitorAsync(admin.Http, b)}-1";
        var ticket = await OpenAsync(admin.Http, a, "Mail down");

        var badId = await admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = a, priority = "p1", subject = "x", incidentId = "not an id!" });
        var unknown = await admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = a, priority = "p1", subject = "x", incidentId = $"{monitorOfA}-99" });
        var othersOnCreate = await admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = a, priority = "p1", subject = "x", incidentId = incidentOfB });
        var othersOnLink = await admin.Http.PutAsJsonAsync($"api/v1/tickets/{ticket}/incident", new { incidentId = incidentOfB });
        var none = await admin.Http.PutAsJsonAsync($"api/v1/tickets/{ticket}/incident", new { });
        var tooLong = await admin.Http.PutAsJsonAsync($"api/v1/tickets/{ticket}/incident", new { incidentId = new string('x', 129) });
        var noTicket = await admin.Http.PutAsJsonAsync("api/v1/tickets/nope/incident", new { incidentId = $"{monitorOfA}-1" });
        var noIncident = await admin.Http.GetAsync($"api/v1/incidents/{monitorOfA}-99/tickets");
        var badFilter = await admin.Http.GetAsync("api/v1/tickets?incident=not%20an%20id");
        var notCritical = await admin.Http.PutAsJsonAsync($"api/v1/customers/{a}/components", new[] { new { monitorId = monitorOfA, critical = false, openTicketOnOutage = true } });

        await AssertField(badId, "incidentId");
        var unknownProblem = await AssertField(unknown, "incidentId");
        var othersProblem = await AssertField(othersOnCreate, "incidentId");
        await AssertField(othersOnLink, "incidentId");
        await AssertField(none, "incidentId");
        await AssertField(tooLong, "incidentId");
        await AssertField(badFilter, "incident");
        await AssertField(notCritical, "$[0].openTicketOnOutage");
        Assert.Equal(HttpStatusCode.NotFound, noTicket.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noIncident.StatusCode);

        // Another customer's incident reads exactly like one that does not exist.
        Assert.Equal(
            unknownProblem.GetProperty("errors").GetProperty("incidentId")[0].GetString()!.Replace($"{monitorOfA}-99", "X", StringComparison.Ordinal),
            othersProblem.GetProperty("errors").GetProperty("incidentId")[0].GetString()!.Replace(incidentOfB, "X", StringComparison.Ordinal));
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{ticket}"))).JsonAsync();
        Assert.Equal(JsonValueKind.Null, read.GetProperty("incidentId").ValueKind);
        var tickets = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={a}"))).JsonAsync();
        Assert.Equal([ticket], Ids(tickets.GetProperty("items")));
        var customer = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{a}"))).JsonAsync();
        Assert.True(Assert.Single(customer.GetProperty("components").EnumerateArray()).GetProperty("isCritical").GetBoolean());
    }

    [Fact]
    public async Task A_customers_users_link_their_own_incidents_on_creation_only_and_other_tenants_see_no_linked_tickets()
    {
        using var admin = await server.AdminAsync();
        var a = await ServerScenario.CustomerAsync(admin.Http);
        var b = await ServerScenario.CustomerAsync(admin.Http);
        var incidentOfA = $"{await DownMonitorAsync(admin.Http, a)}-1";
        var incidentOfB = $"{await DownMonitorAsync(admin.Http, b)}-1";
        await ServerScenario.UserAsync(admin.Http, $"user-{a}", "customer", a);
        await ServerScenario.UserAsync(admin.Http, $"user-{b}", "customer", b);
        using var ofA = await server.SignInAsync($"user-{a}", ServerScenario.Password($"user-{a}"));
        using var ofB = await server.SignInAsync($"user-{b}", ServerScenario.Password($"user-{b}"));

        var own = await ofA.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = a, priority = "p2", subject = "We are down too", incidentId = incidentOfA });
        var others = await ofA.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = a, priority = "p2", subject = "x", incidentId = incidentOfB });
        var ticket = (await own.JsonAsync()).GetProperty("ticketId").GetString()!;
        var relink = await ofA.Http.DeleteAsync($"api/v1/tickets/{ticket}/incident");
        var listedByA = await (await ServerScenario.Ok(ofA.Http.GetAsync($"api/v1/incidents/{incidentOfA}/tickets"))).JsonAsync();
        var listedByB = await ofB.Http.GetAsync($"api/v1/incidents/{incidentOfA}/tickets");
        var filteredByB = await (await ServerScenario.Ok(ofB.Http.GetAsync($"api/v1/tickets?incident={incidentOfA}"))).JsonAsync();
        var linkByB = await ofB.Http.PutAsJsonAsync($"api/v1/tickets/{ticket}/incident", new { incidentId = incidentOfB });

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        await AssertField(others, "incidentId");
        Assert.Equal(HttpStatusCode.Forbidden, relink.StatusCode);
        Assert.Equal([ticket], Ids(listedByA));
        Assert.Equal(HttpStatusCode.NotFound, listedByB.StatusCode);
        Assert.Equal(0, filteredByB.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, linkByB.StatusCode);
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{ticket}"))).JsonAsync();
        Assert.Equal(incidentOfA, read.GetProperty("incidentId").GetString());
    }

    [Fact]
    public async Task An_outage_of_a_critical_component_set_to_open_a_ticket_opens_one_P1_ticket_per_incident_linked_to_it()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT15M", resolution: "PT4H");
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "Payments API", critical = true, consecutiveFailures = 1 }));
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/components", new[] { new { monitorId = monitor, critical = true, openTicketOnOutage = true } }));
        var quiet = await ServerScenario.CustomerAsync(admin.Http);
        var quietIncident = $"{await DownMonitorAsync(admin.Http, quiet)}-1";

        // Down, still down (the same incident), up, down again (a second incident).
        await Check(admin.Http, monitor, up: false, Now - Duration.FromMinutes(10));
        await Check(admin.Http, monitor, up: false, Now - Duration.FromMinutes(9));
        var first = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/outage.{monitor}-1"))).JsonAsync();
        var firstListed = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/incidents/{monitor}-1/tickets"))).JsonAsync();
        await Check(admin.Http, monitor, up: true, Now - Duration.FromMinutes(8));
        await Check(admin.Http, monitor, up: false, Now - Duration.FromMinutes(7));
        var second = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/outage.{monitor}-2"))).JsonAsync();
        var all = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={customer}"))).JsonAsync();
        var component = Assert.Single((await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("components").EnumerateArray());

        Assert.True(component.GetProperty("openTicketOnOutage").GetBoolean());
        Assert.Equal("p1", first.GetProperty("priority").GetString());
        Assert.Equal($"{monitor}-1", first.GetProperty("incidentId").GetString());
        Assert.Equal(customer, first.GetProperty("customerId").GetString());
        Assert.Contains("Payments API", first.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Equal("outage-rule", first.GetProperty("requester").GetString());
        // Its normal SLA clocks run from its opening, with the customer's P1 targets.
        var firstResponse = Assert.Single(first.GetProperty("clocks").EnumerateArray(), c => c.GetProperty("metric").GetString() == "firstResponse");
        Assert.Equal(("running", "PT15M"), (firstResponse.GetProperty("state").GetString(), firstResponse.GetProperty("target").GetString()));
        Assert.Contains(first.GetProperty("audit").EnumerateArray(), a => a.GetProperty("kind").GetString() == "IncidentLinked" && a.GetProperty("by").GetString() == "outage-rule");
        Assert.Equal([$"outage.{monitor}-1"], Ids(firstListed));
        Assert.Equal($"{monitor}-2", second.GetProperty("incidentId").GetString());
        Assert.Equal([$"outage.{monitor}-1", $"outage.{monitor}-2"], Ids(all.GetProperty("items")).Order(StringComparer.Ordinal));

        // A component not set to open tickets opens none.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/v1/tickets/outage.{quietIncident}")).StatusCode);
        Assert.Equal(0, (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets?customer={quiet}"))).JsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_month_report_and_the_manager_report_show_the_sla_related_ticket_rate_of_tickets_opened_in_the_period()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var (monitor, month, down) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 30, measured: false);
        var incident = $"{monitor}-1";
        using var integration = await IntegrationKeyAsync(admin.Http, customer);
        var (linked, other, third) = ($"R1-{Guid.NewGuid():N}"[..16], $"R2-{Guid.NewGuid():N}"[..16], $"R3-{Guid.NewGuid():N}"[..16]);
        await ServerScenario.Ok(integration.PostAsJsonAsync("api/v1/integrations/generic/events", new
        {
            events = new[] { Created(linked, customer, down + Duration.FromMinutes(5)), Created(other, customer, down + Duration.FromMinutes(6)), Created(third, customer, down + Duration.FromMinutes(7)) },
        }));
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/tickets/{linked}/incident", new { incidentId = incident }));
        var name = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var report = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}"))).JsonAsync();
        var csv = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}&format=csv"))).Content.ReadAsStringAsync();
        var managers = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/reports/managers?from={name}&to={name}&customer={customer}"))).JsonAsync();
        var managersCsv = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/reports/managers?from={name}&to={name}&customer={customer}&format=csv"))).Content.ReadAsStringAsync();

        var rate = report.GetProperty("slaRelatedTickets");
        Assert.Equal((3, 1, 33.33m), (rate.GetProperty("ticketsOpened").GetInt32(), rate.GetProperty("linkedToIncidents").GetInt32(), rate.GetProperty("ratePercent").GetDecimal()));
        Assert.Contains("tickets_opened,tickets_linked_to_incidents,sla_related_ticket_rate_pct", csv, StringComparison.Ordinal);
        Assert.Contains("3,1,33.33", csv, StringComparison.Ordinal);
        var row = Assert.Single(managers.GetProperty("customers").EnumerateArray());
        Assert.Equal((3, 1, 33.33m), (row.GetProperty("ticketsOpened").GetInt32(), row.GetProperty("ticketsLinkedToIncidents").GetInt32(), row.GetProperty("slaRelatedTicketRatePercent").GetDecimal()));
        Assert.Equal(33.33m, managers.GetProperty("slaRelatedTickets").GetProperty("ratePercent").GetDecimal());
        Assert.Contains("tickets_opened,tickets_linked_to_incidents,sla_related_ticket_rate_pct", managersCsv, StringComparison.Ordinal);
    }

    /// <summary>A critical monitor of the customer that has confirmed an outage: its incident is <c>{monitor}-1</c>.</summary>
    private static async Task<string> DownMonitorAsync(HttpClient admin, string customer)
    {
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        await Check(admin, monitor, up: false, Now - Duration.FromMinutes(5));
        return monitor;
    }

    private static Task<HttpResponseMessage> Check(HttpClient admin, string monitor, bool up, Instant at)
        => ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up, at }, SlaGrainsServerFixture.Json));

    private static async Task<string> OpenAsync(HttpClient client, string customer, string subject)
        => (await (await ServerScenario.Ok(client.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject }))).JsonAsync()).GetProperty("ticketId").GetString()!;

    private static object Created(string ticket, string customer, Instant at)
        => new { eventId = $"{ticket}-1", ticketId = ticket, customerId = customer, type = "created", at = InstantPattern.ExtendedIso.Format(at), priority = "p2", subject = "Slow" };

    private async Task<HttpClient> IntegrationKeyAsync(HttpClient admin, string customer)
    {
        var created = await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/api-keys", new { name = $"helpdesk {customer}", scope = "integration", customers = new[] { customer } }))).JsonAsync();
        return server.WithApiKey(created.GetProperty("key").GetString()!);
    }

    private static IEnumerable<string> Ids(JsonElement tickets) => tickets.EnumerateArray().Select(t => t.GetProperty("ticketId").GetString()!);

    /// <summary>Asserts a 400 whose problem names <paramref name="field"/>; returns the problem.</summary>
    private static async Task<JsonElement> AssertField(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), text);
        return problem;
    }
}
