using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Tests.Credits;

public class CreditScheduleTests
{
    [Fact]
    public void Default_schedule_has_three_tiers_from_the_highest_band_down()
    {
        var tiers = CreditSchedule.Default.Tiers;

        Assert.Equal(
            [new CreditTier(99.0m, 99.9m, 10m), new CreditTier(95.0m, 99.0m, 25m), new CreditTier(0m, 95.0m, 50m)],
            tiers);
        Assert.Equal(99.9m, CreditSchedule.Default.TopPercent);
    }

    [Fact]
    public void Availability_of_exactly_99_9_earns_nothing_from_the_default_schedule()
    {
        Assert.Null(CreditSchedule.Default.TierFor(99.9m));
    }

    [Fact]
    public void Availability_of_exactly_99_0_falls_in_the_higher_tier()
    {
        Assert.Equal(10m, CreditSchedule.Default.TierFor(99.0m)?.CreditPercent);
        Assert.Equal(25m, CreditSchedule.Default.TierFor(98.9999m)?.CreditPercent);
    }

    [Fact]
    public void Availability_of_exactly_95_0_falls_in_the_higher_tier()
    {
        Assert.Equal(25m, CreditSchedule.Default.TierFor(95.0m)?.CreditPercent);
        Assert.Equal(50m, CreditSchedule.Default.TierFor(94.9999m)?.CreditPercent);
    }

    [Fact]
    public void Availability_of_zero_falls_in_the_lowest_tier()
    {
        Assert.Equal(50m, CreditSchedule.Default.TierFor(0m)?.CreditPercent);
    }

    [Fact]
    public void Tiers_may_be_given_in_any_order()
    {
        var shuffled = new CreditSchedule(
        [
            new CreditTier(0m, 95.0m, 50m),
            new CreditTier(99.0m, 99.9m, 10m),
            new CreditTier(95.0m, 99.0m, 25m),
        ]);

        Assert.Equal(CreditSchedule.Default, shuffled);
        Assert.Equal(CreditSchedule.Default.Tiers, shuffled.Tiers);
    }

    [Fact]
    public void A_gap_between_tiers_is_rejected_naming_the_gap()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditSchedule(
        [
            new CreditTier(99.0m, 99.9m, 10m),
            new CreditTier(95.0m, 98.5m, 25m),
            new CreditTier(0m, 95.0m, 50m),
        ]));

        Assert.Equal("tiers", ex.ParamName);
        Assert.Contains("gap [98.5 %, 99.0 %)", ex.Message);
    }

    [Fact]
    public void Overlapping_tiers_are_rejected_naming_the_overlap()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditSchedule(
        [
            new CreditTier(99.0m, 99.9m, 10m),
            new CreditTier(95.0m, 99.5m, 25m),
            new CreditTier(0m, 95.0m, 50m),
        ]));

        Assert.Equal("tiers", ex.ParamName);
        Assert.Contains("overlap on [99.0 %, 99.5 %)", ex.Message);
    }

    [Fact]
    public void The_same_tier_twice_is_an_overlap()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditSchedule(
            [new CreditTier(0m, 99.9m, 10m), new CreditTier(0m, 99.9m, 10m)]));

        Assert.Contains("overlap", ex.Message);
    }

    [Fact]
    public void A_schedule_whose_lowest_tier_does_not_start_at_zero_is_rejected_as_a_gap()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditSchedule(
            [new CreditTier(99.0m, 99.9m, 10m), new CreditTier(90.0m, 99.0m, 25m)]));

        Assert.Contains("gap [0.0 %, 90.0 %)", ex.Message);
    }

    [Fact]
    public void A_lower_band_earning_less_than_a_higher_band_is_rejected()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditSchedule(
            [new CreditTier(99.0m, 99.9m, 25m), new CreditTier(0m, 99.0m, 10m)]));

        Assert.Contains("progressive", ex.Message);
    }

    [Fact]
    public void An_empty_schedule_is_rejected()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditSchedule([]));

        Assert.Equal("tiers", ex.ParamName);
    }

    [Theory]
    [InlineData(99.9, 99.0, 10, "minPercent")]
    [InlineData(99.0, 99.0, 10, "minPercent")]
    [InlineData(-1.0, 99.0, 10, "minPercent")]
    [InlineData(99.0, 100.1, 10, "maxPercent")]
    [InlineData(99.0, 99.9, 100.5, "creditPercent")]
    [InlineData(99.0, 99.9, -0.5, "creditPercent")]
    public void A_tier_with_bounds_or_credit_out_of_range_is_rejected_naming_the_field(
        double min, double max, double credit, string field)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new CreditTier((decimal)min, (decimal)max, (decimal)credit));

        Assert.Equal(field, ex.ParamName);
        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void A_tier_reads_as_a_half_open_range_and_a_credit()
    {
        Assert.Equal("[99.0 %, 99.9 %) → 10 %", new CreditTier(99.0m, 99.9m, 10m).ToString());
        Assert.Equal(
            "[99.0 %, 99.9 %) → 10 %; [95.0 %, 99.0 %) → 25 %; [0.0 %, 95.0 %) → 50 %",
            CreditSchedule.Default.Describe());
    }
}
