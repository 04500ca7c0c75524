using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Server.Tests.Api;

/// <summary>The monthly SLA report through the API, against the domain's arithmetic on the same checks.</summary>
public sealed class ReportsTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task Last_months_report_has_the_domains_uptime_the_incident_and_the_credit_for_the_missed_commitment_as_json_and_csv()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Europe/Berlin");
        var monitor = $"api-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer, consecutiveFailures: 2);

        // Last month in Berlin: an hour-long outage on its 10th, more than 99.9 % allows (about 43 minutes).
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var lastMonth = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.ToYearMonth().PlusMonths(-1);
        var period = ReportingPeriod.Month(lastMonth, zone);
        var down = period.Start + Duration.FromDays(9) + Duration.FromHours(10);
        // Measured throughout the month (a success every 12 hours), so the month has data and is judged.
        var checks = await ServerScenario.MeasuredChecksAsync(admin.Http, monitor, period.Start, [new Interval(down, down + Duration.FromMinutes(60))],
            CheckResult.Up(down - Duration.FromMinutes(5)), CheckResult.Down(down + Duration.FromMinutes(1)));
        var name = lastMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var report = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}"))).JsonAsync();
        var again = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}"))).JsonAsync();
        var csv = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}&format=csv"))).Content.ReadAsStringAsync();

        var expected = AvailabilityReport.Compute(period, OutageTimeline.DownIntervals(checks, consecutiveFailures: 2));
        Assert.Equal(expected.UptimePercent, report.GetProperty("uptimePercent").GetDecimal());
        Assert.False(report.GetProperty("commitmentMet").GetBoolean());
        Assert.Equal(60, report.GetProperty("downtimeMinutes").GetDouble());
        Assert.Equal(expected.UptimePercent, report.GetProperty("services")[0].GetProperty("uptimePercent").GetDecimal());
        var incident = Assert.Single(report.GetProperty("incidents").EnumerateArray());
        Assert.Equal(60, incident.GetProperty("durationMinutes").GetDouble());
        Assert.Equal(100m, report.GetProperty("credit").GetProperty("amount").GetDecimal());
        Assert.Equal(report.GetProperty("uptimePercent").GetDecimal(), again.GetProperty("uptimePercent").GetDecimal());
        Assert.Contains($"{customer},{name},Europe/Berlin", csv, StringComparison.Ordinal);
        Assert.Contains(expected.UptimePercent.ToString(System.Globalization.CultureInfo.InvariantCulture), csv, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_pdf_report_carries_the_json_reports_figures_and_the_sha256_of_its_csv_data_section()
    {
        Skip.If(PdfText.Unavailable is not null, PdfText.Unavailable);
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "America/New_York");
        var (monitor, lastMonth, down) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 95, timeZone: "America/New_York", name: "Web (public)");
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var name = lastMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/monitors/{monitor}/incidents/{monitor}-1/review", new { rootCause = "thirdPartyDependency", resolution = "Failed over to the second DNS provider" }));

        var json = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}"))).JsonAsync();
        var csvResponse = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}&format=csv"));
        var csv = await csvResponse.Content.ReadAsByteArrayAsync();
        using var pdfRequest = new HttpRequestMessage(HttpMethod.Get, $"api/v1/customers/{customer}/reports?period={name}");
        pdfRequest.Headers.Accept.ParseAdd("application/pdf");
        var pdfResponse = await ServerScenario.Ok(admin.Http.SendAsync(pdfRequest));
        var pdf = await pdfResponse.Content.ReadAsByteArrayAsync();
        var text = await PdfText.ExtractAsync(pdf);

        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(csv));
        Assert.Equal(digest, pdfResponse.Headers.GetValues("X-Report-Data-SHA256").Single());
        Assert.Contains($"Data SHA-256 (of this report's CSV): {digest}", text, StringComparison.Ordinal);
        var uptime = json.GetProperty("uptimePercent").GetDecimal();
        Assert.Contains($"Availability {uptime.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)} %", Squash(text), StringComparison.Ordinal);
        Assert.Contains($"Total downtime {json.GetProperty("downtimeMinutes").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)} minutes", Squash(text), StringComparison.Ordinal);
        var credit = json.GetProperty("credit");
        Assert.Contains($"Amount {credit.GetProperty("amount").GetDecimal().ToString("N2", System.Globalization.CultureInfo.InvariantCulture)} {credit.GetProperty("currency").GetString()}", Squash(text), StringComparison.Ordinal);
        Assert.Contains("commitment missed", text, StringComparison.Ordinal);
        var incident = Assert.Single(json.GetProperty("incidents").EnumerateArray());
        Assert.Contains(incident.GetProperty("incidentId").GetString()!, text, StringComparison.Ordinal);
        Assert.Contains(down.InZone(zone).ToString("uuuu-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Contains("Web (public)", text, StringComparison.Ordinal);
        Assert.Equal(95, json.GetProperty("downtimeMinutes").GetDouble());
        Assert.Equal("third-party dependency", incident.GetProperty("rootCause").GetString());
        Assert.Contains("third-party dependency", text, StringComparison.Ordinal);
        Assert.Contains("resolution: Failed over to the second DNS provider", Squash(text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_month_is_archived_listed_on_the_dashboard_with_the_renewal_summary_and_downloadable()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, timeZone: "Europe/Berlin");
        var (_, lastMonth, _) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 20);
        var name = lastMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        // The month-end deadline only closes months from when the contract began; an earlier month is closed as a back-fill.
        var closed = await server.Services.GetRequiredService<IGrainFactory>().GetGrain<SlaGrains.Contracts.Customers.ICustomerGrain>(customer).CloseMonth(lastMonth);
        var listed = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports"))).JsonAsync();
        var dashboard = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();
        var renewal = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/renewal"))).JsonAsync();
        var archived = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}"))).JsonAsync();
        var pdf = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}&format=pdf"));

        Assert.True(closed.Accepted);
        var entry = Assert.Single(listed.EnumerateArray(), r => r.GetProperty("period").GetString() == name);
        Assert.Equal(closed.Month!.UptimePercent, entry.GetProperty("uptimePercent").GetDecimal());
        Assert.Equal(entry.GetProperty("archivedAt").GetString(), archived.GetProperty("generatedAt").GetString());
        Assert.Equal(closed.Month.UptimePercent, archived.GetProperty("uptimePercent").GetDecimal());
        Assert.Equal($"Customer {customer}", archived.GetProperty("customerName").GetString());
        Assert.Equal(1, renewal.GetProperty("months").GetInt32());
        Assert.Equal(1, renewal.GetProperty("monthsMet").GetInt32());
        Assert.Equal(1, renewal.GetProperty("incidents").GetInt32());
        Assert.Equal(20, renewal.GetProperty("meanTimeToResolveMinutes").GetDouble());
        Assert.Equal(1, dashboard.GetProperty("renewal").GetProperty("months").GetInt32());
        Assert.Contains(dashboard.GetProperty("reports").EnumerateArray(), r => r.GetProperty("period").GetString() == name);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF-1.", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..8], StringComparison.Ordinal);
    }

    /// <summary>The PDF's text with runs of spaces made one (pdftotext -layout pads columns).</summary>
    private static string Squash(string text) => System.Text.RegularExpressions.Regex.Replace(text, " {2,}", " ");

    [Fact]
    public async Task A_report_needs_an_ended_period_a_valid_name_and_the_callers_own_customer()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var other = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.UserAsync(admin.Http, $"r-{customer}", "customer", customerId: customer);
        using var user = await server.SignInAsync($"r-{customer}", ServerScenario.Password($"r-{customer}"));
        var thisMonth = SystemClock.Instance.GetCurrentInstant().InUtc().Date.ToYearMonth().PlusMonths(1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var future = await user.Http.GetAsync($"api/v1/customers/{customer}/reports?period={thisMonth}");
        var badName = await user.Http.GetAsync($"api/v1/customers/{customer}/reports?period=October");
        var badQuarter = await user.Http.GetAsync($"api/v1/customers/{customer}/reports?quarter=2026-Q5");
        var foreign = await user.Http.GetAsync($"api/v1/customers/{other}/reports?period=2026-01");

        Assert.Equal(HttpStatusCode.Conflict, future.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badQuarter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}
