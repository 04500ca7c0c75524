using System.Net;
using System.Net.Http.Json;

namespace SlaGrains.Server.Tests.Api;

/// <summary>Maintenance windows that would bend the SLA are refused: one announced after it began, or one of years.</summary>
public sealed class MaintenanceBoundsTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task A_maintenance_window_starting_in_the_past_or_lasting_ten_years_is_refused_naming_the_field_and_nothing_is_announced()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "API", critical = true }));

        var past = await admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start = "2020-01-01T22:00:00Z", end = "2020-01-01T23:00:00Z" });
        var decade = await admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start = "2030-01-01T00:00:00Z", end = "2040-01-01T00:00:00Z" });
        var ahead = await admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/maintenance", new { start = "2030-01-01T00:00:00Z", end = "2030-01-01T02:00:00Z" });
        var windows = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}/maintenance"))).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("in the past", (await past.JsonAsync()).GetProperty("errors").GetProperty("start")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, decade.StatusCode);
        Assert.True((await decade.JsonAsync()).GetProperty("errors").TryGetProperty("end", out _));
        Assert.True(ahead.IsSuccessStatusCode, await ahead.Content.ReadAsStringAsync());
        Assert.Equal(1, windows.GetArrayLength());
    }
}
