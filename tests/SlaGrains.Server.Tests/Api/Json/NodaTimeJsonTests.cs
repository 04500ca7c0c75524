using System.Text.Json;
using SlaGrains.Server.Api.Json;

namespace SlaGrains.Server.Tests.Api.Json;

/// <summary>The API's NodaTime text: what ISO 8601 writes parses; anything else is refused, never thrown.</summary>
public sealed class NodaTimeJsonTests
{
    [Theory]
    [InlineData("2026-11-20T15:30:00Z", "2026-11-20T15:30:00Z")]
    [InlineData("2026-11-20T16:30:00+01:00", "2026-11-20T15:30:00Z")]
    [InlineData(" 2026-11-20T15:30:00.5Z ", "2026-11-20T15:30:00.5Z")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z")]
    public void Iso_instants_parse(string text, string expected)
    {
        Assert.True(NodaTimeJson.TryParseInstant(text, out var instant));
        Assert.Equal(expected, NodaTimeJson.FormatInstant(instant));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59-01:00")] // past the end of NodaTime's instants: threw OverflowException (a 500)
    [InlineData("0001-01-01T00:00:00+01:00")] // year 0 once in UTC
    [InlineData("-0001-01-01T00:00:00Z")]
    [InlineData("2026-01-01T00:00:00Z\u0000")] // NodaTime reads a NUL as the end of the text
    [InlineData("2026-01-01T00:00:00\u001bZ")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2026-01-01T00:00:00")]
    [InlineData("2026-01-01T00:00:00+25:00")]
    [InlineData("10000-01-01T00:00:00Z")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_instants_are_refused(string? text)
        => Assert.False(NodaTimeJson.TryParseInstant(text, out _));

    [Fact]
    public void Instant_text_longer_than_the_limit_is_refused_before_parsing()
        => Assert.False(NodaTimeJson.TryParseInstant("2026-01-01T00:00:00" + new string('0', 60) + "Z", out _));

    [Theory]
    [InlineData("PT4H", 4 * 3_600)]
    [InlineData("P1DT2H", 26 * 3_600)]
    [InlineData("PT1.5S", 1.5)]
    [InlineData("-PT1H", -3_600)]
    [InlineData("P106751D", 106_751 * 86_400.0)]
    public void Iso_durations_parse(string text, double seconds)
    {
        Assert.True(NodaTimeJson.TryParseDuration(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, precision: 6);
    }

    [Theory]
    [InlineData("P99999999999D")] // past NodaTime's range
    [InlineData("P99999999999999999999999999999D")] // past decimal's range: threw OverflowException (a 500)
    [InlineData("PT99999999999999999999.999999999999S")] // fits decimal, its nanoseconds do not: threw too
    [InlineData("PT99999999999999999999999999999H")]
    [InlineData("P١D")] // an Arabic-Indic digit: \d matched it, decimal.Parse threw FormatException
    [InlineData("PT-1S")]
    [InlineData("P1Y")]
    [InlineData("P1M")]
    [InlineData("P1W")]
    [InlineData("PT")]
    [InlineData("P")]
    [InlineData("PT1H\u0000")]
    [InlineData("1h")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_durations_are_refused(string? text)
        => Assert.False(NodaTimeJson.TryParseDuration(text, out _));

    [Theory]
    [InlineData("\"0000-01-01\"", typeof(LocalDate))]
    [InlineData("\"2026-12-25\\u0000\"", typeof(LocalDate))]
    [InlineData("\"2026-02-30\"", typeof(LocalDate))]
    [InlineData("\"0000-01\"", typeof(YearMonth))]
    [InlineData("\"2026-13\"", typeof(YearMonth))]
    [InlineData("12", typeof(Instant))]
    [InlineData("{}", typeof(Duration))]
    public void A_value_that_does_not_parse_fails_with_a_reason_for_the_caller(string json, Type type)
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, type, SlaGrainsServerFixture.Json));

        var input = Assert.IsType<JsonInputException>(error);
        Assert.DoesNotContain("\u0000", input.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", input.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quoted_value_is_short_and_shows_control_characters_escaped()
    {
        var quoted = JsonInputException.Quote("a\u0000b\r\n" + new string('x', 100));

        Assert.StartsWith("'a\\u0000b\\u000d\\u000a", quoted, StringComparison.Ordinal);
        Assert.EndsWith("(105 characters)", quoted, StringComparison.Ordinal);
        Assert.True(quoted.Length < 100);
    }
}
