using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Webhooks through the API, end to end: subscriptions with a secret shown once, incidents, maintenance and
/// escalations delivered signed to a real receiver, retries and dead letters in the delivery log, redelivery, and who
/// may manage what.
/// </summary>
public sealed class WebhooksApiTests(WebhooksApiTests.World world) : IClassFixture<WebhooksApiTests.World>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private HttpClient Admin => world.Admin.Http;

    private WebhookReceiver Receiver => world.Receiver;

    [Fact]
    public async Task Creating_a_webhook_shows_its_secret_once_and_lists_it_without()
    {
        var customer = await ServerScenario.CustomerAsync(Admin);

        var created = await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = "https://hooks.example.com/sla", eventTypes = new[] { "incident.opened", "incident.resolved" }, description = "pager" }));
        var listed = await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks")).Content.ReadAsStringAsync();

        var body = await created.JsonAsync();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(body.GetProperty("webhook").GetProperty("enabled").GetBoolean());
        Assert.Contains(body.GetProperty("webhook").GetProperty("webhookId").GetString()!, listed, StringComparison.Ordinal);
        Assert.Contains("https://hooks.example.com/sla", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", listed, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("""{"url": "/relative/path", "eventTypes": ["incident.opened"]}""", "url")]
    [InlineData("""{"url": "ftp://127.0.0.1/x", "eventTypes": ["incident.opened"]}""", "url")]
    [InlineData("""{"eventTypes": ["incident.opened"]}""", "url")]
    [InlineData("""{"url": "https://hooks.example.com/x", "eventTypes": ["ticket.created"]}""", "eventTypes")]
    [InlineData("""{"url": "https://hooks.example.com/x", "eventTypes": []}""", "eventTypes")]
    public async Task Bad_webhook_input_is_a_problem_naming_the_field_and_creates_nothing(string body, string field)
    {
        var customer = await ServerScenario.CustomerAsync(Admin);

        var response = await Admin.PostAsync($"api/v1/customers/{customer}/webhooks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(0, (await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks")).JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task An_incident_opened_then_resolved_reaches_the_customers_webhook_signed()
    {
        var customer = await ServerScenario.CustomerAsync(Admin);
        var path = await Subscribe(customer, "incident.opened", "incident.resolved");
        var monitor = $"m-{Guid.NewGuid():N}"[..14];
        await ServerScenario.Ok(Admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));

        await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = false }));
        var opened = await Receiver.WaitFor(r => r.Path == path && r.Event == "incident.opened", Bound);
        await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = true }));
        var resolved = await Receiver.WaitFor(r => r.Path == path && r.Event == "incident.resolved", Bound);

        Assert.True(opened.SignatureValid);
        Assert.True(resolved.SignatureValid);
        var incident = opened.Json.GetProperty("data").GetProperty("incidentId").GetString();
        Assert.Equal($"{monitor}-1", incident);
        Assert.Equal(incident, resolved.Json.GetProperty("data").GetProperty("incidentId").GetString());
        Assert.Equal(monitor, opened.Json.GetProperty("data").GetProperty("monitorId").GetString());
        Assert.Equal(JsonValueKind.Null, opened.Json.GetProperty("data").GetProperty("end").ValueKind);
        Assert.Equal(JsonValueKind.String, resolved.Json.GetProperty("data").GetProperty("end").ValueKind);
        Assert.Equal(customer, resolved.Json.GetProperty("customerId").GetString());
        var log = await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks/deliveries")).JsonAsync();
        Assert.Equal(["incident.resolved", "incident.opened"], log.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("eventType").GetString()!));
    }

    [Fact]
    public async Task A_missed_months_close_sends_the_credit_notice_with_its_figures_and_incidents_to_the_customers_webhook_once()
    {
        var customer = await ServerScenario.CustomerAsync(Admin);
        var path = await Subscribe(customer, "credit.notice");
        var (monitor, month, _) = await ServerScenario.OutageLastMonthAsync(Admin, customer, downMinutes: 150);
        var grain = world.Services.GetRequiredService<IGrainFactory>().GetGrain<SlaGrains.Contracts.Customers.ICustomerGrain>(customer);

        var closed = await grain.CloseMonth(month);
        var again = await grain.CloseMonth(month);
        var received = await Receiver.WaitFor(r => r.Path == path, Bound);

        Assert.True(again.AlreadyClosed);
        Assert.True(received.SignatureValid);
        Assert.Equal("credit.notice", received.Event);
        var data = received.Json.GetProperty("data");
        Assert.Equal(closed.Credit!.Amount, data.GetProperty("creditAmount").GetDecimal());
        Assert.Equal(closed.Month!.UptimePercent, data.GetProperty("availabilityPercent").GetDecimal());
        Assert.Equal(150, data.GetProperty("downtimeMinutes").GetDouble());
        Assert.Equal($"{monitor}-1", Assert.Single(data.GetProperty("incidents").EnumerateArray()).GetProperty("incidentId").GetString());
        Assert.Contains(closed.Credit.CreditPercent.ToString(System.Globalization.CultureInfo.InvariantCulture), data.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var log = await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks/deliveries")).JsonAsync();
        Assert.Single(log.GetProperty("items").EnumerateArray(), a => a.GetProperty("eventType").GetString() == "credit.notice");
    }

    [Fact]
    public async Task Announced_maintenance_reaches_the_customers_webhook()
    {
        var customer = await ServerScenario.CustomerAsync(Admin);
        var path = await Subscribe(customer, "maintenance.announced");
        var monitor = await Monitor(customer);

        var window = await (await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start = "2030-01-01T22:00:00Z", end = "2030-01-01T23:00:00Z", description = "database upgrade" }))).JsonAsync();
        var received = await Receiver.WaitFor(r => r.Path == path, Bound);

        Assert.True(received.SignatureValid);
        Assert.Equal("maintenance.announced", received.Event);
        var data = received.Json.GetProperty("data");
        Assert.Equal(window.GetProperty("maintenanceId").GetString(), data.GetProperty("maintenanceId").GetString());
        Assert.Equal("2030-01-01T22:00:00Z", data.GetProperty("start").GetString());
        Assert.Equal("database upgrade", data.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_breach_reaches_the_escalation_rules_webhook_signed_with_the_rule_secret()
    {
        var customer = await ServerScenario.CustomerAsync(Admin, firstResponse: "PT1S");
        var path = $"rule/{Guid.NewGuid():N}";
        await ServerScenario.Ok(Admin.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[] { new { id = "page", metric = "firstResponse", percent = 100, action = "webhook", target = Receiver.Url(path) } }));
        var secret = await (await ServerScenario.Ok(Admin.PostAsync($"api/v1/customers/{customer}/webhooks/rule-secret", null))).JsonAsync();
        Receiver.Expect(path, secret.GetProperty("secret").GetString()!);

        var ticket = await (await ServerScenario.Ok(Admin.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Down" }))).JsonAsync();
        var received = await Receiver.WaitFor(r => r.Path == path, Bound);

        Assert.True(received.SignatureValid);
        Assert.Equal("escalation.raised", received.Event);
        Assert.Equal(ticket.GetProperty("ticketId").GetString(), received.Json.GetProperty("data").GetProperty("ticketId").GetString());
        Assert.Equal("breach", received.Json.GetProperty("data").GetProperty("kind").GetString());
        var log = await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks/deliveries")).JsonAsync();
        var attempt = log.GetProperty("items")[0];
        Assert.Equal(("rule:page", 204, "delivered"), (attempt.GetProperty("webhookId").GetString(), attempt.GetProperty("statusCode").GetInt32(), attempt.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_retried_then_dead_lettered_and_redelivered_once_fixed()
    {
        var customer = await ServerScenario.CustomerAsync(Admin);
        var path = await Subscribe(customer, "maintenance.announced");
        Receiver.Fail(path, int.MaxValue);
        var monitor = await Monitor(customer);

        await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start = "2030-02-01T22:00:00Z", end = "2030-02-01T23:00:00Z" }));
        await Receiver.WaitFor(r => r.Path == path && r.NumberOnPath == 3, Bound);
        var dead = await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks/dead-letters")).JsonAsync();
        var failures = await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks/deliveries?page=1&pageSize=2")).JsonAsync();

        var letter = Assert.Single(dead.EnumerateArray());
        Assert.Equal(("deadLettered", 3, "HTTP 500"), (letter.GetProperty("state").GetString(), letter.GetProperty("attempts").GetInt32(), letter.GetProperty("lastOutcome").GetString()));
        Assert.Equal(3, failures.GetProperty("total").GetInt32());
        Assert.Equal([3, 2], failures.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal(["deadLettered", "pending"], failures.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("result").GetString()!));

        Receiver.Fail(path, 0);
        var deliveryId = letter.GetProperty("deliveryId").GetString();
        var redeliver = await Admin.PostAsync($"api/v1/customers/{customer}/webhooks/dead-letters/{deliveryId}/redeliver", null);
        var delivered = await Receiver.WaitFor(r => r.Path == path && r.AnsweredStatus == 204, Bound);
        var after = await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks/deliveries")).JsonAsync();
        var again = await Admin.PostAsync($"api/v1/customers/{customer}/webhooks/dead-letters/{deliveryId}/redeliver", null);

        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        Assert.Equal(deliveryId, delivered.Delivery);
        Assert.True(delivered.SignatureValid);
        Assert.Equal(("delivered", 4), (after.GetProperty("items")[0].GetProperty("result").GetString(), after.GetProperty("items")[0].GetProperty("attempt").GetInt32()));
        Assert.Equal(0, (await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks/dead-letters")).JsonAsync()).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_customer_user_manages_its_own_webhooks_but_never_sees_escalation_ones_and_a_technician_only_reads()
    {
        var customer = await ServerScenario.CustomerAsync(Admin);
        var staffHook = await (await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = "https://ops.example.com/hook", eventTypes = new[] { "escalation.raised" } }))).JsonAsync();
        var user = $"cu-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(Admin, user, "customer", customerId: customer);
        using var own = await world.SignInAsync(user, ServerScenario.Password(user));
        var tech = $"te-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(Admin, tech, "technician", team: "red");
        using var technician = await world.SignInAsync(tech, ServerScenario.Password(tech));

        var created = await own.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = "https://customer.example.com/hook", eventTypes = new[] { "incident.opened" } });
        var internalType = await own.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = "https://customer.example.com/hook", eventTypes = new[] { "escalation.raised" } });
        var listed = await (await own.Http.GetAsync($"api/v1/customers/{customer}/webhooks")).JsonAsync();
        var deleteStaffHook = await own.Http.DeleteAsync($"api/v1/customers/{customer}/webhooks/{staffHook.GetProperty("webhook").GetProperty("webhookId").GetString()}");
        var ruleSecret = await own.Http.PostAsync($"api/v1/customers/{customer}/webhooks/rule-secret", null);
        var technicianReads = await technician.Http.GetAsync($"api/v1/customers/{customer}/webhooks");
        var technicianCreates = await technician.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = "https://x.example.com/", eventTypes = new[] { "incident.opened" } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, internalType.StatusCode);
        Assert.Equal(["https://customer.example.com/hook"], listed.EnumerateArray().Select(w => w.GetProperty("url").GetString()!));
        Assert.Equal(HttpStatusCode.NotFound, deleteStaffHook.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ruleSecret.StatusCode);
        Assert.Equal(2, (await technicianReads.JsonAsync()).GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, technicianCreates.StatusCode);
        Assert.Equal(2, (await (await Admin.GetAsync($"api/v1/customers/{customer}/webhooks")).JsonAsync()).GetArrayLength());
    }

    /// <summary>A subscription to a fresh path of the receiver, its secret handed to the receiver to verify with.</summary>
    private async Task<string> Subscribe(string customer, params string[] eventTypes)
    {
        var path = $"hooks/{Guid.NewGuid():N}";
        var created = await (await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = Receiver.Url(path), eventTypes }))).JsonAsync();
        Receiver.Expect(path, created.GetProperty("secret").GetString()!);
        return path;
    }

    private async Task<string> Monitor(string customer)
    {
        var monitor = $"m-{Guid.NewGuid():N}"[..14];
        await ServerScenario.Ok(Admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true }));
        return monitor;
    }

    /// <summary>The server with webhook retries shrunk to milliseconds (3 attempts) and a receiver on loopback.</summary>
    public sealed class World : SlaGrainsServerFixture
    {
        public Session Admin { get; private set; } = null!;

        public WebhookReceiver Receiver { get; private set; } = null!;

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Webhooks:FirstRetryDelay", "00:00:00.050"),
            new("Webhooks:MaxRetryDelay", "00:00:00.200"),
            new("Webhooks:MaxAttempts", "3"),
        ];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Admin = await AdminAsync();
            Receiver = await WebhookReceiver.StartAsync();
        }

        public override async Task DisposeAsync()
        {
            Admin?.Dispose();
            await Receiver.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
