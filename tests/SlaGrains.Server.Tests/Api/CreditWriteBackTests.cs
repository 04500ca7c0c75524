using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Availability;
using SlaGrains.Server.Tests.Security;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Billing writes back where a month's credit went (<c>POST /api/v1/credits/{customer}/{month}/applied</c>): the ledger,
/// the invoice lines, the customer's notice and its <c>credit.applied</c> webhook learn it, once. Real server, real
/// HTTP, a real webhook receiver on loopback.
/// </summary>
public sealed class CreditWriteBackTests(CreditWriteBackTests.World world) : IClassFixture<CreditWriteBackTests.World>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private static YearMonth LastMonth => SystemClock.Instance.GetCurrentInstant().InZone(Berlin).Date.ToYearMonth().PlusMonths(-1);

    private static string Name(YearMonth month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_integration_key_marks_a_credit_applied_once_and_the_ledger_invoice_lines_notice_and_webhook_show_the_invoice()
    {
        using var admin = await world.AdminAsync();
        var customer = await ClosedMissedMonthAsync(admin);
        var path = $"hooks/{Guid.NewGuid():N}";
        var hook = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync(
            $"api/v1/customers/{customer}/webhooks", new { url = world.Receiver.Url(path), eventTypes = new[] { "credit.applied" } }))).JsonAsync();
        world.Receiver.Expect(path, hook.GetProperty("secret").GetString()!);
        var key = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "billing", scope = "integration", customers = new[] { customer } }))).JsonAsync();
        using var billing = world.WithApiKey(key.GetProperty("key").GetString()!);
        var month = Name(LastMonth);
        var before = await InvoiceLineAsync(admin, customer, month);

        var applied = await (await ServerScenario.Ok(billing.PostAsJsonAsync(
            $"api/v1/credits/{customer}/{month}/applied", new { invoiceReference = "INV-2026-0113", invoiceDate = "2026-12-03" }))).JsonAsync();
        var again = await (await ServerScenario.Ok(billing.PostAsJsonAsync(
            $"api/v1/credits/{customer}/{month}/applied", new { invoiceReference = "INV-2026-0113", invoiceDate = "2026-12-03" }))).JsonAsync();
        var elsewhere = await billing.PostAsJsonAsync($"api/v1/credits/{customer}/{month}/applied", new { invoiceReference = "INV-2026-0999", invoiceDate = "2026-12-04" });
        var delivered = await world.Receiver.WaitFor(r => r.Path == path, Bound);
        var after = await InvoiceLineAsync(admin, customer, month);
        var csv = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/invoice-lines?month={month}"))).Content.ReadAsStringAsync();
        var notice = Assert.Single((await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/notices"))).JsonAsync()).EnumerateArray());
        var ledger = Assert.Single((await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/credits"))).JsonAsync()).EnumerateArray());

        Assert.False(before.GetProperty("applied").GetBoolean());
        Assert.Equal("appliedToInvoice", applied.GetProperty("status").GetString());
        Assert.Equal("INV-2026-0113", applied.GetProperty("applied").GetProperty("invoiceReference").GetString());
        Assert.Equal("2026-12-03", applied.GetProperty("applied").GetProperty("invoiceDate").GetString());
        Assert.Equal(applied.GetProperty("applied").GetProperty("appliedAt").GetString(), again.GetProperty("applied").GetProperty("appliedAt").GetString());
        Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
        Assert.Contains("INV-2026-0113", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(after.GetProperty("applied").GetBoolean());
        Assert.Equal("INV-2026-0113", after.GetProperty("invoiceReference").GetString());
        Assert.Contains(",true,INV-2026-0113,2026-12-03", csv, StringComparison.Ordinal);
        Assert.Equal("INV-2026-0113", notice.GetProperty("applied").GetProperty("invoiceReference").GetString());
        Assert.Equal("INV-2026-0113", ledger.GetProperty("applied").GetProperty("invoiceReference").GetString());
        Assert.True(delivered.SignatureValid);
        Assert.Equal("credit.applied", delivered.Event);
        var data = delivered.Json.GetProperty("data");
        Assert.Equal("INV-2026-0113", data.GetProperty("invoiceReference").GetString());
        Assert.Equal(100m, data.GetProperty("creditAmount").GetDecimal());
        Assert.Equal(month, data.GetProperty("month").GetString());

        // Telling us twice notified once: no second delivery arrives while the first one's retries would.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Single(world.Receiver.Received, r => r.Path == path);
    }

    [Fact]
    public async Task Bad_write_back_is_a_problem_naming_the_field_people_without_billing_rights_are_refused_and_nothing_changes()
    {
        using var admin = await world.AdminAsync();
        var customer = await ClosedMissedMonthAsync(admin);
        var other = await ServerScenario.CustomerAsync(admin.Http);
        var month = Name(LastMonth);
        await ServerScenario.UserAsync(admin.Http, $"c-{customer}", "customer", customer);
        await ServerScenario.UserAsync(admin.Http, $"o-{other}", "customer", other);
        using var own = await world.SignInAsync($"c-{customer}", ServerScenario.Password($"c-{customer}"));
        using var stranger = await world.SignInAsync($"o-{other}", ServerScenario.Password($"o-{other}"));
        var body = new { invoiceReference = "INV-1", invoiceDate = "2026-12-03" };

        var noReference = await admin.Http.PostAsJsonAsync($"api/v1/credits/{customer}/{month}/applied", new { invoiceDate = "2026-12-03" });
        var longReference = await admin.Http.PostAsJsonAsync($"api/v1/credits/{customer}/{month}/applied", new { invoiceReference = new string('x', 101), invoiceDate = "2026-12-03" });
        var noDate = await admin.Http.PostAsJsonAsync($"api/v1/credits/{customer}/{month}/applied", new { invoiceReference = "INV-1" });
        var badMonth = await admin.Http.PostAsJsonAsync($"api/v1/credits/{customer}/2026-13/applied", body);
        var openMonth = await admin.Http.PostAsJsonAsync($"api/v1/credits/{customer}/{Name(LastMonth.PlusMonths(1))}/applied", body);
        var byCustomer = await own.Http.PostAsJsonAsync($"api/v1/credits/{customer}/{month}/applied", body);
        var byStranger = await stranger.Http.PostAsJsonAsync($"api/v1/credits/{customer}/{month}/applied", body);
        var unknown = await admin.Http.PostAsJsonAsync($"api/v1/credits/nobody-{Guid.NewGuid():N}"[..40] + $"/{month}/applied", body);
        var line = await InvoiceLineAsync(admin, customer, month);

        await AssertField(noReference, "invoiceReference");
        await AssertField(longReference, "invoiceReference");
        await AssertField(noDate, "invoiceDate");
        await AssertField(badMonth, "month");
        Assert.Equal(HttpStatusCode.NotFound, openMonth.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.False(line.GetProperty("applied").GetBoolean());
    }

    private static async Task<JsonElement> InvoiceLineAsync(SlaGrainsServerFixture.Session admin, string customer, string month)
    {
        var lines = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/invoice-lines?month={month}&format=json"))).JsonAsync();
        return lines.EnumerateArray().Single(l => l.GetProperty("customerId").GetString() == customer);
    }

    private static async Task AssertField(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }

    /// <summary>A customer (1,000 EUR a month, 99.9 %) whose critical monitor was down an hour last month, that month closed: a 100 EUR credit.</summary>
    private async Task<string> ClosedMissedMonthAsync(SlaGrainsServerFixture.Session admin)
    {
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR" }));
        var monitor = $"api-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer);
        var down = ReportingPeriod.Month(LastMonth, Berlin).Start + Duration.FromDays(9) + Duration.FromHours(10);
        var measured = MeasuredHistory.Between(ReportingPeriod.Month(LastMonth.PlusMonths(-2), Berlin).Start, SystemClock.Instance.GetCurrentInstant(), [new Interval(down, down + Duration.FromHours(1))]);
        var grains = world.Services.GetRequiredService<IGrainFactory>();
        var loaded = await grains.GetGrain<SlaGrains.Contracts.Monitors.IMonitorGrain>(monitor).IngestBatch([.. measured]);
        Assert.True(loaded.Accepted, loaded.Rejection?.Message);
        var closed = await grains.GetGrain<ICustomerGrain>(customer).CloseMonth(LastMonth);
        Assert.True(closed.Accepted, closed.Rejection?.Message);
        return customer;
    }

    /// <summary>The server with a webhook receiver on loopback and quick webhook retries (its clock is real time unless moved).</summary>
    public sealed class World : WebhookReceiverServer;
}
