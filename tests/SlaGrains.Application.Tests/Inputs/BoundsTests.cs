namespace SlaGrains.Application.Tests.Inputs;

/// <summary>The one place inputs are bounded: ids, names, texts, lists, enums, money, durations, instants, pages.</summary>
public sealed class BoundsTests
{
    [Theory]
    [InlineData("acme-corp", true)]
    [InlineData("A.b_c-9", true)]
    [InlineData(" ", false)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a\r\nb", false)]
    [InlineData("é", false)]
    [InlineData("a/b", false)]
    public void An_id_is_1_to_64_of_letters_digits_dot_dash_underscore(string id, bool valid)
    {
        Assert.Equal(valid, Bounds.IsId(id));
        Assert.True(Bounds.IsId(new string('x', 64)));
        Assert.False(Bounds.IsId(new string('x', 65)));
    }

    [Fact]
    public void Names_refuse_control_characters_and_length_free_texts_allow_line_breaks_only()
    {
        var errors = new InputErrors();

        Assert.True(Bounds.CheckName(errors, "ok", "Acme GmbH"));
        Assert.False(Bounds.CheckName(errors, "bell", "a\u0007b"));
        Assert.False(Bounds.CheckName(errors, "newline", "a\nb"));
        Assert.False(Bounds.CheckName(errors, "long", new string('x', Bounds.NameLength + 1)));
        Assert.True(Bounds.CheckText(errors, "text", "line one\r\nline two\ttab"));
        Assert.False(Bounds.CheckText(errors, "nul", "a\0b"));
        Assert.False(Bounds.CheckText(errors, "huge", new string('x', Bounds.TextLength + 1)));
        Assert.Equal(["bell", "huge", "long", "newline", "nul"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void A_list_with_a_null_item_or_too_many_items_is_refused_naming_the_item()
    {
        var errors = new InputErrors();

        Assert.True(Bounds.CheckList<string>(errors, "absent", null, 3));
        Assert.False(Bounds.CheckList(errors, "nulls", ["a", null, "c"], 3));
        Assert.False(Bounds.CheckList(errors, "many", ["a", "b", "c", "d"], 3));
        Assert.Equal(["many", "nulls[1]"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void An_enum_value_outside_the_enum_or_missing_when_required_is_refused()
    {
        var errors = new InputErrors();

        Assert.True(Bounds.CheckEnum<DayOfWeek>(errors, "optional", null, required: false, "x"));
        Assert.True(Bounds.CheckEnum<DayOfWeek>(errors, "friday", DayOfWeek.Friday, required: true, "x"));
        Assert.False(Bounds.CheckEnum<DayOfWeek>(errors, "missing", null, required: true, "x"));
        Assert.False(Bounds.CheckEnum<DayOfWeek>(errors, "ninety-nine", (DayOfWeek)99, required: true, "x"));
        Assert.Equal(["missing", "ninety-nine"], errors.ToDictionary().Keys.Order());
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("1000.50", true)]
    [InlineData("1000000000", true)]
    [InlineData("1000000000.01", false)]
    [InlineData("18000000000000000000", false)]
    [InlineData("-0.01", false)]
    [InlineData("1.234", false)]
    public void Money_is_0_to_a_billion_with_at_most_two_decimals(string amount, bool valid)
        => Assert.Equal(valid, Bounds.CheckMoney(new InputErrors(), "fee", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Durations_instants_and_dates_stay_within_sane_windows()
    {
        var errors = new InputErrors();

        Assert.True(Bounds.CheckDuration(errors, "d", Duration.FromDays(365)));
        Assert.False(Bounds.CheckDuration(errors, "negative", Duration.FromSeconds(-1)));
        Assert.False(Bounds.CheckDuration(errors, "century", Duration.FromDays(36_500)));
        Assert.True(Bounds.CheckInstant(errors, "i", Instant.FromUtc(2026, 12, 5, 0, 0)));
        Assert.False(Bounds.CheckInstant(errors, "9999", Instant.FromUtc(9999, 1, 1, 0, 0)));
        Assert.False(Bounds.CheckInstant(errors, "1970", Instant.FromUnixTimeSeconds(0)));
        Assert.False(Bounds.CheckDate(errors, "date", new LocalDate(2100, 1, 1)));
        Assert.Equal(["1970", "9999", "century", "date", "negative"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void What_an_answer_repeats_carries_no_control_characters_and_is_clipped()
    {
        var notFound = Failure.NotFound($"Ticket 'a\r\nSet-Cookie: x{new string('x', 5_000)}'");
        var invalid = Failure.Invalid("$.weeklyHours.mon\u0001day", "'mon\u0001day' is not a day.");

        Assert.DoesNotContain(notFound.Message, char.IsControl);
        Assert.True(notFound.Message.Length < 400);
        Assert.All(invalid.Errors!, e => Assert.DoesNotContain(e.Key + string.Concat(e.Value), char.IsControl));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(1, 1, true)]
    [InlineData(10_000, 500, true)]
    [InlineData(0, null, false)]
    [InlineData(2_147_483_647, null, false)]
    [InlineData(null, 0, false)]
    [InlineData(null, 501, false)]
    public void Pages_are_1_to_10000_and_sizes_1_to_500(int? page, int? pageSize, bool valid)
        => Assert.Equal(valid, Bounds.CheckPage(new InputErrors(), page, pageSize));
}
