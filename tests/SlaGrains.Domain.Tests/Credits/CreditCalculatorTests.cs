using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Tests.Credits;

public class CreditCalculatorTests
{
    private static CreditResult Credit(decimal availability, decimal target = 99.9m, decimal cap = 50m, CreditSchedule? schedule = null) =>
        CreditCalculator.Calculate(availability, target, 1000m, "USD", schedule ?? CreditSchedule.Default, cap);

    [Fact]
    public void Availability_at_the_target_meets_it_and_earns_no_credit()
    {
        var result = Credit(99.9m);

        Assert.True(result.Met);
        Assert.Null(result.Tier);
        Assert.Equal(0m, result.CreditPercent);
        Assert.Equal(0m, result.Amount);
        Assert.False(result.Capped);
    }

    [Fact]
    public void A_met_target_earns_no_credit_even_where_a_tier_would_match()
    {
        var result = Credit(99.5m, target: 99.0m);

        Assert.True(result.Met);
        Assert.Null(result.Tier);
        Assert.Equal(0m, result.Amount);
        Assert.Equal("Availability 99.5000 % met the 99.0 % target: no credit is due.", result.Reason);
    }

    [Fact]
    public void Availability_of_exactly_99_9_under_a_higher_target_misses_it_but_is_above_the_schedule()
    {
        var result = Credit(99.9m, target: 99.95m);

        Assert.False(result.Met);
        Assert.Null(result.Tier);
        Assert.Equal(0m, result.Amount);
        Assert.Contains("top of 99.9 %", result.Reason);
    }

    [Fact]
    public void Availability_of_exactly_99_0_earns_the_10_percent_tier()
    {
        var result = Credit(99.0m);

        Assert.False(result.Met);
        Assert.Equal(new CreditTier(99.0m, 99.9m, 10m), result.Tier);
        Assert.Equal(10m, result.CreditPercent);
        Assert.Equal(100.00m, result.Amount);
    }

    [Fact]
    public void Availability_of_exactly_95_0_earns_the_25_percent_tier()
    {
        var result = Credit(95.0m);

        Assert.Equal(25m, result.CreditPercent);
        Assert.Equal(250.00m, result.Amount);
    }

    [Fact]
    public void Availability_of_94_0_under_the_default_50_percent_cap_earns_50_percent_uncapped()
    {
        var result = Credit(94.0m, cap: 50m);

        Assert.Equal(50m, result.CreditPercent);
        Assert.Equal(500.00m, result.Amount);
        Assert.False(result.Capped);
    }

    [Fact]
    public void Availability_of_94_0_under_a_25_percent_cap_is_capped_at_25_percent()
    {
        var result = Credit(94.0m, cap: 25m);

        Assert.Equal(50m, result.Tier?.CreditPercent);
        Assert.Equal(25m, result.CreditPercent);
        Assert.Equal(250.00m, result.Amount);
        Assert.True(result.Capped);
        Assert.Equal(
            "Availability 94.0000 % fell in tier [0.0 %, 95.0 %) → 50 % of 1,000.00 USD, capped at 25 % = 250.00 USD.",
            result.Reason);
    }

    [Fact]
    public void A_cap_raised_to_100_percent_lets_a_full_month_credit_through()
    {
        var schedule = new CreditSchedule(
            [new CreditTier(99.0m, 99.9m, 10m), new CreditTier(95.0m, 99.0m, 50m), new CreditTier(0m, 95.0m, 100m)]);

        var raised = Credit(90.0m, cap: 100m, schedule: schedule);
        var standard = Credit(90.0m, cap: 50m, schedule: schedule);

        Assert.Equal(100m, raised.CreditPercent);
        Assert.Equal(1000.00m, raised.Amount);
        Assert.False(raised.Capped);
        Assert.Equal(500.00m, standard.Amount);
        Assert.True(standard.Capped);
    }

    [Fact]
    public void The_reason_names_availability_tier_percent_and_fee()
    {
        var result = Credit(99.45m);

        Assert.Equal(
            "Availability 99.4500 % fell in tier [99.0 %, 99.9 %) → 10 % of 1,000.00 USD = 100.00 USD.",
            result.Reason);
    }

    [Fact]
    public void The_inputs_are_kept_with_the_result()
    {
        var result = Credit(99.45m, cap: 40m);

        Assert.Equal(99.45m, result.Inputs.AvailabilityPercent);
        Assert.Equal(99.9m, result.Inputs.Terms.TargetPercent);
        Assert.Equal(1000m, result.Inputs.Terms.MonthlyFee);
        Assert.Equal("USD", result.Currency);
        Assert.Equal(CreditSchedule.Default, result.Inputs.Terms.Schedule);
        Assert.Equal(40m, result.Inputs.Terms.CapPercent);
    }

    [Fact]
    public void Availability_is_compared_as_reported_cut_to_four_decimals_never_rounded_up()
    {
        var result = Credit(99.89996m);

        Assert.Equal(99.8999m, result.Inputs.AvailabilityPercent);
        Assert.False(result.Met);
        Assert.Equal(10m, result.CreditPercent);
    }

    [Fact]
    public void The_amount_is_rounded_to_cents_with_midpoints_away_from_zero()
    {
        var result = CreditCalculator.Calculate(99.5m, 99.9m, 0.05m, "EUR", CreditSchedule.Default);

        Assert.Equal(0.01m, result.Amount); // 0.05 × 10 % = 0.005 → 0.01
    }

    [Fact]
    public void A_tier_credit_equal_to_the_cap_is_not_flagged_as_capped()
    {
        var result = Credit(94.0m, cap: 50m);

        Assert.False(result.Capped);
    }

    [Fact]
    public void A_negative_fee_is_rejected_naming_the_fee()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditTerms(99.9m, -1m, "USD", CreditSchedule.Default));

        Assert.Equal("monthlyFee", ex.ParamName);
        Assert.Contains("monthlyFee", ex.Message);
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("US")]
    [InlineData("")]
    [InlineData("US D")]
    public void A_currency_that_is_not_an_ISO_code_is_rejected(string currency)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditTerms(99.9m, 100m, currency, CreditSchedule.Default));

        Assert.Equal("currency", ex.ParamName);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(100.01)]
    public void A_cap_outside_0_to_100_percent_is_rejected(double cap)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditTerms(99.9m, 100m, "USD", CreditSchedule.Default, (decimal)cap));

        Assert.Equal("capPercent", ex.ParamName);
    }

    [Theory]
    [InlineData(-0.0001)]
    [InlineData(100.0001)]
    public void An_availability_outside_0_to_100_percent_is_rejected(double availability)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Credit((decimal)availability));

        Assert.Equal("availabilityPercent", ex.ParamName);
    }
}
