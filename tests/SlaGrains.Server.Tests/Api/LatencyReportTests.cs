using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Net.Http.Json;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Availability;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Latency in last month's SLA report (JSON and CSV) and in its one credit when the contract names a latency
/// commitment: a month that met availability but answered too slowly earns the schedule's credit, once.
/// </summary>
public sealed class LatencyReportTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task A_month_that_met_availability_but_missed_the_latency_commitment_has_a_latency_row_and_one_credit_for_it()
    {
        using var admin = await server.AdminAsync();
        var (customer, monitor, lastMonth) = await SlowLastMonth(admin.Http);
        var name = lastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var report = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}"))).JsonAsync();
        var csv = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/reports?period={name}&format=csv"))).Content.ReadAsStringAsync();
        var customerGrain = server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer);
        var closed = await customerGrain.CloseMonth(lastMonth);
        var again = await customerGrain.CloseMonth(lastMonth);
        var ledger = await customerGrain.GetCredits();

        Assert.True(report.GetProperty("commitmentMet").GetBoolean());
        var latency = report.GetProperty("latency");
        Assert.Equal(99m, latency.GetProperty("commitmentPercent").GetDecimal());
        Assert.Equal(90, latency.GetProperty("goodChecks").GetInt64());
        Assert.Equal(100, latency.GetProperty("totalChecks").GetInt64());
        Assert.Equal(90m, latency.GetProperty("sliPercent").GetDecimal());
        Assert.False(latency.GetProperty("commitmentMet").GetBoolean());
        var service = Assert.Single(latency.GetProperty("services").EnumerateArray());
        Assert.Equal(500, service.GetProperty("thresholdMs").GetInt32());
        Assert.Equal(99.5m, service.GetProperty("objectivePercent").GetDecimal());
        Assert.False(service.GetProperty("objectiveMet").GetBoolean());
        Assert.Equal(EventRatioBudget.Of(90, 100, 99.5m).RemainingPercent, service.GetProperty("budgetRemainingPercent").GetDecimal()); // −1900
        Assert.Equal(500m, report.GetProperty("credit").GetProperty("amount").GetDecimal());
        Assert.Contains("latency commitment", report.GetProperty("credit").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("latency,commitment_pct,sli_pct,good_checks,total_checks,met", csv, StringComparison.Ordinal);
        Assert.Contains($"API,{monitor},500,99.5,90,90,100,false,-1900", csv, StringComparison.Ordinal);

        Assert.True(closed.Accepted);
        Assert.Equal(500m, closed.Credit!.Amount);
        Assert.True(again.AlreadyClosed);
        Assert.Equal(500m, Assert.Single(ledger, c => c.Month == lastMonth).Amount);
    }

    [SkippableFact]
    public async Task The_pdf_report_has_the_latency_section()
    {
        Skip.If(PdfText.Unavailable is not null, PdfText.Unavailable);
        using var admin = await server.AdminAsync();
        var (customer, _, lastMonth) = await SlowLastMonth(admin.Http);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/customers/{customer}/reports?period={lastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture)}");
        request.Headers.Accept.ParseAdd("application/pdf");

        var text = System.Text.RegularExpressions.Regex.Replace(
            await PdfText.ExtractAsync(await (await ServerScenario.Ok(admin.Http.SendAsync(request))).Content.ReadAsByteArrayAsync()), " {2,}", " ");

        Assert.Contains("Latency SLI 90.0000 % (90 of 100 checks)", text, StringComparison.Ordinal);
        Assert.Contains("Latency commitment 99 % of checks within their threshold", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A customer whose contract commits 99 % latency and whose monitor (500 ms, objective 99.5 %) was up all last month
    /// (measured every 12 hours: no response time, so not latency checks) and on the 10th answered a hundred timed
    /// checks: 90 within 500 ms, 10 at 900 ms. Latency 90 % against the 99 % commitment: tier [0, 95) → 50 %.
    /// </summary>
    private static async Task<(string Customer, string Monitor, YearMonth Month)> SlowLastMonth(HttpClient admin)
    {
        var customer = await ServerScenario.CustomerAsync(admin, timeZone: "Europe/Berlin");
        await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", latencyCommitmentPercent = 99 }));
        var monitor = $"api-{customer}";
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/monitors", new
        {
            id = monitor, customerId = customer, name = "API", critical = true, consecutiveFailures = 1,
            staleAfterSeconds = (int)MeasuredHistory.StaleAfter.TotalSeconds,
            latency = new { thresholdMs = 500, objectivePercent = 99.5 },
        }));
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var lastMonth = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.ToYearMonth().PlusMonths(-1);
        var period = ReportingPeriod.Month(lastMonth, zone);

        // Up all month (measured every 12 hours: no response time, so not latency checks), and on the 10th a hundred
        // timed checks: 90 within 500 ms, 10 at 900 ms. Latency 90 % against the 99 % commitment: tier [0, 95) → 50 %.
        await ServerScenario.MeasuredChecksAsync(admin, monitor, period.Start, []);
        var tenth = period.Start + Duration.FromDays(9) + Duration.FromHours(10);
        var timed = Enumerable.Range(0, 100).Select(i => new { up = true, at = tenth + Duration.FromMinutes(i), responseTimeMs = i % 10 == 0 ? 900.0 : 100.0 });
        await ServerScenario.Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch", timed, SlaGrainsServerFixture.Json));

        return (customer, monitor, lastMonth);
    }
}
