using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using SlaGrains.Server.Tests;
using SlaGrains.Testing;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>The mail browser world with links to <see cref="PublicUrl"/>, which the breach email's ticket link is checked against.</summary>
public sealed class QuietHoursWorld : MailBrowserWorld
{
    public const string PublicUrl = "https://sla.example.test/";

    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings => [new("App:PublicUrl", PublicUrl)];
}

/// <summary>
/// The browser test: a manager sets working hours and turns quiet hours off on the settings page, a ticket
/// breaches, the breach email with the ticket link arrives; with quiet hours on (outside those hours on the server's
/// clock) the next breach's email does not arrive — shown once the outbox has provably handled that breach: another
/// manager's email of it arrived and this manager's is listed as waiting until their working hours start.
/// </summary>
public sealed class QuietHoursTests(QuietHoursWorld world) : IClassFixture<QuietHoursWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_manager_gets_a_breach_email_with_the_ticket_link_while_quiet_hours_are_off_and_none_while_they_are_on()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var smtp = world.Smtp!;
        using var admin = await world.AdminAsync();
        var manager = $"m-{Guid.NewGuid():N}"[..12];
        var managerEmail = $"{manager}@example.test";
        var control = $"c-{Guid.NewGuid():N}"[..12];
        var controlEmail = $"{control}@example.test";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/users", new { userName = manager, password = ServerScenario.Password(manager), role = "manager", email = managerEmail }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/users", new { userName = control, password = ServerScenario.Password(control), role = "manager", email = controlEmail }));
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1S");
        var page = await world.PageAsync(height: 1600);
        await BrowserWorld.SignInAsync(page, manager, ServerScenario.Password(manager));

        // Working hours every day for the hour after the next full hour (UTC, the manager's zone): now is outside them.
        var opens = (world.Now.InUtc().Hour + 1) % 24;
        await page.GotoAsync("/settings");
        await page.Locator("[data-live=on]").WaitForAsync();
        foreach (var day in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" })
        {
            await page.GetByLabel(day, new() { Exact = true }).SetCheckedAsync(true, new() { Force = true });
        }

        await page.FillAsync("#working-start", Clock(opens));
        await page.FillAsync("#working-end", opens == 23 ? "24:00" : Clock(opens + 1));
        await page.GetByLabel("Urgent notices (a P1 breach, a major outage) come through quiet hours").SetCheckedAsync(false, new() { Force = true });
        await page.GetByLabel("Quiet outside my working hours (notices wait until work starts)").SetCheckedAsync(false, new() { Force = true });
        await page.ClickAsync("#notices-save");
        await page.Locator("#notices-status", new() { HasTextString = "quiet hours are off" }).WaitForAsync();

        var loud = await TicketAsync(admin.Http, customer, "Breach while not quiet");
        var mail = await smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(managerEmail) && (m.Subject ?? "").Contains(loud, StringComparison.Ordinal), Bound);
        Assert.Contains($"href=\"{QuietHoursWorld.PublicUrl}tickets/{loud}\"", mail.HtmlBody, StringComparison.Ordinal);
        await world.MailScreenshotAsync(mail.HtmlBody, "mail-breach");

        await page.GetByLabel("Quiet outside my working hours (notices wait until work starts)").SetCheckedAsync(true, new() { Force = true });
        await page.ClickAsync("#notices-save");
        await page.Locator("#notices-status", new() { HasTextString = "quiet hours are on" }).WaitForAsync();
        await BrowserWorld.ScreenshotAsync(page, "settings-notifications");

        var quiet = await TicketAsync(admin.Http, customer, "Breach in quiet hours");
        await smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(controlEmail) && (m.Subject ?? "").Contains(quiet, StringComparison.Ordinal), Bound);
        var held = await PendingAsync(admin.Http, managerEmail, quiet);

        Assert.True(Instant.FromDateTimeOffset(held.GetProperty("nextAttemptAt").GetDateTimeOffset()) > world.Now, held.ToString());
        Assert.DoesNotContain(smtp.To(managerEmail), m => (m.Subject ?? "").Contains(quiet, StringComparison.Ordinal));
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    private static string Clock(int hour) => hour.ToString("00", CultureInfo.InvariantCulture) + ":00";

    private static async Task<string> TicketAsync(HttpClient admin, string customer, string subject)
        => (await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject }))).JsonAsync())
            .GetProperty("ticketId").GetString()!;

    /// <summary>The pending message to <paramref name="email"/> about <paramref name="ticket"/>, asking the API every 50 ms for at most a minute.</summary>
    private static async Task<JsonElement> PendingAsync(HttpClient admin, string email, string ticket)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var pending = await (await ServerScenario.Ok(admin.GetAsync("api/v1/notifications/pending?pageSize=500"))).JsonAsync();
            foreach (var message in pending.EnumerateArray().Where(m => m.GetProperty("target").GetString() == email && m.GetProperty("messageId").GetString()!.Contains(ticket, StringComparison.Ordinal)))
            {
                return message;
            }

            Assert.True(watch.Elapsed < Bound, $"No message to {email} about {ticket} is pending: {pending}");
            await Task.Delay(50);
        }
    }
}
