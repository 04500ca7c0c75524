using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Tickets;
using SlaGrains.Server.Api;
using SlaGrains.Server.Demo;

namespace SlaGrains.Server.Tests.Demo;

/// <summary>The real server started with <c>Demo=true</c> on a new database.</summary>
public class DemoServerFixture : SlaGrainsServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Demo", "true")];
}

/// <summary>What <c>--demo</c> puts into a new database, read back through the REST API.</summary>
public sealed class DemoSeederTests(DemoServerFixture server) : IClassFixture<DemoServerFixture>
{
    private static readonly JsonSerializerOptions Json = SlaGrainsServerFixture.Json;

    [Fact]
    public async Task Three_customers_in_different_time_zones_have_contracts_calendars_with_holidays_tiers_and_monitors()
    {
        using var admin = await server.AdminAsync();
        var customers = await admin.Http.GetFromJsonAsync<CustomerEntry[]>("api/v1/customers", Json);

        Assert.Equal(3, customers!.Length);
        var zones = new HashSet<string>();
        var tiers = new HashSet<string>();
        var targets = new HashSet<decimal>();
        foreach (var entry in customers)
        {
            var customer = await admin.Http.GetFromJsonAsync<JsonElement>($"api/v1/customers/{entry.CustomerId}", Json);
            var contract = customer.GetProperty("contract");
            var calendar = customer.GetProperty("calendar");
            zones.Add(calendar.GetProperty("timeZone").GetString()!);
            tiers.Add(customer.GetProperty("policy").GetProperty("name").GetString()!.Replace(" (custom)", string.Empty, StringComparison.Ordinal));
            targets.Add(contract.GetProperty("slaTargetPercent").GetDecimal());
            Assert.True(contract.GetProperty("monthlyFee").GetDecimal() > 0);
            Assert.True(calendar.GetProperty("holidays").GetArrayLength() >= 16, $"{entry.CustomerId}: two years of public holidays");
            Assert.True(calendar.GetProperty("weeklyHours").EnumerateObject().Count() >= 5, $"{entry.CustomerId}: weekday hours");

            var components = customer.GetProperty("components").EnumerateArray().ToList();
            Assert.True(components.Count >= 2, $"{entry.CustomerId} has monitors");
            Assert.Contains(components, c => c.GetProperty("isCritical").GetBoolean());
            foreach (var component in components)
            {
                var monitorId = component.GetProperty("monitorId").GetString();
                var monitor = await admin.Http.GetFromJsonAsync<JsonElement>($"api/v1/monitors/{monitorId}", Json);
                Assert.Equal(entry.CustomerId, monitor.GetProperty("customerId").GetString());
                Assert.NotEqual(JsonValueKind.Null, monitor.GetProperty("lastResultAt").ValueKind);
            }
        }

        Assert.Equal(3, zones.Count);
        Assert.Equal(["Bronze", "Gold", "Silver"], tiers.Order());
        Assert.Equal(3, targets.Count);
        Assert.Contains(customers, c => c.CustomerId == DemoData.Hudson);
        var hudson = await admin.Http.GetFromJsonAsync<JsonElement>($"api/v1/customers/{DemoData.Hudson}", Json);
        Assert.Equal("Silver (custom)", hudson.GetProperty("policy").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Monitors_have_incidents_from_their_history_and_maintenance_windows_past_and_coming()
    {
        using var admin = await server.AdminAsync();
        var now = SystemClock.Instance.GetCurrentInstant();
        var incidents = 0;
        var maintenance = new List<JsonElement>();
        foreach (var monitor in DemoData.Customers.SelectMany(c => c.Monitors))
        {
            incidents += (await admin.Http.GetFromJsonAsync<JsonElement>($"api/v1/monitors/{monitor.Id}/incidents", Json)).GetArrayLength();
            maintenance.AddRange((await admin.Http.GetFromJsonAsync<JsonElement>($"api/v1/monitors/{monitor.Id}/maintenance", Json)).EnumerateArray());
        }

        Assert.True(incidents >= 15, $"{incidents} incidents");
        Assert.Contains(maintenance, m => Instant(m, "end") < now);
        Assert.Contains(maintenance, m => Instant(m, "start") > now + Duration.FromHours(48));

        // A regional probe failure is outvoted by the other regions: the 3-region monitor has only the real outage.
        var wms = await admin.Http.GetFromJsonAsync<JsonElement>("api/v1/monitors/spreeland-wms/incidents", Json);
        Assert.Equal(1, wms.GetArrayLength());
        Assert.StartsWith("https://", wms[0].GetProperty("postmortem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_incidents_are_classified_with_a_root_cause_and_a_resolution_and_the_ongoing_one_is_not()
    {
        using var admin = await server.AdminAsync();
        var incidents = new List<JsonElement>();
        foreach (var monitor in DemoData.Customers.SelectMany(c => c.Monitors))
        {
            incidents.AddRange((await admin.Http.GetFromJsonAsync<JsonElement>($"api/v1/monitors/{monitor.Id}/incidents", Json)).EnumerateArray());
        }

        var resolved = incidents.Where(i => i.GetProperty("end").ValueKind != JsonValueKind.Null).ToList();
        Assert.NotEmpty(resolved);
        Assert.All(resolved, i => Assert.NotEqual(JsonValueKind.Null, i.GetProperty("rootCause").ValueKind));
        Assert.All(resolved, i => Assert.False(string.IsNullOrWhiteSpace(i.GetProperty("resolution").GetString())));
        Assert.True(resolved.Select(i => i.GetProperty("rootCause").GetString()).Distinct().Count() >= 4, "the demo shows several categories");
        Assert.Contains(incidents, i => i.GetProperty("end").ValueKind == JsonValueKind.Null && i.GetProperty("rootCause").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task Each_demo_monitor_judges_maintenance_with_its_contracts_notice()
    {
        using var admin = await server.AdminAsync();
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var notices = new HashSet<decimal>();
        foreach (var customer in DemoData.Customers)
        {
            var contract = (await admin.Http.GetFromJsonAsync<JsonElement>($"api/v1/customers/{customer.Id}", Json)).GetProperty("contract");
            var hours = contract.GetProperty("maintenanceNoticeHours").GetDecimal();
            notices.Add(hours);
            foreach (var monitor in customer.Monitors)
            {
                var settings = (await grains.GetGrain<IMonitorGrain>(monitor.Id).Get())!.Settings;
                Assert.Equal(Duration.FromHours((double)hours), settings.Notice);
            }
        }

        // Spreeland's contract needs 72 hours, the others the default 48: the monitors differ as their contracts do.
        Assert.Equal([48m, 72m], notices.Order());
    }

    [Fact]
    public async Task The_past_three_months_are_closed_with_their_credits()
    {
        using var admin = await server.AdminAsync();
        var credits = new List<CreditEntry>();
        foreach (var customer in DemoData.Customers)
        {
            var ledger = await admin.Http.GetFromJsonAsync<CreditEntry[]>($"api/v1/customers/{customer.Id}/credits", Json);
            Assert.Equal(DemoSeeder.ClosedMonths, ledger!.Length);
            Assert.Equal(ledger.Length, ledger.Select(c => c.Month).Distinct().Count());
            credits.AddRange(ledger);
        }

        Assert.Contains(credits, c => c.Met && c.Amount == 0);
        Assert.Contains(credits, c => !c.Met && c.Amount > 0);
        Assert.Equal(["AUD", "EUR", "USD"], credits.Select(c => c.Currency).Distinct().Order());
    }

    [Fact]
    public async Task Fifty_tickets_cover_every_status_with_paused_and_breached_clocks_and_a_deadline_within_two_minutes()
    {
        using var admin = await server.AdminAsync();
        var page = await admin.Http.GetFromJsonAsync<TicketPage>("api/v1/tickets?pageSize=200", Json);
        var now = SystemClock.Instance.GetCurrentInstant();

        Assert.Equal(50, page!.Total);
        Assert.Equal(50, page.Items.Count);
        Assert.Equal(Enum.GetValues<TicketStatus>().Order(), page.Items.Select(t => t.Status).Distinct().Order());
        var clocks = page.Items.SelectMany(t => t.Clocks).ToList();
        Assert.Contains(clocks, c => c.State == ClockState.Paused);
        Assert.Contains(clocks, c => c.State is ClockState.BreachedRunning or ClockState.BreachedPaused or ClockState.BreachedStopped);
        Assert.Contains(clocks, c => c.State == ClockState.BreachedPaused);
        Assert.Contains(page.Items, t => t.Clocks.Any(c => c.Metric == SlaMetric.FirstResponse && c.State == ClockState.Met));
        Assert.Contains(clocks, c => c.State == ClockState.Running
            && (c.NextThresholdAt ?? c.BreachAt) is { } next && next > now - Duration.FromSeconds(5) && next <= now + Duration.FromMinutes(2));
        Assert.Equal(3, page.Items.Select(t => t.CustomerId).Distinct().Count());
    }

    [Fact]
    public async Task Escalation_rules_are_set_and_the_tickets_breached_at_start_escalated_to_management()
    {
        using var admin = await server.AdminAsync();
        foreach (var customer in DemoData.Customers)
        {
            var rules = await admin.Http.GetFromJsonAsync<JsonElement>($"api/v1/customers/{customer.Id}/escalation-rules", Json);
            Assert.Contains(rules.EnumerateArray(), r => r.GetProperty("percent").GetInt32() == 75 && r.GetProperty("action").GetString() == "notify");
            Assert.Contains(rules.EnumerateArray(), r => r.GetProperty("percent").GetInt32() == 100 && r.GetProperty("action").GetString() == "escalateToManagement");
        }

        var page = await admin.Http.GetFromJsonAsync<TicketPage>("api/v1/tickets?pageSize=200&state=breached", Json);
        Assert.Contains(page!.Items, t => t.EscalatedToManagement);
        var inbox = await admin.Http.GetFromJsonAsync<JsonElement>("api/v1/escalations", Json);
        Assert.True(inbox.GetProperty("total").GetInt32() >= 4);

        // The demo target is recorded in the ticket's audit trail: nothing pretends to be older than it is.
        var breached = await admin.Http.GetFromJsonAsync<JsonElement>($"api/v1/tickets/{page.Items.First(t => t.EscalatedToManagement).TicketId}", Json);
        Assert.Contains(breached.GetProperty("audit").EnumerateArray(), a => a.GetProperty("description").GetString()!.Contains("demo data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_demo_user_signs_in_and_a_customer_user_sees_only_its_own_customer()
    {
        var roles = new HashSet<UserRole>();
        foreach (var user in DemoData.Users)
        {
            using var session = await server.SignInAsync(user.UserName, user.Password);
            var me = await session.Http.GetFromJsonAsync<JsonElement>("api/v1/auth/me", Json);
            Assert.Equal(user.Role.ToString().ToLowerInvariant(), me.GetProperty("role").GetString());
            roles.Add(user.Role);
            if (user.Role != UserRole.Customer)
            {
                continue;
            }

            var customers = await session.Http.GetFromJsonAsync<CustomerEntry[]>("api/v1/customers", Json);
            Assert.Equal(user.CustomerId, Assert.Single(customers!).CustomerId);
            var tickets = await session.Http.GetFromJsonAsync<TicketPage>("api/v1/tickets?pageSize=200", Json);
            Assert.NotEmpty(tickets!.Items);
            Assert.All(tickets.Items, t => Assert.Equal(user.CustomerId, t.CustomerId));
        }

        Assert.Equal([UserRole.Manager, UserRole.Technician, UserRole.Customer], roles.Order());
        Assert.Equal(2, DemoData.Users.Where(u => u.Role == UserRole.Technician).Select(u => u.Team).Distinct().Count());
        Assert.Equal(DemoData.Customers.Select(c => c.Id).Order(), DemoData.Users.Where(u => u.Role == UserRole.Customer).Select(u => u.CustomerId!).Order());
    }

    private static Instant Instant(JsonElement element, string property)
        => NodaTime.Text.InstantPattern.ExtendedIso.Parse(element.GetProperty(property).GetString()!).Value;
}
