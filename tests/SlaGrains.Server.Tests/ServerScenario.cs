using System.Net.Http.Json;
using System.Text.Json;
using SlaGrains.Domain.Availability;
using SlaGrains.Testing;

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
    /// and when the outage began. The monitor is measured throughout (see <see cref="MeasuredChecksAsync"/>), so last
    /// month has data and is judged, not "insufficient data". With <paramref name="measured"/> false it gets only the
    /// outage's two results (a failure and a success), for tests about rows and results rather than the month's verdict.
    /// </summary>
    public static async Task<(string Monitor, YearMonth Month, Instant DownAt)> OutageLastMonthAsync(
        HttpClient admin, string customer, int downMinutes, string timeZone = "Europe/Berlin", string name = "API", int day = 5, bool measured = true)
    {
        var monitor = $"m-{customer}";
        var zone = DateTimeZoneProviders.Tzdb[timeZone];
        var month = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date.ToYearMonth().PlusMonths(-1);
        var down = month.OnDayOfMonth(day).At(new LocalTime(10, 0)).InZoneLeniently(zone).ToInstant();
        if (measured)
        {
            await MeasuredMonitorAsync(admin, monitor, customer, name);
            await MeasuredChecksAsync(admin, monitor, ReportingPeriod.Month(month, zone).Start, [new Interval(down, down + Duration.FromMinutes(downMinutes))]);
        }
        else
        {
            await Ok(admin.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name, critical = true, consecutiveFailures = 1 }));
            await Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch",
                new[] { new { up = false, at = down }, new { up = true, at = down + Duration.FromMinutes(downMinutes) } }, SlaGrainsServerFixture.Json));
        }

        return (monitor, month, down);
    }

    /// <summary>
    /// Creates a push monitor of the customer (critical, one failure confirms an outage, unless told otherwise) that goes
    /// unknown only after <see cref="MeasuredHistory.StaleAfter"/> without a result, so it can be fed
    /// <see cref="MeasuredChecksAsync"/>.
    /// </summary>
    public static async Task MeasuredMonitorAsync(HttpClient admin, string monitor, string customer, string name = "API", bool critical = true, int consecutiveFailures = 1)
        => await Ok(admin.PostAsJsonAsync("api/v1/monitors", new
        {
            id = monitor,
            customerId = customer,
            name,
            critical,
            consecutiveFailures,
            staleAfterSeconds = (int)MeasuredHistory.StaleAfter.TotalSeconds,
        }));

    /// <summary>
    /// Posts the check results of a monitor measured from <paramref name="from"/> until now with <paramref name="outages"/>
    /// (<see cref="MeasuredHistory.Between"/>: a success every 12 hours outside them, a failure at each start, a success
    /// at each end), plus <paramref name="extra"/> results; returns all the results posted, ordered by time.
    /// </summary>
    public static async Task<CheckResult[]> MeasuredChecksAsync(HttpClient admin, string monitor, Instant from, Interval[] outages, params CheckResult[] extra)
    {
        var checks = MeasuredHistory.Between(from, SystemClock.Instance.GetCurrentInstant(), outages).Concat(extra).OrderBy(c => c.At).ToArray();
        await Ok(admin.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks/batch", checks.Select(c => new { up = !c.IsDown, at = c.At }), SlaGrainsServerFixture.Json));
        return checks;
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
