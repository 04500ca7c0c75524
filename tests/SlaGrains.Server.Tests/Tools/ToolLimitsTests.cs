using System.Text.Json;

namespace SlaGrains.Server.Tests.Tools;

/// <summary>
/// The anonymous tools' bounds on the real server: every list and span that drives the work is checked before any
/// is done, a request one past a bound is a 400 problem naming the field, and a request at the bound is answered.
/// </summary>
public sealed class ToolLimitsTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private const string Start = "2026-11-20T15:30:00Z";

    [Fact]
    public async Task Business_time_refuses_more_pauses_than_the_bound()
    {
        var errors = await ProblemAsync("business-time", BusinessTime(pauses: Pauses(501)));

        Assert.Equal(["$.pauses"], Keys(errors));
        Assert.Contains("500", errors.GetProperty("$.pauses")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Business_time_answers_the_bound_of_pauses()
    {
        // 500 one-hour pauses a day apart from the start, on 24×7: until start + 600 days, 500 h are paused.
        var result = await OkAsync("business-time", BusinessTime(pauses: Pauses(500), until: "2028-07-12T15:30:00Z"));

        Assert.Equal((600m * 24m * 3600m) - (500m * 3600m), result.GetProperty("businessSeconds").GetDecimal());
    }

    [Fact]
    public async Task Business_time_refuses_a_span_over_ten_years()
    {
        var errors = await ProblemAsync("business-time", BusinessTime(until: "2036-11-21T15:30:00Z"));

        Assert.Equal(["$.until"], Keys(errors));
    }

    [Fact]
    public async Task Business_time_refuses_an_add_over_ten_years()
    {
        var errors = await ProblemAsync("business-time", BusinessTime(add: "P3654D"));

        Assert.Equal(["$.add"], Keys(errors));
    }

    [Fact]
    public async Task Business_time_refuses_more_holidays_than_the_bound()
    {
        var holidays = string.Join(", ", Enumerable.Range(0, 401).Select(d => $"\"{new DateOnly(2027, 1, 1).AddDays(d):yyyy-MM-dd}\""));

        var errors = await ProblemAsync("business-time", BusinessTime(calendar: $$"""{"timeZone": "Europe/Berlin", "holidays": [{{holidays}}]}"""));

        Assert.Equal(["$.calendar.holidays"], Keys(errors));
    }

    [Fact]
    public async Task Business_time_refuses_more_special_days_than_the_bound()
    {
        var special = string.Join(", ", Enumerable.Range(0, 401).Select(d => $$"""{"date": "{{new DateOnly(2027, 1, 1).AddDays(d):yyyy-MM-dd}}", "hours": []}"""));

        var errors = await ProblemAsync("business-time", BusinessTime(calendar: $$"""{"timeZone": "Europe/Berlin", "specialHours": [{{special}}]}"""));

        Assert.Equal(["$.calendar.specialHours"], Keys(errors));
    }

    [Fact]
    public async Task Business_time_refuses_more_intervals_a_day_than_the_bound()
    {
        var hours = string.Join(", ", Enumerable.Range(0, 9).Select(h => $$"""{"start": "{{h:00}}:00", "end": "{{h:00}}:30"}"""));

        var errors = await ProblemAsync("business-time", BusinessTime(calendar: $$$"""{"timeZone": "Europe/Berlin", "weeklyHours": {"monday": [{{{hours}}}]}}"""));

        Assert.Equal(["$.calendar.weeklyHours.monday"], Keys(errors));
    }

    [Fact]
    public async Task Availability_refuses_a_period_over_ten_years()
    {
        var errors = await ProblemAsync("availability", """{"periodStart": "2020-01-01T00:00:00Z", "periodEnd": "2030-01-02T00:00:00Z", "targetPercent": 99.9}""");

        Assert.Equal(["$.periodEnd"], Keys(errors));
    }

    [Fact]
    public async Task Availability_refuses_more_downtime_than_the_bound()
    {
        var downtime = string.Join(",", Enumerable.Repeat("""{"start":"2026-11-10T10:00:00Z"}""", 1_001));

        var errors = await ProblemAsync("availability", $$"""{"periodStart": "2026-11-01T00:00:00Z", "periodEnd": "2026-12-01T00:00:00Z", "targetPercent": 99.9, "downtime": [{{downtime}}]}""");

        Assert.Equal(["$.downtime"], Keys(errors));
    }

    [Fact]
    public async Task Credit_refuses_more_schedule_rows_than_the_bound()
    {
        var rows = string.Join(",", Enumerable.Range(0, 51).Select(i => $$"""{"minPercent": {{i}}, "maxPercent": {{i + 1}}, "creditPercent": 10}"""));

        var errors = await ProblemAsync("credit", $$"""{"availabilityPercent": 99.5, "targetPercent": 99.9, "monthlyFee": 1000.0, "schedule": [{{rows}}]}""");

        Assert.Equal(["$.schedule"], Keys(errors));
    }

    /// <summary><paramref name="count"/> one-hour pauses, one a day from the start.</summary>
    private static string Pauses(int count)
    {
        var start = DateTimeOffset.Parse(Start, System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(",", Enumerable.Range(0, count).Select(d =>
            $$"""{"start":"{{start.AddDays(d + 1):yyyy-MM-ddTHH:mm:ssZ}}","end":"{{start.AddDays(d + 1).AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}"}""")) + "]";
    }

    private static string BusinessTime(string calendar = """{"timeZone": "UTC"}""", string? add = "PT4H", string? until = null, string? pauses = null)
        => $$"""
            {"calendar": {{calendar}}, "start": "{{Start}}"{{(add is null ? "" : $", \"add\": \"{add}\"")}}{{(until is null ? "" : $", \"until\": \"{until}\"")}}{{(pauses is null ? "" : $", \"pauses\": {pauses}")}}}
            """;

    private Task<JsonElement> OkAsync(string tool, string body) => ToolRequests.OkAsync(server, tool, body);

    private Task<JsonElement> ProblemAsync(string tool, string body) => ToolRequests.ProblemAsync(server, tool, body);

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string tool, string body) => ToolRequests.PostAsync(client, tool, body);

    private static string[] Keys(JsonElement errors) => ToolRequests.Keys(errors);
}
