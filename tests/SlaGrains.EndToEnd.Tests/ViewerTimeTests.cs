using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NodaTime.Text;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>Times in the viewer's zone: the browser's by default, the person's own choice once made, the UTC instant on hover.</summary>
public sealed class ViewerTimeTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task Times_follow_the_browsers_zone_until_the_person_picks_one_and_hovering_shows_the_instant_in_utc()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.UserAsync(admin.Http, "tove", "manager");
        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Zone check" }))).JsonAsync();
        var id = ticket.GetProperty("ticketId").GetString()!;

        // A browser in New York: the audit trail reads in New York time, named by its abbreviation.
        var page = await world.PageAsync(timeZone: "America/New_York");
        await BrowserWorld.SignInAsync(page, "tove", ServerScenario.Password("tove"));
        // Read once the page is live: the interactive render replaces the prerendered one and must show the same times.
        await page.GotoAsync($"/tickets/{id}");
        await page.Locator("[data-live=on]").WaitForAsync();
        var first = page.Locator("time.sla-time").First;
        await first.WaitForAsync();
        await AssertShownInAsync(first, "America/New_York");

        // The person picks Tokyo on the settings page (reached from their name in the bar): every page follows it.
        await page.ClickAsync("a.sla-user-link");
        await page.WaitForURLAsync(new Regex("/settings$"));
        await page.Locator("[data-live=on]").WaitForAsync();
        Assert.Contains("America/New_York", await page.InnerTextAsync("#zone-now"), StringComparison.Ordinal);
        await page.ClickAsync("#zone-choose");
        await page.FillAsync("#zone-picker", "tokyo");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = "Asia/Tokyo" }).ClickAsync();
        await page.ClickAsync("#zone-save");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("#zone-now", new() { HasTextString = "Asia/Tokyo (JST, UTC+09:00), your choice" }).WaitForAsync();

        await page.GotoAsync($"/tickets/{id}");
        await page.Locator("[data-live=on]").WaitForAsync();
        first = page.Locator("time.sla-time").First;
        await first.WaitForAsync();
        await AssertShownInAsync(first, "Asia/Tokyo");

        // The choice is the person's, not the browser's: a second browser elsewhere shows Tokyo too.
        var elsewhere = await world.PageAsync(timeZone: "Europe/Lisbon");
        await BrowserWorld.SignInAsync(elsewhere, "tove", ServerScenario.Password("tove"));
        await elsewhere.GotoAsync($"/tickets/{id}");
        await elsewhere.Locator("[data-live=on]").WaitForAsync();
        var there = elsewhere.Locator("time.sla-time").First;
        await there.WaitForAsync();
        await AssertShownInAsync(there, "Asia/Tokyo");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task The_time_zone_setting_refuses_an_unknown_zone_naming_the_field_and_keeps_the_previous_one()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();

        await ServerScenario.Ok(admin.Http.PutAsJsonAsync("api/v1/me/preferences", new { timeZone = "Europe/Berlin" }));
        var refused = await admin.Http.PutAsJsonAsync("api/v1/me/preferences", new { timeZone = "Mars/Olympus_Mons" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeZone", out _), problem.ToString());
        var tooLong = await admin.Http.PutAsJsonAsync("api/v1/me/preferences", new { timeZone = new string('x', 5_000) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var empty = await admin.Http.PutAsJsonAsync("api/v1/me/preferences", new { timeZone = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        var kept = await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/me/preferences"))).JsonAsync();
        Assert.Equal("Europe/Berlin", kept.GetProperty("timeZone").GetString());

        await ServerScenario.Ok(admin.Http.PutAsJsonAsync("api/v1/me/preferences", new { timeZone = (string?)null }));
        var cleared = await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/me/preferences"))).JsonAsync();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("timeZone").ValueKind);
    }

    /// <summary>The element's text is its <c>datetime</c> instant in <paramref name="zoneId"/> with the zone's abbreviation; its title is the instant in UTC.</summary>
    private static async Task AssertShownInAsync(ILocator time, string zoneId)
    {
        var instant = InstantPattern.ExtendedIso.Parse((await time.GetAttributeAsync("datetime"))!).Value;
        var local = instant.InZone(DateTimeZoneProviders.Tzdb[zoneId]);
        var expected = $"{local.ToString("uuuu-MM-dd HH:mm", null)} {local.GetZoneInterval().Name}";
        var text = (await time.InnerTextAsync()).Trim();
        Assert.StartsWith(local.ToString("uuuu-MM-dd HH:mm", null), text, StringComparison.Ordinal);
        Assert.EndsWith(local.GetZoneInterval().Name, text, StringComparison.Ordinal);
        Assert.True(text == expected || text.Length == expected.Length + 3, $"'{text}' is not {expected} (with or without seconds)");
        Assert.Equal($"{instant.InUtc().ToString("uuuu-MM-dd HH:mm:ss", null)} UTC", await time.GetAttributeAsync("title"));
    }
}
