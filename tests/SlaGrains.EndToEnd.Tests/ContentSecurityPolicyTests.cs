using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>Every kind of page under the server's Content-Security-Policy in Chromium: nothing refused, the live parts still live.</summary>
public sealed class ContentSecurityPolicyTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task Pages_run_under_the_content_security_policy()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 60);
        await ServerScenario.UserAsync(admin.Http, "csp-tech", "technician", team: "csp");
        await ServerScenario.UserAsync(admin.Http, "csp-customer", "customer", customerId: customer);
        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Mail is down", team = "csp", assignee = "csp-tech" }))).JsonAsync();
        var ticketId = ticket.GetProperty("ticketId").GetString()!;
        var seen = new ConcurrentQueue<string>();

        // The sign-in page is static; the board opens a Blazor circuit over the WebSocket.
        var technician = await ListeningPageAsync(seen);
        await BrowserWorld.SignInAsync(technician, "csp-tech", ServerScenario.Password("csp-tech"));
        await technician.Locator("[data-live=on]").WaitForAsync();

        // Live parts: the countdown ticks in the browser, and a ticket made through the API appears without a reload.
        var countdown = technician.Locator(".sla-countdown").First;
        await countdown.WaitForAsync();
        var before = await countdown.InnerTextAsync();
        await technician.WaitForFunctionAsync("text => document.querySelector('.sla-countdown').innerText !== text", before);
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Printer jammed", team = "csp", assignee = "csp-tech" }))).JsonAsync();
        await technician.Locator("tr", new() { HasTextString = created.GetProperty("ticketId").GetString() }).WaitForAsync();
        await technician.ClickAsync($"text={ticketId}");
        await technician.WaitForURLAsync($"**/tickets/{ticketId}");
        await technician.GetByText("Mail is down").First.WaitForAsync();

        var manager = await ListeningPageAsync(seen);
        await BrowserWorld.SignInAsync(manager, "admin", SlaGrainsServerFixture.AdminPassword);
        foreach (var path in new[] { "/inbox", "/credits", "/reports", "/admin" })
        {
            var response = await manager.GotoAsync(path);
            Assert.Equal(HardeningPolicy, response!.Headers["content-security-policy"]);
            await manager.Locator("[data-live=on]").WaitForAsync();
        }

        var user = await ListeningPageAsync(seen);
        await BrowserWorld.SignInAsync(user, "csp-customer", ServerScenario.Password("csp-customer"));
        await user.Locator("#availability").WaitForAsync();

        // A violation is reported asynchronously: a round trip through each page's circuit lets any pending one arrive.
        foreach (var page in new[] { technician, manager, user })
        {
            await page.EvaluateAsync("() => new Promise(resolve => setTimeout(resolve, 100))");
        }

        var refused = seen.Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Contains("Refused to", StringComparison.Ordinal)).ToList();
        Assert.True(refused.Count == 0, string.Join("\n", refused));
    }

    [SkippableFact]
    public async Task An_inline_script_is_refused_by_the_policy()
    {
        // The listener above must be able to hear a violation: an injected inline script is one.
        Skip.If(world.Unavailable is not null, world.Unavailable);
        var seen = new ConcurrentQueue<string>();
        var page = await ListeningPageAsync(seen);
        await page.GotoAsync("/signin");

        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.appendChild(s); }");
        await page.WaitForFunctionAsync("() => window.__violations > 0");

        Assert.False(await page.EvaluateAsync<bool>("() => window.__ran === true"), "the inline script ran");
        Assert.Contains(seen, m => m.Contains("script-src", StringComparison.Ordinal));
        // Chromium's own console error ("Executing inline script violates the following Content Security Policy directive").
        Assert.Contains(seen, m => m.Contains(": error: ", StringComparison.Ordinal) && m.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    private const string HardeningPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
        + "font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// A page of its own browser context (not <see cref="BrowserWorld.PageAsync"/>, whose console errors other tests
    /// assert empty) that records every console message and every <c>securitypolicyviolation</c> event, which names
    /// the directive, of every document it loads.
    /// </summary>
    private async Task<IPage> ListeningPageAsync(ConcurrentQueue<string> seen)
    {
        var context = await world.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = world.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => seen.Enqueue($"{page.Url}: {message.Type}: {message.Text}");
        await page.ExposeFunctionAsync("__reportViolation", (string text) => seen.Enqueue($"{page.Url}: violation: {text}"));
        await page.AddInitScriptAsync("""
            window.__violations = 0;
            document.addEventListener('securitypolicyviolation', e => {
              window.__violations++;
              window.__reportViolation('Content Security Policy: ' + e.violatedDirective + ' refused ' + e.blockedURI);
            });
            """);
        return page;
    }
}
