using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Server.Tests;
using SlaGrains.Testing;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>
/// Issue 16 items 5 and 7 on the customer status page in a real browser: the 12-month chart with axes and the target
/// line, 90 day bars per component, response times, and no figure without data ("No monitors yet", "none" rows).
/// </summary>
public sealed class StatusPageChartsTests(BrowserWorld world) : IClassFixture<BrowserWorld>, IAsyncLifetime
{
    private ProbeTarget _target = null!;

    public async Task InitializeAsync() => _target = await ProbeTarget.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [SkippableFact]
    public async Task The_status_page_charts_twelve_months_against_the_target_ninety_days_per_component_and_an_http_monitors_response_times()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Etc/UTC");
        var now = SystemClock.Instance.GetCurrentInstant();
        var thisMonth = now.InUtc().Date.ToYearMonth();
        // A push monitor measured as far back as the API takes results (89 days; all of last month) with a 90-minute outage
        // last month, and an HTTP monitor probing a local target.
        var push = $"api-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, push, customer, "API");
        var outage = thisMonth.PlusMonths(-1).OnDayOfMonth(5).At(new LocalTime(10, 0)).InUtc().ToInstant();
        var from = Instant.Max(thisMonth.PlusMonths(-2).OnDayOfMonth(1).AtMidnight().InUtc().ToInstant(), now - Duration.FromDays(89));
        await ServerScenario.MeasuredChecksAsync(admin.Http, push, from, [new Interval(outage, outage + Duration.FromMinutes(90))]);
        var http = $"web-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new
        {
            id = http,
            customerId = customer,
            name = "Web shop",
            critical = false,
            consecutiveFailures = 3,
            kind = "http",
            http = new { url = _target.Url, intervalSeconds = 3600, timeoutSeconds = 5 },
        }));
        var grains = world.Services.GetRequiredService<IGrainFactory>();
        var probe = grains.GetGrain<IProbeGrain>(ProbeKeys.Of(http, "default"));
        for (var i = 0; i < 3; i++)
        {
            await probe.ProbeNow();
        }

        // The eleven months before this one closed, oldest first: the early ones without data are "insufficient data".
        for (var m = -11; m <= -1; m++)
        {
            var closed = await grains.GetGrain<ICustomerGrain>(customer).CloseMonth(thisMonth.PlusMonths(m));
            Assert.True(closed.Accepted, closed.Rejection?.Message);
        }

        await ServerScenario.UserAsync(admin.Http, "sia", "customer", customerId: customer);
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "sia", ServerScenario.Password("sia"));
        await page.Locator("#availability").WaitForAsync();

        // Twelve months: a month label on the x-axis for each, percent labels on the y-axis, the target as a legend entry.
        var chart = page.Locator("#monthly-chart");
        // The chart fits its box (MatchBoundsToSize): the axes come once the browser has measured it.
        await chart.Locator("g.mud-charts-xaxis text").Nth(11).WaitForAsync();
        Assert.Equal("12", await chart.GetAttributeAsync("data-months"));
        // SVG text has no innerText: its text content is what is drawn.
        var texts = (await chart.Locator("svg text").EvaluateAllAsync<string[]>("els => els.map(e => e.textContent.trim())")).ToList();
        var months = Enumerable.Range(-11, 12).Select(m => thisMonth.PlusMonths(m).ToString("MMM", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(months.Distinct(), m => Assert.Contains(m, texts));
        Assert.Contains(texts, t => t.EndsWith(" %", StringComparison.Ordinal));
        // Two lines: the months' availability and the flat SLA target.
        Assert.Equal(2, await chart.Locator("path.mud-chart-line").CountAsync());
        Assert.Contains("SLA target 99.9 %", await chart.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(12, await page.Locator("#months-table .month-row").CountAsync());
        Assert.Equal("not_met", await page.Locator($"#months-table .month-row[data-month='{thisMonth.PlusMonths(-1):yyyy-MM}']").GetAttributeAsync("data-verdict"));

        // 90 day bars for each component, today last; the push monitor's outage day is red or orange.
        foreach (var monitor in new[] { push, http })
        {
            var bars = page.Locator($".uptime-component[data-monitor='{monitor}'] rect");
            await bars.Nth(89).WaitForAsync();
            Assert.Equal(90, await bars.CountAsync());
            Assert.Equal(now.InUtc().Date.ToString("uuuu-MM-dd", null), await bars.Nth(89).GetAttributeAsync("data-day"));
        }

        // The HTTP monitor's probes (one when the prober starts, three more asked for) as a line with millisecond labels;
        // the push monitor measures no response time and has no chart.
        var times = page.Locator($".response-times[data-monitor='{http}']");
        await times.Locator("g.mud-charts-yaxis text").First.WaitForAsync();
        Assert.True(int.Parse(await times.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 3);
        Assert.Contains(await times.Locator("svg text").EvaluateAllAsync<string[]>("els => els.map(e => e.textContent.trim())"), t => t.EndsWith(" ms", StringComparison.Ordinal));
        Assert.Single(await times.Locator("path.mud-chart-line").AllAsync());
        Assert.Contains("median", await times.Locator(".response-times-summary").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator($".response-times[data-monitor='{push}']").CountAsync());
        await BrowserWorld.ScreenshotAsync(page, "customer-status-charts");

        var phone = await world.PageAsync(width: 390, height: 844);
        await BrowserWorld.SignInAsync(phone, "sia", ServerScenario.Password("sia"));
        await phone.Locator("#monthly-chart g.mud-charts-xaxis text").Nth(11).WaitForAsync();
        await phone.Locator($".response-times[data-monitor='{http}'] g.mud-charts-yaxis text").First.WaitForAsync();
        var overflow = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than the phone");
        await BrowserWorld.ScreenshotAsync(phone, "customer-status-charts-phone");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task A_customer_without_monitors_sees_no_monitors_yet_no_availability_figure_and_none_rows()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.UserAsync(admin.Http, "noa", "customer", customerId: customer);
        var page = await world.PageAsync();

        await BrowserWorld.SignInAsync(page, "noa", ServerScenario.Password("noa"));
        await page.Locator("#no-monitors").WaitForAsync();

        Assert.Equal("No monitors yet", (await page.Locator("#current-status").InnerTextAsync()).Trim());
        Assert.Equal(0, await page.Locator("#availability").CountAsync());
        Assert.Equal(0, await page.Locator("#budget-remaining").CountAsync());
        var body = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("All systems operational", body, StringComparison.Ordinal);
        Assert.DoesNotContain("100.0000 %", body, StringComparison.Ordinal);

        // The page's sections fill in as their queries answer, after the status line: wait for each one's empty row.
        foreach (var empty in new[] { "No incidents in the last 30 days", "No scheduled maintenance", "No components", "No response times yet" })
        {
            await page.Locator(".none-row", new() { HasTextString = empty }).First.WaitForAsync();
        }

        await BrowserWorld.ScreenshotAsync(page, "customer-status-no-monitors");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }
}
