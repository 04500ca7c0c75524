using System.Diagnostics;
using System.Net.Http.Json;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>
/// A person's email address on the settings page, the admin's users list showing it, and the notifications panel on
/// the admin page (this server has no SMTP relay: a breach email waits there as an "emailOff" dead letter).
/// </summary>
public sealed class NotificationPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_manager_saves_an_email_address_and_the_admin_sees_it_and_its_breach_email_in_the_notifications_panel()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var (page, manager) = await world.SignedInAsync(admin.Http, "manager");
        var email = $"{manager}@example.test";

        await page.GotoAsync("/settings");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.FillAsync("#email-address", "not an address");
        await page.ClickAsync("#email-save");
        await page.Locator("#email-error", new() { HasTextString = "email address" }).WaitForAsync();
        await page.FillAsync("#email-address", email);
        await page.ClickAsync("#email-save");
        await page.Locator("#email-status", new() { HasTextString = $"emails go to {email}" }).WaitForAsync();

        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1S");
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Panel check" }));
        await DeadLetterFor(admin.Http, email);

        var adminPage = await world.PageAsync();
        await BrowserWorld.SignInAsync(adminPage, "admin", SlaGrainsServerFixture.AdminPassword);
        await adminPage.GotoAsync("/admin");
        await adminPage.Locator("[data-live=on]").WaitForAsync();
        await adminPage.Locator("td.user-email", new() { HasTextString = email }).WaitForAsync();
        var letter = adminPage.Locator("tr.notification-dead-letter", new() { HasTextString = email });
        await letter.First.WaitForAsync();
        Assert.Contains("emailOff", await letter.First.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserWorld.ScreenshotAsync(adminPage, "admin-notifications");
        await letter.First.Locator(".notification-redeliver").ClickAsync();
        await adminPage.Locator(".notification-message", new() { HasTextString = "Queued again" }).WaitForAsync();
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    /// <summary>Waits (asking the API every 100 ms, at most 60 s) until an email to <paramref name="email"/> is a dead letter.</summary>
    private static async Task DeadLetterFor(HttpClient admin, string email)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            var dead = await (await ServerScenario.Ok(admin.GetAsync("api/v1/notifications/dead-letters?pageSize=500"))).JsonAsync();
            if (dead.EnumerateArray().Any(d => d.GetProperty("target").GetString() == email))
            {
                return;
            }

            Assert.True(until.Elapsed < TimeSpan.FromSeconds(60), $"No dead letter for {email}: {dead}");
            await Task.Delay(100);
        }
    }
}
