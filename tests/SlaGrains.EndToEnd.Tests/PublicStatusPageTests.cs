using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;
using Xunit.Abstractions;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>
/// The public status page in Chromium: an anonymous visitor's view (no circuit, no script) in the light and the dark
/// system theme at 1280 and 390 px with axe-core, a badge drawn by the browser, and the way from the public page to the
/// full SLA page for the customer's own users.
/// </summary>
public sealed class PublicStatusPageTests(BrowserWorld world, ITestOutputHelper output) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task An_anonymous_visitor_sees_components_bars_an_incident_and_maintenance_without_wcag_violations_in_both_themes_and_at_390_px()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var (customer, slug) = await PublicCustomerAsync(admin.Http);
        var errors = new ConcurrentQueue<string>();
        var found = new List<string>();

        foreach (var (theme, scheme, background) in new[] { ("light", ColorScheme.Light, "rgb(243, 243, 247)"), ("dark", ColorScheme.Dark, "rgb(31, 31, 38)") })
        {
            var page = await ThemedBrowser.PageAsync(world, scheme, 1280, 800, errors);
            var requested = new ConcurrentQueue<string>();
            page.Request += (_, request) => requested.Enqueue(request.Url);
            await page.GotoAsync($"/status-pages/{slug}");

            Assert.Equal($"Customer {customer}", (await page.Locator("h1").TextContentAsync())?.Trim());
            Assert.Equal(1, await page.Locator(".pub-component").CountAsync());
            Assert.Equal(90, await page.Locator(".pub-component .pub-bars rect").CountAsync());
            Assert.Contains("API outage", await page.Locator("[data-incident]").First.TextContentAsync(), StringComparison.Ordinal);
            Assert.Contains("Network switch replacement", await page.Locator("#maintenance").TextContentAsync(), StringComparison.Ordinal);
            Assert.Contains("against a commitment of 99.9 %", await page.Locator("#availability-month").TextContentAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#full-page-link").CountAsync());

            // Static: no Blazor script, no circuit; the badges at the foot are drawn.
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.pub-badges img')].every(i => i.complete && i.naturalWidth > 0)");
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.Blazor === 'undefined'"));
            Assert.DoesNotContain(requested, url => url.Contains("_blazor", StringComparison.Ordinal) || url.Contains("blazor.web.js", StringComparison.Ordinal));
            Assert.Equal(background, await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));

            await ThemedBrowser.AtRestAsync(page);
            await BrowserWorld.ScreenshotAsync(page, $"public-status-page-{theme}");
            found.AddRange(await ThemedBrowser.SeriousViolationsAsync(page, $"{theme} public page"));

            await page.SetViewportSizeAsync(390, 844);
            await ThemedBrowser.AtRestAsync(page);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "The page scrolls sideways at 390 px.");
            await BrowserWorld.ScreenshotAsync(page, $"public-status-page-{theme}-390");
            found.AddRange(await ThemedBrowser.SeriousViolationsAsync(page, $"{theme} public page at 390 px"));
            await page.Context.CloseAsync();
        }

        foreach (var line in found)
        {
            output.WriteLine(line);
        }

        Assert.True(found.Count == 0, $"{found.Count} serious or critical violations:\n" + string.Join("\n", found));
        Assert.True(errors.IsEmpty, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task A_status_badge_renders_in_chromium_with_its_label_and_value_inside_their_boxes()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var (_, slug) = await PublicCustomerAsync(admin.Http);
        var page = await world.PageAsync();

        foreach (var badge in new[] { "status", "uptime-30d", "uptime-90d" })
        {
            await page.GotoAsync($"/status-pages/{slug}/badge/{badge}.svg");

            var texts = await page.Locator("svg text").AllTextContentsAsync();
            Assert.Equal(2, texts.Count);
            Assert.Equal(badge == "status" ? "status" : $"uptime {badge[7..]}", texts[0]);
            Assert.Matches(badge == "status" ? "^(operational|degraded|outage|maintenance|unknown)$" : @"^(\d{1,3}\.\d{2}%|no data)$", texts[1]);
            Assert.Equal($"{texts[0]}: {texts[1]}", await page.Locator("svg").GetAttributeAsync("aria-label"));

            // Each text, as Chromium lays it out in its font, fits inside its coloured box: the server's width estimate holds.
            var fits = await page.EvaluateAsync<bool[]>("""
                () => {
                    const rects = [...document.querySelectorAll('g rect')];
                    return [...document.querySelectorAll('text')].map((t, i) => t.getComputedTextLength() + 4 <= rects[i].width.baseVal.value);
                }
                """);
            Assert.Equal(new[] { true, true }, fits);
            // The badge alone (a full-page screenshot of an SVG document never settles in Chromium).
            await page.Locator("svg").ScreenshotAsync(new() { Path = Path.Combine(BrowserWorld.ScreenshotFolder, $"public-badge-{badge}.png") });
        }

        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_signed_in_user_of_the_customer_follows_the_public_page_to_the_full_sla_page()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var (customer, slug) = await PublicCustomerAsync(admin.Http, showAvailability: false);
        var user = $"pub-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, user, "customer", customer);
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, user, ServerScenario.Password(user));

        await page.GotoAsync($"/status-pages/{slug}");
        await page.Locator("#full-page-link a").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith($"/status/{customer}", StringComparison.Ordinal));
        await page.Locator("#availability").WaitForAsync();

        await page.GotoAsync($"/status-pages/{slug}");
        Assert.Contains("Shown because you are signed in", await page.Locator("#availability-month").TextContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task An_admin_turns_the_page_on_from_the_admin_page_and_sees_its_public_address()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var slug = $"adm-{Guid.NewGuid():N}"[..16];
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "admin", SlaGrainsServerFixture.AdminPassword);
        await page.GotoAsync("/admin");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        await page.Locator("#save-status-page").WaitForAsync();

        await page.Locator("#status-page-slug").FillAsync(slug);
        await page.GetByLabel("On: anyone with the link sees it").CheckAsync();
        await page.ClickAsync("#save-status-page");
        var address = page.Locator("#status-page-url");
        await address.WaitForAsync();

        Assert.EndsWith($"/status-pages/{slug}", (await address.TextContentAsync())?.Trim(), StringComparison.Ordinal);
        var setting = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/status-page"))).JsonAsync();
        Assert.True(setting.GetProperty("enabled").GetBoolean());
        Assert.Equal(slug, setting.GetProperty("slug").GetString());
        await page.GotoAsync((await address.GetAttributeAsync("href"))!);
        Assert.Equal($"Customer {customer}", (await page.Locator("h1").TextContentAsync())?.Trim());
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
        await page.Context.CloseAsync();
    }

    /// <summary>A customer with an hour down last month, a maintenance window in two days and its public page on.</summary>
    private static async Task<(string Customer, string Slug)> PublicCustomerAsync(HttpClient admin, bool showAvailability = true)
    {
        var customer = await ServerScenario.CustomerAsync(admin);
        var (monitor, _, _) = await ServerScenario.OutageLastMonthAsync(admin, customer, downMinutes: 60, day: 10);
        var now = SystemClock.Instance.GetCurrentInstant();
        var start = Instant.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60) + Duration.FromDays(2);
        await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance",
            new { start, end = start + Duration.FromHours(1), description = "Network switch replacement in the data centre." }, SlaGrainsServerFixture.Json));
        var slug = $"pub-{Guid.NewGuid():N}"[..16];
        await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug, enabled = true, showAvailability }));
        return (customer, slug);
    }
}
