using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>A manager resolving a customer's dispute on /credits, seeing month closes that are overdue and reading the charts and figures of /reports, in a real browser.</summary>
public sealed class ManagerPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_manager_resolves_a_filed_dispute_by_adjusting_it_on_the_credits_page_and_the_ledger_shows_the_adjustment()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        // An hour down last month: about 99.86 % against 99.9 %, a 10 % credit of 1,000 EUR.
        var (customer, month) = await world.CustomerWithClosedOutageAsync(admin.Http);
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
        Assert.Contains($"{disputeId}: 98.9000 % → 25 % = 250.00 EUR (+150.00 EUR), by {manager}", inLedger, StringComparison.Ordinal);
        await BrowserWorld.ScreenshotAsync(panel, "admin-credit-ledger");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task A_month_close_overdue_by_more_than_its_grace_appears_on_an_open_manager_inbox()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var (page, manager) = await world.SignedInAsync(admin.Http, "manager");
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
    [SkippableFact]
    public async Task The_manager_report_charts_compliance_breaches_and_root_causes_per_month_beside_figures_that_say_the_same()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var group = $"g{Guid.NewGuid():N}"[..10];
        var customer = await ServerScenario.CustomerAsync(admin.Http, group: group);

        // Two hours down last month (Berlin): missed 99.9 %, one incident, a 10 % credit of the 1,000 EUR fee.
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 120);
        var closed = await world.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        Assert.True(closed.Accepted, closed.Rejection?.Message);
        var months = new[] { month.PlusMonths(-2), month.PlusMonths(-1), month }.Select(m => m.ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList();
        var manager = $"m-{customer}";
        await ServerScenario.UserAsync(admin.Http, manager, "manager");
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, manager, ServerScenario.Password(manager));

        await ShowReportAsync(page, months[0], months[2], group, 3);
        var compliance = page.Locator(".manager-compliance-chart");
        var breaches = page.Locator(".manager-breaches-chart");
        var causes = page.Locator(".manager-root-cause-chart");
        await compliance.Locator("path.mud-chart-bar").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var perMonth = await page.Locator("#report-months tr.report-month").AllInnerTextsAsync();
        var summary = await page.Locator("#report-summary").InnerTextAsync();
        var row = await page.Locator("#report-customers tbody tr").InnerTextAsync();
        await BrowserWorld.ScreenshotAsync(page, "manager-reports-charts");

        // The charts draw the per-month figures of the table below them: the months, their series and one bar per value drawn.
        Assert.Equal(["Met", "Missed", "Insufficient data"], (await compliance.Locator(".mud-chart-legend-item").AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Equal(months, (await compliance.Locator(".mud-charts-xaxis text").AllTextContentsAsync()).Select(t => t.Trim()));
        Assert.Equal(["Ticket breaches", "Incidents"], (await breaches.Locator(".mud-chart-legend-item").AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Equal(2 * months.Count, await breaches.Locator("path.mud-chart-bar").CountAsync());
        Assert.Equal(["unclassified"], (await causes.Locator(".mud-chart-legend-item").AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Equal("true", await compliance.Locator("[aria-hidden]").First.GetAttributeAsync("aria-hidden"));
        Assert.Equal(
            [$"{months[0]}\t0\t0\t0\t0\tnot closed\t0\t0", $"{months[1]}\t0\t0\t0\t0\tnot closed\t0\t0", $"{months[2]}\t1\t0\t1\t0\t0 %\t1\t0"],
            perMonth.Select(t => t.Trim()));

        // Money in one format: two decimals with grouping, then the currency; percentages as "10 %".
        Assert.Contains("Months met: 0 of 1 (0 %)", summary, StringComparison.Ordinal);
        Assert.Contains("Credits EUR: 100.00 EUR of 1,000.00 EUR recurring revenue (10 %), 1 account with credits, largest 100.00 EUR", summary, StringComparison.Ordinal);
        Assert.Contains("100.00 EUR", row, StringComparison.Ordinal);
        Assert.Contains("99.9 %", row, StringComparison.Ordinal);

        // In German the same amounts read with German separators, still followed by the currency.
        var context = await world.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = world.BaseAddress.ToString(), Locale = "de-DE", ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var german = await context.NewPageAsync();
        await BrowserWorld.SignInAsync(german, manager, ServerScenario.Password(manager));
        await ShowReportAsync(german, months[2], months[2], group, 1);
        await german.Locator(".report-credits", new() { HasTextString = "1.000,00 EUR" }).WaitForAsync();
        Assert.Contains("Credits EUR: 100,00 EUR of 1.000,00 EUR recurring revenue", await german.Locator("#report-summary").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task A_report_over_customers_that_do_not_exist_says_none_instead_of_claiming_figures()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var (page, manager) = await world.SignedInAsync(admin.Http, "manager");

        await ShowReportAsync(page, "2024-01", "2024-03", $"nobody-{Guid.NewGuid():N}"[..16], 3);
        await page.Locator("#report-customers .none-row").WaitForAsync();
        var summary = await page.Locator("#report-summary").InnerTextAsync();
        await BrowserWorld.ScreenshotAsync(page, "manager-reports-empty");

        Assert.Equal("No customers match.", (await page.Locator("#report-customers tbody").InnerTextAsync()).Trim());
        Assert.Equal("No incidents with a root cause in this range.", (await page.Locator("#report-root-causes tbody").InnerTextAsync()).Trim());
        Assert.Contains("Months met: no data (no closed month in this range)", summary, StringComparison.Ordinal);
        Assert.Contains("Credits: no customer in this range.", summary, StringComparison.Ordinal);
        Assert.Contains("no incidents in this range", summary, StringComparison.Ordinal);
        Assert.Contains("No closed month in this range", await page.Locator(".manager-compliance-chart").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("No ticket breach and no incident", await page.Locator(".manager-breaches-chart").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".manager-root-cause-chart").CountAsync());
        Assert.Equal(0, await page.Locator("path.mud-chart-bar").CountAsync());
        Assert.Equal(3, await page.Locator("#report-months tr.report-month", new() { HasTextString = "not closed" }).CountAsync());
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    /// <summary>
    /// Opens /reports, waits for the live page, and shows the report over the months and group; it has arrived when the
    /// per-month table has <paramref name="months"/> rows (the default report has twelve).
    /// </summary>
    private static async Task ShowReportAsync(IPage page, string from, string to, string group, int months)
    {
        await page.GotoAsync("/reports");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("#report-from").FillAsync(from);
        await page.Locator("#report-to").FillAsync(to);
        await page.Locator("#report-group").FillAsync(group);
        await page.Locator("#run-report").ClickAsync();
        await page.WaitForFunctionAsync($"() => document.querySelectorAll('#report-months tr.report-month').length === {months} && document.querySelector(\"#report-months tr.report-month[data-month='{to}']\") !== null");
    }
}
