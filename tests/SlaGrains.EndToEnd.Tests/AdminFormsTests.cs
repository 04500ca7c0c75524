using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>The admin forms in a real browser: they neither lose nor bend what they save.</summary>
public sealed class AdminFormsTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    /// <summary>Lunch breaks, an overnight shift, named holidays and special hours on 24/31 Dec: everything the API can hold.</summary>
    private static readonly object FullCalendar = new
    {
        timeZone = "Europe/Berlin",
        weeklyHours = new Dictionary<string, object[]>
        {
            ["monday"] = [new { start = "08:00", end = "12:00" }, new { start = "13:00", end = "17:00" }],
            ["tuesday"] = [new { start = "08:00", end = "12:00" }, new { start = "13:00", end = "17:00" }],
            ["wednesday"] = [new { start = "09:00", end = "17:00" }],
            ["friday"] = [new { start = "09:00", end = "12:00" }, new { start = "22:00", end = "06:00" }],
        },
        holidays = new[] { "2026-12-25", "2026-12-26", "2027-01-01" },
        holidayNames = new Dictionary<string, string> { ["2026-12-25"] = "Christmas Day", ["2026-12-26"] = "Boxing Day, Saint Stephen's Day" },
        specialHours = new object[]
        {
            new { date = "2026-12-24", hours = new[] { new { start = "09:00", end = "12:00" } } },
            new { date = "2026-12-31", hours = new[] { new { start = "09:00", end = "11:00" }, new { start = "12:00", end = "14:00" } } },
        },
    };

    [SkippableFact]
    public async Task A_calendar_set_through_the_api_opened_and_saved_unchanged_is_identical_afterwards()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/calendar", FullCalendar));
        var before = await CalendarJsonAsync(admin.Http, customer);
        var page = await OpenCustomerAsync(customer);

        await page.ClickAsync("#save-calendar");
        await page.GetByText("Saved: open tickets of").WaitForAsync();
        var after = await CalendarJsonAsync(admin.Http, customer);

        Assert.Contains("22:00", before, StringComparison.Ordinal);
        Assert.Contains("2026-12-31", before, StringComparison.Ordinal);
        Assert.Contains("Boxing Day, Saint Stephen's Day", System.Text.RegularExpressions.Regex.Unescape(before), StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task Saving_a_calendar_after_touching_only_its_holidays_keeps_the_special_hours_and_the_lunch_breaks()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/calendar", FullCalendar));
        var before = JsonDocument.Parse(await CalendarJsonAsync(admin.Http, customer)).RootElement;
        var page = await OpenCustomerAsync(customer);

        var holidays = page.Locator("#draft-holidays");
        await holidays.FillAsync(await holidays.InputValueAsync() + ", 2027-04-05");
        await page.ClickAsync("#save-calendar");
        await page.GetByText("Saved: open tickets of").WaitForAsync();
        var after = JsonDocument.Parse(await CalendarJsonAsync(admin.Http, customer)).RootElement;

        Assert.Equal(before.GetProperty("specialHours").GetRawText(), after.GetProperty("specialHours").GetRawText());
        Assert.Equal(before.GetProperty("weeklyHours").GetRawText(), after.GetProperty("weeklyHours").GetRawText());
        Assert.Equal(["2026-12-25", "2026-12-26", "2027-01-01", "2027-04-05"], after.GetProperty("holidays").EnumerateArray().Select(d => d.GetString()));
    }

    [SkippableFact]
    public async Task Holidays_imported_from_an_icalendar_feed_are_added_to_the_draft_and_saved_with_their_names()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/calendar", FullCalendar));
        var page = await OpenCustomerAsync(customer);
        const string Feed = """
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//SlaGrains tests//EN
            BEGIN:VEVENT
            UID:easter-monday-2027
            DTSTAMP:20260101T000000Z
            DTSTART;VALUE=DATE:20270329
            DTEND;VALUE=DATE:20270330
            SUMMARY:Easter Monday
            END:VEVENT
            BEGIN:VEVENT
            UID:christmas-eve-2026
            DTSTAMP:20260101T000000Z
            DTSTART;VALUE=DATE:20261224
            SUMMARY:Christmas Eve
            END:VEVENT
            BEGIN:VEVENT
            UID:meeting
            DTSTAMP:20260101T000000Z
            DTSTART:20270105T100000Z
            DTEND:20270105T110000Z
            SUMMARY:Staff meeting
            END:VEVENT
            END:VCALENDAR
            """;

        await page.GetByText("Import holidays from an iCalendar (.ics) feed").ClickAsync();
        await page.Locator("#ics-text").FillAsync(Feed.Replace("\n", "\r\n", StringComparison.Ordinal));
        await page.ClickAsync("#ics-import");
        var message = await page.Locator(".ics-message").InnerTextAsync();
        await page.ClickAsync("#save-calendar");
        await page.GetByText("Saved: open tickets of").WaitForAsync();
        var after = JsonDocument.Parse(await CalendarJsonAsync(admin.Http, customer)).RootElement;

        Assert.Contains("Added 1 holiday(s): 2027-03-29 Easter Monday", message, StringComparison.Ordinal);
        Assert.Contains("1 date(s) with special hours keep them", message, StringComparison.Ordinal);
        Assert.Contains("1 event(s) with a time of day", message, StringComparison.Ordinal);
        Assert.Equal(["2026-12-25", "2026-12-26", "2027-01-01", "2027-03-29"], after.GetProperty("holidays").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(2, after.GetProperty("specialHours").GetArrayLength());
        Assert.Equal("Easter Monday", after.GetProperty("holidayNames").GetProperty("2027-03-29").GetString());
        Assert.Equal("Christmas Day", after.GetProperty("holidayNames").GetProperty("2026-12-25").GetString());
    }

    [SkippableFact]
    public async Task A_fee_typed_with_a_decimal_comma_in_a_german_browser_is_saved_as_1000_50_and_echoed_with_its_currency()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var context = await world.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = world.BaseAddress.ToString(), Locale = "de-DE", ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await OpenCustomerAsync(customer, await context.NewPageAsync());
        // The stored 99.9 % is written as a German reads it.
        await page.WaitForFunctionAsync("() => document.querySelector('#contract-sla')?.value === '99,9'");

        await page.Locator("#contract-fee").FillAsync("1000,50");
        await page.Locator("#fee-echo", new() { HasTextString = "1.000,50 EUR" }).WaitForAsync();
        await page.ClickAsync("#save-contract");
        var saved = await page.Locator(".contract-message", new() { HasTextString = "Saved" }).InnerTextAsync();
        var contract = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract");

        Assert.Equal(1000.50m, contract.GetProperty("monthlyFee").GetDecimal());
        Assert.Contains("1.000,50 EUR", saved, StringComparison.Ordinal);
        Assert.Contains("99,9 %", saved, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_fee_written_with_a_thousands_comma_in_an_english_browser_is_1000_50_and_a_german_decimal_comma_there_is_refused_not_read_as_100050()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var context = await world.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = world.BaseAddress.ToString(), Locale = "en-US", ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await OpenCustomerAsync(customer, await context.NewPageAsync());
        await page.WaitForFunctionAsync("() => document.querySelector('#contract-sla')?.value === '99.9'");

        await page.Locator("#contract-fee").FillAsync("1000,50");
        await page.ClickAsync("#save-contract");
        var refused = await page.Locator(".contract-message", new() { HasTextString = "not a number" }).InnerTextAsync();
        await page.Locator("#contract-fee").FillAsync("1,000.50");
        await page.Locator("#fee-echo", new() { HasTextString = "1,000.50 EUR" }).WaitForAsync();
        await page.ClickAsync("#save-contract");
        var saved = await page.Locator(".contract-message", new() { HasTextString = "Saved" }).InnerTextAsync();
        var contract = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract");

        Assert.Contains("1,000.50", refused, StringComparison.Ordinal);
        Assert.Equal(1000.50m, contract.GetProperty("monthlyFee").GetDecimal());
        Assert.Contains("1,000.50 EUR", saved, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_negative_fee_is_refused_with_a_sentence_and_no_exception_text()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var page = await OpenCustomerAsync(customer);
        await page.WaitForFunctionAsync("() => document.querySelector('#contract-sla')?.value === '99.9'");

        await page.Locator("#contract-fee").FillAsync("-100");
        await page.ClickAsync("#save-contract");
        var message = await page.Locator(".contract-message", new() { HasTextString = "amount" }).InnerTextAsync();

        Assert.DoesNotContain("Parameter", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value", message, StringComparison.Ordinal);
        Assert.Equal(1000m, (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract").GetProperty("monthlyFee").GetDecimal());
    }

    [SkippableFact]
    public async Task A_rule_is_made_by_picking_metric_percent_action_and_team_from_lists_and_removed_only_after_confirming()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var team = $"net{Guid.NewGuid():N}"[..10];
        await ServerScenario.UserAsync(admin.Http, $"u{team}", "technician", team: team);
        var page = await OpenCustomerAsync(customer);

        await PickAsync(page, ".rule-metric", "first response");
        await PickAsync(page, ".rule-percent", "100 % (the breach)");
        await PickAsync(page, ".rule-action", "reassign");
        await PickAsync(page, ".rule-target", $"team:{team}");
        await page.ClickAsync("#add-rule");
        var row = page.Locator(".rule-row", new() { HasTextString = $"team:{team}" });
        await row.WaitForAsync();
        var rules = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/escalation-rules"))).JsonAsync()).EnumerateArray().ToList();
        await row.Locator(".remove-rule").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep", Exact = true }).ClickAsync();
        var keptAfterKeep = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/escalation-rules"))).JsonAsync()).GetArrayLength();
        await row.Locator(".remove-rule").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        var rule = Assert.Single(rules);
        Assert.Equal("firstResponse", rule.GetProperty("metric").GetString());
        Assert.Equal(100, rule.GetProperty("percent").GetInt32());
        Assert.Equal("reassign", rule.GetProperty("action").GetString());
        Assert.Equal($"team:{team}", rule.GetProperty("target").GetString());
        Assert.Equal(1, keptAfterKeep);
        Assert.Equal(0, (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/escalation-rules"))).JsonAsync()).GetArrayLength());
    }

    [SkippableFact]
    public async Task A_20000_character_paste_is_cut_at_the_fields_limit_the_page_stays_connected_and_the_next_customer_starts_from_empty_fields()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "admin", SlaGrainsServerFixture.AdminPassword);
        await page.GotoAsync("/admin");
        await page.Locator("[data-live=on]").WaitForAsync();
        var id = $"p-{Guid.NewGuid():N}"[..14];

        // Two bytes a character in UTF-8: 40 KB in one message, more than the page's connection takes.
        await page.Locator("#new-customer-name").FocusAsync();
        await page.Keyboard.InsertTextAsync(new string('ü', 20_000));
        var kept = (await page.Locator("#new-customer-name").InputValueAsync()).Length;
        await page.Locator("#new-customer-id").FillAsync(id);
        await page.ClickAsync("#add-customer");
        await page.Locator("tr", new() { HasTextString = id }).WaitForAsync();
        var nameAfter = await page.Locator("#new-customer-name").InputValueAsync();
        var idAfter = await page.Locator("#new-customer-id").InputValueAsync();
        using var admin = await world.AdminAsync();
        var saved = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{id}"))).JsonAsync()).GetRawText();

        Assert.Equal(200, kept);
        Assert.Contains(new string('ü', 200), System.Text.RegularExpressions.Regex.Unescape(saved), StringComparison.Ordinal);
        Assert.Equal(string.Empty, nameAfter);
        Assert.Equal(string.Empty, idAfter);
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task A_special_hours_list_as_long_as_its_limit_reaches_the_server_in_one_piece_without_dropping_the_connection()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var page = await OpenCustomerAsync(customer);

        // The field takes 40,000 characters; as 'ü' that is 80 KB in one message, more than SignalR's 32 KB default.
        await page.Locator("#draft-special").FocusAsync();
        await page.Keyboard.InsertTextAsync(new string('ü', 40_000));
        var kept = (await page.Locator("#draft-special").InputValueAsync()).Length;

        // The server judged what it received (not a line of dates: the save is refused), so the message arrived whole.
        await page.Locator("#save-calendar[disabled]").WaitForAsync();
        await page.Locator("#draft-special").FillAsync("2027-12-24 09:00-12:00");
        await page.Locator("#save-calendar:not([disabled])").WaitForAsync();
        await page.ClickAsync("#save-calendar");
        await page.GetByText("Saved: open tickets of").WaitForAsync();
        var calendar = await CalendarJsonAsync(admin.Http, customer);

        Assert.Equal(40_000, kept);
        Assert.Contains("2027-12-24", calendar, StringComparison.Ordinal);
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    [SkippableFact]
    public async Task A_new_customers_editor_says_in_words_that_it_has_no_components_monitors_rules_or_maintenance_yet()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var page = await OpenCustomerAsync(customer);

        var row = page.Locator("tr", new() { HasTextString = $"({customer})" });
        await page.Locator(".sla-none-row", new() { HasTextString = "No monitors yet" }).WaitForAsync();
        var empty = await page.Locator(".sla-none-row").AllInnerTextsAsync();

        Assert.Contains("none yet", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(empty, t => t.StartsWith("No escalation rules", StringComparison.Ordinal));
        Assert.Contains(empty, t => t.StartsWith("No maintenance scheduled", StringComparison.Ordinal));
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    /// <summary>Opens a MudSelect (by its class) and picks the option with exactly <paramref name="text"/>.</summary>
    public static async Task PickAsync(IPage page, string select, string text)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.Locator(select).First.ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(text, new() { Exact = true }).ClickAsync();
        await page.Locator(".mud-popover-open").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    /// <summary>Signs in as the admin and opens <paramref name="customer"/>'s editor, its calendar loaded.</summary>
    private async Task<IPage> OpenCustomerAsync(string customer, IPage? page = null)
    {
        page ??= await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "admin", SlaGrainsServerFixture.AdminPassword);
        await page.GotoAsync("/admin");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        await page.Locator("#save-calendar").WaitForAsync();
        return page;
    }

    private static async Task<string> CalendarJsonAsync(HttpClient admin, string customer)
        => (await (await ServerScenario.Ok(admin.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("calendar").GetRawText();
}
