using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Server.Tests;
using SlaGrains.Testing;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>
/// Issue 18 item 2 in Chromium: a probing monitor's p50/p95/p99 response-time lines on its admin view (24 hours per
/// hour and 30 days per day), on the customer's signed-in status page and on the public page (static, no script).
/// </summary>
public sealed class ResponseTimeChartsTests(BrowserWorld world) : IClassFixture<BrowserWorld>, IAsyncLifetime
{
    private ProbeTarget _target = null!;

    public async Task InitializeAsync() => _target = await ProbeTarget.StartAsync();

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [SkippableFact]
    public async Task A_probing_monitor_shows_p50_p95_and_p99_lines_on_its_admin_view_the_status_page_and_the_public_page()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Etc/UTC");
        var http = $"rt-web-{customer}";
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
        var push = $"rt-push-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = push, customerId = customer, name = "Batch jobs", critical = false }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{push}/checks", new { up = true }));
        var probe = world.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>(ProbeKeys.Of(http, "default"));
        for (var i = 0; i < 3; i++)
        {
            await probe.ProbeNow();
        }

        var slug = $"rt-{Guid.NewGuid():N}"[..16];
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug, enabled = true, showAvailability = true }));

        // The admin view: the monitor's row opens its response times, hourly and daily, each with the three lines.
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "admin", SlaGrainsServerFixture.AdminPassword);
        await page.GotoAsync("/admin");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        await page.Locator($".monitor-row[data-monitor='{http}'] .show-response-times").ClickAsync();
        var details = page.Locator($".monitor-response-times[data-monitor='{http}']");
        foreach (var granularity in new[] { "hour", "day" })
        {
            var chart = details.Locator($".rt-history[data-granularity='{granularity}']");
            await chart.Locator("svg.rt-history-chart").WaitForAsync();
            Assert.True(int.Parse(await chart.GetAttributeAsync("data-buckets") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 1);
            foreach (var series in new[] { "p50", "p95", "p99" })
            {
                Assert.True(await chart.Locator($".rt-{series}").CountAsync() >= 1, $"{granularity}: no {series} line");
            }

            Assert.Contains(" ms", await chart.Locator(".rt-axis-max").InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(await chart.Locator(".rt-row").CountAsync() >= 1);
        }

        await BrowserWorld.ScreenshotAsync(page, "admin-monitor-response-times");

        // The customer's status page: the HTTP monitor's chart gains its hourly lines; the push monitor has none.
        await ServerScenario.UserAsync(admin.Http, $"rt-{customer}", "customer", customerId: customer);
        var status = await world.PageAsync();
        await BrowserWorld.SignInAsync(status, $"rt-{customer}", ServerScenario.Password($"rt-{customer}"));
        var hourly = status.Locator($".response-times[data-monitor='{http}'] .rt-history[data-granularity='hour']");
        // Attached, not "visible": a lone hour is a flat dash, whose box has no height for Playwright's visibility test.
        // Each line is waited for: a live update may re-render the chart between two reads.
        foreach (var series in new[] { "p50", "p95", "p99" })
        {
            await hourly.Locator($".rt-{series}").First.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });
        }

        Assert.Equal(0, await status.Locator($".response-times[data-monitor='{push}']").CountAsync());
        await BrowserWorld.ScreenshotAsync(status, "customer-status-response-times");

        // The public page, static: one component with the lines, one (push) without; no Blazor script.
        var visitor = await world.PageAsync();
        await visitor.GotoAsync($"/status-pages/{slug}");
        var components = visitor.Locator(".pub-component");
        Assert.Equal(2, await components.CountAsync());
        var shop = components.Filter(new() { HasTextString = "Web shop" });
        Assert.Equal(1, await shop.Locator(".rt-history").CountAsync());
        Assert.True(await shop.Locator(".rt-history .rt-p50").CountAsync() >= 1);
        Assert.True(await shop.Locator(".rt-history .rt-p99").CountAsync() >= 1);
        Assert.Contains("Response times, last 24 hours", await shop.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await components.Filter(new() { HasTextString = "Batch jobs" }).Locator(".rt-history").CountAsync());
        Assert.True(await visitor.EvaluateAsync<bool>("() => typeof window.Blazor === 'undefined'"));
        await BrowserWorld.ScreenshotAsync(visitor, "public-status-response-times");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }
}
