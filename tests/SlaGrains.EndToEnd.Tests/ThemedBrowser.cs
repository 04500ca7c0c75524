using System.Collections.Concurrent;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>
/// Browser contexts with a system colour scheme and a viewport, the wait for a page whose theme is settled, and axe-core.
/// </summary>
/// <remarks>
/// axe-core comes from <c>Deque.AxeCore.Playwright</c> (NuGet), which ships the axe-core script inside the package and
/// evaluates it through Playwright (the DevTools protocol, which the page's Content-Security-Policy does not govern):
/// the test project restores it like any other package, with no npm step in the build or in CI.
/// </remarks>
internal static class ThemedBrowser
{
    /// <summary>The WCAG 2.1 A and AA rules, the level the issue asks for.</summary>
    public static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>A page in its own context whose system prefers <paramref name="scheme"/>, recording console errors in <paramref name="errors"/>.</summary>
    public static async Task<IPage> PageAsync(BrowserWorld world, ColorScheme scheme, int width, int height, ConcurrentQueue<string> errors)
    {
        var context = await world.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = world.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Enqueue($"{page.Url}: {message.Text} {message.Location}");
            }
        };
        return page;
    }

    /// <summary>
    /// Waits until the signed-in layout has asked the browser for the theme (its circuit is up) and every finite
    /// animation has ended, so colours are read at rest, not halfway through a transition.
    /// </summary>
    public static async Task SettledAsync(IPage page)
    {
        await page.Locator(".sla-shell[data-theme-ready=true]").WaitForAsync();
        await AtRestAsync(page);
    }

    /// <summary>Waits for every finite animation and transition to end (spinners repeat forever and are ignored).</summary>
    public static Task AtRestAsync(IPage page)
        => page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)");

    /// <summary>The theme the layout shows, "dark" or "light".</summary>
    public static Task<string?> ShownThemeAsync(IPage page) => page.Locator(".sla-shell").GetAttributeAsync("data-theme");

    /// <summary>
    /// The serious and critical WCAG 2.1 A/AA violations on the page as it is now, one readable line (and its nodes)
    /// each. Transitions and animations are ended first: a live toast that arrives while axe runs is judged in its
    /// final colours, not halfway through its fade-in.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page, string where)
    {
        await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation-duration: 0s !important; animation-delay: 0s !important; }" });
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } });
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{where}: {v.Id} ({v.Impact}, {v.Nodes.Length} nodes) {v.Help}\n    "
                + string.Join("\n    ", v.Nodes.Take(6).Select(n => $"{n.Target} {Shorten(n.Html)}")))
            .ToList();
    }

    private static string Shorten(string? text)
        => text is null ? string.Empty : text.Length <= 240 ? text.ReplaceLineEndings(" ") : text[..240].ReplaceLineEndings(" ") + "…";
}
