using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Tests;
using Xunit.Abstractions;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>The browser world on a server started with <c>--demo</c>: the demo MSP's customers, monitors, tickets and months.</summary>
public sealed class DemoBrowserWorld : BrowserWorld
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Demo", "true")];
}

/// <summary>
/// axe-core (WCAG 2.1 A and AA) on every page, as the roles that see it, with the demo data and a few more rows made
/// through the API, at 1280 px, in the light and the dark theme: no serious or critical violation.
/// </summary>
public sealed class AccessibilityTests(DemoBrowserWorld world, ITestOutputHelper output) : IClassFixture<DemoBrowserWorld>
{
    [SkippableTheory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Every_page_has_no_serious_or_critical_wcag_violation(string theme)
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        var scheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light;
        var errors = new ConcurrentQueue<string>();
        var found = new List<string>();
        using var admin = await world.AdminAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];

        // Demo-like data: a customer with an outage last month (closed, so it has a credit), an escalation rule whose
        // breach lands in the inbox, tickets on the board, and one user per role.
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT2S", resolution: "PT8H");
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "breach", metric = "firstResponse", percent = 100, action = "escalateToManagement", target = "managers" },
        }));
        var technician = $"a11y-t-{suffix}";
        var manager = $"a11y-m-{suffix}";
        var customerUser = $"a11y-c-{suffix}";
        await ServerScenario.UserAsync(admin.Http, technician, "technician", team: $"desk-{suffix}");
        await ServerScenario.UserAsync(admin.Http, manager, "manager");
        await ServerScenario.UserAsync(admin.Http, customerUser, "customer", customerId: customer);
        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Mail server down", team = $"desk-{suffix}", assignee = technician }))).JsonAsync();
        var ticketId = ticket.GetProperty("ticketId").GetString();
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p3", subject = "New laptop for the accountant", team = $"desk-{suffix}" }));
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 60, day: 10);
        var closed = await world.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        Assert.True(closed.Accepted, closed.Rejection?.Message);

        var anonymous = await ThemedBrowser.PageAsync(world, scheme, 1280, 800, errors);
        found.AddRange(await CheckAsync(anonymous, "/signin", $"{theme} anonymous"));
        await anonymous.GotoAsync("/signin?error=Unknown%20user%20name%20or%20wrong%20password.");
        found.AddRange(await ThemedBrowser.SeriousViolationsAsync(anonymous, $"{theme} /signin (error)"));

        var tech = await SignedInAsync(scheme, technician, errors);
        found.AddRange(await CheckAsync(tech, "/board", $"{theme} technician"));
        found.AddRange(await CheckAsync(tech, $"/tickets/{ticketId}", $"{theme} technician"));

        // The demo's customers and their status pages, seen by their own users.
        var customers = (await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/customers"))).JsonAsync()).EnumerateArray()
            .Select(c => c.GetProperty("customerId").GetString()!).Where(id => !id.StartsWith("c-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(customers);

        var boss = await SignedInAsync(scheme, manager, errors);
        foreach (var path in new[] { "/inbox", "/board", "/reports", "/credits", "/admin", "/settings" })
        {
            found.AddRange(await CheckAsync(boss, path, $"{theme} manager"));
        }

        var root = await SignedInAsync(scheme, "admin", errors, SlaGrainsServerFixture.AdminPassword);
        found.AddRange(await CheckAsync(root, "/admin", $"{theme} admin"));

        var own = await SignedInAsync(scheme, customerUser, errors);
        found.AddRange(await CheckAsync(own, $"/status/{customer}", $"{theme} customer"));
        found.AddRange(await CheckAsync(own, "/settings", $"{theme} customer"));
        foreach (var demoCustomer in customers)
        {
            var demoUser = $"a11y-{demoCustomer}-{suffix}";
            await ServerScenario.UserAsync(admin.Http, demoUser, "customer", customerId: demoCustomer);
            var theirs = await SignedInAsync(scheme, demoUser, errors);
            found.AddRange(await CheckAsync(theirs, $"/status/{demoCustomer}", $"{theme} customer of {demoCustomer}"));
        }

        foreach (var line in found)
        {
            output.WriteLine(line);
        }

        Assert.True(found.Count == 0, $"{found.Count} serious or critical violations:\n" + string.Join("\n", found));
        Assert.True(errors.IsEmpty, string.Join("\n", errors));
    }

    private async Task<IPage> SignedInAsync(ColorScheme scheme, string user, ConcurrentQueue<string> errors, string? password = null)
    {
        var page = await ThemedBrowser.PageAsync(world, scheme, 1280, 800, errors);
        await BrowserWorld.SignInAsync(page, user, password ?? ServerScenario.Password(user));
        return page;
    }

    /// <summary>
    /// Opens <paramref name="path"/>, waits for its live data and a settled theme, screenshots it and runs axe at
    /// 1280 px, then again on a 390 px phone screen (the same page, resized: the layout must hold at both).
    /// </summary>
    private static async Task<IReadOnlyList<string>> CheckAsync(IPage page, string path, string who)
    {
        await page.GotoAsync(path);
        if (path != "/signin")
        {
            // The sign-in page is static: its theme comes from the stylesheet alone, there is no layout to settle.
            await ThemedBrowser.SettledAsync(page);
        }

        // What shows that the page has its data: the live marker, or the status page's availability, or the ticket's subject.
        var ready = path.Split('/')[1] switch
        {
            "status" => page.Locator("#availability"),
            "tickets" => page.GetByText("Mail server down").First,
            "signin" => page.Locator("#userName"),
            _ => page.Locator("[data-live=on]"),
        };
        await ready.WaitForAsync();

        await ThemedBrowser.AtRestAsync(page);
        var name = $"a11y-{who.Replace(' ', '-')}{path.Split('/')[1] switch { "tickets" => "-ticket", "status" => "-status", var p => "-" + p }}";
        await BrowserWorld.ScreenshotAsync(page, name);
        var found = new List<string>(await ThemedBrowser.SeriousViolationsAsync(page, $"{who} {path}"));

        await page.SetViewportSizeAsync(390, 844);
        await ThemedBrowser.AtRestAsync(page);
        await BrowserWorld.ScreenshotAsync(page, $"{name}-390");
        found.AddRange(await ThemedBrowser.SeriousViolationsAsync(page, $"{who} {path} at 390 px"));
        await page.SetViewportSizeAsync(1280, 800);
        return found;
    }
}
