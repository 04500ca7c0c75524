using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Api;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// OWASP CSV injection: text a person typed (a customer's or a monitor's name) that a spreadsheet would run as a
/// formula comes out of every CSV export as quoted text with a leading single quote; numbers we format stay numbers.
/// </summary>
public sealed class CsvInjectionTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private const string Formula = "=HYPERLINK(\"http://127.0.0.1/x\",\"click\")";

    /// <summary>How the formula is written: quoted, inner quotes doubled, a single quote first.</summary>
    private const string Neutralised = "\"'=HYPERLINK(\"\"http://127.0.0.1/x\"\",\"\"click\"\")\"";

    [Fact]
    public async Task Report_exports_write_a_formula_in_a_name_as_quoted_text()
    {
        using var admin = await server.AdminAsync();
        var group = $"g-{Guid.NewGuid():N}";
        var customer = await CustomerNamedAsync(admin.Http, Formula, group);
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(admin.Http, customer, downMinutes: 60, name: Formula);
        var closed = await server.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(customer).CloseMonth(month);
        Assert.True(closed.Accepted, closed.Rejection?.Message);
        var name = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var report = await Csv(admin.Http, $"api/v1/customers/{customer}/reports?period={name}&format=csv");
        var managers = await Csv(admin.Http, $"api/v1/reports/managers?from={name}&to={name}&group={group}&format=csv");
        var invoiceLines = await Csv(admin.Http, $"api/v1/invoice-lines?month={name}");

        foreach (var (export, csv) in new[] { ("report", report), ("managers", managers), ("invoice lines", invoiceLines) })
        {
            Assert.True(csv.Contains(Neutralised, StringComparison.Ordinal), $"{export}:\n{csv}");
            Assert.False(Cells(csv).Any(cell => cell.StartsWith('=')), $"{export} has a cell starting with '=':\n{csv}");
        }

        // The report's service table names the monitor; the managers' and invoice lines' rows name the customer.
        Assert.Contains($"{Neutralised},m-{customer},true,", report, StringComparison.Ordinal);
        Assert.Contains($"{customer},{Neutralised},{group},", managers, StringComparison.Ordinal);
        Assert.Contains($"{customer},{Neutralised},{group},{name},", invoiceLines, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_starting_like_a_formula_is_neutralised_but_numbers_we_format_are_not()
    {
        using var csv = new CsvText();

        csv.Row(-12.5m, -3, "-3", "+1", "@SUM(A1)", "\tx", "\rx", "=1+1", "plain", "a-b", string.Empty);

        Assert.Equal("-12.5,-3,\"'-3\",\"'+1\",\"'@SUM(A1)\",\"'\tx\",\"'\rx\",\"'=1+1\",plain,a-b,\n", csv.ToString());
    }

    private static async Task<string> CustomerNamedAsync(HttpClient admin, string name, string group)
    {
        var id = $"c-{Guid.NewGuid():N}"[..14];
        await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/customers", new { id, name, group }));
        await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/customers/{id}/calendar", new { timeZone = "Europe/Berlin" }));
        await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/customers/{id}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR" }));
        return id;
    }

    private static async Task<string> Csv(HttpClient client, string path)
    {
        using var response = await ServerScenario.Ok(client.GetAsync(path));
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The cells of a CSV text (RFC 4180 quoting), unquoted.</summary>
    private static IEnumerable<string> Cells(string csv)
    {
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c is ',' or '\n')
            {
                yield return cell.ToString();
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        yield return cell.ToString();
    }
}
