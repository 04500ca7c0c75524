using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>The board's filters, order, words and countdowns, and the inbox's rows, bulk acknowledgement and toasts, in a real browser.</summary>
public sealed partial class BoardAndInboxTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task The_board_hides_resolved_tickets_by_default_shows_them_behind_the_state_filter_and_keeps_the_filter_across_a_reload()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.UserAsync(admin.Http, "bea", "manager");
        var open = await TicketAsync(admin, customer, "p2", "Open printer");
        var resolved = await TicketAsync(admin, customer, "p2", "Fixed printer");
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{open}/status", new { status = "inProgress" }));
        await ServerScenario.Ok(admin.Http.PostAsync($"api/v1/tickets/{resolved}/resolve", null));
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "bea", ServerScenario.Password("bea"));

        await page.GotoAsync($"/board?customer={customer}");
        await page.Locator("[data-live=on]").WaitForAsync();
        await Row(page, open).WaitForAsync();
        Assert.Equal(0, await Row(page, resolved).CountAsync());
        Assert.Equal("In progress", (await Row(page, open).Locator(".ticket-status").InnerTextAsync()).Trim());

        await page.Locator(".mud-select", new() { Has = page.Locator("label", new() { HasTextString = "State" }) }).Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextRegex = new Regex("^Resolved$") }).ClickAsync();
        await Row(page, resolved).WaitForAsync();
        await page.WaitForURLAsync(new Regex("state=resolved"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Equal("Resolved", (await Row(page, resolved).Locator(".ticket-status").InnerTextAsync()).Trim());
        Assert.Equal(0, await Row(page, open).CountAsync());

        await page.ReloadAsync();
        await page.Locator("[data-live=on]").WaitForAsync();
        await Row(page, resolved).WaitForAsync();
        Assert.Contains($"customer={customer}", page.Url, StringComparison.Ordinal);
        Assert.Contains("state=resolved", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await Row(page, open).CountAsync());
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task Sorting_the_board_by_priority_orders_the_rows_and_keeps_the_order_in_the_url()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT5H", resolution: "PT9H");
        await ServerScenario.UserAsync(admin.Http, "sol", "manager");

        // By deadline the p2 (4 h) comes before the p1 (5 h); by priority the p1 first. Created p3, p1, p4, p2.
        var ids = new Dictionary<string, string>();
        foreach (var priority in new[] { "p3", "p1", "p4", "p2" })
        {
            ids[priority] = await TicketAsync(admin, customer, priority, $"Sort {priority}");
        }

        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "sol", ServerScenario.Password("sol"));
        await page.GotoAsync($"/board?customer={customer}");
        await page.Locator("[data-live=on]").WaitForAsync();
        await Row(page, ids["p4"]).WaitForAsync();

        await SortByAsync(page, "created");
        await Expect(TicketLinks(page)).ToHaveTextAsync([ids["p2"], ids["p4"], ids["p1"], ids["p3"]], new() { Timeout = 30_000 });
        await SortByAsync(page, "priority");
        await Expect(TicketLinks(page)).ToHaveTextAsync([ids["p1"], ids["p2"], ids["p3"], ids["p4"]], new() { Timeout = 30_000 });

        await page.ReloadAsync();
        await page.Locator("[data-live=on]").WaitForAsync();
        await Row(page, ids["p4"]).WaitForAsync();
        Assert.Contains("sort=priority", page.Url, StringComparison.Ordinal);
        Assert.Equal([ids["p1"], ids["p2"], ids["p3"], ids["p4"]], await TicketOrderAsync(page));
        Assert.True("true" == await page.GetAttributeAsync(".sla-sort[data-sort=priority]", "aria-pressed"), await page.InnerHTMLAsync("thead"));
        Assert.Equal("true", await page.GetAttributeAsync(".sla-sort[data-sort=priority]", "aria-pressed"));
    }

    [SkippableFact]
    public async Task Countdowns_read_in_days_hours_and_minutes_and_a_met_clock_says_when_it_was_met()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT30M", resolution: "P5D");
        await ServerScenario.UserAsync(admin.Http, "dora", "manager");
        var id = await TicketAsync(admin, customer, "p1", "Countdown words");
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "dora", ServerScenario.Password("dora"));
        await page.GotoAsync($"/board?customer={customer}");
        await page.Locator("[data-live=on]").WaitForAsync();

        var firstResponse = Row(page, id).Locator("[data-metric=FirstResponse] .sla-countdown");
        var resolution = Row(page, id).Locator("[data-metric=Resolution] .sla-countdown");
        await firstResponse.WaitForAsync();
        Assert.Matches(new Regex(@"^(29|30) m \d{1,2} s$"), (await firstResponse.InnerTextAsync()).Trim());
        Assert.Matches(new Regex(@"^(4 d 23 h 59 m|5 d 0 h 0 m)$"), (await resolution.InnerTextAsync()).Trim());

        // An agent reply meets the first response: the detail page says when (in the browser's zone, UTC here), not a leftover duration.
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{id}/replies", new { from = "agent" }));
        await page.GotoAsync($"/tickets/{id}");
        var met = page.Locator("[data-metric=FirstResponse] .sla-met");
        await met.WaitForAsync();
        Assert.Matches(new Regex(@"^met \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$"), (await met.InnerTextAsync()).Trim());
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task Three_escalations_acknowledged_at_once_from_the_inbox_are_acknowledged_in_the_api_and_toasts_leave_the_health_panel_free()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT2S");
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "breach", metric = "firstResponse", percent = 100, action = "escalateToManagement", target = "managers" },
        }));
        await ServerScenario.UserAsync(admin.Http, "ines", "manager");
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "ines", ServerScenario.Password("ines"));
        await page.GotoAsync("/inbox");
        await page.Locator("[data-live=on]").WaitForAsync();

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await TicketAsync(admin, customer, "p1", $"Mail server {i} down"));
        }

        // Each breach arrives live with a toast; the toast stays clear of the SLA health numbers.
        var toast = page.Locator(".mud-snackbar").First;
        await toast.WaitForAsync(new() { Timeout = 30_000 });
        var health = await page.Locator(".sla-health").BoundingBoxAsync();
        var box = await toast.BoundingBoxAsync();
        Assert.NotNull(health);
        Assert.NotNull(box);
        Assert.False(Intersect(health, box), $"the toast ({box.X},{box.Y} {box.Width}×{box.Height}) covers the health panel ({health.X},{health.Y} {health.Width}×{health.Height})");

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var row = page.Locator("tr", new() { Has = page.Locator(".escalation-ticket", new() { HasTextString = id }) });
            await row.WaitForAsync(new() { Timeout = 30_000 });
            Assert.Contains($"Mail server {i} down", await row.Locator(".escalation-ticket").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal($"/tickets/{id}", await row.Locator(".escalation-ticket a").GetAttributeAsync("href"));
            Assert.Equal("breach", (await row.Locator("[data-severity]").InnerTextAsync()).Trim());
            await row.Locator(".escalation-check").CheckAsync();
        }

        // Each tick is a round trip to the server; the button's count follows the last one.
        var bulk = page.Locator(".acknowledge-selected", new() { HasTextString = "Acknowledge selected (3)" });
        await bulk.WaitForAsync();
        await bulk.ClickAsync();

        // Unacknowledged by default: the acknowledged rows leave the list.
        foreach (var id in ids)
        {
            await page.Locator(".escalation-ticket", new() { HasTextString = id }).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        }

        var acknowledged = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/escalations?customer={customer}"))).JsonAsync();
        var rows = acknowledged.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("ines", r.GetProperty("acknowledgedBy").GetString()));
        await BrowserWorld.ScreenshotAsync(page, "manager-inbox-acknowledged");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    private static bool Intersect(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b)
        => a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    private static ILocator Row(IPage page, string ticketId)
        => page.Locator("tr", new() { Has = page.Locator($"a[href='/tickets/{ticketId}']") });

    private static ILocator TicketLinks(IPage page) => page.Locator("tbody tr a[href^='/tickets/']");

    /// <summary>
    /// Clicks a sort header and waits until the page says it sorts by it and the URL keeps it. On a timeout the failure
    /// carries what the browser reported (console errors, the reconnect dialog), so a lost click explains itself.
    /// </summary>
    private async Task SortByAsync(IPage page, string key)
    {
        var header = page.Locator($".sla-sort[data-sort={key}]");
        await header.ClickAsync();
        try
        {
            await Expect(header).ToHaveAttributeAsync("aria-pressed", "true", new() { Timeout = 30_000 });
            await page.WaitForURLAsync(new Regex($"sort={key}"), new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException e)
        {
            var reconnect = await page.Locator("#components-reconnect-modal").CountAsync() > 0
                ? await page.Locator("#components-reconnect-modal").GetAttributeAsync("class")
                : "none";
            Assert.Fail($"Sorting by {key} did not take: {e.Message}\nURL {page.Url}; reconnect dialog: {reconnect}; console errors: {string.Join(" | ", world.ConsoleErrors)}");
        }
    }

    private static async Task<string[]> TicketOrderAsync(IPage page)
        => [.. (await page.Locator("tbody tr a[href^='/tickets/']").AllInnerTextsAsync()).Select(t => t.Trim())];

    private static async Task<string> TicketAsync(SlaGrainsServerFixture.Session admin, string customer, string priority, string subject)
    {
        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority, subject }))).JsonAsync();
        return ticket.GetProperty("ticketId").GetString()!;
    }
}
