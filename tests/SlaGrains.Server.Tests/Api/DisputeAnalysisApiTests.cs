using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Tests.Security;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Issue 20, dispute analysis, over real HTTP: a customer's claimed down intervals of last month against a real
/// two-region monitor's check results (posted through the batch API into <c>check_results</c>). The SLA clock is moved
/// back into last month to announce maintenance ahead of time, then forward to now to close the month and dispute it.
/// </summary>
public sealed class DisputeAnalysisApiTests(MovableClockServer world) : IClassFixture<MovableClockServer>
{
    private static readonly string[] Regions = ["eu-west", "us-east"];

    private Instant Now => Instant.FromDateTimeOffset(world.Clock.GetUtcNow());

    private IGrainFactory Grains => world.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task Each_claimed_interval_is_marked_per_monitor_and_region_with_a_suggested_cause_that_the_customer_and_managers_read_and_strangers_do_not()
    {
        var (customer, month, start, monitor) = await MonthWithEvidenceAsync();
        using var admin = await world.AdminAsync();
        var user = await UserAsync(admin.Http, customer);
        var stranger = await UserAsync(admin.Http, await CustomerAsync(admin.Http));
        var manager = await ManagerAsync(admin.Http);
        var day = Duration.FromDays(1);

        var filed = await (await ServerScenario.Ok(user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new
        {
            month,
            claimedAvailabilityPercent = 99.0,
            claimedDowntime = new[]
            {
                Claim(start + 9 * day + Duration.FromHours(10), Duration.FromMinutes(45)),  // both regions down: measured
                Claim(start + 11 * day + Duration.FromHours(10), Duration.FromMinutes(45)), // us-east alone down: regional path
                Claim(start + 13 * day + Duration.FromHours(10), Duration.FromMinutes(45)), // both up: the customer's side
                Claim(start + 20 * day + Duration.FromHours(6), Duration.FromHours(1)),     // no results for two days: no data
                Claim(start + 3 * day + Duration.FromHours(2), Duration.FromHours(1)),      // maintenance announced in time
            },
        }, SlaGrainsServerFixture.Json))).JsonAsync();
        var asCustomer = Assert.Single((await (await ServerScenario.Ok(user.Http.GetAsync($"api/v1/customers/{customer}/disputes"))).JsonAsync()).EnumerateArray());
        var asManager = Assert.Single((await (await ServerScenario.Ok(manager.Http.GetAsync($"api/v1/customers/{customer}/disputes"))).JsonAsync()).EnumerateArray());
        var foreign = await stranger.Http.GetAsync($"api/v1/customers/{customer}/disputes");

        var analysis = filed.GetProperty("analysis");
        var intervals = analysis.GetProperty("intervals").EnumerateArray().ToList();
        Assert.Equal(5, intervals.Count);
        var segments = intervals.Select(i => Assert.Single(Assert.Single(i.GetProperty("monitors").EnumerateArray(), m => m.GetProperty("monitorId").GetString() == monitor)
            .GetProperty("segments").EnumerateArray())).ToList();
        Assert.Equal(["measuredDown", "probesSawUp", "probesSawUp", "noData", "maintenanceExcluded"], segments.Select(s => s.GetProperty("marking").GetString() ?? "(null)"));
        Assert.Equal(["sameOutage", "regionalPath", "customerSide", "dataGap", "maintenanceExcluded"], intervals.Select(i => i.GetProperty("cause").GetString() ?? "(null)"));
        Assert.Equal(Regions, Strings(segments[0], "regionsDown"));
        Assert.Equal(["us-east"], Strings(segments[1], "regionsDown"));
        Assert.Equal(["eu-west"], Strings(segments[1], "regionsUp"));
        Assert.Equal(Regions, Strings(segments[2], "regionsUp"));
        Assert.Empty(Strings(segments[2], "regionsDown"));
        Assert.Equal("All regions (eu-west, us-east) saw up throughout: likely a problem on the customer's side or their network path.", intervals[2].GetProperty("explanation").GetString());
        Assert.Contains("consider crediting it", intervals[3].GetProperty("explanation").GetString(), StringComparison.Ordinal);
        var announced = NodaTime.Text.InstantPattern.ExtendedIso.Parse(segments[4].GetProperty("maintenanceAnnouncedAt").GetString()!).Value;
        Assert.InRange(announced, start + Duration.FromHours(12), start + Duration.FromHours(13));
        Assert.Equal("mixed", analysis.GetProperty("cause").GetString());
        Assert.Equal("PT1H", analysis.GetProperty("totals").GetProperty("noData").GetString());
        Assert.Contains("Suggested: credit the 1 h our data cannot check.", analysis.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal(analysis.GetRawText(), asCustomer.GetProperty("analysis").GetRawText());
        Assert.Equal(analysis.GetRawText(), asManager.GetProperty("analysis").GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task Bad_claimed_downtime_is_a_problem_naming_the_interval_and_its_end_and_files_nothing()
    {
        var (customer, month, start, _) = await MonthWithEvidenceAsync();
        using var admin = await world.AdminAsync();
        var user = await UserAsync(admin.Http, customer);
        var inside = start + Duration.FromDays(5);

        async Task<HttpResponseMessage> File(object claimedDowntime, string? csv = null)
            => await user.Http.PostAsJsonAsync($"api/v1/customers/{customer}/disputes", new { month, claimedAvailabilityPercent = 99.0, claimedDowntime, downIntervalsCsv = csv }, SlaGrainsServerFixture.Json);

        var backwards = await File(new object[] { Claim(inside, Duration.FromHours(1)), new { from = inside, to = inside - Duration.FromMinutes(5) } });
        var noFrom = await File(new object[] { new { to = inside } });
        var beforeMonth = await File(new object[] { Claim(start - Duration.FromMinutes(30), Duration.FromHours(1)) });
        var afterMonth = await File(new object[] { Claim(inside, Duration.FromDays(40)) });
        var tooMany = await File(Enumerable.Range(0, 101).Select(i => Claim(inside + Duration.FromMinutes(i), Duration.FromMinutes(1))).ToArray());
        var tooManyWithCsv = await File(
            Enumerable.Range(0, 100).Select(i => Claim(inside + Duration.FromMinutes(i), Duration.FromMinutes(1))).ToArray(),
            $"{Iso(inside)},{Iso(inside + Duration.FromHours(1))}");
        var disputes = await (await ServerScenario.Ok(user.Http.GetAsync($"api/v1/customers/{customer}/disputes"))).JsonAsync();

        await AssertField(backwards, "claimedDowntime[1].to");
        await AssertField(noFrom, "claimedDowntime[0].from");
        await AssertField(beforeMonth, "claimedDowntime[0].from");
        await AssertField(afterMonth, "claimedDowntime[0].to");
        await AssertField(tooMany, "claimedDowntime");
        await AssertField(tooManyWithCsv, "downIntervalsCsv");
        Assert.Empty(disputes.EnumerateArray());
    }

    /// <summary>
    /// Last month (UTC) of a customer whose critical two-region monitor checked every 30 minutes from both regions, except:
    /// day 4 02:00–03:00 maintenance (announced on the 1st at noon, 62 h ahead of a 48 h contract) with both regions
    /// failing; day 10 10:00–11:00 both down; day 12 10:00–11:00 us-east alone down; days 20–21 no results at all (the
    /// monitor goes unknown a day after its last result). The month is closed.
    /// </summary>
    private async Task<(string Customer, string Month, Instant Start, string Monitor)> MonthWithEvidenceAsync()
    {
        var month = Now.InUtc().Date.ToYearMonth().PlusMonths(-1);
        var start = month.OnDayOfMonth(1).AtMidnight().InUtc().ToInstant();
        var end = month.PlusMonths(1).OnDayOfMonth(1).AtMidnight().InUtc().ToInstant();
        string customer, monitor;
        using (var admin0 = await world.AdminAsync())
        {
            customer = await CustomerAsync(admin0.Http);
            monitor = $"da-{customer}";
            await ServerScenario.Ok(admin0.Http.PostAsJsonAsync("api/v1/monitors", new
            {
                id = monitor,
                customerId = customer,
                name = "API",
                critical = true,
                consecutiveFailures = 1,
                regions = Regions,
                staleAfterSeconds = 86_400,
            }));
        }

        // Maintenance is announced on the 1st at noon (on the SLA clock), 62 h ahead of its window.
        var day = Duration.FromDays(1);
        var maintenance = start + 3 * day + Duration.FromHours(2);
        var back = Now - (start + Duration.FromHours(12));
        world.Clock.Advance(-back.ToTimeSpan());
        try
        {
            using var early = await world.AdminAsync();
            await ServerScenario.Ok(early.Http.PostAsJsonAsync(
                $"api/v1/monitors/{monitor}/maintenance", new { start = maintenance, end = maintenance + Duration.FromHours(1), description = "database upgrade" }, SlaGrainsServerFixture.Json));
        }
        finally
        {
            world.Clock.Advance(back.ToTimeSpan());
        }

        var both = new Interval(start + 9 * day + Duration.FromHours(10), start + 9 * day + Duration.FromHours(11));
        var usEast = new Interval(start + 11 * day + Duration.FromHours(10), start + 11 * day + Duration.FromHours(11));
        var silent = new Interval(start + 19 * day, start + 21 * day);
        var inMaintenance = new Interval(maintenance, maintenance + Duration.FromHours(1));
        var checks = new List<(Instant At, string Region, bool Up)>();
        foreach (var region in Regions)
        {
            for (var at = start; at < end; at += Duration.FromMinutes(30))
            {
                if (silent.Contains(at))
                {
                    continue;
                }

                var down = both.Contains(at) || inMaintenance.Contains(at) || (region == "us-east" && usEast.Contains(at));
                checks.Add((at, region, !down));
            }
        }

        using var admin = await world.AdminAsync();
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch",
            checks.OrderBy(c => c.At).Select(c => new { up = c.Up, at = c.At, region = c.Region }).ToArray(), SlaGrainsServerFixture.Json));
        var closed = await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        Assert.True(closed.Rejection is null, closed.Rejection?.Message);
        return (customer, month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), start, monitor);
    }

    private static async Task<string> CustomerAsync(HttpClient admin)
    {
        var customer = await ServerScenario.CustomerAsync(admin, timeZone: "Etc/UTC");
        await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", maintenanceNoticeHours = 48 }));
        return customer;
    }

    private async Task<SlaGrainsServerFixture.Session> UserAsync(HttpClient admin, string customer)
    {
        var name = $"dina-{customer}";
        await ServerScenario.UserAsync(admin, name, "customer", customerId: customer);
        return await world.SignInAsync(name, ServerScenario.Password(name));
    }

    private async Task<SlaGrainsServerFixture.Session> ManagerAsync(HttpClient admin)
    {
        var name = $"mia-{Guid.NewGuid():N}"[..14];
        await ServerScenario.UserAsync(admin, name, "manager");
        return await world.SignInAsync(name, ServerScenario.Password(name));
    }

    private static object Claim(Instant from, Duration length) => new { from, to = from + length };

    private static string Iso(Instant at) => NodaTime.Text.InstantPattern.ExtendedIso.Format(at);

    private static string[] Strings(JsonElement e, string property) => [.. e.GetProperty(property).EnumerateArray().Select(r => r.GetString() ?? "(null)")];

    private static async Task AssertField(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }
}
