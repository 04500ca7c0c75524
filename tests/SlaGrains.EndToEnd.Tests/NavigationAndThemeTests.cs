using System.Collections.Concurrent;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>The sign-in page, the app bar and its drawer on a phone and a desk, and the theme (system preference and toggle), in Chromium.</summary>
public sealed class NavigationAndThemeTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    private readonly ConcurrentQueue<string> _errors = new();

    [SkippableTheory]
    [InlineData("manager")]
    [InlineData("admin")]
    public async Task On_a_phone_the_menu_reaches_every_page_of_the_role_marks_the_current_one_and_signs_out(string role)
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var user = $"nav-{role}-{Guid.NewGuid():N}"[..16];
        await ServerScenario.UserAsync(admin.Http, user, role);
        var page = await ThemedBrowser.PageAsync(world, ColorScheme.Light, 390, 844, _errors);
        await BrowserWorld.SignInAsync(page, user, ServerScenario.Password(user));
        await ThemedBrowser.SettledAsync(page);

        // The bar fits the screen: the wide links are hidden, the menu button, the name and the theme toggle show.
        Assert.False(await page.Locator(".sla-nav-wide").First.IsVisibleAsync());
        Assert.True(await page.Locator("#nav-menu").IsVisibleAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        var overflowing = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('header *')]
              .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
              .filter(e => { const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 0.5 || r.left < -0.5; })
              .map(e => e.outerHTML.slice(0, 80))
            """);
        Assert.True(overflowing.Length == 0, "outside the screen: " + string.Join(", ", overflowing));
        await BrowserWorld.ScreenshotAsync(page, $"phone-{role}-bar");

        // The drawer closes on each navigation and is opened again: the page just reached is the one marked current.
        var reached = new List<string>();
        await page.ClickAsync("#nav-menu");
        await page.Locator("#nav-drawer a[data-nav]").First.WaitForAsync();
        await ThemedBrowser.AtRestAsync(page);
        Assert.Contains(user, await page.Locator("#nav-drawer").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserWorld.ScreenshotAsync(page, $"phone-{role}-menu");
        foreach (var (key, path) in new[] { ("tickets", "/board"), ("escalations", "/inbox"), ("reports", "/reports"), ("admin", "/admin"), ("credits", "/credits"), ("settings", "/settings") })
        {
            await page.Locator($"#nav-drawer a[data-nav={key}]").ClickAsync();
            await page.WaitForURLAsync($"**{path}");
            await page.Locator("#nav-drawer a").First.WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await page.Locator("[data-live=on]").WaitForAsync();
            await page.ClickAsync("#nav-menu");
            Assert.Equal("page", await page.Locator($"#nav-drawer a[data-nav={key}]").GetAttributeAsync("aria-current"));
            Assert.Equal(1, await page.Locator("#nav-drawer a[aria-current=page]").CountAsync());
            reached.Add(new Uri(page.Url).AbsolutePath);
        }

        await page.Locator("#nav-drawer .sla-signout").ClickAsync();
        await page.WaitForURLAsync("**/signin");

        Assert.Equal(new[] { "/board", "/inbox", "/reports", "/admin", "/credits", "/settings" }, reached);
        Assert.True(_errors.IsEmpty, string.Join("\n", _errors));
    }

    [SkippableFact]
    public async Task At_desk_width_the_bar_shows_the_links_marks_the_current_page_and_needs_no_menu()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var user = $"nav-desk-{Guid.NewGuid():N}"[..16];
        await ServerScenario.UserAsync(admin.Http, user, "manager");
        var page = await ThemedBrowser.PageAsync(world, ColorScheme.Light, 960, 800, _errors);
        await BrowserWorld.SignInAsync(page, user, ServerScenario.Password(user));
        await ThemedBrowser.SettledAsync(page);

        await page.ClickAsync("header a[data-nav=credits]");
        await page.WaitForURLAsync("**/credits");
        await page.Locator("header a[data-nav=credits][aria-current=page]").WaitForAsync();
        var labels = await page.Locator("header nav.sla-nav-wide a").AllInnerTextsAsync();

        Assert.False(await page.Locator("#nav-menu").IsVisibleAsync());
        Assert.Equal(new[] { "TICKETS", "ESCALATIONS", "REPORTS", "ADMIN", "CREDITS" }, labels.Select(l => l.Trim().ToUpperInvariant()));
        Assert.Equal(1, await page.Locator("header a[aria-current=page]").CountAsync());
        Assert.True(await page.Locator("header .sla-signout").IsVisibleAsync());
        Assert.True(await page.Locator("header a.sla-user-link[href='/settings']").IsVisibleAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 960 px");
        await BrowserWorld.ScreenshotAsync(page, "desk-960-manager-bar");
    }

    [SkippableTheory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task The_sign_in_page_has_bordered_fields_a_filled_button_and_the_error_in_an_alert(string scheme)
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        var page = await ThemedBrowser.PageAsync(world, scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light, 390, 844, _errors);
        await page.GotoAsync("/signin");

        var password = await Styles(page, "#password");
        var card = await Styles(page, ".signin-card");
        var button = await Styles(page, "button[type=submit]");
        var background = await Styles(page, ".signin-page");
        Assert.True(double.Parse(password["borderTopWidth"].Replace("px", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) > 0, "no border");
        Assert.NotEqual(password["backgroundColor"], password["borderTopColor"]);
        Assert.NotEqual(card["backgroundColor"], password["borderTopColor"]);
        Assert.NotEqual("rgba(0, 0, 0, 0)", button["backgroundColor"]);
        Assert.NotEqual(card["backgroundColor"], button["backgroundColor"]);
        Assert.Equal(scheme == "dark", Luminance(background["backgroundColor"]) < 0.2);
        Assert.Equal("SlaGrains", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal("User name", await page.Locator("label[for=userName]").InnerTextAsync());
        Assert.Equal("Password", await page.Locator("label[for=password]").InnerTextAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the sign-in page scrolls sideways");
        await BrowserWorld.ScreenshotAsync(page, $"signin-390-{scheme}");

        // Keyboard only: the name has the focus, Tab to the password, Tab to the button, Enter submits.
        Assert.Equal("userName", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("nobody-here");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("password", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("wrong-password");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("submit", await page.EvaluateAsync<string>("document.activeElement.type"));
        await page.Locator("#password").PressAsync("Enter");
        var alert = page.Locator(".signin-card [role=alert]");
        await alert.WaitForAsync();

        Assert.Equal("Unknown user name or wrong password.", (await alert.InnerTextAsync()).Trim());
        await BrowserWorld.ScreenshotAsync(page, $"signin-error-390-{scheme}");
        Assert.True(_errors.IsEmpty, string.Join("\n", _errors));
    }

    [SkippableFact]
    public async Task The_theme_follows_the_system_until_the_toggle_picks_one_which_is_remembered_from_the_first_paint()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var user = $"theme-{Guid.NewGuid():N}"[..14];
        await ServerScenario.UserAsync(admin.Http, user, "manager");
        var page = await ThemedBrowser.PageAsync(world, ColorScheme.Dark, 1280, 800, _errors);
        await BrowserWorld.SignInAsync(page, user, ServerScenario.Password(user));
        await ThemedBrowser.SettledAsync(page);
        var followsDarkSystem = await ThemedBrowser.ShownThemeAsync(page);
        var darkBackground = Luminance(await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));

        // The system turns light while the page is open: the page follows.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.Locator(".sla-shell[data-theme=light]").WaitForAsync();

        // The person picks dark: remembered, and the server paints the next page dark before the circuit starts.
        await page.ClickAsync("#theme-toggle");
        await page.Locator(".sla-shell[data-theme=dark]").WaitForAsync();
        Assert.Equal("dark", await Cookie(page, "sla-theme"));
        var response = await page.GotoAsync("/reports");
        var firstPaint = await response!.TextAsync();
        await ThemedBrowser.SettledAsync(page);
        var afterReload = await ThemedBrowser.ShownThemeAsync(page);
        // Each system change is awaited until the page has handled it (it records the system's setting in a cookie
        // in the same step that applies the theme), so the theme read is the one decided after the change.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.WaitForFunctionAsync("() => document.cookie.includes('sla-system-theme=dark')");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.WaitForFunctionAsync("() => document.cookie.includes('sla-system-theme=light')");
        var choiceOutlivesSystemChange = await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme");
        await page.Locator(".sla-shell[data-theme=dark]").WaitForAsync();

        // Picking what the system asks for (light) forgets the choice: the page follows the system again.
        await page.ClickAsync("#theme-toggle");
        await page.Locator(".sla-shell[data-theme=light]").WaitForAsync();
        var forgotten = await Cookie(page, "sla-theme");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.Locator(".sla-shell[data-theme=dark]").WaitForAsync();

        Assert.Equal("dark", followsDarkSystem);
        Assert.True(darkBackground < 0.05, $"the dark theme's background has luminance {darkBackground}");
        Assert.Contains("data-theme=\"dark\"", firstPaint, StringComparison.Ordinal);
        Assert.Contains("class=\"sla-shell\" data-theme=\"dark\"", firstPaint, StringComparison.Ordinal);
        Assert.Equal("dark", afterReload);
        Assert.Equal("dark", choiceOutlivesSystemChange);
        Assert.Null(forgotten);
        Assert.Equal("dark", await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme"));
        Assert.True(_errors.IsEmpty, string.Join("\n", _errors));
    }

    [SkippableFact]
    public async Task The_drawer_has_its_own_theme_toggle_on_a_phone()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var user = $"drawer-{Guid.NewGuid():N}"[..14];
        await ServerScenario.UserAsync(admin.Http, user, "technician", team: "drawer");
        var page = await ThemedBrowser.PageAsync(world, ColorScheme.Light, 390, 844, _errors);
        await BrowserWorld.SignInAsync(page, user, ServerScenario.Password(user));
        await ThemedBrowser.SettledAsync(page);

        await page.ClickAsync("#nav-menu");
        await page.ClickAsync("#drawer-theme-toggle");
        await page.Locator(".sla-shell[data-theme=dark]").WaitForAsync();
        await ThemedBrowser.AtRestAsync(page);
        await BrowserWorld.ScreenshotAsync(page, "phone-technician-menu-dark");
        var items = await page.Locator("#nav-drawer a[data-nav]").EvaluateAllAsync<string[]>("links => links.map(a => a.dataset.nav)");

        Assert.Equal("dark", await Cookie(page, "sla-theme"));
        Assert.Equal(new[] { "tickets", "escalations", "settings" }, items);
    }

    private static async Task<Dictionary<string, string>> Styles(IPage page, string selector)
        => await page.Locator(selector).EvaluateAsync<Dictionary<string, string>>("""
            e => { const s = getComputedStyle(e); return { borderTopWidth: s.borderTopWidth, borderTopColor: s.borderTopColor, backgroundColor: s.backgroundColor, color: s.color }; }
            """);

    private static async Task<string?> Cookie(IPage page, string name)
        => (await page.Context.CookiesAsync()).FirstOrDefault(c => c.Name == name && c.Value.Length > 0)?.Value;

    /// <summary>The relative luminance (0 black … 1 white) of a computed <c>rgb(…)</c> or <c>rgba(…)</c> colour.</summary>
    private static double Luminance(string cssColour)
    {
        var parts = cssColour[(cssColour.IndexOf('(', StringComparison.Ordinal) + 1)..cssColour.IndexOf(')', StringComparison.Ordinal)]
            .Split(',').Select(p => double.Parse(p.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        static double Channel(double c)
        {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(parts[0])) + (0.7152 * Channel(parts[1])) + (0.0722 * Channel(parts[2]));
    }
}
