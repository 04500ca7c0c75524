using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>Issue 20, dispute analysis in a real browser: the customer files claimed intervals and reads the comparison; a manager reads it on /credits.</summary>
public sealed class DisputeAnalysisPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task The_customer_files_claimed_intervals_and_reads_how_they_compare_with_our_checks_and_a_manager_reads_the_same()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        // Down 10:00–11:00 (Berlin) on the 10th of last month; measured up around it.
        var (customer, month) = await world.CustomerWithClosedOutageAsync(admin.Http);
        var down = month.OnDayOfMonth(10).At(new LocalTime(10, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/Berlin"]).ToInstant();
        var user = $"dora-{customer}";
        await ServerScenario.UserAsync(admin.Http, user, "customer", customerId: customer);
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, user, ServerScenario.Password(user));
        await page.Locator("#credit-notices[data-live=on]").WaitForAsync();

        await page.ClickAsync(".dispute-open");
        await page.Locator("#dispute-claimed").FillAsync("99.0");
        await page.Locator("#dispute-csv").FillAsync($"start,end\n{Iso(down)},{Iso(down + Duration.FromMinutes(45))}\n{Iso(down + Duration.FromDays(1))},{Iso(down + Duration.FromDays(1) + Duration.FromMinutes(45))}");
        await page.ClickAsync("#file-dispute");
        var analysis = page.Locator(".dispute-analysis");
        await analysis.Locator(".analysis-cause").WaitForAsync();
        var cause = await analysis.Locator(".analysis-cause").InnerTextAsync();
        var markings = await analysis.Locator("tr.analysis-segment").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.marking)");
        var intervals = await analysis.Locator(".analysis-interval").AllInnerTextsAsync();
        await BrowserWorld.ScreenshotAsync(page, "customer-dispute-analysis");

        var manager = $"m-{customer}";
        await ServerScenario.UserAsync(admin.Http, manager, "manager");
        var managerPage = await world.PageAsync();
        await BrowserWorld.SignInAsync(managerPage, manager, ServerScenario.Password(manager));
        await managerPage.GotoAsync("/credits");
        await managerPage.Locator("[data-live=on]").WaitForAsync();
        var row = managerPage.Locator($"tr.dispute-row[data-dispute='{customer}/dispute-{month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)}']");
        await row.Locator("summary").ClickAsync();
        var managerCause = await row.Locator(".analysis-cause").InnerTextAsync();

        Assert.StartsWith("Likely cause (several causes):", cause, StringComparison.Ordinal);
        Assert.Equal(["MeasuredDown", "ProbesSawUp"], markings);
        Assert.Contains("We measured the same outage", intervals[0], StringComparison.Ordinal);
        Assert.Contains("Our probe saw up throughout: likely a problem on the customer's side or their network path.", intervals[1], StringComparison.Ordinal);
        Assert.Equal(cause, managerCause);
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    private static string Iso(Instant at) => NodaTime.Text.InstantPattern.ExtendedIso.Format(at);
}
