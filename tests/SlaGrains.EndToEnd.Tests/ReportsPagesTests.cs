using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>Archived reports on the customer's status page and the managers' cross-customer reports, in a real browser.</summary>
public sealed class ReportsPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_customer_finds_last_months_archived_report_on_the_status_page_and_downloads_its_pdf()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, group: "EMEA");
        var month = await CloseLastMonthAsync(admin.Http, customer, downMinutes: 90);
        await ServerScenario.UserAsync(admin.Http, $"u-{customer}", "customer", customerId: customer);
        var page = await world.PageAsync();

        await BrowserWorld.SignInAsync(page, $"u-{customer}", ServerScenario.Password($"u-{customer}"));
        await page.WaitForURLAsync($"**/status/{customer}");
        var row = page.Locator("tr.archived-report", new() { HasTextString = month });
        await row.WaitForAsync();
        var href = await row.GetByText("PDF").GetAttributeAsync("href");
        var pdf = await page.Context.APIRequest.GetAsync(new Uri(new Uri(page.Url), href).ToString());

        Assert.Contains("missed", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(await pdf.BodyAsync())[..5], StringComparison.Ordinal);
        Assert.Contains("0 of 1 months met", await page.Locator("#renewal").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserWorld.ScreenshotAsync(page, "status-reports");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task A_manager_filters_the_cross_customer_report_by_group_and_sees_the_breaching_customer_and_its_credit()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var group = $"g{Guid.NewGuid():N}"[..10];
        var customer = await ServerScenario.CustomerAsync(admin.Http, group: group);
        var month = await CloseLastMonthAsync(admin.Http, customer, downMinutes: 120);
        await ServerScenario.UserAsync(admin.Http, $"m-{customer}", "manager");
        var page = await world.PageAsync();

        await BrowserWorld.SignInAsync(page, $"m-{customer}", ServerScenario.Password($"m-{customer}"));
        await page.GotoAsync("/reports");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("#report-from").FillAsync(month);
        await page.Locator("#report-to").FillAsync(month);
        await page.Locator("#report-group").FillAsync(group);
        await page.Locator("#run-report").ClickAsync();
        var row = page.Locator("#report-customers tbody tr");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#report-customers tbody tr').length === 1");

        var text = await row.InnerTextAsync();
        Assert.Contains($"Customer {customer}", text, StringComparison.Ordinal);
        Assert.Contains("0 / 1", text, StringComparison.Ordinal);
        Assert.Contains("100.00 EUR", text, StringComparison.Ordinal);
        Assert.Contains("Months met: 0 of 1", await page.Locator("#report-summary").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserWorld.ScreenshotAsync(page, "manager-reports");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task The_running_months_report_page_shows_a_provisional_banner_and_a_closed_months_does_not()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var closed = await CloseLastMonthAsync(admin.Http, customer, downMinutes: 30);
        await ServerScenario.UserAsync(admin.Http, $"p-{customer}", "customer", customerId: customer);
        var running = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/Berlin"]).Date.ToYearMonth().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var page = await world.PageAsync();

        await BrowserWorld.SignInAsync(page, $"p-{customer}", ServerScenario.Password($"p-{customer}"));
        await page.WaitForURLAsync($"**/status/{customer}");
        await page.Locator(".running-report").GetByText("provisional report").ClickAsync();
        await page.WaitForURLAsync($"**/status/{customer}/reports/{running}");
        var banner = page.Locator("#provisional-banner");
        await banner.WaitForAsync();
        var bannerText = await banner.InnerTextAsync();
        var runningStatus = await page.Locator("#report-status").InnerTextAsync();
        var rawLink = await page.Locator("#report-raw-download").GetAttributeAsync("href");
        await ThemedBrowser.AtRestAsync(page);
        var violations = await ThemedBrowser.SeriousViolationsAsync(page, "provisional report");
        await BrowserWorld.ScreenshotAsync(page, "report-provisional");

        await page.GotoAsync($"/status/{customer}/reports/{closed}");
        await page.Locator("#report[data-provisional=false]").WaitForAsync();
        var closedBanners = await page.Locator("#provisional-banner").CountAsync();
        var closedStatus = await page.Locator("#report-status").InnerTextAsync();

        Assert.Contains("Provisional report", bannerText, StringComparison.Ordinal);
        Assert.Contains(running, bannerText, StringComparison.Ordinal);
        Assert.StartsWith("Provisional", runningStatus, StringComparison.Ordinal);
        Assert.Contains("asOf=", rawLink, StringComparison.Ordinal);
        Assert.Empty(violations);
        Assert.Equal(0, closedBanners);
        Assert.Equal("Final report.", closedStatus);
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    /// <summary>A critical monitor down <paramref name="downMinutes"/> last month (Berlin), and the month closed; returns its name.</summary>
    private async Task<string> CloseLastMonthAsync(HttpClient admin, string customer, int downMinutes)
    {
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(admin, customer, downMinutes);
        var closed = await world.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        Assert.True(closed.Accepted, closed.Rejection?.Message);
        return month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    }
}
