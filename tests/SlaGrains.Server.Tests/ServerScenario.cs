using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests;

/// <summary>Set-up steps through the public API, as an admin would do them.</summary>
internal static class ServerScenario
{
    /// <summary>A customer with a 24×7 calendar in <paramref name="timeZone"/>, a contract and a Gold tier whose P1 targets are given.</summary>
    public static async Task<string> CustomerAsync(HttpClient admin, string firstResponse = "PT1H", string resolution = "PT8H", string timeZone = "Europe/Berlin", string? group = null)
    {
        var id = $"c-{Guid.NewGuid():N}"[..14];
        await Ok(admin.PostAsJsonAsync("api/v1/customers", new { id, name = $"Customer {id}", group }));
        await Ok(admin.PutAsJsonAsync($"api/v1/customers/{id}/calendar", new { timeZone }));
        await Ok(admin.PutAsJsonAsync($"api/v1/customers/{id}/contract", new { slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR" }));
        await Ok(admin.PutAsJsonAsync($"api/v1/customers/{id}/policy", new
        {
            name = "Gold",
            targets = new Dictionary<string, object>
            {
                ["p1"] = new { firstResponse, resolution, coverage = "aroundTheClock" },
                ["p2"] = new { firstResponse = "PT4H", resolution = "PT24H", coverage = "aroundTheClock" },
                ["p3"] = new { firstResponse = "PT8H", resolution = "PT72H" },
                ["p4"] = new { firstResponse = "PT24H", resolution = "PT120H" },
            },
        }));
        return id;
    }

    /// <summary>
    /// Gives the customer a critical monitor (one failure confirms an outage) that was down <paramref name="downMinutes"/>
    /// from 10:00 on <paramref name="day"/> of last month in <paramref name="timeZone"/>; returns the monitor, the month
    /// and when the outage began.
    /// </summary>
    public static async Task<(string Monitor, YearMonth Month, Instant DownAt)> OutageLastMonthAsync(
        HttpClient admin, string customer, int downMinutes, string timeZone = "Europe/Berlin", string name = "API", int day = 5)
    {
        var monitor = $"m-{customer}";
        await Ok(admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name, critical = true, consecutiveFailures = 1 }));
        var zone = DateTimeZoneProviders.Tzdb[timeZone];
        var month = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.ToYearMonth().PlusMonths(-1);
        var down = month.OnDayOfMonth(day).At(new LocalTime(10, 0)).InZoneLeniently(zone).ToInstant();
        await Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch",
            new[] { new { up = false, at = down }, new { up = true, at = down + Duration.FromMinutes(downMinutes) } }, SlaGrainsServerFixture.Json));
        return (monitor, month, down);
    }

    /// <summary>A user with a password, made by the admin.</summary>
    public static async Task UserAsync(HttpClient admin, string userName, string role, string? customerId = null, string? team = null)
        => await Ok(admin.PostAsJsonAsync("api/v1/users", new { userName, password = Password(userName), role, customerId, team }));

    public static string Password(string userName) => $"{userName}-password-123";

    /// <summary>Fails with the response body when the status is not 2xx.</summary>
    public static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> request)
    {
        var response = await request;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
        => (await response.Content.ReadFromJsonAsync<JsonElement>(SlaGrainsServerFixture.Json));
}
