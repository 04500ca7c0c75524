using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Text;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;
using SlaGrains.Server.Reports;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// The PDF report drawn by PDFsharp, read back as a reader's tools see it: <c>pdftotext -layout</c> for its text and
/// <c>pdftoppm</c> for its first page, from reports made by the real server through its report endpoint.
/// </summary>
public sealed class ReportPdfTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    [SkippableFact]
    public async Task A_long_incident_table_continues_on_the_next_page_under_its_header_and_every_page_has_the_data_hash_and_its_number()
    {
        Skip.If(PdfText.Unavailable is not null, PdfText.Unavailable);
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = $"m-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer, name: "Checkout");
        var month = SystemClock.Instance.GetCurrentInstant().InZone(Berlin).Date.ToYearMonth().PlusMonths(-1);
        var start = ReportingPeriod.Month(month, Berlin).Start;
        // 70 two-minute outages, one every 9 hours: more incident rows than a page holds.
        var outages = Enumerable.Range(0, 70).Select(i => start + Duration.FromHours(3 + (9 * i))).Select(at => new Interval(at, at + Duration.FromMinutes(2))).ToArray();
        await ServerScenario.MeasuredChecksAsync(admin.Http, monitor, start, outages);
        var period = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var json = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={period}"))).JsonAsync();
        var response = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={period}&format=pdf"));
        var pages = await PdfText.PagesAsync(await response.Content.ReadAsByteArrayAsync());

        var digest = response.Headers.GetValues(ReportsApi.DataDigestHeader).Single();
        var incidents = json.GetProperty("incidents").EnumerateArray().ToList();
        Assert.Equal(70, incidents.Count);
        Assert.True(pages.Length >= 3, $"expected the 70 incidents to need a second and third page, got {pages.Length} page(s)");
        for (var i = 0; i < pages.Length; i++)
        {
            Assert.Contains($"Data SHA-256 (of this report's CSV): {digest}", pages[i], StringComparison.Ordinal);
            Assert.Contains($"page {i + 1} of {pages.Length}", pages[i], StringComparison.Ordinal);
        }

        // The table goes on: a later page starts with the caption "(continued)" and the header row again.
        var continued = pages.Skip(1).Where(p => p.Contains("Incidents (continued)", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(continued);
        Assert.All(continued, p => Assert.Matches(@"Incident\s+Service\s+Start\s+End\s+Minutes\s+Root cause", p));
        var text = Squash(string.Join('\n', pages));
        foreach (var incident in incidents)
        {
            var at = InstantPattern.ExtendedIso.Parse(incident.GetProperty("start").GetString()!).Value.InZone(Berlin);
            // One row per incident: its id, its service, its start with the zone's abbreviation, its minutes.
            Assert.Contains($"{incident.GetProperty("incidentId").GetString()} Checkout {at.ToString("uuuu-MM-dd HH:mm x", CultureInfo.InvariantCulture)}", text, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task The_chart_and_its_table_show_the_closed_months_and_the_reports_own_figure_against_the_target()
    {
        Skip.If(PdfText.Unavailable is not null, PdfText.Unavailable);
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = $"m-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer);
        var last = SystemClock.Instance.GetCurrentInstant().InZone(Berlin).Date.ToYearMonth().PlusMonths(-1);
        var (met, missed) = (last.PlusMonths(-2), last.PlusMonths(-1));
        // Three months ago: 10 minutes down (met); two months ago: 3 hours down (missed, a credit); last month: none.
        Interval Down(YearMonth month, int minutes) => new(ReportingPeriod.Month(month, Berlin).Start + Duration.FromDays(4), ReportingPeriod.Month(month, Berlin).Start + Duration.FromDays(4) + Duration.FromMinutes(minutes));
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var loaded = await grains.GetGrain<IMonitorGrain>(monitor).IngestBatch(
            [.. MeasuredHistory.Between(ReportingPeriod.Month(met, Berlin).Start, SystemClock.Instance.GetCurrentInstant(), Down(met, 10), Down(missed, 180))]);
        Assert.True(loaded.Accepted, loaded.Rejection?.Message);
        var closedMet = await grains.GetGrain<ICustomerGrain>(customer).CloseMonth(met);
        var closedMissed = await grains.GetGrain<ICustomerGrain>(customer).CloseMonth(missed);
        var period = last.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var json = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={period}"))).JsonAsync();
        var pdf = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={period}&format=pdf"))).Content.ReadAsByteArrayAsync();
        var text = Squash(await PdfText.ExtractAsync(pdf));

        Assert.Contains($"Availability, 12 months to {period}", text, StringComparison.Ordinal);
        Assert.Contains("SLA target", text, StringComparison.Ordinal);
        Assert.Contains($"{Name(met)} {closedMet.Month!.UptimePercent.ToString("0.0000", CultureInfo.InvariantCulture)} % 99.9 % met 0.00 EUR", text, StringComparison.Ordinal);
        Assert.Contains($"{Name(missed)} {closedMissed.Month!.UptimePercent.ToString("0.0000", CultureInfo.InvariantCulture)} % 99.9 % missed {closedMissed.Credit!.Amount.ToString("N2", CultureInfo.InvariantCulture)} EUR", text, StringComparison.Ordinal);
        Assert.Contains($"{period} {json.GetProperty("uptimePercent").GetDecimal().ToString("0.0000", CultureInfo.InvariantCulture)} % 99.9 % met 0.00 EUR", text, StringComparison.Ordinal);
        Assert.Contains($"{Name(last.PlusMonths(-11))} – – not closed –", text, StringComparison.Ordinal);
        // The month labels under the bars, oldest to newest.
        Assert.Matches(Regex.Escape(last.PlusMonths(-11).ToString("MMM yy", CultureInfo.InvariantCulture)) + @"\s+.*" + Regex.Escape(last.ToString("MMM yy", CultureInfo.InvariantCulture)), text);
    }

    [SkippableFact]
    public async Task The_first_page_draws_as_an_a4_image_with_text_and_chart_ink()
    {
        Skip.If(PdfText.Unavailable is not null, PdfText.Unavailable);
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 120);
        var period = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var pdf = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={period}&format=pdf"))).Content.ReadAsByteArrayAsync();
        var (width, height, inked) = await PdfText.RenderFirstPageAsync(pdf);

        // A4 (595.28 × 841.89 points) at 50 dpi.
        Assert.InRange(width, 412, 415);
        Assert.InRange(height, 583, 586);
        // Text, table shading and the chart's bars and lines ink a few percent of the page; a blank page inks none.
        Assert.InRange(inked, width * height / 50, width * height / 2);
    }

    [Fact]
    public void The_charts_axis_starts_a_step_under_the_lowest_figure_and_has_at_most_six_steps_to_100()
    {
        foreach (var lowest in new[] { 99.9m, 99.95m, 99.5m, 98.2m, 95m, 80m, 42m, 0m, 100m })
        {
            var (low, step) = ReportChart.Scale([lowest, 100m]);
            Assert.True(low < lowest || low == 0m, $"lowest {lowest}: axis from {low}");
            Assert.True(low >= 0m && (100m - low) / step <= 6m, $"lowest {lowest}: {low} in steps of {step}");
            Assert.Equal(0m, low % step);
        }
    }

    private static string Name(YearMonth month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The PDF's text with runs of spaces made one (pdftotext -layout pads columns).</summary>
    private static string Squash(string text) => Regex.Replace(text, " {2,}", " ");
}

/// <summary>A server whose report fonts folder is empty, as on a machine without Debian's fonts-liberation.</summary>
public sealed class MissingFontsServer : SlaGrainsServerFixture
{
    public string FontFolder { get; } = Directory.CreateTempSubdirectory("slagrains-no-fonts-").FullName;

    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new(ReportFonts.FolderSetting, FontFolder)];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(FontFolder, recursive: true);
    }
}

/// <summary>Without its fonts the PDF report is refused with the package to install; JSON and CSV still answer.</summary>
public sealed class MissingFontsTests(MissingFontsServer server) : IClassFixture<MissingFontsServer>
{
    [Fact]
    public async Task Without_the_liberation_fonts_a_pdf_report_is_a_503_naming_the_package_and_json_and_csv_still_work()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 20);
        var period = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var pdf = await admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={period}&format=pdf");
        var again = await admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={period}&format=pdf");
        var csv = await admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={period}&format=csv");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, pdf.StatusCode);
        Assert.Equal("application/problem+json", pdf.Content.Headers.ContentType?.MediaType);
        var problem = await pdf.JsonAsync();
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("apt-get install fonts-liberation", detail, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(server.FontFolder, "LiberationSans-Regular.ttf"), detail, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
    }
}
