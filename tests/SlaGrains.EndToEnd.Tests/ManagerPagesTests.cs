using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>A manager resolving a customer's dispute on /credits and seeing month closes that are overdue, in a real browser.</summary>
public sealed class ManagerPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_manager_resolves_a_filed_dispute_by_adjusting_it_on_the_credits_page_and_the_ledger_shows_the_adjustment()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        // An hour down last month: about 99.86 % against 99.9 %, a 10 % credit of 1,000 EUR.
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 60, day: 10);
        var closed = await world.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        Assert.True(closed.Accepted, closed.Rejection?.Message);
        var monthText = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var user = $"u-{customer}";
        await ServerScenario.UserAsync(admin.Http, user, "customer", customerId: customer);
        using (var own = await world.SignInAsync(user, ServerScenario.Password(user)))
        {
            await ServerScenario.Ok(own.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new { month = monthText, claimedAvailabilityPercent = 99.6m, evidence = "Our probes saw the API down for longer." }));
        }

        var filed = Assert.Single((await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/disputes"))).JsonAsync()).EnumerateArray());
        var disputeId = filed.GetProperty("disputeId").GetString();
        var manager = $"m-{customer}";
        await ServerScenario.UserAsync(admin.Http, manager, "manager");
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, manager, ServerScenario.Password(manager));
        await page.GotoAsync("/credits");
        await page.Locator("[data-live=on]").WaitForAsync();

        var row = page.Locator($".dispute-row[data-dispute='{customer}/{disputeId}']");
        await row.WaitForAsync();
        var shown = await row.InnerTextAsync();
        await BrowserWorld.ScreenshotAsync(page, "manager-credits-dispute");
        await row.Locator(".decided input").FillAsync("98.9");
        await row.Locator(".note input").FillAsync("Their probe logs match ours after the DNS outage window.");
        await row.Locator(".resolve-adjust").ClickAsync();
        await row.Locator(".dispute-status", new() { HasTextString = "resolved: adjusted" }).WaitForAsync();
        var resolved = await row.InnerTextAsync();

        var ledger = Assert.Single((await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/credits"))).JsonAsync()).EnumerateArray());
        var adjustment = ledger.GetProperty("adjustment");
        var panel = await world.PageAsync();
        await BrowserWorld.SignInAsync(panel, "admin", SlaGrainsServerFixture.AdminPassword);
        await panel.GotoAsync("/admin");
        await panel.Locator("[data-live=on]").WaitForAsync();
        await panel.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        var entry = panel.Locator($".ledger-row[data-month='{monthText}']");
        await entry.WaitForAsync();
        var inLedger = await entry.Locator(".ledger-adjustment").InnerTextAsync();

        // The page shows the signed discrepancy (claimed − ours) and the suggested path as the API computed them: 0.1 to 0.5 pt, meet in the middle.
        Assert.Equal("meetInTheMiddle", filed.GetProperty("path").GetString());
        Assert.Contains(filed.GetProperty("discrepancyPoints").GetDecimal().ToString("+0.0000;-0.0000;0", CultureInfo.InvariantCulture), shown, StringComparison.Ordinal);
        Assert.Contains($"meet in the middle (< 0.5 pt) → {filed.GetProperty("suggestedPercent").GetDecimal():0.0000} %", shown, StringComparison.Ordinal);
        Assert.Contains("99.6000 %", shown, StringComparison.Ordinal);
        Assert.Contains($"98.9000 % by {manager}", resolved, StringComparison.Ordinal);
        Assert.Equal((98.9m, 25m, 250m, 150m, manager), (
            adjustment.GetProperty("decidedAvailabilityPercent").GetDecimal(), adjustment.GetProperty("creditPercent").GetDecimal(),
            adjustment.GetProperty("amount").GetDecimal(), adjustment.GetProperty("delta").GetDecimal(), adjustment.GetProperty("by").GetString()));
        Assert.Contains("DNS outage window", adjustment.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains($"{disputeId}: 98.9000 % → 25 % = 250.00 EUR (+150.00), by {manager}", inLedger, StringComparison.Ordinal);
        await BrowserWorld.ScreenshotAsync(panel, "admin-credit-ledger");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task A_month_close_overdue_by_more_than_its_grace_appears_on_an_open_manager_inbox()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var manager = $"m-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, manager, "manager");
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, manager, ServerScenario.Password(manager));
        await page.GotoAsync("/inbox");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.EvaluateAsync("window.__sameDocument = true");

        // A customer whose month ended just over the grace ago and never reported the close: the watch alerts at once.
        var late = $"c-late-{Guid.NewGuid():N}"[..16];
        var now = SystemClock.Instance.GetCurrentInstant();
        var month = now.InUtc().Date.ToYearMonth().PlusMonths(-1);
        await world.Services.GetRequiredService<IGrainFactory>().GetGrain<IMonthCloseWatchGrain>(IMonthCloseWatchGrain.Key)
            .Expect(late, month, now - IMonthCloseWatchGrain.Grace - Duration.FromSeconds(5));
        var alert = page.Locator("#month-close-overdue", new() { HasTextString = late });
        await alert.WaitForAsync(new() { Timeout = 30_000 });

        Assert.Contains($"Month close overdue: {late}, {month.ToString("yyyy-MM", CultureInfo.InvariantCulture)}", await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page was reloaded");
        await BrowserWorld.ScreenshotAsync(page, "manager-inbox-month-close-overdue");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }
}
