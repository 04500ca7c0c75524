using System.Net.Http.Json;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>Error-budget alerts in a manager's Inbox, in a real browser: shown as they fire, acknowledged with one click.</summary>
public sealed class BudgetAlertPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_manager_acknowledges_a_firing_budget_alert_in_the_inbox_and_the_row_says_who()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = $"m-{Guid.NewGuid():N}"[..14];
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "Checkout", critical = true, consecutiveFailures = 1 }));
        await ServerScenario.UserAsync(admin.Http, "bea", "manager");
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "bea", ServerScenario.Password("bea"));
        await page.GotoAsync("/inbox");
        await page.Locator("[data-live=on]").WaitForAsync();

        // Down for the last 10 minutes: every window burns far faster than 14.4×, so page-fast starts.
        var now = SystemClock.Instance.GetCurrentInstant();
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync(
            $"api/v1/monitors/{monitor}/checks/batch",
            new[] { new { up = true, at = now - Duration.FromMinutes(11) }, new { up = false, at = now - Duration.FromMinutes(10) } },
            SlaGrainsServerFixture.Json));
        var row = page.Locator("tr", new() { Has = page.Locator(".budget-alert-name", new() { HasTextString = "page-fast" }) })
            .Filter(new() { HasTextString = customer });
        await row.Locator(".budget-alert-state", new() { HasTextString = "firing" }).WaitForAsync();
        // The monitor links to its customer's status page (there is no page per monitor).
        Assert.Equal($"/status/{customer}", await row.Locator(".budget-alert-monitor").GetAttributeAsync("href"));
        await row.Locator(".budget-alert-ack button").ClickAsync();

        // Unacknowledged by default: the acknowledged alert leaves the list, and shows who once all are shown.
        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.GetByText("Only unacknowledged").ClickAsync();
        await row.Locator(".budget-alert-ack", new() { HasTextString = "acknowledged by bea" }).WaitForAsync();

        var listed = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/budget-alerts?customer={customer}&firing=true"))).JsonAsync();
        var pageFast = listed.EnumerateArray().Single(a => a.GetProperty("name").GetString() == "page-fast");
        Assert.Equal("bea", pageFast.GetProperty("acknowledgedBy").GetString());
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }
}
