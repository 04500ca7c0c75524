using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Issue 18 item 2 over real HTTP: results with response times from two regions become the monitor's hourly p50/p95/p99
/// history (<c>GET /api/v1/monitors/{id}/response-times</c>) and the month's report gains response-time statistics per
/// service and checks per region, the same in JSON, CSV and PDF.
/// </summary>
public sealed class ResponseTimesApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task Results_from_two_regions_read_back_as_hourly_p50_p95_p99_and_max_with_checks()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Etc/UTC");
        var monitor = await RegionalMonitorAsync(admin.Http, customer);
        var hour = HourStart(SystemClock.Instance.GetCurrentInstant() - Duration.FromHours(2));
        // Ten checks in one hour: eu-west answers in 10..50 ms, us-east in 60..100 ms; and two in the hour after.
        var checks = Enumerable.Range(1, 5).Select(i => Check(hour + Duration.FromMinutes(i), "eu-west", 10 * i))
            .Concat(Enumerable.Range(1, 5).Select(i => Check(hour + Duration.FromMinutes(i) + Duration.FromSeconds(30), "us-east", 50 + (10 * i))))
            .Append(Check(hour + Duration.FromMinutes(70), "eu-west", 7))
            .Append(Check(hour + Duration.FromMinutes(71), "us-east", 9));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch", checks, SlaGrainsServerFixture.Json));

        var history = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}/response-times?granularity=hour"))).JsonAsync();
        var paged = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}/response-times?granularity=hour&limit=1&from={Iso(hour - Duration.FromHours(3))}"))).JsonAsync();
        var rest = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}/response-times?granularity=hour&limit=1&from={paged.GetProperty("next").GetString()}"))).JsonAsync();
        var daily = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}/response-times?granularity=day"))).JsonAsync();

        Assert.Equal("hour", history.GetProperty("granularity").GetString());
        var bucket = Assert.Single(history.GetProperty("buckets").EnumerateArray(), b => b.GetProperty("start").GetString() == Iso(hour));
        Assert.Equal(10, bucket.GetProperty("checks").GetInt32());
        // Nearest rank over the ten: p50 is the 5th (50 ms), p95 and p99 the 10th (100 ms).
        Assert.Equal((50.0, 100.0, 100.0, 100.0), (Ms(bucket, "p50Ms"), Ms(bucket, "p95Ms"), Ms(bucket, "p99Ms"), Ms(bucket, "maxMs")));
        var after = Assert.Single(history.GetProperty("buckets").EnumerateArray(), b => b.GetProperty("start").GetString() == Iso(hour + Duration.FromHours(1)));
        Assert.Equal((2, 7.0, 9.0), (after.GetProperty("checks").GetInt32(), Ms(after, "p50Ms"), Ms(after, "p99Ms")));
        Assert.Equal(JsonValueKind.Null, history.GetProperty("next").ValueKind);

        // Pages of one bucket: the first is this hour, the next page starts after it and holds the hour after.
        Assert.Equal(Iso(hour), Assert.Single(paged.GetProperty("buckets").EnumerateArray()).GetProperty("start").GetString());
        Assert.Equal(Iso(hour + Duration.FromHours(1)), paged.GetProperty("next").GetString());
        Assert.Equal(Iso(hour + Duration.FromHours(1)), Assert.Single(rest.GetProperty("buckets").EnumerateArray()).GetProperty("start").GetString());

        // The day's bucket counts the twelve checks.
        Assert.Equal(12, daily.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("checks").GetInt32()));
    }

    [Fact]
    public async Task Bad_history_input_is_a_400_naming_the_field_and_another_customers_monitor_is_not_found()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Etc/UTC");
        var other = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Etc/UTC");
        var monitor = await RegionalMonitorAsync(admin.Http, customer);
        var theirs = await RegionalMonitorAsync(admin.Http, other);
        await ServerScenario.UserAsync(admin.Http, $"rt-{customer}", "customer", customerId: customer);
        using var user = await server.SignInAsync($"rt-{customer}", ServerScenario.Password($"rt-{customer}"));

        foreach (var (query, field) in new[]
        {
            ("granularity=week", "granularity"),
            ("limit=0", "limit"),
            ("limit=1001", "limit"),
            ("from=yesterday", "from"),
            ("to=2026-13-01T00:00:00Z", "to"),
            ("granularity=hour&from=2026-01-01T00:00:00Z&to=2026-02-15T00:00:00Z", "to"),
            ("granularity=day&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
        })
        {
            var response = await user.Http.GetAsync($"api/v1/monitors/{monitor}/response-times?{query}");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {response.StatusCode}");
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"{query}: no error on {field}");
        }

        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync($"api/v1/monitors/{monitor}/response-times")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync($"api/v1/monitors/{theirs}/response-times")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync($"api/v1/monitors/no-such-{monitor}/response-times")).StatusCode);
        var negative = await admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = true, region = "eu-west", responseTimeMs = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.True((await negative.JsonAsync()).GetProperty("errors").TryGetProperty("responseTimeMs", out _));
    }

    [SkippableFact]
    public async Task The_months_report_has_response_time_statistics_and_checks_per_region_in_json_csv_and_pdf()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Etc/UTC");
        var monitor = await RegionalMonitorAsync(admin.Http, customer, "Mail relay");
        var lastMonth = SystemClock.Instance.GetCurrentInstant().InUtc().Date.ToYearMonth().PlusMonths(-1);
        var start = lastMonth.OnDayOfMonth(1).AtMidnight().InUtc().ToInstant();
        var end = lastMonth.PlusMonths(1).OnDayOfMonth(1).AtMidnight().InUtc().ToInstant();
        // Every hour of last month: eu-west answers in 100..199 ms; us-east in 300 ms, except its first four checks,
        // which failed without an answer. A check just before and one at the month's end are not in it.
        var hours = (int)(end - start).TotalHours;
        var eu = Enumerable.Range(0, hours).Select(h => Check(start + Duration.FromHours(h), "eu-west", 100 + (h % 100))).ToList();
        var us = Enumerable.Range(0, hours).Select(h => h < 4
            ? new CheckBody(false, start + Duration.FromHours(h) + Duration.FromMinutes(30), "us-east", null)
            : Check(start + Duration.FromHours(h) + Duration.FromMinutes(30), "us-east", 300)).ToList();
        var outside = new[] { Check(start - Duration.FromMinutes(1), "eu-west", 5_000), Check(end, "eu-west", 5_000) };
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch", eu.Concat(us).Concat(outside).OrderBy(c => c.At).ToList(), SlaGrainsServerFixture.Json));
        var name = lastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var json = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}"))).JsonAsync();
        var csvResponse = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}&format=csv"));
        var csvBytes = await csvResponse.Content.ReadAsByteArrayAsync();
        var csv = System.Text.Encoding.UTF8.GetString(csvBytes);

        // Expected figures, by nearest rank over the month's checks.
        var euTimes = Enumerable.Range(0, hours).Select(h => 100.0 + (h % 100)).Order().ToList();
        var allTimes = euTimes.Concat(Enumerable.Repeat(300.0, hours - 4)).Order().ToList();
        var service = Assert.Single(json.GetProperty("responseTimes").EnumerateArray());
        Assert.Equal(("Mail relay", 2L * hours, 2L * hours - 4), (service.GetProperty("service").GetString(), service.GetProperty("checks").GetInt64(), service.GetProperty("timedChecks").GetInt64()));
        Assert.Equal((Rank(allTimes, 50), Rank(allTimes, 95), Rank(allTimes, 99), 300.0), (Ms(service, "p50Ms"), Ms(service, "p95Ms"), Ms(service, "p99Ms"), Ms(service, "maxMs")));
        var regions = json.GetProperty("regions").EnumerateArray().ToList();
        Assert.Equal(["eu-west", "us-east"], regions.Select(r => r.GetProperty("region").GetString()));
        Assert.Equal((hours, 0, 100m), ((int)regions[0].GetProperty("checks").GetInt64(), (int)regions[0].GetProperty("failedChecks").GetInt64(), regions[0].GetProperty("availabilityPercent").GetDecimal()));
        Assert.Equal((Rank(euTimes, 50), Rank(euTimes, 95), Rank(euTimes, 99)), (Ms(regions[0], "p50Ms"), Ms(regions[0], "p95Ms"), Ms(regions[0], "p99Ms")));
        var usAvailability = Math.Floor(1_000_000m * (hours - 4) / hours) / 10_000m;
        Assert.Equal((hours, 4, usAvailability), ((int)regions[1].GetProperty("checks").GetInt64(), (int)regions[1].GetProperty("failedChecks").GetInt64(), regions[1].GetProperty("availabilityPercent").GetDecimal()));
        Assert.Equal((300.0, 300.0, 300.0), (Ms(regions[1], "p50Ms"), Ms(regions[1], "p95Ms"), Ms(regions[1], "p99Ms")));

        // The CSV has both sections with the same figures, and its SHA-256 (the report's header) covers them.
        Assert.Contains("response_service,monitor_id,checks,timed_checks,p50_ms,p95_ms,p99_ms,max_ms", csv, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Mail relay,{monitor},{2 * hours},{2 * hours - 4},{Rank(allTimes, 50)},{Rank(allTimes, 95)},{Rank(allTimes, 99)},300"), csv, StringComparison.Ordinal);
        Assert.Contains("region_service,monitor_id,region,checks,failed_checks,availability_by_checks_pct,p50_ms,p95_ms,p99_ms", csv, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Mail relay,{monitor},us-east,{hours},4,{usAvailability},300,300,300"), csv, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(csvBytes)), csvResponse.Headers.GetValues("X-Report-Data-SHA256").Single());

        Skip.If(PdfText.Unavailable is not null, PdfText.Unavailable);
        var pdf = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}&format=pdf"));
        var text = System.Text.RegularExpressions.Regex.Replace(await PdfText.ExtractAsync(await pdf.Content.ReadAsByteArrayAsync()), " {2,}", " ");
        Assert.Contains("Response times", text, StringComparison.Ordinal);
        Assert.Contains("Checks by region", text, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"us-east {hours:N0} 4 {usAvailability:0.0000} % 300 300 300"), text, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Mail relay {2 * hours:N0} {Rank(allTimes, 50)} {Rank(allTimes, 95)} {Rank(allTimes, 99)} 300"), text, StringComparison.Ordinal);
    }

    private static async Task<string> RegionalMonitorAsync(HttpClient admin, string customer, string name = "API")
    {
        var monitor = $"rt-{customer}";
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/monitors", new
        {
            id = monitor,
            customerId = customer,
            name,
            critical = true,
            consecutiveFailures = 2,
            regions = new[] { "eu-west", "us-east" },
        }));
        return monitor;
    }

    private static CheckBody Check(Instant at, string region, double ms) => new(true, at, region, ms);

    private static Instant HourStart(Instant at) => Instant.FromUnixTimeSeconds(at.ToUnixTimeSeconds() / 3600 * 3600);

    private static string Iso(Instant at) => NodaTime.Text.InstantPattern.ExtendedIso.Format(at);

    private static double Ms(JsonElement e, string property) => e.GetProperty(property).GetDouble();

    /// <summary>One result as <c>POST /api/v1/monitors/{id}/checks</c> takes it.</summary>
    private sealed record CheckBody(bool Up, Instant At, string Region, double? ResponseTimeMs);

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    private static double Rank(List<double> sorted, int percent) => sorted[(int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1];
}
