using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using NodaTime.Text;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Ticket-SLA credits over real HTTP (issue 20): a contract clause "first response for P1/P2 below 95 % → 5 %, cap 5 %",
/// last month's real tickets imported with their history, the month closed: one ledger entry with the folded amount,
/// the notice and the report explaining the ticket part; bad clauses are 400s naming the field.
/// </summary>
public sealed class TicketCreditApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private static readonly object FirstResponseP1P2 = new
    {
        metric = "firstResponse",
        priorities = new[] { "p1", "p2" },
        tiers = new[] { new { minPercent = 0, maxPercent = 95, creditPercent = 5 } },
        capPercent = 5,
    };

    [Fact]
    public async Task A_month_whose_p1_p2_first_responses_fell_below_95_percent_closes_with_one_credit_of_5_percent_explained_in_the_notice_and_report()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1H", resolution: "PT8H");
        var contract = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract",
            new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", ticketCredits = new[] { FirstResponseP1P2 } }))).JsonAsync();
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var lastMonth = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.ToYearMonth().PlusMonths(-1);
        var period = ReportingPeriod.Month(lastMonth, zone);

        // Up all month, so availability met and the month is judged (not insufficient data).
        var monitor = $"m-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer);
        await ServerScenario.MeasuredChecksAsync(admin.Http, monitor, period.Start, []);

        // 27 P1 tickets answered in 30 min (met), one P1 answered after 2 h (breached at 1 h), and one P2 opened 2 h before
        // the month whose 4 h first response ran out 2 h into it: 27 of 29 first responses met in the month = 93.1 %. A
        // P3 breach does not count for a P1/P2 clause.
        var day = period.Start + Duration.FromDays(3);
        var events = new List<object>();
        for (var i = 0; i < 27; i++)
        {
            events.AddRange(Ticket($"met-{i}", customer, "p1", day + Duration.FromHours(i), Duration.FromMinutes(30)));
        }

        events.AddRange(Ticket("late", customer, "p1", day + Duration.FromDays(2), Duration.FromHours(2)));
        events.AddRange(Ticket("before", customer, "p2", period.Start - Duration.FromHours(2), Duration.FromHours(5)));
        events.AddRange(Ticket("p3", customer, "p3", day + Duration.FromDays(4), Duration.FromHours(20)));
        using var integration = await IntegrationKeyAsync(admin.Http, customer);
        await ServerScenario.Ok(integration.PostAsJsonAsync("api/v1/integrations/generic/events", new { events }));

        var grain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer);
        var closed = await grain.CloseMonth(lastMonth);
        var again = await grain.CloseMonth(lastMonth);
        var ledger = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/credits"))).JsonAsync();
        var notices = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/notices"))).JsonAsync();
        var report = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={lastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture)}"))).JsonAsync();

        var clause = Assert.Single(contract.GetProperty("contract").GetProperty("ticketCredits").EnumerateArray());
        Assert.Equal("firstResponse", clause.GetProperty("metric").GetString());
        Assert.Equal(new[] { "p1", "p2" }, clause.GetProperty("priorities").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal(5m, clause.GetProperty("capPercent").GetDecimal());

        Assert.True(closed.Accepted);
        Assert.True(closed.Month!.SlaMet);
        Assert.Equal(50m, closed.Credit!.Amount);
        Assert.Equal(5m, closed.Credit.CreditPercent);
        Assert.Equal(5m, closed.Credit.TicketCreditPercent);
        Assert.False(closed.Credit.Met);
        Assert.True(again.AlreadyClosed);

        const string part = "first response P1/P2: 93.1 % of 29 clocks met, below 95.0 % → 5 %";
        var entry = Assert.Single(ledger.EnumerateArray(), e => e.GetProperty("month").GetString() == lastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        Assert.Equal(50m, entry.GetProperty("amount").GetDecimal());
        Assert.Contains(part, entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("0 % (availability) + 5 % (ticket SLAs) = 5 % of 1,000.00 EUR = 50.00 EUR", entry.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var notice = Assert.Single(notices.EnumerateArray());
        var summary = notice.GetProperty("summary").GetString();
        Assert.Contains($"Ticket SLAs: {part}.", summary, StringComparison.Ordinal);
        Assert.Contains("(0 % availability + 5 % ticket SLAs): 50.00 EUR, deducted from the next invoice.", summary, StringComparison.Ordinal);
        Assert.Equal(50m, notice.GetProperty("amount").GetDecimal());

        var credit = report.GetProperty("credit");
        Assert.Equal(50m, credit.GetProperty("amount").GetDecimal());
        Assert.Contains(part, credit.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // A dispute is about availability: settled at 99.0 % ([99.0, 99.9) → 10 %), the month keeps its ticket-SLA 5 %.
        await grain.FileDispute(new DisputeClaim(lastMonth, 99.0m, "our probes saw errors", [], "customer-user"));
        var resolved = await grain.ResolveDispute(CreditDisputeView.IdFor(lastMonth), new DisputeRuling(DisputeVerdict.Adjust, 99.0m, "agreed with the customer", "manager"));
        var adjusted = Assert.Single(await grain.GetCredits(), c => c.Month == lastMonth);

        Assert.True(resolved.Rejection is null, resolved.Rejection?.Message);
        Assert.Equal(15m, adjusted.Adjustment!.CreditPercent);
        Assert.Equal(150m, adjusted.EffectiveAmount);
        Assert.Contains("ticket-SLA credit of 5 %", adjusted.Adjustment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticket_credit_clauses_are_kept_as_sent_and_a_put_without_them_clears_them()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var resolution = new
        {
            metric = "resolution",
            priorities = new[] { "p2", "p1" },
            tiers = new[] { new { minPercent = 90, maxPercent = 98, creditPercent = 5 }, new { minPercent = 0, maxPercent = 90, creditPercent = 10 } },
            capPercent = 8,
        };

        var set = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract",
            new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", ticketCredits = new[] { FirstResponseP1P2, resolution } }))).JsonAsync();
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync();
        var cleared = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract",
            new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR" }))).JsonAsync();

        var clauses = set.GetProperty("contract").GetProperty("ticketCredits").EnumerateArray().ToArray();
        Assert.Equal(2, clauses.Length);
        Assert.Equal(new[] { "p1", "p2" }, clauses[1].GetProperty("priorities").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal(new[] { 98m, 90m }, clauses[1].GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("maxPercent").GetDecimal()).ToArray());
        Assert.Equal(set.GetProperty("contract").GetProperty("ticketCredits").GetRawText(), read.GetProperty("contract").GetProperty("ticketCredits").GetRawText());
        Assert.Empty(cleared.GetProperty("contract").GetProperty("ticketCredits").EnumerateArray());
    }

    [Theory]
    [InlineData("""[{"metric": "nextReply", "priorities": ["p1"], "tiers": [{"minPercent": 0, "maxPercent": 95, "creditPercent": 5}], "capPercent": 5}]""", "ticketCredits[0].metric")]
    [InlineData("""[{"priorities": ["p1"], "tiers": [{"minPercent": 0, "maxPercent": 95, "creditPercent": 5}], "capPercent": 5}]""", "ticketCredits[0].metric")]
    [InlineData("""[{"metric": "firstResponse", "priorities": [], "tiers": [{"minPercent": 0, "maxPercent": 95, "creditPercent": 5}], "capPercent": 5}]""", "ticketCredits[0].priorities")]
    [InlineData("""[{"metric": "firstResponse", "priorities": ["p1"], "tiers": [{"minPercent": 10, "maxPercent": 95, "creditPercent": 5}], "capPercent": 5}]""", "ticketCredits[0].tiers")]
    [InlineData("""[{"metric": "firstResponse", "priorities": ["p1"], "tiers": [], "capPercent": 5}]""", "ticketCredits[0].tiers")]
    [InlineData("""[{"metric": "firstResponse", "priorities": ["p1"], "tiers": [{"minPercent": 0, "maxPercent": 95, "creditPercent": 5}], "capPercent": 0}]""", "ticketCredits[0].capPercent")]
    [InlineData("""[{"metric": "firstResponse", "priorities": ["p1"], "tiers": [{"minPercent": 0, "maxPercent": 95, "creditPercent": 5}]}]""", "ticketCredits[0].capPercent")]
    [InlineData("""[null]""", "ticketCredits[0]")]
    public async Task A_bad_ticket_credit_clause_is_a_400_naming_the_field_and_changes_nothing(string clauses, string field)
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var body = $$"""{"slaTargetPercent": 99.5, "monthlyFee": 2000, "currency": "EUR", "ticketCredits": {{clauses}}}""";

        using var response = await admin.Http.PutAsync($"api/v1/customers/{customer}/contract", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.JsonAsync();
        var stored = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(99.9m, stored.GetProperty("contract").GetProperty("slaTargetPercent").GetDecimal());
        Assert.Empty(stored.GetProperty("contract").GetProperty("ticketCredits").EnumerateArray());
    }

    [Fact]
    public async Task More_than_ten_clauses_is_a_400_naming_ticketCredits()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        using var response = await admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract",
            new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", ticketCredits = Enumerable.Repeat(FirstResponseP1P2, 11).ToArray() });
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("ticketCredits", out _), problem.ToString());
    }

    /// <summary>A ticket created at <paramref name="opened"/> whose first agent reply came <paramref name="replyAfter"/> later.</summary>
    private static object[] Ticket(string name, string customer, string priority, Instant opened, Duration replyAfter)
    {
        var id = $"TC-{customer}-{name}";
        return
        [
            new { eventId = $"{id}-1", ticketId = id, customerId = customer, type = "created", at = Text(opened), priority, subject = $"Ticket {name}" },
            new { eventId = $"{id}-2", ticketId = id, type = "agentReply", at = Text(opened + replyAfter) },
        ];
    }

    private async Task<HttpClient> IntegrationKeyAsync(HttpClient admin, string customer)
    {
        var created = await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/api-keys", new { name = $"helpdesk {customer}", scope = "integration", customers = new[] { customer } }))).JsonAsync();
        return server.WithApiKey(created.GetProperty("key").GetString()!);
    }

    private static string Text(Instant at) => InstantPattern.ExtendedIso.Format(at);
}
