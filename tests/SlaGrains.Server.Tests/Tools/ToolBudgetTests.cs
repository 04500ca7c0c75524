using System.Net;
using System.Text;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Tools;

/// <summary>
/// The tools' time budget, on a server whose budget is spent before any calculation starts (0 ms): a valid question
/// is answered 503 problem+json rather than computed, which is what any request that outruns the budget gets.
/// </summary>
public sealed class ToolBudgetTests(ToolBudgetTests.NoBudget server) : IClassFixture<ToolBudgetTests.NoBudget>
{
    [Theory]
    [InlineData("business-time", """{"calendar": {"timeZone": "UTC"}, "start": "2026-11-20T15:30:00Z", "add": "PT4H"}""")]
    [InlineData("credit", """{"availabilityPercent": 99.5, "targetPercent": 99.9, "monthlyFee": 1000.0}""")]
    public async Task A_tool_request_past_its_time_budget_is_a_503_problem(string tool, string body)
    {
        using var client = server.Anonymous();

        using var response = await client.PostAsync(new Uri($"api/v1/tools/{tool}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(), SlaGrainsServerFixture.Json);
        Assert.Contains("budget", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public sealed class NoBudget : SlaGrainsServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Tools:TimeBudgetMilliseconds", "0")];
    }
}
