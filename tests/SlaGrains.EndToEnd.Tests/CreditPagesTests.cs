using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>The credit notice and a dispute on the customer's status page, and the managers' credit trend on /credits, in a real browser.</summary>
public sealed class CreditPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_customer_sees_the_credit_notice_appear_on_an_open_status_page_and_files_a_dispute_from_it()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Europe/Berlin");

        // An hour down on the 10th of last month in Berlin: 99.86 % against 99.9 %, a 10 % credit of 1,000 EUR.
        var (_, lastMonth, _) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 60, day: 10);
        await ServerScenario.UserAsync(admin.Http, "cleo", "customer", customerId: customer);
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "cleo", ServerScenario.Password("cleo"));
        await page.Locator("#availability").WaitForAsync();

        await world.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer).CloseMonth(lastMonth);
        var notice = page.Locator(".credit-notice");
        await notice.WaitForAsync();
        await page.Locator("#credit-notices[data-live=on]").WaitForAsync();
        var text = await notice.InnerTextAsync();
        await page.ClickAsync(".dispute-open");
        await page.Locator("#dispute-claimed").FillAsync("98.9");
        await page.Locator("#dispute-evidence").FillAsync("Our synthetic checks saw the API down from 10:00 to 13:00.");
        await page.ClickAsync("#file-dispute");
        await page.Locator(".dispute-row .dispute-status", new() { HasTextString = "filed" }).WaitForAsync();
        await BrowserWorld.ScreenshotAsync(page, "customer-credit-notice-and-dispute");

        Assert.Contains("100.00 EUR", text, StringComparison.Ordinal);
        Assert.Contains("10 % of the monthly fee", text, StringComparison.Ordinal);
        var disputes = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/disputes"))).JsonAsync();
        var dispute = Assert.Single(disputes.EnumerateArray());
        Assert.Equal(98.9m, dispute.GetProperty("claimedPercent").GetDecimal());
        Assert.Equal("cleo", dispute.GetProperty("filedBy").GetString());
        Assert.Contains("10:00 to 13:00", dispute.GetProperty("customerEvidence").GetString(), StringComparison.Ordinal);
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }
    [SkippableFact]
    public async Task The_credit_trend_charts_the_months_of_its_table_and_writes_every_amount_with_its_currency()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        // An hour down last month (Berlin): a 10 % credit of the 1,000 EUR fee, so last month's EUR credits are at least 100.00 EUR.
        var (customer, month) = await world.CustomerWithClosedOutageAsync(admin.Http);
        var manager = $"m-{customer}";
        await ServerScenario.UserAsync(admin.Http, manager, "manager");
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, manager, ServerScenario.Password(manager));
        await page.GotoAsync("/credits");
        await page.Locator("[data-live=on]").WaitForAsync();

        var eur = page.Locator(".credit-trend[data-currency=EUR]");
        var lastMonth = eur.Locator($"tr.credit-month[data-month='{month.ToString("yyyy-MM", CultureInfo.InvariantCulture)}']");
        await lastMonth.WaitForAsync();
        var chart = eur.Locator(".credit-trend-chart");
        await chart.Locator("path.mud-chart-bar").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var monthsInTable = (await eur.Locator("tr.credit-month").AllInnerTextsAsync()).Select(t => t.Split('\t')[0].Trim()).ToList();
        var amounts = await eur.Locator("tr.credit-month td:nth-child(2)").AllInnerTextsAsync();
        var issued = (await lastMonth.Locator("td:nth-child(2)").InnerTextAsync()).Trim();
        await BrowserWorld.ScreenshotAsync(page, "manager-credit-trend");

        // One bar per month of the table, the same months in time order, and the legend names the currency.
        Assert.Equal(monthsInTable.Count, await chart.Locator("path.mud-chart-bar").CountAsync());
        Assert.Equal(Enumerable.Reverse(monthsInTable), (await chart.Locator(".mud-charts-xaxis text").AllTextContentsAsync()).Select(t => t.Trim()));
        Assert.Equal(["Credits issued (EUR)"], (await chart.Locator(".mud-chart-legend-item").AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.All(amounts, a => Assert.Matches(new Regex(@"^\d{1,3}(,\d{3})*\.\d{2} EUR$"), a.Trim()));
        Assert.True(decimal.Parse(issued[..^4], NumberStyles.Number, CultureInfo.InvariantCulture) >= 100m, issued);
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }
}
