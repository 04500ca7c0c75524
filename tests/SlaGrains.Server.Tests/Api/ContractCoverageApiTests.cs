using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Api;

/// <summary>The data coverage a period needs to be judged is a contract term: PUT and GET carry <c>minimumCoveragePercent</c>.</summary>
public sealed class ContractCoverageApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private static async Task<decimal> StoredCoverage(HttpClient http, string customer)
        => (await (await ServerScenario.Ok(http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync())
            .GetProperty("contract").GetProperty("minimumCoveragePercent").GetDecimal();

    [Fact]
    public async Task A_contract_needing_80_percent_coverage_round_trips_through_get_and_one_without_it_shows_90()
    {
        using var admin = await server.AdminAsync();
        var needing80 = await ServerScenario.CustomerAsync(admin.Http);
        var byDefault = await ServerScenario.CustomerAsync(admin.Http);

        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{needing80}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", minimumCoveragePercent = 80 }));
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{byDefault}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR" }));

        Assert.Equal(80m, await StoredCoverage(admin.Http, needing80));
        Assert.Equal(90m, await StoredCoverage(admin.Http, byDefault));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("80.123")]
    public async Task A_bad_coverage_term_is_a_400_naming_minimumCoveragePercent_and_changes_nothing(string percent)
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", minimumCoveragePercent = 85 }));

        using var body = new StringContent($$"""{"slaTargetPercent": 99.5, "monthlyFee": 10, "currency": "EUR", "minimumCoveragePercent": {{percent}}}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await admin.Http.PutAsync($"api/v1/customers/{customer}/contract", body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("minimumCoveragePercent", out _), problem.ToString());
        Assert.Equal(85m, await StoredCoverage(admin.Http, customer));
    }
}
