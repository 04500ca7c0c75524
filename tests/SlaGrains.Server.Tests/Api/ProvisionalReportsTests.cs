using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Availability;
using SlaGrains.Server.Tests.Security;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Issue 20, provisional reports: the running month's report through the real server (JSON, CSV, PDF read back with
/// <c>pdftotext</c>), marked provisional everywhere and never cached, and the raw check results it was computed from
/// as a streamed CSV whose SHA-256 the report states.
/// </summary>
public sealed class ProvisionalReportsTests(MovableClockServer server) : IClassFixture<MovableClockServer>
{
    [SkippableFact]
    public async Task The_running_months_report_is_provisional_as_of_now_in_json_csv_and_on_every_pdf_page_and_is_never_cached()
    {
        Skip.If(PdfText.Unavailable is not null, PdfText.Unavailable);
        using var admin = await server.AdminAsync();
        var (customer, month, checks) = await RunningMonthAsync(server, admin.Http);

        var jsonResponse = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}"));
        var json = await jsonResponse.JsonAsync();
        var csvResponse = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}&format=csv"));
        var csvBytes = await csvResponse.Content.ReadAsByteArrayAsync();
        var csv = Encoding.UTF8.GetString(csvBytes);
        var pdfResponse = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}&format=pdf"));
        var pages = await PdfText.PagesAsync(await pdfResponse.Content.ReadAsByteArrayAsync());

        Assert.True(json.GetProperty("provisional").GetBoolean());
        var asOf = Instant(json.GetProperty("asOf").GetString()!);
        Assert.True(asOf <= Now(server) && asOf > Instant(json.GetProperty("periodStart").GetString()!));
        Assert.True(Instant(json.GetProperty("periodEnd").GetString()!) > Now(server));
        Assert.Equal(checks.Length, json.GetProperty("rawChecks").GetProperty("rows").GetInt64());
        Assert.Equal(asOf, Instant(json.GetProperty("rawChecks").GetProperty("to").GetString()!));
        foreach (var response in new[] { jsonResponse, csvResponse, pdfResponse })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage?.RequestUri} may be cached");
            Assert.Equal("true", response.Headers.GetValues("X-Report-Provisional").Single());
        }

        Assert.StartsWith("status,as_of,note\nprovisional,", csv, StringComparison.Ordinal);
        Assert.Contains("raw_checks_from,raw_checks_to,raw_checks_rows,raw_checks_sha256", csv, StringComparison.Ordinal);
        Assert.Equal(Sha256(csvBytes), csvResponse.Headers.GetValues("X-Report-Data-SHA256").Single());
        Assert.Contains("-provisional.csv", csvResponse.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        Assert.Contains("-provisional.pdf", pdfResponse.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        Assert.True(pages.Length >= 2, $"{pages.Length} page(s): the test needs a report longer than a page");
        Assert.All(pages, page => Assert.Contains("PROVISIONAL", page, StringComparison.Ordinal));
        Assert.Contains($"Data SHA-256 (of this report's CSV): {pdfResponse.Headers.GetValues("X-Report-Data-SHA256").Single()}", pages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_raw_checks_csv_has_one_row_per_check_and_the_sha256_the_report_states_and_its_hash_covers()
    {
        using var admin = await server.AdminAsync();
        var (customer, month, checks) = await RunningMonthAsync(server, admin.Http);
        var csvReport = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}&format=csv"));
        var reportText = await csvReport.Content.ReadAsStringAsync();
        var json = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}"))).JsonAsync();
        var raw = json.GetProperty("rawChecks");
        var to = raw.GetProperty("to").GetString()!;

        var export = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports/checks.csv?period={month}&asOf={Uri.EscapeDataString(to)}"));
        var bytes = await export.Content.ReadAsByteArrayAsync();
        var lines = Encoding.UTF8.GetString(bytes).TrimEnd('\n').Split('\n');

        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal(raw.GetProperty("sha256").GetString(), Sha256(bytes));
        Assert.Equal("monitor_id,region,at,outcome,response_time_ms", lines[0]);
        Assert.Equal(checks.Length, lines.Length - 1);
        var first = checks[0];
        Assert.Equal($"m-{customer},,{NodaTime.Text.InstantPattern.ExtendedIso.Format(first.At)},{(first.IsDown ? "down" : "up")},{(first.IsDown ? "" : "120.25")}", lines[1]);
        Assert.Equal(checks.Count(c => c.IsDown), lines.Count(l => l.Contains(",down,", StringComparison.Ordinal)));
        // The report's CSV (whose SHA-256 is the report's hash) carries the raw file's SHA-256.
        Assert.Contains($",{checks.Length},{Sha256(bytes)}", reportText, StringComparison.Ordinal);
        Assert.True(export.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task A_customers_user_gets_only_their_own_provisional_report_and_raw_checks_and_bad_input_names_its_field()
    {
        using var admin = await server.AdminAsync();
        var (customer, month, _) = await RunningMonthAsync(server, admin.Http);
        var other = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.UserAsync(admin.Http, $"p-{customer}", "customer", customerId: customer);
        using var user = await server.SignInAsync($"p-{customer}", ServerScenario.Password($"p-{customer}"));
        var next = YearMonth(month).PlusMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var own = await user.Http.GetAsync($"api/v1/customers/{customer}/reports/checks.csv?period={month}");
        var ownReport = await user.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}");
        var foreign = await user.Http.GetAsync($"api/v1/customers/{other}/reports/checks.csv?period={month}");
        var foreignReport = await user.Http.GetAsync($"api/v1/customers/{other}/reports?period={month}");
        var badAsOf = await user.Http.GetAsync($"api/v1/customers/{customer}/reports/checks.csv?period={month}&asOf=yesterday");
        var futureAsOf = await user.Http.GetAsync($"api/v1/customers/{customer}/reports/checks.csv?period={month}&asOf={Uri.EscapeDataString(NodaTime.Text.InstantPattern.ExtendedIso.Format(Now(server) + Duration.FromHours(1)))}");
        var badPeriod = await user.Http.GetAsync($"api/v1/customers/{customer}/reports/checks.csv?period=October");
        var notBegun = await user.Http.GetAsync($"api/v1/customers/{customer}/reports/checks.csv?period={next}");
        var notBegunReport = await user.Http.GetAsync($"api/v1/customers/{customer}/reports?period={next}");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownReport.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignReport.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badAsOf.StatusCode);
        Assert.True((await badAsOf.JsonAsync()).GetProperty("errors").TryGetProperty("asOf", out _));
        Assert.Equal(HttpStatusCode.BadRequest, futureAsOf.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
        Assert.True((await badPeriod.JsonAsync()).GetProperty("errors").TryGetProperty("period", out _));
        Assert.Equal(HttpStatusCode.Conflict, notBegun.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notBegunReport.StatusCode);
    }

    /// <summary>
    /// A Berlin customer whose critical monitor was measured this month (on the server's clock, moved on when the month
    /// is younger than two days) with 40 two-minute outages — more incident rows than a page holds; returns the
    /// customer, the month's name and the checks posted, oldest first.
    /// </summary>
    internal static async Task<(string Customer, string Month, CheckResult[] Checks)> RunningMonthAsync(MovableClockServer server, HttpClient admin)
    {
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var month = Now(server).InZone(zone).Date.ToYearMonth();
        var start = ReportingPeriod.Month(month, zone).Start;
        if (Now(server) - start < Duration.FromDays(2))
        {
            server.Clock.Advance(TimeSpan.FromDays(2));
        }

        var customer = await ServerScenario.CustomerAsync(admin, timeZone: "Europe/Berlin");
        var monitor = $"m-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin, monitor, customer);
        var outages = Enumerable.Range(0, 40).Select(i => start + Duration.FromMinutes(30 + (50 * i))).Select(at => new Interval(at, at + Duration.FromMinutes(2))).ToArray();
        var checks = MeasuredHistory.Between(start, Now(server) - Duration.FromMinutes(1), outages).OrderBy(c => c.At).ToArray();
        await ServerScenario.Ok(admin.PostAsJsonAsync(
            $"api/v1/monitors/{monitor}/checks/batch", checks.Select(c => new { up = !c.IsDown, at = c.At, responseTimeMs = c.IsDown ? (double?)null : 120.25 }), SlaGrainsServerFixture.Json));
        return (customer, month.ToString("yyyy-MM", CultureInfo.InvariantCulture), checks);
    }

    internal static Instant Now(MovableClockServer server) => NodaTime.Instant.FromDateTimeOffset(server.Clock.GetUtcNow());

    internal static Instant Instant(string text) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();

    internal static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static YearMonth YearMonth(string name) => NodaTime.Text.YearMonthPattern.Iso.Parse(name).GetValueOrThrow();
}

/// <summary>The same month once it has closed: its final report, with its own server so the clock can move a month on.</summary>
public sealed class FinalAfterProvisionalReportTests(MovableClockServer server) : IClassFixture<MovableClockServer>
{
    [SkippableFact]
    public async Task After_the_month_closes_its_report_has_no_provisional_mark_and_a_hash_of_its_own_and_its_raw_checks_still_match()
    {
        Skip.If(PdfText.Unavailable is not null, PdfText.Unavailable);
        string customer, month, provisionalDigest;
        using (var admin = await server.AdminAsync())
        {
            (customer, month, _) = await ProvisionalReportsTests.RunningMonthAsync(server, admin.Http);
            var provisional = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}&format=csv"));
            provisionalDigest = provisional.Headers.GetValues("X-Report-Data-SHA256").Single();
        }

        // The month ends (in Berlin) and closes: the close archives its final report.
        var name = NodaTime.Text.YearMonthPattern.Iso.Parse(month).GetValueOrThrow();
        var end = ReportingPeriod.Month(name, DateTimeZoneProviders.Tzdb["Europe/Berlin"]).End;
        server.Clock.Advance((end - ProvisionalReportsTests.Now(server) + Duration.FromHours(1)).ToTimeSpan());
        await server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer).CloseMonth(name);

        using var again = await server.AdminAsync();
        var listed = await (await ServerScenario.Ok(again.Http.GetAsync($"api/v1/customers/{customer}/reports"))).JsonAsync();
        var jsonResponse = await ServerScenario.Ok(again.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}"));
        var json = await jsonResponse.JsonAsync();
        var csvResponse = await ServerScenario.Ok(again.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}&format=csv"));
        var csv = await csvResponse.Content.ReadAsStringAsync();
        var pdfResponse = await ServerScenario.Ok(again.Http.GetAsync($"api/v1/customers/{customer}/reports?period={month}&format=pdf"));
        var pages = await PdfText.PagesAsync(await pdfResponse.Content.ReadAsByteArrayAsync());
        var export = await ServerScenario.Ok(again.Http.GetAsync($"api/v1/customers/{customer}/reports/checks.csv?period={month}"));

        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("period").GetString() == month);
        Assert.False(json.GetProperty("provisional").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("asOf").ValueKind);
        Assert.DoesNotContain("provisional", csv, StringComparison.OrdinalIgnoreCase);
        Assert.All(pages, page => Assert.DoesNotContain("PROVISIONAL", page, StringComparison.OrdinalIgnoreCase));
        Assert.NotEqual(provisionalDigest, csvResponse.Headers.GetValues("X-Report-Data-SHA256").Single());
        Assert.False(csvResponse.Headers.Contains("X-Report-Provisional"));
        Assert.NotEqual(true, csvResponse.Headers.CacheControl?.NoStore);
        Assert.DoesNotContain("provisional", csvResponse.Content.Headers.ContentDisposition?.FileName ?? "", StringComparison.Ordinal);
        Assert.Equal(json.GetProperty("rawChecks").GetProperty("sha256").GetString(), ProvisionalReportsTests.Sha256(await export.Content.ReadAsByteArrayAsync()));
        Assert.Equal(json.GetProperty("periodEnd").GetString(), json.GetProperty("rawChecks").GetProperty("to").GetString());
    }
}
