using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>The credit notice and a dispute on the customer's status page, in a real browser.</summary>
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
}
