using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Availability;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Credit notices, disputes and trends through real HTTP and the real hub. Months are closed with
/// <see cref="ICustomerGrain.CloseMonth"/> on the server's own cluster after the monitor's checks put them under the
/// 99.9 % commitment (an hour down in a month ≈ 99.86 %: 10 % of a 1,000 fee).
/// </summary>
public sealed class CreditsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private static YearMonth MonthsAgo(int months) => SystemClock.Instance.GetCurrentInstant().InZone(Berlin).Date.ToYearMonth().PlusMonths(-months);

    private static string Name(YearMonth month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    private IGrainFactory Grains => server.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task Closing_a_missed_month_sends_the_customer_one_notice_live_and_in_the_api_which_the_customer_marks_read()
    {
        using var admin = await server.AdminAsync();
        var (customer, user) = await CustomerWithUserAsync(admin, "EUR", outagesMonthsAgo: [1]);
        await using var hub = user.Hub();
        var live = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>("CreditNoticeIssued", n => live.TrySetResult(n));
        await hub.StartAsync();

        await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(MonthsAgo(1));
        await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(MonthsAgo(1));
        var pushed = await live.Task.WaitAsync(Bound);
        var notices = await (await ServerScenario.Ok(user.Http.GetAsync($"api/v1/customers/{customer}/notices"))).JsonAsync();
        var byStaff = await admin.Http.PostAsync($"api/v1/customers/{customer}/notices/notice-{Name(MonthsAgo(1))}/read", null);
        var read = await (await ServerScenario.Ok(user.Http.PostAsync($"api/v1/customers/{customer}/notices/notice-{Name(MonthsAgo(1))}/read", null))).JsonAsync();
        var unknown = await user.Http.PostAsync($"api/v1/customers/{customer}/notices/notice-1999-01/read", null);

        var notice = Assert.Single(notices.EnumerateArray());
        Assert.Equal($"notice-{Name(MonthsAgo(1))}", pushed.GetProperty("noticeId").GetString());
        Assert.Equal(100m, notice.GetProperty("amount").GetDecimal());
        Assert.Equal(10m, notice.GetProperty("creditPercent").GetDecimal());
        Assert.Equal(99.9m, notice.GetProperty("targetPercent").GetDecimal());
        Assert.Equal("PT1H", notice.GetProperty("downtime").GetString());
        Assert.True(notice.GetProperty("availabilityPercent").GetDecimal() < 99.9m);
        Assert.Equal($"/status/{customer}", Assert.Single(notice.GetProperty("incidents").EnumerateArray()).GetProperty("statusPage").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byStaff.StatusCode);
        Assert.Equal(user.Name, read.GetProperty("readBy").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_customer_files_a_dispute_a_manager_accepts_it_and_the_months_one_credit_is_adjusted_while_another_tenant_is_refused()
    {
        using var admin = await server.AdminAsync();
        var (customer, user) = await CustomerWithUserAsync(admin, "EUR", outagesMonthsAgo: [1]);
        var (_, stranger) = await CustomerWithUserAsync(admin, "EUR", outagesMonthsAgo: []);
        var manager = await ManagerAsync(admin);
        await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(MonthsAgo(1));
        var month = Name(MonthsAgo(1));

        var filed = await (await ServerScenario.Ok(user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new
        {
            month,
            claimedAvailabilityPercent = 98.9,
            evidence = "Our own probes saw the API down longer.",
            downIntervalsCsv = "start,end\n2026-01-01T00:00:00Z,2026-01-01T01:00:00Z",
        }))).JsonAsync();
        var foreign = await stranger.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new { month, claimedAvailabilityPercent = 90 });
        var customerResolves = await user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes/dispute-{month}/resolve", new { decision = "accept" });
        var resolved = await (await ServerScenario.Ok(manager.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes/dispute-{month}/resolve", new { decision = "accept" }))).JsonAsync();
        var again = await manager.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes/dispute-{month}/resolve", new { decision = "reject", note = "late" });
        var ledger = await (await ServerScenario.Ok(user.Http.GetAsync($"api/v1/customers/{customer}/credits"))).JsonAsync();

        Assert.Equal("filed", filed.GetProperty("status").GetString());
        Assert.Equal("reconciliationRequired", filed.GetProperty("path").GetString());
        Assert.True(filed.GetProperty("discrepancyPoints").GetDecimal() < -0.5m);
        Assert.Single(filed.GetProperty("ourDownIntervals").EnumerateArray());
        Assert.Single(filed.GetProperty("customerDownIntervals").EnumerateArray());
        Assert.Equal(99.9m, filed.GetProperty("clause").GetProperty("targetPercent").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, customerResolves.StatusCode);
        Assert.Equal("resolvedAccepted", resolved.GetProperty("status").GetString());
        var audit = resolved.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("by").GetString()).ToArray();
        Assert.Equal(2, audit.Length);
        Assert.Equal(user.Name, audit[0]);
        Assert.StartsWith("mona-", audit[1], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var credit = Assert.Single(ledger.EnumerateArray());
        Assert.Equal(100m, credit.GetProperty("amount").GetDecimal());
        Assert.Equal(250m, credit.GetProperty("adjustment").GetProperty("amount").GetDecimal());
        Assert.Equal(150m, credit.GetProperty("adjustment").GetProperty("delta").GetDecimal());
        Assert.Equal($"dispute-{month}", credit.GetProperty("adjustment").GetProperty("disputeId").GetString());
    }

    [Fact]
    public async Task Bad_dispute_input_is_a_problem_naming_the_field_and_changes_nothing()
    {
        using var admin = await server.AdminAsync();
        var (customer, user) = await CustomerWithUserAsync(admin, "EUR", outagesMonthsAgo: [1]);
        var manager = await ManagerAsync(admin);
        await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(MonthsAgo(1));
        var month = Name(MonthsAgo(1));

        var noClaim = await user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new { month });
        var badCsv = await user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new { month, claimedAvailabilityPercent = 99, downIntervalsCsv = "2026-01-01,2026-01-02" });
        var tooHigh = await user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new { month, claimedAvailabilityPercent = 101 });
        var openMonth = await user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new { month = Name(MonthsAgo(0)), claimedAvailabilityPercent = 99 });
        var afterBadInput = await (await user.Http.GetAsync($"api/v1/customers/{customer}/disputes")).JsonAsync();
        await ServerScenario.Ok(user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new { month, claimedAvailabilityPercent = 99.7 }));
        var adjustWithout = await manager.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes/dispute-{month}/resolve", new { decision = "adjust", note = "middle" });
        var rejectWithout = await manager.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes/dispute-{month}/resolve", new { decision = "reject" });
        var nothing = await manager.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes/dispute-{month}/resolve", new { note = "?" });
        var disputes = await (await user.Http.GetAsync($"api/v1/customers/{customer}/disputes")).JsonAsync();

        await AssertField(noClaim, "claimedAvailabilityPercent");
        await AssertField(badCsv, "downIntervalsCsv");
        await AssertField(tooHigh, "claimedAvailabilityPercent");
        Assert.Equal(HttpStatusCode.Conflict, openMonth.StatusCode);
        Assert.Empty(afterBadInput.EnumerateArray());
        await AssertField(adjustWithout, "availabilityPercent");
        await AssertField(rejectWithout, "note");
        await AssertField(nothing, "decision");
        Assert.Equal("filed", Assert.Single(disputes.EnumerateArray()).GetProperty("status").GetString());
        var credit = Assert.Single((await (await user.Http.GetAsync($"api/v1/customers/{customer}/credits")).JsonAsync()).EnumerateArray());
        Assert.Equal(JsonValueKind.Null, credit.GetProperty("adjustment").ValueKind);
    }

    [Fact]
    public async Task Trends_say_not_enough_data_under_six_months_then_increasing_with_a_live_alert_to_managers_and_are_refused_to_customers()
    {
        using var admin = await server.AdminAsync();
        var (customer, user) = await CustomerWithUserAsync(admin, "CHF", outagesMonthsAgo: [3, 2, 1]);
        var manager = await ManagerAsync(admin);
        await using var hub = manager.Hub();
        var alert = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>("CreditTrendIncreasing", t =>
        {
            if (t.GetProperty("currency").GetString() == "CHF")
            {
                alert.TrySetResult(t);
            }
        });
        await hub.StartAsync();
        var grain = Grains.GetGrain<ICustomerGrain>(customer);

        await grain.CloseMonth(MonthsAgo(6));
        await grain.CloseMonth(MonthsAgo(5));
        var early = Chf(await (await ServerScenario.Ok(manager.Http.GetAsync("api/v1/credits/trends"))).JsonAsync());
        for (var back = 4; back >= 1; back--)
        {
            await grain.CloseMonth(MonthsAgo(back));
        }

        var pushed = await alert.Task.WaitAsync(Bound);
        var later = Chf(await (await ServerScenario.Ok(manager.Http.GetAsync("api/v1/credits/trends"))).JsonAsync());
        var refused = await user.Http.GetAsync("api/v1/credits/trends");

        Assert.Equal("notEnoughData", early.GetProperty("direction").GetString());
        Assert.Equal(JsonValueKind.Null, early.GetProperty("changePercent").ValueKind);
        Assert.Equal("increasing", later.GetProperty("direction").GetString());
        Assert.Equal("increasing", pushed.GetProperty("direction").GetString());
        Assert.Equal(300m, later.GetProperty("lastThreeMonths").GetDecimal());
        Assert.Equal(0m, later.GetProperty("previousThreeMonths").GetDecimal());
        var months = later.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(6, months.Count);
        Assert.Equal(Name(MonthsAgo(1)), months[^1].GetProperty("month").GetString());
        Assert.Equal(1, months[^1].GetProperty("accountsWithCredits").GetInt32());
        Assert.Equal(100m, months[^1].GetProperty("largestCredit").GetDecimal());
        Assert.Equal(0, months[0].GetProperty("accountsWithCredits").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static JsonElement Chf(JsonElement trends) => trends.GetProperty("currencies").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == "CHF");

    private static async Task AssertField(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }

    /// <summary>A customer (1,000 a month in <paramref name="currency"/>, 99.9 %) whose critical monitor was down an hour in each given month back, and its user.</summary>
    private async Task<(string Customer, UserSession User)> CustomerWithUserAsync(SlaGrainsServerFixture.Session admin, string currency, int[] outagesMonthsAgo)
    {
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency }));
        var monitor = $"api-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer);
        // Measured from six months back (a success every 12 hours), so every month the tests close has data and is judged,
        // not "insufficient data". That reaches past the API's window for check results (90 days back): the history is
        // loaded on the monitor grain, as the demo seeder loads it.
        var outages = outagesMonthsAgo.Select(back =>
        {
            var down = ReportingPeriod.Month(MonthsAgo(back), Berlin).Start + Duration.FromDays(9) + Duration.FromHours(10);
            return new Interval(down, down + Duration.FromHours(1));
        }).ToArray();
        var measured = MeasuredHistory.Between(ReportingPeriod.Month(MonthsAgo(6), Berlin).Start, SystemClock.Instance.GetCurrentInstant(), outages);
        var loaded = await Grains.GetGrain<SlaGrains.Contracts.Monitors.IMonitorGrain>(monitor).IngestBatch([.. measured]);
        Assert.True(loaded.Accepted, loaded.Rejection?.Message);

        var name = $"alice-{customer}";
        await ServerScenario.UserAsync(admin.Http, name, "customer", customerId: customer);
        return (customer, new UserSession(name, await server.SignInAsync(name, ServerScenario.Password(name))));
    }

    private async Task<SlaGrainsServerFixture.Session> ManagerAsync(SlaGrainsServerFixture.Session admin)
    {
        var name = $"mona-{Guid.NewGuid():N}"[..14];
        await ServerScenario.UserAsync(admin.Http, name, "manager");
        return await server.SignInAsync(name, ServerScenario.Password(name));
    }

    /// <summary>A signed-in customer user and its name.</summary>
    private sealed record UserSession(string Name, SlaGrainsServerFixture.Session Session)
    {
        public HttpClient Http => Session.Http;

        public HubConnection Hub() => Session.Hub();
    }
}
