using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Availability;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Issue 20 — a contract's remedies over rolling windows and its term, through real HTTP: PUT and GET carry them, bad
/// input is a 400 naming the field and changes nothing, a month close records a fired remedy in the month's ledger entry
/// and notice, and the renewal summary says "renews on …, notice due by …".
/// </summary>
public sealed class RemediesAndTermApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private static LocalDate Today => SystemClock.Instance.GetCurrentInstant().InZone(Berlin).Date;

    private static YearMonth MonthsAgo(int months) => Today.ToYearMonth().PlusMonths(-months);

    private static string Name(YearMonth month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    private IGrainFactory Grains => server.Services.GetRequiredService<IGrainFactory>();

    private static object Contract(object? remedies, object? term) => new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", remedies, term };

    private static readonly object[] TwoRemedies =
    [
        new { misses = 3, windowMonths = 6, kind = "extraCredit", extraCreditPercent = 10 },
        new { misses = 3, windowMonths = 6, kind = "terminationRight" },
    ];

    [Fact]
    public async Task Remedies_and_a_term_round_trip_and_the_renewal_summary_says_when_it_renews_and_when_notice_is_due()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        // Started a year and a month ago for 24 months, renewing yearly with 90 days' notice.
        var start = new LocalDate(Today.Year, Today.Month, 1).PlusMonths(-13);
        var term = new { start = start.ToString("uuuu-MM-dd", null), termMonths = 24, renewalMonths = 12, noticeDays = 90 };

        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", Contract(TwoRemedies, term)));
        var contract = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract");
        var renewal = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/renewal"))).JsonAsync();

        var remedies = contract.GetProperty("remedies").EnumerateArray().ToList();
        Assert.Equal(2, remedies.Count);
        Assert.Equal(("extraCredit", 3, 6, 10m), (remedies[0].GetProperty("kind").GetString(), remedies[0].GetProperty("misses").GetInt32(), remedies[0].GetProperty("windowMonths").GetInt32(), remedies[0].GetProperty("extraCreditPercent").GetDecimal()));
        Assert.Equal("terminationRight", remedies[1].GetProperty("kind").GetString());
        var stored = contract.GetProperty("term");
        Assert.Equal((term.start, 24, 12, 90), (stored.GetProperty("start").GetString(), stored.GetProperty("termMonths").GetInt32(), stored.GetProperty("renewalMonths").GetInt32(), stored.GetProperty("noticeDays").GetInt32()));

        var renewsOn = start.PlusMonths(24);
        var noticeBy = renewsOn.PlusDays(-90);
        Assert.Equal(renewsOn.ToString("uuuu-MM-dd", null), renewal.GetProperty("renewsOn").GetString());
        Assert.Equal(noticeBy.ToString("uuuu-MM-dd", null), renewal.GetProperty("noticeDueBy").GetString());
        Assert.StartsWith($"renews on {renewsOn:uuuu-MM-dd}, notice due by {noticeBy:uuuu-MM-dd}", renewal.GetProperty("term").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"misses": 3, "windowMonths": 25, "kind": "extraCredit", "extraCreditPercent": 10}]""", "null", "remedies[0].windowMonths")]
    [InlineData("""[{"misses": 3, "windowMonths": 6, "kind": "refund"}]""", "null", "remedies[0].kind")]
    [InlineData("""[{"misses": 3, "windowMonths": 6, "kind": "terminationRight"}, {"misses": 7, "windowMonths": 6, "kind": "extraCredit", "extraCreditPercent": 5}]""", "null", "remedies[1].misses")]
    [InlineData("""[{"misses": 2, "windowMonths": 3, "kind": "extraCredit", "extraCreditPercent": 0}]""", "null", "remedies[0].extraCreditPercent")]
    [InlineData("null", """{"start": "2026-03-01", "termMonths": 12, "renewalMonths": 12, "noticeDays": 400}""", "term.noticeDays")]
    [InlineData("null", """{"start": "2026-02-30", "termMonths": 12, "renewalMonths": 12, "noticeDays": 30}""", "term.start")]
    [InlineData("null", """{"start": "2026-03-01", "termMonths": 0, "renewalMonths": 12, "noticeDays": 30}""", "term.termMonths")]
    public async Task A_bad_remedy_or_term_is_a_400_naming_the_field_and_changes_nothing(string remedies, string term, string field)
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", Contract(TwoRemedies, null)));

        using var body = new StringContent($$"""{"slaTargetPercent": 99.5, "monthlyFee": 10, "currency": "EUR", "remedies": {{remedies}}, "term": {{term}}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await admin.Http.PutAsync($"api/v1/customers/{customer}/contract", body);
        var problem = await response.Content.ReadAsStringAsync();
        var contract = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract");

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {problem}");
        Assert.True(JsonDocument.Parse(problem).RootElement.GetProperty("errors").TryGetProperty(field, out _), problem);
        Assert.Equal(99.9m, contract.GetProperty("slaTargetPercent").GetDecimal());
        Assert.Equal(2, contract.GetProperty("remedies").GetArrayLength());
    }

    [Fact]
    public async Task More_than_ten_remedies_is_a_400_naming_remedies()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var eleven = Enumerable.Range(2, 11).Select(m => new { misses = 2, windowMonths = m, kind = "terminationRight" }).ToArray();

        using var response = await admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", Contract(eleven, null));
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(problem).RootElement.GetProperty("errors").TryGetProperty("remedies", out _), problem);
    }

    [Fact]
    public async Task The_third_missed_month_in_six_fires_both_remedies_once_in_its_ledger_entry_and_notice_and_a_reclose_adds_nothing()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", Contract(TwoRemedies, null)));
        var monitor = $"api-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer);
        // An hour down in each of the last three months (≈ 99.86 %: each missed, 10 % = 100.00 EUR), measured throughout.
        var outages = new[] { 3, 2, 1 }.Select(back =>
        {
            var down = ReportingPeriod.Month(MonthsAgo(back), Berlin).Start + Duration.FromDays(9) + Duration.FromHours(10);
            return new Interval(down, down + Duration.FromHours(1));
        }).ToArray();
        var measured = MeasuredHistory.Between(ReportingPeriod.Month(MonthsAgo(4), Berlin).Start, SystemClock.Instance.GetCurrentInstant(), outages);
        Assert.True((await Grains.GetGrain<SlaGrains.Contracts.Monitors.IMonitorGrain>(monitor).IngestBatch([.. measured])).Accepted);
        var grain = Grains.GetGrain<ICustomerGrain>(customer);

        await grain.CloseMonth(MonthsAgo(4));
        await grain.CloseMonth(MonthsAgo(3));
        await grain.CloseMonth(MonthsAgo(2));
        await Task.WhenAll(grain.CloseMonth(MonthsAgo(1)), grain.CloseMonth(MonthsAgo(1)));
        var again = await grain.CloseMonth(MonthsAgo(1));
        var credits = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/credits"))).JsonAsync()).EnumerateArray().ToList();
        var notices = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/notices"))).JsonAsync()).EnumerateArray().ToList();

        Assert.True(again.AlreadyClosed);
        var third = Assert.Single(credits, c => c.GetProperty("month").GetString() == Name(MonthsAgo(1)));
        var fired = third.GetProperty("remedies").EnumerateArray().ToList();
        Assert.Equal(new[] { "extraCredit", "terminationRight" }, fired.Select(r => r.GetProperty("kind").GetString() ?? "").ToArray());
        Assert.Equal(100.00m, fired[0].GetProperty("extraCreditAmount").GetDecimal());
        Assert.Equal(new[] { Name(MonthsAgo(3)), Name(MonthsAgo(2)), Name(MonthsAgo(1)) }, fired[0].GetProperty("countedMonths").EnumerateArray().Select(m => m.GetString() ?? "").ToArray());
        // The extra credit is beyond the month's credit: 100.00 + 100.00.
        Assert.Equal(100.00m, third.GetProperty("amount").GetDecimal());
        Assert.Equal(200.00m, third.GetProperty("effectiveAmount").GetDecimal());
        Assert.Contains("3 of the last 6 months", third.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.All(credits.Where(c => c.GetProperty("month").GetString() != Name(MonthsAgo(1))), c => Assert.Equal(0, c.GetProperty("remediesFired").GetArrayLength()));

        var notice = Assert.Single(notices, n => n.GetProperty("month").GetString() == Name(MonthsAgo(1)));
        var summary = notice.GetProperty("summary").GetString()!;
        Assert.Contains("an extra credit of 10 % of the monthly fee (100.00 EUR)", summary, StringComparison.Ordinal);
        Assert.Contains("you may terminate the contract", summary, StringComparison.Ordinal);
        Assert.Equal(2, notice.GetProperty("remedies").GetArrayLength());
    }
}
