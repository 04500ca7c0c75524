using System.Net.Http.Json;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>
/// Issue 20 — exclusions in a real browser: an admin edits the exclusion clauses on the contract form; a manager
/// reclassifies an incident on its card and sees the excluded time by cause change.
/// </summary>
public sealed class ReclassificationPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_manager_reclassifies_an_outage_as_force_majeure_on_the_status_page_and_the_excluded_time_by_cause_changes()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Etc/UTC");
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new
        {
            slaTargetPercent = 99.9,
            monthlyFee = 1000,
            currency = "EUR",
            exclusions = new[] { new { @class = "forceMajeure", excluded = true, clause = "Events beyond reasonable control are excluded." } },
        }));
        var monitor = $"api-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1 }));
        var now = SystemClock.Instance.GetCurrentInstant();
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = false, at = now - Duration.FromMinutes(20) }, SlaGrainsServerFixture.Json));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = true, at = now - Duration.FromMinutes(5) }, SlaGrainsServerFixture.Json));
        var incident = $"{monitor}-1";

        var (page, manager) = await world.SignedInAsync(admin.Http, "manager");
        await page.GotoAsync($"/status/{customer}");
        await page.Locator("#incident-updates[data-live=on]").WaitForAsync();
        var forceMajeure = page.Locator("#excluded-by-class [data-class=forceMajeure] b");
        Assert.Equal("0", await forceMajeure.InnerTextAsync());

        var card = $".incident-card[data-incident='{incident}']";
        await AdminFormsTests.PickAsync(page, $"{card} .classification-class-select", "Force majeure");
        await page.Locator($"{card} .classification-reason textarea").First.FillAsync("Regional power failure at the data centre.");
        await page.Locator($"{card} .incident-reclassify").ClickAsync();

        var recorded = page.Locator($"{card} .incident-classification[data-class=forceMajeure]");
        await recorded.WaitForAsync();
        await page.Locator("#excluded-by-class [data-class=forceMajeure] b", new() { HasTextString = "15" }).WaitForAsync();
        Assert.Equal("true", await recorded.GetAttributeAsync("data-excluded"));
        Assert.Contains("Regional power failure", await recorded.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(manager, await recorded.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("100.0000 %", (await page.Locator("#availability").InnerTextAsync()).Trim());

        await BrowserWorld.ScreenshotAsync(page, "incident-reclassified");
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task An_admin_excludes_force_majeure_with_its_clause_on_the_contract_form_and_the_contract_keeps_it()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "admin", SlaGrainsServerFixture.AdminPassword);
        await page.GotoAsync("/admin");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        await page.Locator("#save-calendar").WaitForAsync();
        // The stored contract is loaded into the form (its clauses with it) before anything is changed.
        await page.WaitForFunctionAsync("() => document.querySelector('#contract-sla')?.value === '99.9'");

        await page.Locator("#exclusion-forceMajeure-excluded").ClickAsync();
        await page.Locator("#exclusion-forceMajeure-clause").FillAsync("Events beyond reasonable control are excluded.");
        await page.Locator("#exclusion-customerCaused-clause").FillAsync("Customer changes count as downtime.");
        await page.ClickAsync("#save-contract");
        await page.Locator(".contract-message", new() { HasTextString = "Saved" }).WaitForAsync();
        var contract = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract");

        var clauses = contract.GetProperty("exclusions").EnumerateArray().ToDictionary(e => e.GetProperty("class").GetString()!);
        Assert.Equal(["customerCaused", "forceMajeure"], clauses.Keys.Order(StringComparer.Ordinal));
        Assert.True(clauses["forceMajeure"].GetProperty("excluded").GetBoolean());
        Assert.Equal("Events beyond reasonable control are excluded.", clauses["forceMajeure"].GetProperty("clause").GetString());
        Assert.False(clauses["customerCaused"].GetProperty("excluded").GetBoolean());
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }
}
