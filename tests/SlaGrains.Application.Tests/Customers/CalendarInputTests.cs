using SlaGrains.Application.Customers;

namespace SlaGrains.Application.Tests.Customers;

public sealed class CalendarInputTests
{
    [Fact]
    public void Named_holidays_are_read_into_the_calendar_and_given_back_the_same()
    {
        var input = new CalendarInput("Europe/Berlin", null, [new LocalDate(2026, 12, 25), new LocalDate(2026, 12, 26)], [],
            new Dictionary<string, string> { ["2026-12-25"] = "Christmas Day" });
        var errors = new InputErrors();

        var calendar = input.ToCalendar(errors, "$");
        var back = CalendarInput.From(calendar!);

        Assert.False(errors.Any);
        Assert.Equal("Christmas Day", calendar!.HolidayNames[new LocalDate(2026, 12, 25)]);
        Assert.Equal(new Dictionary<string, string> { ["2026-12-25"] = "Christmas Day" }, back.HolidayNames);
        Assert.Equal(input.Holidays, back.Holidays);
    }

    [Theory]
    [InlineData("2026-12-27", "$.holidayNames.2026-12-27")]
    [InlineData("25.12.2026", "$.holidayNames.25.12.2026")]
    public void A_name_for_a_date_that_is_not_a_listed_holiday_is_refused_naming_the_date(string date, string field)
    {
        var input = new CalendarInput("Europe/Berlin", null, [new LocalDate(2026, 12, 25)], [], new Dictionary<string, string> { [date] = "Not a holiday" });
        var errors = new InputErrors();

        var calendar = input.ToCalendar(errors, "$");

        Assert.Null(calendar);
        Assert.Contains(field, Failure.Invalid(errors).Errors!.Keys);
    }

    [Fact]
    public void A_holiday_name_longer_than_100_characters_is_refused()
    {
        var input = new CalendarInput("Europe/Berlin", null, [new LocalDate(2026, 12, 25)], [], new Dictionary<string, string> { ["2026-12-25"] = new string('x', 101) });
        var errors = new InputErrors();

        Assert.Null(input.ToCalendar(errors, "$"));
        Assert.Contains("$.holidayNames.2026-12-25", Failure.Invalid(errors).Errors!.Keys);
    }
}
