using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using SlaGrains.Server.Tests;
using SlaGrains.Testing;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>
/// The issue's subscriber journey in Chromium with a real SMTP relay on loopback (aiosmtpd's Maildir): an anonymous
/// visitor subscribes on the public page, opens the confirmation mail's link and confirms with the button, then opens
/// the unsubscribe link of an incident update's mail and is unsubscribed. Mail links point at this server (no
/// <c>App:PublicUrl</c>: the server's own address).
/// </summary>
public sealed partial class StatusSubscriberBrowserTests(MailBrowserWorld world) : IClassFixture<MailBrowserWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_visitor_subscribes_on_the_page_confirms_from_the_mail_and_leaves_by_the_update_mails_unsubscribe_link()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = $"sb-{Guid.NewGuid():N}"[..12];
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/customers", new { id = customer, name = "Litware Buses" }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"api-{customer}", customerId = customer, name = "Timetable API", critical = true }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"web-{customer}", customerId = customer, name = "Website", critical = false }));
        var slug = $"litware-{Guid.NewGuid():N}"[..20];
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug, enabled = true }));
        var email = $"rider-{Guid.NewGuid():N}"[..16] + "@example.com";
        var page = await world.PageAsync();

        // Subscribe on the public page: type the address, tick one component, press the button (a plain form post).
        await page.GotoAsync($"/status-pages/{slug}");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Timetable API" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await page.WaitForSelectorAsync("[data-outcome=\"check-mail\"]");
        Assert.Equal("Check your email", (await page.Locator("h1").TextContentAsync())?.Trim());
        await BrowserWorld.ScreenshotAsync(page, "subscriber-check-mail");

        // Open the confirmation mail's link: a page with a button; pressing it confirms.
        var confirmation = await world.Smtp!.WaitFor(m => SmtpSink.Recipients(m).Contains(email), Bound);
        await page.GotoAsync(LinkAfter(confirmation, "Confirm"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm my subscription" }).ClickAsync();
        await page.WaitForSelectorAsync("[data-outcome=\"subscribed\"]");
        Assert.Equal("You're subscribed", (await page.Locator("h1").TextContentAsync())?.Trim());
        await BrowserWorld.ScreenshotAsync(page, "subscriber-confirmed");

        // An incident update of the component reaches the mailbox; its unsubscribe link, opened and pressed, ends it.
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/incidents", new
        {
            title = "Departure boards frozen",
            components = new[] { $"api-{customer}" },
            impact = "degraded",
            message = "Boards show times from this morning.",
        }));
        var update = await world.Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(email) && (m.Subject ?? "").Contains("Departure boards frozen", StringComparison.Ordinal), Bound);
        var unsubscribe = LinkAfter(update, "Unsubscribe");
        await world.MailScreenshotAsync(update.HtmlBody, "mail-subscriber-update");
        Assert.Equal($"<{unsubscribe}>", update.Headers["List-Unsubscribe"]?.Trim());
        await page.GotoAsync(unsubscribe);
        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();
        await page.WaitForSelectorAsync("[data-outcome=\"unsubscribed\"]");
        Assert.Equal("You're unsubscribed", (await page.Locator("h1").TextContentAsync())?.Trim());

        var list = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/subscribers"))).JsonAsync();
        var subscriber = list.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("address").GetString() == email);
        Assert.Equal("unsubscribed", subscriber.GetProperty("status").GetString());
        Assert.Equal([$"api-{customer}"], subscriber.GetProperty("components").EnumerateArray().Select(c => c.GetString()));
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
        await page.Context.CloseAsync();
    }

    /// <summary>The URL after "<paramref name="label"/>: " in the mail's text part.</summary>
    private static string LinkAfter(MimeMessage mail, string label)
        => Regex.Match(mail.TextBody ?? string.Empty, $@"^{label}: (\S+)$", RegexOptions.Multiline).Groups[1].Value is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException($"No '{label}:' link in: {mail.TextBody}");
}
