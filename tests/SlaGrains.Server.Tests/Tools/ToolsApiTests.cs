using System.Text.Json;

namespace SlaGrains.Server.Tests.Tools;

/// <summary>
/// The what-if tools on the real server, without signing in: exact figures for the business-time, availability and
/// credit calculators, worked out by hand in the comments, and a field-level 400 problem for every kind of bad input.
/// </summary>
public sealed class ToolsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    /// <summary>New York, Monday to Friday 09:00–17:00, closed on Christmas Day 2026.</summary>
    private const string NewYork = """
        {
            "timeZone": "America/New_York",
            "weeklyHours": {
                "monday": [{"start": "09:00", "end": "17:00"}],
                "tuesday": [{"start": "09:00", "end": "17:00"}],
                "wednesday": [{"start": "09:00", "end": "17:00"}],
                "thursday": [{"start": "09:00", "end": "17:00"}],
                "friday": [{"start": "09:00", "end": "17:00"}]
            },
            "holidays": ["2026-12-25"]
        }
        """;

    [Fact]
    public async Task Business_time_of_the_contract_example_is_due_Friday_afternoon_and_counts_seven_and_a_half_hours_to_Monday()
    {
        // Standard time since 1 Nov 2026: New York is UTC−5. Start Fri 2026-11-20 15:30Z = 10:30 EST, open.
        // +4 h of business time: 10:30 + 4 h = 14:30 EST = 19:30Z the same Friday.
        // Until Mon 2026-11-23 15:00Z = 10:00 EST: Fri 10:30–17:00 (6.5 h) + Mon 09:00–10:00 (1 h) = 7.5 h = 27,000 s.
        // The calendar next closes Fri 17:00 EST = 22:00Z.
        var result = await OkAsync("business-time", $$"""
            {"calendar": {{NewYork}}, "start": "2026-11-20T15:30:00Z", "add": "PT4H", "until": "2026-11-23T15:00:00Z"}
            """);

        Assert.Equal("2026-11-20T19:30:00Z", result.GetProperty("due").GetString());
        Assert.Equal(27_000m, result.GetProperty("businessSeconds").GetDecimal());
        Assert.True(result.GetProperty("isOpenAtStart").GetBoolean());
        Assert.Equal("2026-11-20T15:30:00Z", result.GetProperty("nextOpen").GetString());
        Assert.Equal("2026-11-20T22:00:00Z", result.GetProperty("nextClose").GetString());
    }

    [Fact]
    public async Task Business_time_skips_the_weekend_and_a_holiday()
    {
        // Thu 2026-12-24 21:00Z = 16:00 EST: 1 h left that day. Fri 25 is a holiday, Sat and Sun are closed, so the
        // other 3 h of PT14400S run Mon 28 09:00–12:00 EST: due 12:00 EST = 17:00Z. Until then: 1 h + 3 h = 14,400 s.
        var result = await OkAsync("business-time", $$"""
            {"calendar": {{NewYork}}, "start": "2026-12-24T21:00:00Z", "add": "PT14400S", "until": "2026-12-28T17:00:00Z"}
            """);

        Assert.Equal("2026-12-28T17:00:00Z", result.GetProperty("due").GetString());
        Assert.Equal(14_400m, result.GetProperty("businessSeconds").GetDecimal());
        Assert.Equal("2026-12-24T22:00:00Z", result.GetProperty("nextClose").GetString());
    }

    [Fact]
    public async Task Business_time_used_up_exactly_at_closing_time_is_due_at_that_closing_time_not_at_the_next_opening()
    {
        // Fri 10:30 EST + 6 h 30 min = Fri 17:00 EST = 22:00Z (not Mon 09:00 EST = 14:00Z).
        var result = await OkAsync("business-time", $$"""
            {"calendar": {{NewYork}}, "start": "2026-11-20T15:30:00Z", "add": "PT6H30M"}
            """);

        Assert.Equal("2026-11-20T22:00:00Z", result.GetProperty("due").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("businessSeconds").ValueKind);
    }

    [Fact]
    public async Task Business_hours_ending_at_24_00_run_into_the_next_morning_as_one_open_stretch()
    {
        // UTC, Mon 20:00–24:00 and Tue 00:00–02:00. From Mon 2026-11-23 21:00Z: Mon 21:00–24:00 gives 3 h, the 4th hour
        // is Tue 00:00–01:00, due Tue 01:00Z. The two intervals touch at midnight: one stretch, closing Tue 02:00Z.
        // Until Tue 02:00Z: 3 h + 2 h = 18,000 s.
        var result = await OkAsync("business-time", """
            {
                "calendar": {
                    "timeZone": "UTC",
                    "weeklyHours": {"monday": [{"start": "20:00", "end": "24:00"}], "tuesday": [{"start": "00:00", "end": "02:00"}]}
                },
                "start": "2026-11-23T21:00:00Z", "add": "PT4H", "until": "2026-11-24T02:00:00Z"
            }
            """);

        Assert.Equal("2026-11-24T01:00:00Z", result.GetProperty("due").GetString());
        Assert.Equal(18_000m, result.GetProperty("businessSeconds").GetDecimal());
        Assert.True(result.GetProperty("isOpenAtStart").GetBoolean());
        Assert.Equal("2026-11-24T02:00:00Z", result.GetProperty("nextClose").GetString());
    }

    [Fact]
    public async Task Business_time_with_weekly_hours_omitted_is_24x7_over_the_weekend_and_never_closes()
    {
        // 24×7: Sat 2026-11-21 10:00Z + 50 h = Mon 2026-11-23 12:00Z; Sat 10:00Z to Tue 10:00Z = 72 h = 259,200 s.
        var result = await OkAsync("business-time", """
            {"calendar": {"timeZone": "Europe/Berlin"}, "start": "2026-11-21T10:00:00Z", "add": "PT50H", "until": "2026-11-24T10:00:00Z"}
            """);

        Assert.Equal("2026-11-23T12:00:00Z", result.GetProperty("due").GetString());
        Assert.Equal(259_200m, result.GetProperty("businessSeconds").GetDecimal());
        Assert.True(result.GetProperty("isOpenAtStart").GetBoolean());
        Assert.Equal("2026-11-21T10:00:00Z", result.GetProperty("nextOpen").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("nextClose").ValueKind);
    }

    [Fact]
    public async Task Business_time_pauses_stop_the_clock_for_both_add_and_until()
    {
        // From Fri 10:30 EST, paused Fri 12:00–14:00 EST and again Fri 16:00 EST to Mon 09:30 EST (given out of order).
        // add PT4H: Fri 10:30–12:00 (1.5 h) + 14:00–16:00 (2 h) = 3.5 h, then Mon 09:30 + 0.5 h = 10:00 EST = 15:00Z.
        // until Mon 15:00Z: 7.5 h of business time − 2 h (first pause) − 1.5 h (Fri 16–17 and Mon 09:00–09:30) = 4 h.
        // isOpenAtStart, nextOpen and nextClose describe the calendar: it still closes Fri 17:00 EST = 22:00Z.
        var result = await OkAsync("business-time", $$"""
            {
                "calendar": {{NewYork}},
                "start": "2026-11-20T15:30:00Z", "add": "PT4H", "until": "2026-11-23T15:00:00Z",
                "pauses": [
                    {"start": "2026-11-20T21:00:00Z", "end": "2026-11-23T14:30:00Z"},
                    {"start": "2026-11-20T17:00:00Z", "end": "2026-11-20T19:00:00Z"}
                ]
            }
            """);

        Assert.Equal("2026-11-23T15:00:00Z", result.GetProperty("due").GetString());
        Assert.Equal(14_400m, result.GetProperty("businessSeconds").GetDecimal());
        Assert.True(result.GetProperty("isOpenAtStart").GetBoolean());
        Assert.Equal("2026-11-20T22:00:00Z", result.GetProperty("nextClose").GetString());
    }

    [Fact]
    public async Task Business_time_from_outside_hours_is_closed_at_start_and_names_the_next_opening()
    {
        // Sat 2026-11-21 15:00Z is closed: it is its own next close; the desk opens Mon 09:00 EST = 14:00Z.
        // Until Mon 15:00Z: Mon 09:00–10:00 EST = 3,600 s. No add: no due time.
        var result = await OkAsync("business-time", $$"""
            {"calendar": {{NewYork}}, "start": "2026-11-21T15:00:00Z", "until": "2026-11-23T15:00:00Z"}
            """);

        Assert.Equal(JsonValueKind.Null, result.GetProperty("due").ValueKind);
        Assert.Equal(3_600m, result.GetProperty("businessSeconds").GetDecimal());
        Assert.False(result.GetProperty("isOpenAtStart").GetBoolean());
        Assert.Equal("2026-11-23T14:00:00Z", result.GetProperty("nextOpen").GetString());
        Assert.Equal("2026-11-21T15:00:00Z", result.GetProperty("nextClose").GetString());
    }

    [Theory]
    [InlineData("PT1.5S", "2026-11-20T15:30:01.5Z")]
    [InlineData("PT90S", "2026-11-20T15:31:30Z")]
    [InlineData("PT7200S", "2026-11-20T17:30:00Z")]
    public async Task Business_time_durations_in_seconds_and_fractions_of_a_second_add_exactly(string add, string due)
    {
        var result = await OkAsync("business-time", $$"""
            {"calendar": {"timeZone": "UTC"}, "start": "2026-11-20T15:30:00Z", "add": "{{add}}", "until": "2026-11-20T15:30:02.25Z"}
            """);

        Assert.Equal(due, result.GetProperty("due").GetString());
        Assert.Equal(2.25m, result.GetProperty("businessSeconds").GetDecimal());
    }

    [Fact]
    public async Task Business_time_is_never_due_when_the_calendar_never_opens()
    {
        var result = await OkAsync("business-time", """
            {"calendar": {"timeZone": "UTC", "weeklyHours": {}}, "start": "2026-11-20T15:30:00Z", "add": "PT1H", "until": "2026-11-21T15:30:00Z"}
            """);

        Assert.Equal(JsonValueKind.Null, result.GetProperty("due").ValueKind);
        Assert.Equal(0m, result.GetProperty("businessSeconds").GetDecimal());
        Assert.False(result.GetProperty("isOpenAtStart").GetBoolean());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("nextOpen").ValueKind);
        Assert.Equal("2026-11-20T15:30:00Z", result.GetProperty("nextClose").GetString());
    }

    [Fact]
    public async Task Availability_counts_ongoing_downtime_to_the_period_end_and_overlapping_downtime_once()
    {
        // November 2026 in UTC: 30 days = 2,592,000 s. Downtime: 10:00–10:30 and 10:15–10:45 on the 10th merge into
        // 45 min = 2,700 s; the outage from Nov 30 23:00Z is ongoing (end null) and counts to the period end: 3,600 s.
        // Downtime 6,300 s. Uptime (2,592,000 − 6,300) / 2,592,000 = 99.756944…% → 99.7569 (rounded down). Missed.
        // Budget at 99.9 %: 0.1 % × 2,592,000 = 2,592 s; used 6,300; remaining −3,708 = −143.0555…% of the budget.
        // Burn rate: (6,300 / 2,592,000) ÷ 0.001 = 2.430555… → 2.4305.
        var result = await OkAsync("availability", """
            {
                "periodStart": "2026-11-01T00:00:00Z", "periodEnd": "2026-12-01T00:00:00Z", "targetPercent": 99.9,
                "downtime": [
                    {"start": "2026-11-30T23:00:00Z", "end": null},
                    {"start": "2026-11-10T10:00:00Z", "end": "2026-11-10T10:30:00Z"},
                    {"start": "2026-11-10T10:15:00Z", "end": "2026-11-10T10:45:00Z"}
                ]
            }
            """);

        Assert.Equal(99.7569m, result.GetProperty("uptimePercent").GetDecimal());
        Assert.Equal(6_300m, result.GetProperty("downtimeSeconds").GetDecimal());
        Assert.Equal(0m, result.GetProperty("excludedSeconds").GetDecimal());
        Assert.False(result.GetProperty("met").GetBoolean());
        Assert.Equal(2.4305m, result.GetProperty("burnRate").GetDecimal());
        var budget = result.GetProperty("errorBudget");
        Assert.Equal(2_592m, budget.GetProperty("totalSeconds").GetDecimal());
        Assert.Equal(6_300m, budget.GetProperty("usedSeconds").GetDecimal());
        Assert.Equal(-3_708m, budget.GetProperty("remainingSeconds").GetDecimal());
        Assert.Equal(-143.0555m, budget.GetProperty("percentRemaining").GetDecimal());
    }

    [Fact]
    public async Task Availability_excludes_maintenance_announced_in_time_or_never_announced_and_counts_late_maintenance_as_downtime()
    {
        // 48 h notice. Nov 14 02:00–04:00Z announced Nov 10 (96 h ahead): excluded 7,200 s, and the outage inside it
        // (02:30–03:30) is excluded, not downtime. Nov 21 02:00–03:00Z announced 14 h ahead: too late, ignored, so the
        // outage 02:00–03:00 counts: 3,600 s. Nov 28 02:00–02:30Z with announcedAt null counts as announced: excluded 1,800 s.
        // Measured 2,592,000 − 9,000 = 2,583,000 s. Uptime (2,583,000 − 3,600) / 2,583,000 = 99.86062…% → 99.8606.
        // Target 99.8 %: budget 0.2 % × 2,583,000 = 5,166 s; used 3,600; remaining 1,566 = 30.3135…% of the budget; met.
        // Burn rate: (3,600 / 2,583,000) ÷ 0.002 = 0.69686… → 0.6968.
        var result = await OkAsync("availability", """
            {
                "periodStart": "2026-11-01T00:00:00Z", "periodEnd": "2026-12-01T00:00:00Z", "targetPercent": 99.8,
                "downtime": [
                    {"start": "2026-11-14T02:30:00Z", "end": "2026-11-14T03:30:00Z"},
                    {"start": "2026-11-21T02:00:00Z", "end": "2026-11-21T03:00:00Z"}
                ],
                "maintenance": [
                    {"start": "2026-11-14T02:00:00Z", "end": "2026-11-14T04:00:00Z", "announcedAt": "2026-11-10T02:00:00Z"},
                    {"start": "2026-11-21T02:00:00Z", "end": "2026-11-21T03:00:00Z", "announcedAt": "2026-11-20T12:00:00Z"},
                    {"start": "2026-11-28T02:00:00Z", "end": "2026-11-28T02:30:00Z", "announcedAt": null}
                ],
                "maintenanceNoticeHours": 48
            }
            """);

        Assert.Equal(99.8606m, result.GetProperty("uptimePercent").GetDecimal());
        Assert.Equal(3_600m, result.GetProperty("downtimeSeconds").GetDecimal());
        Assert.Equal(9_000m, result.GetProperty("excludedSeconds").GetDecimal());
        Assert.True(result.GetProperty("met").GetBoolean());
        Assert.Equal(0.6968m, result.GetProperty("burnRate").GetDecimal());
        var budget = result.GetProperty("errorBudget");
        Assert.Equal(5_166m, budget.GetProperty("totalSeconds").GetDecimal());
        Assert.Equal(3_600m, budget.GetProperty("usedSeconds").GetDecimal());
        Assert.Equal(1_566m, budget.GetProperty("remainingSeconds").GetDecimal());
        Assert.Equal(30.3135m, budget.GetProperty("percentRemaining").GetDecimal());
    }

    [Fact]
    public async Task Availability_against_a_100_percent_target_has_no_budget_to_burn()
    {
        // One second down in a day: 86,399 / 86,400 = 99.998842…% → 99.9988. A 100 % target allows nothing.
        var result = await OkAsync("availability", """
            {
                "periodStart": "2026-11-01T00:00:00Z", "periodEnd": "2026-11-02T00:00:00Z", "targetPercent": 100,
                "downtime": [{"start": "2026-11-01T12:00:00Z", "end": "2026-11-01T12:00:01Z"}]
            }
            """);

        Assert.Equal(99.9988m, result.GetProperty("uptimePercent").GetDecimal());
        Assert.False(result.GetProperty("met").GetBoolean());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("burnRate").ValueKind);
        var budget = result.GetProperty("errorBudget");
        Assert.Equal(0m, budget.GetProperty("totalSeconds").GetDecimal());
        Assert.Equal(-1m, budget.GetProperty("remainingSeconds").GetDecimal());
        Assert.Equal(JsonValueKind.Null, budget.GetProperty("percentRemaining").ValueKind);
    }

    [Fact]
    public async Task Credit_with_the_default_schedule_is_ten_percent_between_99_and_99_9()
    {
        // 99.5 % lies in the default [99.0, 99.9) → 10 % tier: 10 % of 1,000.00 = 100.00.
        var result = await OkAsync("credit", """{"availabilityPercent": 99.5, "targetPercent": 99.9, "monthlyFee": 1000.0}""");

        Assert.Equal(10m, result.GetProperty("creditPercent").GetDecimal());
        Assert.Equal(100m, result.GetProperty("creditAmount").GetDecimal());
        Assert.False(result.GetProperty("capped").GetBoolean());
        Assert.False(result.GetProperty("met").GetBoolean());
    }

    [Fact]
    public async Task Credit_with_a_custom_schedule_uses_its_tier_and_rounds_the_amount_to_cents()
    {
        // 99.2 % lies in [99.0, 99.5) → 15 %: 15 % of 1,234.56 = 185.184 → 185.18.
        var result = await OkAsync("credit", """
            {
                "availabilityPercent": 99.2, "targetPercent": 99.95, "monthlyFee": 1234.56,
                "schedule": [
                    {"minPercent": 99.5, "maxPercent": 99.95, "creditPercent": 5},
                    {"minPercent": 99.0, "maxPercent": 99.5, "creditPercent": 15},
                    {"minPercent": 0, "maxPercent": 99.0, "creditPercent": 30}
                ]
            }
            """);

        Assert.Equal(15m, result.GetProperty("creditPercent").GetDecimal());
        Assert.Equal(185.18m, result.GetProperty("creditAmount").GetDecimal());
        Assert.False(result.GetProperty("capped").GetBoolean());
        Assert.False(result.GetProperty("met").GetBoolean());
    }

    [Fact]
    public async Task Credit_above_the_cap_is_reduced_to_the_cap()
    {
        // 90 % lies in the default [0, 95.0) → 50 % tier, above the 25 % cap: 25 % of 1,000.00 = 250.00, capped.
        var result = await OkAsync("credit", """{"availabilityPercent": 90, "targetPercent": 99.9, "monthlyFee": 1000.0, "capPercent": 25}""");

        Assert.Equal(25m, result.GetProperty("creditPercent").GetDecimal());
        Assert.Equal(250m, result.GetProperty("creditAmount").GetDecimal());
        Assert.True(result.GetProperty("capped").GetBoolean());
        Assert.False(result.GetProperty("met").GetBoolean());
    }

    [Fact]
    public async Task Credit_is_zero_when_the_target_is_met()
    {
        var result = await OkAsync("credit", """{"availabilityPercent": 99.95, "targetPercent": 99.9, "monthlyFee": 1000.0}""");

        Assert.Equal(0m, result.GetProperty("creditPercent").GetDecimal());
        Assert.Equal(0m, result.GetProperty("creditAmount").GetDecimal());
        Assert.False(result.GetProperty("capped").GetBoolean());
        Assert.True(result.GetProperty("met").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_time_zone_is_a_400_naming_calendar_timeZone()
    {
        var errors = await ProblemAsync("business-time", """{"calendar": {"timeZone": "Mars/Olympus_Mons"}, "start": "2026-11-20T15:30:00Z", "add": "PT4H"}""");

        var message = Assert.Single(errors.GetProperty("$.calendar.timeZone").EnumerateArray()).GetString();
        Assert.Contains("Mars/Olympus_Mons", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inverted_pause_is_a_400_naming_the_pause_end()
    {
        var errors = await ProblemAsync("business-time", $$"""
            {"calendar": {{NewYork}}, "start": "2026-11-20T15:30:00Z", "add": "PT4H",
             "pauses": [{"start": "2026-11-20T19:00:00Z", "end": "2026-11-20T17:00:00Z"}]}
            """);

        Assert.Equal(["$.pauses[0].end"], Keys(errors));
    }

    [Fact]
    public async Task Until_before_start_is_a_400_naming_until()
    {
        var errors = await ProblemAsync("business-time", """{"calendar": {"timeZone": "UTC"}, "start": "2026-11-20T15:30:00Z", "until": "2026-11-20T15:29:59Z"}""");

        Assert.Equal(["$.until"], Keys(errors));
    }

    [Theory]
    [InlineData("""{"calendar": {"timeZone": "UTC"}, "start": "2300-01-01T00:00:00Z", "add": "PT1H"}""", "$.start")]
    [InlineData("""{"calendar": {"timeZone": "UTC", "weeklyHours": {"monday": [{"start": "09:00", "end": "09:01"}]}}, "start": "2026-11-20T15:30:00Z", "add": "PT999H"}""", "$.add")]
    public async Task Business_time_beyond_the_year_2200_is_a_400_rather_than_a_wrapped_answer(string body, string field)
    {
        // One minute a week: 999 h of business time take about 1,150 years, past what the calendar's arithmetic holds.
        var errors = await ProblemAsync("business-time", body);

        Assert.Equal([field], Keys(errors));
        Assert.Contains("2200-01-01T00:00:00Z", errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inverted_downtime_is_a_400_naming_the_downtime_end()
    {
        var errors = await ProblemAsync("availability", """
            {"periodStart": "2026-11-01T00:00:00Z", "periodEnd": "2026-12-01T00:00:00Z", "targetPercent": 99.9,
             "downtime": [{"start": "2026-11-10T10:00:00Z", "end": "2026-11-10T10:30:00Z"}, {"start": "2026-11-10T11:00:00Z", "end": "2026-11-10T10:00:00Z"}]}
            """);

        Assert.Equal(["$.downtime[1].end"], Keys(errors));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var errors = await ProblemAsync("business-time", """{"calendar": {"timeZone": "UTC"}, "start": """);

        Assert.NotEmpty(Keys(errors));
    }

    [Fact]
    public async Task A_malformed_duration_is_a_400_naming_add()
    {
        var errors = await ProblemAsync("business-time", """{"calendar": {"timeZone": "UTC"}, "start": "2026-11-20T15:30:00Z", "add": "4 hours"}""");

        Assert.Equal(["$.add"], Keys(errors));
        Assert.Contains("'4 hours' is not a duration", errors.GetProperty("$.add")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_duration_is_a_400_naming_add()
    {
        var errors = await ProblemAsync("business-time", """{"calendar": {"timeZone": "UTC"}, "start": "2026-11-20T15:30:00Z", "add": "-PT1H"}""");

        Assert.Equal(["$.add"], Keys(errors));
    }

    [Theory]
    [InlineData("availability", """{"periodStart": "2026-11-01T00:00:00Z", "periodEnd": "2026-12-01T00:00:00Z", "targetPercent": 120}""")]
    [InlineData("credit", """{"availabilityPercent": 99.5, "targetPercent": 120, "monthlyFee": 1000.0}""")]
    public async Task A_target_of_120_percent_is_a_400_naming_targetPercent(string tool, string body)
    {
        var errors = await ProblemAsync(tool, body);

        Assert.Equal(["$.targetPercent"], Keys(errors));
        Assert.Contains("120", errors.GetProperty("$.targetPercent")[0].GetString(), StringComparison.Ordinal);
    }

    private Task<JsonElement> OkAsync(string tool, string body) => ToolRequests.OkAsync(server, tool, body);

    private Task<JsonElement> ProblemAsync(string tool, string body) => ToolRequests.ProblemAsync(server, tool, body);

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string tool, string body) => ToolRequests.PostAsync(client, tool, body);

    private static string[] Keys(JsonElement errors) => ToolRequests.Keys(errors);
}
