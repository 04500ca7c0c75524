using System.Net.Http.Json;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;
using SlaGrains.Testing;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>
/// The webhooks panel on the admin page, in a real browser, against a real receiver that verifies signatures: adding
/// a webhook (its secret shown once), the delivery log, dead letters and redelivery.
/// </summary>
public sealed class WebhookPagesTests(WebhookPagesTests.World world) : IClassFixture<WebhookPagesTests.World>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task An_admin_adds_a_webhook_sees_its_secret_once_and_the_signed_incident_it_receives_in_the_delivery_log()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = await MonitorAsync(admin.Http, customer);
        var path = $"hooks/{Guid.NewGuid():N}";
        var page = await AdminPanelAsync(customer);

        // Incident opened and resolved are ticked by default.
        await page.Locator("#webhook-url").FillAsync(world.Receiver.Url(path));
        await page.ClickAsync("#add-webhook");
        var secret = await page.Locator("#webhook-secret").InnerTextAsync();
        world.Receiver.Expect(path, secret);
        await page.Locator(".webhook-row", new() { HasTextString = world.Receiver.Url(path) }).WaitForAsync();
        await BrowserWorld.ScreenshotAsync(page, "admin-webhook-added");

        await page.ReloadAsync();
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        await page.Locator(".webhook-row", new() { HasTextString = world.Receiver.Url(path) }).WaitForAsync();
        var afterReload = await page.ContentAsync();

        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = false }));
        var received = await world.Receiver.WaitFor(r => r.Path == path && r.Event == "incident.opened", Bound);

        // The attempt is written in the same grain turn that sent it, so a refresh after it arrived shows it.
        await page.ClickAsync("#webhook-refresh");
        var attempt = page.Locator(".webhook-attempt", new() { HasTextString = "incident.opened" });
        await attempt.WaitForAsync();
        var logged = await attempt.InnerTextAsync();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#webhook-secret").CountAsync());
        Assert.DoesNotContain(secret, afterReload, StringComparison.Ordinal);
        Assert.True(received.SignatureValid, "the receiver could not verify the signature with the secret the page showed");
        Assert.Equal($"{monitor}-1", received.Json.GetProperty("data").GetProperty("incidentId").GetString());
        Assert.Contains(world.Receiver.Url(path), logged, StringComparison.Ordinal);
        Assert.Contains("204 delivered", logged, StringComparison.Ordinal);
        await BrowserWorld.ScreenshotAsync(page, "admin-webhook-delivery-log");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task A_delivery_to_a_failing_receiver_ends_in_the_dead_letters_and_redelivering_it_once_fixed_delivers_it_and_clears_the_list()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = await MonitorAsync(admin.Http, customer);
        var path = $"hooks/{Guid.NewGuid():N}";
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/webhooks", new { url = world.Receiver.Url(path), eventTypes = new[] { "incident.opened" } }))).JsonAsync();
        world.Receiver.Expect(path, created.GetProperty("secret").GetString()!);
        world.Receiver.Fail(path, int.MaxValue);
        var page = await AdminPanelAsync(customer);

        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = false }));
        await world.Receiver.WaitFor(r => r.Path == path && r.NumberOnPath == World.MaxAttempts, Bound);
        await page.ClickAsync("#webhook-refresh");
        var letter = page.Locator(".webhook-dead-letter", new() { HasTextString = world.Receiver.Url(path) });
        await letter.WaitForAsync();
        var shown = await letter.InnerTextAsync();
        var lastFailure = await page.Locator(".webhook-attempt").First.InnerTextAsync();
        var deliveryId = Assert.Single((await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/webhooks/dead-letters"))).JsonAsync()).EnumerateArray()).GetProperty("deliveryId").GetString();
        await BrowserWorld.ScreenshotAsync(page, "admin-webhook-dead-letter");

        world.Receiver.Fail(path, 0);
        await letter.Locator(".webhook-redeliver").ClickAsync();
        await page.Locator(".webhook-message", new() { HasTextString = "Queued again" }).WaitForAsync();
        await letter.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        var delivered = await world.Receiver.WaitFor(r => r.Path == path && r.AnsweredStatus == 204, Bound);
        await page.ClickAsync("#webhook-refresh");
        await page.Locator(".webhook-attempt", new() { HasTextString = "204 delivered" }).WaitForAsync();
        var deadAfter = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/webhooks/dead-letters"))).JsonAsync();

        Assert.Contains("incident.opened", shown, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", shown, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", lastFailure, StringComparison.Ordinal);
        Assert.DoesNotContain("500 HTTP 500", lastFailure, StringComparison.Ordinal);
        Assert.Contains("dead-lettered", lastFailure, StringComparison.Ordinal);
        Assert.Equal(deliveryId, delivered.Delivery);
        Assert.True(delivered.SignatureValid);
        Assert.Equal(0, await page.Locator(".webhook-dead-letter").CountAsync());
        Assert.Equal(0, deadAfter.GetArrayLength());
        await BrowserWorld.ScreenshotAsync(page, "admin-webhook-redelivered");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    /// <summary>A critical monitor of the customer whose first failed check opens an incident.</summary>
    private static async Task<string> MonitorAsync(HttpClient admin, string customer)
    {
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        return monitor;
    }

    /// <summary>The admin signed in on /admin, live, with the customer chosen for editing (its webhooks panel shown).</summary>
    private async Task<IPage> AdminPanelAsync(string customer)
    {
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "admin", SlaGrainsServerFixture.AdminPassword);
        await page.GotoAsync("/admin");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        await page.Locator("#add-webhook").WaitForAsync();
        return page;
    }

    /// <summary>The browser world with webhook retries shrunk to milliseconds (3 attempts) and a receiver on loopback.</summary>
    public sealed class World : BrowserWorld
    {
        public const int MaxAttempts = 3;

        public WebhookReceiver Receiver { get; private set; } = null!;

        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Webhooks:FirstRetryDelay", "00:00:00.050"),
            new("Webhooks:MaxRetryDelay", "00:00:00.200"),
            new("Webhooks:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Webhooks:Timeout", "00:00:05"),
        ];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Receiver = await WebhookReceiver.StartAsync();
        }

        public override async Task DisposeAsync()
        {
            if (Receiver is not null)
            {
                await Receiver.DisposeAsync();
            }

            await base.DisposeAsync();
        }
    }
}
