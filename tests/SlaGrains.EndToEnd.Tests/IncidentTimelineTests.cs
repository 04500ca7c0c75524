using System.Net.Http.Json;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>Incident updates on the signed-in status page in a real browser: staff post one, the timeline shows it, and an open customer page gets it live.</summary>
public sealed class IncidentTimelineTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_staff_member_posts_an_update_on_the_status_page_and_it_shows_in_the_timeline_and_live_on_the_customers_open_page()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Etc/UTC");
        var monitor = $"api-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = false, at = SystemClock.Instance.GetCurrentInstant() - Duration.FromMinutes(3) }, SlaGrainsServerFixture.Json));
        var incident = $"{monitor}-1";
        var customerUser = $"cleo-{customer}"[..12];
        var technician = $"tess-{customer}"[..12];
        await ServerScenario.UserAsync(admin.Http, customerUser, "customer", customerId: customer);
        await ServerScenario.UserAsync(admin.Http, technician, "technician", team: "ops");

        var customerPage = await world.PageAsync();
        await BrowserWorld.SignInAsync(customerPage, customerUser, ServerScenario.Password(customerUser));
        await customerPage.Locator("#incident-updates[data-live=on]").WaitForAsync();
        await customerPage.Locator($".incident-timeline[data-incident='{incident}'] .incident-no-updates").WaitForAsync();
        var staffPage = await world.PageAsync();
        await BrowserWorld.SignInAsync(staffPage, technician, ServerScenario.Password(technician));
        await staffPage.GotoAsync($"/status/{customer}");
        await staffPage.Locator("#incident-updates[data-live=on]").WaitForAsync();

        const string Message = "Failover to the standby database has started.";
        var card = staffPage.Locator($".incident-card[data-incident='{incident}']");
        await card.Locator("textarea").First.FillAsync(Message);
        await card.Locator(".incident-post-update").ClickAsync();

        var posted = card.Locator(".incident-update", new() { HasTextString = Message });
        await posted.WaitForAsync();
        Assert.Equal("investigating", await posted.GetAttributeAsync("data-status"));
        Assert.Contains(technician, await posted.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await posted.Locator("time").CountAsync());

        // The customer's page, open all along, shows it without a reload, with the time but no staff name.
        var seen = customerPage.Locator($".incident-timeline[data-incident='{incident}'] .incident-update", new() { HasTextString = Message });
        await seen.WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("Investigating", await seen.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(technician, await seen.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await customerPage.Locator(".incident-post-update").CountAsync());

        await BrowserWorld.ScreenshotAsync(staffPage, "incident-timeline-staff");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }
}
