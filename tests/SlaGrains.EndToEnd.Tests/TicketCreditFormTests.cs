using System.Net.Http.Json;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>Issue 20 — ticket-SLA credits on the admin page's contract form, in a real browser: shown as stored, edited one clause a line.</summary>
public sealed class TicketCreditFormTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task The_contract_form_shows_the_stored_ticket_credit_clauses_and_saves_an_added_one()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new
        {
            slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR",
            ticketCredits = new[] { new { metric = "firstResponse", priorities = new[] { "p1", "p2" }, tiers = new[] { new { minPercent = 0, maxPercent = 95, creditPercent = 5 } }, capPercent = 5 } },
        }));
        var page = await OpenCustomerAsync(customer);
        await page.WaitForFunctionAsync("() => document.querySelector('#contract-ticket-credits')?.value === 'firstResponse p1 p2: below 95 → 5; cap 5'");

        await page.Locator("#contract-ticket-credits").FillAsync("firstResponse p1 p2: below 95 → 5; cap 5\nresolution p1: below 98 → 5, below 90 → 10; cap 8");
        await page.ClickAsync("#save-contract");
        await page.Locator(".contract-message", new() { HasTextString = "Saved" }).WaitForAsync();
        var clauses = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract").GetProperty("ticketCredits");

        Assert.Equal(2, clauses.GetArrayLength());
        var resolution = clauses[1];
        Assert.Equal("resolution", resolution.GetProperty("metric").GetString());
        Assert.Equal(8m, resolution.GetProperty("capPercent").GetDecimal());
        Assert.Equal(new[] { (90m, 98m, 5m), (0m, 90m, 10m) }, resolution.GetProperty("tiers").EnumerateArray()
            .Select(t => (t.GetProperty("minPercent").GetDecimal(), t.GetProperty("maxPercent").GetDecimal(), t.GetProperty("creditPercent").GetDecimal())).ToArray());
    }

    [SkippableFact]
    public async Task A_line_that_is_not_a_clause_is_refused_with_its_line_number_and_nothing_is_saved()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var page = await OpenCustomerAsync(customer);
        await page.WaitForFunctionAsync("() => document.querySelector('#contract-sla')?.value === '99.9'");

        await page.Locator("#contract-ticket-credits").FillAsync("firstResponse p1: below 95 → 5\nresolution p9: below 90 → 10; cap 10");
        await page.ClickAsync("#save-contract");
        var message = await page.Locator(".contract-message", new() { HasTextString = "Line 1" }).InnerTextAsync();
        var contract = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract");

        Assert.Contains("Line 2", message, StringComparison.Ordinal);
        Assert.Empty(contract.GetProperty("ticketCredits").EnumerateArray());
    }

    [SkippableFact]
    public async Task Saving_the_contract_form_keeps_the_latency_commitment_it_does_not_edit()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new
        {
            slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", latencyCommitmentPercent = 95.5,
        }));
        var page = await OpenCustomerAsync(customer);
        await page.WaitForFunctionAsync("() => document.querySelector('#contract-fee')?.value !== ''");

        await page.Locator("#contract-fee").FillAsync("1200");
        await page.ClickAsync("#save-contract");
        await page.Locator(".contract-message", new() { HasTextString = "Saved" }).WaitForAsync();
        var contract = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract");

        Assert.Equal(1200m, contract.GetProperty("monthlyFee").GetDecimal());
        Assert.Equal(95.5m, contract.GetProperty("latencyCommitmentPercent").GetDecimal());
    }

    private async Task<IPage> OpenCustomerAsync(string customer)
    {
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "admin", SlaGrainsServerFixture.AdminPassword);
        await page.GotoAsync("/admin");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        await page.Locator("#save-calendar").WaitForAsync();
        return page;
    }
}
