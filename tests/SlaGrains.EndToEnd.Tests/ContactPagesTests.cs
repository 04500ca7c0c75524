using SlaGrains.Server.Tests;
using static Microsoft.Playwright.Assertions;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>A customer's contacts edited on the admin page, in a real Chromium against the real server.</summary>
public sealed class ContactPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task An_admin_adds_a_contact_on_the_admin_page_a_bad_address_is_named_by_its_row_and_the_saved_contact_is_what_the_api_reads()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "admin", SlaGrainsServerFixture.AdminPassword);
        await page.GotoAsync("/admin");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        await page.Locator("#add-contact").ClickAsync();

        await page.Locator("#contact-name-0").FillAsync("Ada Finance");
        await page.Locator("#contact-email-0").FillAsync("not an address");
        await page.ClickAsync("#save-contacts");
        await Expect(page.Locator(".contacts-message")).ToContainTextAsync("Contact 1, email:", new() { Timeout = 30_000 });
        var refused = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/contacts"))).JsonAsync();

        await page.Locator("#contact-email-0").FillAsync("ada@example.com");
        await page.Locator("#contact-maintenance-0").ClickAsync();
        await page.ClickAsync("#save-contacts");
        await Expect(page.Locator(".contacts-message")).ToContainTextAsync("Saved: 1 contact(s).", new() { Timeout = 30_000 });
        var saved = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/contacts"))).JsonAsync();

        Assert.Equal(0, refused.GetProperty("contacts").GetArrayLength());
        var contact = Assert.Single(saved.GetProperty("contacts").EnumerateArray());
        Assert.Equal(("Ada Finance", "ada@example.com", true, false, true),
            (contact.GetProperty("name").GetString(), contact.GetProperty("email").GetString(), contact.GetProperty("creditNotices").GetBoolean(),
             contact.GetProperty("maintenance").GetBoolean(), contact.GetProperty("monthlyStatement").GetBoolean()));
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
        await page.Context.CloseAsync();
    }
}
