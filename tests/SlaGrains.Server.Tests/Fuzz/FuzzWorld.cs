using System.Data.Common;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>
/// The real server (Kestrel on loopback, SQLite file) with a little real data made through the API: customers A and B
/// with calendars, contracts and policies, a monitor each with an open incident, a maintenance window, a ticket each,
/// webhooks, an escalation rule, a customer user of A, a customer key and an ingestion key of A. Webhook and monitor
/// URLs are loopback only; the fixture's loopback <c>Network:AllowedPrivateTargets</c> lets the forms the fuzz bodies start
/// from pass the outbound-address check, so the mutations reach the checks behind it.
/// </summary>
public class FuzzWorld : SlaGrainsServerFixture
{
    public string A { get; private set; } = "";

    public string B { get; private set; } = "";

    public string TicketOfA { get; private set; } = "";

    public string TicketOfB { get; private set; } = "";

    public string MonitorOfA { get; private set; } = "";

    public string MonitorOfB { get; private set; } = "";

    public string IncidentOfA { get; private set; } = "";

    public string MaintenanceOfA { get; private set; } = "";

    public string WebhookOfA { get; private set; } = "";

    public string WebhookOfB { get; private set; } = "";

    public string CustomerKeyId { get; private set; } = "";

    public Session Admin { get; private set; } = null!;

    public Session CustomerUserOfA { get; private set; } = null!;

    public HttpClient CustomerKeyOfA { get; private set; } = null!;

    public HttpClient IngestionKeyOfA { get; private set; } = null!;

    public HttpClient Nobody { get; private set; } = null!;

    /// <summary>When the data was seeded (instants in the fuzz bodies are relative to it).</summary>
    public Instant SeededAt { get; private set; }

    /// <summary>A read-only connection to the server's store (its SQLite file).</summary>
    public virtual DbConnection OpenStore() => new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");

    /// <summary>The query listing the store's tables (one name per row).</summary>
    public virtual string TablesQuery => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SeededAt = SystemClock.Instance.GetCurrentInstant();
        Admin = await AdminAsync();
        var http = Admin.Http;
        A = await ServerScenario.CustomerAsync(http);
        B = await ServerScenario.CustomerAsync(http, timeZone: "America/New_York");
        (TicketOfA, MonitorOfA) = await Resources(A);
        (TicketOfB, MonitorOfB) = await Resources(B);

        var incidents = await (await ServerScenario.Ok(http.GetAsync($"api/v1/monitors/{MonitorOfA}/incidents"))).JsonAsync();
        IncidentOfA = incidents.EnumerateArray().First().GetProperty("incidentId").GetString()!;
        var start = SeededAt + Duration.FromDays(3);
        var maintenance = await (await ServerScenario.Ok(http.PostAsJsonAsync(
            $"api/v1/monitors/{MonitorOfA}/maintenance", new { start, end = start + Duration.FromHours(1), description = "Patch day" }, Json))).JsonAsync();
        MaintenanceOfA = maintenance.GetProperty("maintenanceId").GetString()!;
        WebhookOfA = await Webhook(A);
        WebhookOfB = await Webhook(B);
        await ServerScenario.Ok(http.PutAsJsonAsync($"api/v1/customers/{A}/escalation-rules", new[] { new { id = "warn", metric = "resolution", percent = 75, action = "notify", target = "role:manager" } }));

        await ServerScenario.UserAsync(http, "alice", "customer", customerId: A);
        await ServerScenario.UserAsync(http, "tom", "technician", team: "red");
        CustomerUserOfA = await SignInAsync("alice", ServerScenario.Password("alice"));
        var customerKey = await Key("customer");
        CustomerKeyId = customerKey.GetProperty("apiKey").GetProperty("id").GetString()!;
        CustomerKeyOfA = WithApiKey(customerKey.GetProperty("key").GetString()!);
        IngestionKeyOfA = WithApiKey((await Key("ingestion")).GetProperty("key").GetString()!);
        Nobody = Anonymous();
        await MonitorRowsShowDownAsync();
    }

    /// <summary>
    /// Waits until the monitors' read-model rows show the outage seeded above. The rows follow the grain's state at
    /// least once, retried after a failed write: on a loaded machine they can land only during the sweep and look like a
    /// change a malformed request made (seen in CI).
    /// </summary>
    private async Task MonitorRowsShowDownAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            await using var connection = OpenStore();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM monitors WHERE is_down = {(this is PostgresFuzzWorld ? "TRUE" : "1")} AND monitor_id IN ('{MonitorOfA}', '{MonitorOfB}')";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 2)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The seeded monitors' rows did not show them down within 60 s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    public override async Task DisposeAsync()
    {

        Admin?.Dispose();
        CustomerUserOfA?.Dispose();
        CustomerKeyOfA?.Dispose();
        IngestionKeyOfA?.Dispose();
        Nobody?.Dispose();
        await base.DisposeAsync();
    }

    private async Task<(string Ticket, string Monitor)> Resources(string customer)
    {
        var http = Admin.Http;
        var ticket = await (await ServerScenario.Ok(http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Printer on fire", team = "red" }))).JsonAsync();
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        await ServerScenario.Ok(http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = true, at = SeededAt - Duration.FromMinutes(20) }, Json));
        await ServerScenario.Ok(http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = false, at = SeededAt - Duration.FromMinutes(10) }, Json));
        return (ticket.GetProperty("ticketId").GetString()!, monitor);
    }

    private async Task<string> Webhook(string customer)
    {
        var created = await (await ServerScenario.Ok(Admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "incident.opened" } }))).JsonAsync();
        return created.GetProperty("webhook").GetProperty("webhookId").GetString()!;
    }

    private async Task<JsonElement> Key(string scope)
        => await (await ServerScenario.Ok(Admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = $"{scope} key of A", scope, customerId = A }))).JsonAsync();
}
