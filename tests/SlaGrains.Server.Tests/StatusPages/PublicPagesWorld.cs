using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;

namespace SlaGrains.Server.Tests.StatusPages;

/// <summary>
/// The real server with one customer that has everything a status page could leak, set up once through the API: a
/// contract with a fee and an internal SLO, a closed month with a credit, an incident last month with a private review
/// and postmortem link, an HTTP monitor with its URL, a ticket, an announced maintenance window, and a public page.
/// </summary>
public class PublicPagesWorld : SlaGrainsServerFixture
{
    /// <summary>What must never appear on the public page, its feeds or badges (besides the ids below).</summary>
    public static readonly string[] PrivateStrings =
    [
        "1234.56", "1,234.56", "EUR", "99.95 %", "123.46", "Credit", "credit", "Printer on floor three", "secret-health", "pm-secret", "Restarted db-seven",
        "budget", "Budget", "SLO", "ticket", "Ticket",
    ];

    public const string Name = "Northwind Traders";

    public const string MaintenanceText = "Database upgrade to version 17";

    public string Customer { get; private set; } = null!;

    public string Monitor { get; private set; } = null!;

    public string Slug { get; private set; } = null!;

    public Instant MaintenanceStart { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var admin = await AdminAsync();
        Customer = await CustomerAsync(admin.Http, Name);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{Customer}/contract", new { slaTargetPercent = 99.9, sloTargetPercent = 99.95, monthlyFee = 1234.56, currency = "EUR" }));

        // An hour down on the 10th of last month, that month closed: a credit exists.
        var (monitor, month, _) = await ServerScenario.OutageLastMonthAsync(admin.Http, Customer, downMinutes: 60, day: 10);
        Monitor = monitor;
        var closed = await Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(Customer).CloseMonth(month);
        Assert.True(closed.Accepted, closed.Rejection?.Message);
        var incidentId = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}/incidents"))).JsonAsync())[0].GetProperty("incidentId").GetString();
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/monitors/{monitor}/incidents/{incidentId}/review", new { rootCause = "deploy", resolution = "Restarted db-seven on rack 12." }));
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/monitors/{monitor}/incidents/{incidentId}/postmortem", new { url = "http://127.0.0.1:9/postmortems/pm-secret" }));

        // A non-critical HTTP monitor whose URL is private.
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id = $"web-{Customer}",
            customerId = Customer,
            name = "Website",
            critical = false,
            consecutiveFailures = 2,
            kind = "http",
            http = new { url = "http://127.0.0.1:9/secret-health", intervalSeconds = 300, timeoutSeconds = 5 },
        }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = Customer, priority = "p3", subject = "Printer on floor three is jammed" }));

        var now = SystemClock.Instance.GetCurrentInstant();
        MaintenanceStart = Instant.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60) + Duration.FromDays(2);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance",
            new { start = MaintenanceStart, end = MaintenanceStart + Duration.FromHours(2), description = MaintenanceText }, Json));

        Slug = $"northwind-{Guid.NewGuid():N}"[..20];
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{Customer}/status-page", new { slug = Slug, enabled = true, showAvailability = false }));
    }

    /// <summary>A customer with a calendar, a contract and a tier, named <paramref name="name"/> (not after its id).</summary>
    public static async Task<string> CustomerAsync(HttpClient admin, string name)
    {
        var id = $"pp-{Guid.NewGuid():N}"[..14];
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/customers", new { id, name }));
        await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/customers/{id}/calendar", new { timeZone = "Europe/Berlin" }));
        await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/customers/{id}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR" }));
        await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/customers/{id}/policy", new
        {
            name = "Gold",
            targets = new Dictionary<string, object>
            {
                ["p1"] = new { firstResponse = "PT1H", resolution = "PT8H", coverage = "aroundTheClock" },
                ["p2"] = new { firstResponse = "PT4H", resolution = "PT24H" },
                ["p3"] = new { firstResponse = "PT8H", resolution = "PT72H" },
                ["p4"] = new { firstResponse = "PT24H", resolution = "PT120H" },
            },
        }));
        return id;
    }
}
