using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class BurnRateTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 6, 15, 12, 0);

    private static Interval Ago(Duration from, Duration to) => new(Now - from, Now - to);

    private static BurnRateAlertStatus Status(IReadOnlyList<BurnRateAlertStatus> statuses, BurnRateAlert alert)
        => Assert.Single(statuses, s => s.Alert == alert);

    [Fact]
    public void Burn_rate_is_the_downtime_fraction_of_the_window_divided_by_the_error_rate_the_slo_allows()
    {
        // 6 minutes down in the last hour = 10 % of the window; against a 99.9 % SLO (0.1 %) that is 100×.
        var rate = BurnRate.Over([Ago(Duration.FromMinutes(30), Duration.FromMinutes(24))], 99.9m, Now, Duration.FromHours(1));

        Assert.Equal(100m, rate);
    }

    [Fact]
    public void An_ongoing_outage_burns_up_to_now()
    {
        var rate = BurnRate.Over([new Interval(Now - Duration.FromMinutes(3), null)], 99m, Now, Duration.FromMinutes(5));

        Assert.Equal(60m, rate); // 3/5 = 60 % of the window, ÷ 1 %
    }

    [Fact]
    public void Page_fast_fires_when_both_the_hour_and_the_last_five_minutes_burn_at_least_14_4_times()
    {
        var statuses = BurnRate.Evaluate([new Interval(Now - Duration.FromMinutes(10), null)], 99.9m, Now);

        var fast = Status(statuses, BurnRateAlert.PageFast);
        Assert.True(fast.IsFiring);
        Assert.Equal(1000m, fast.ShortWindowBurnRate);
        Assert.Equal(166.6666m, fast.LongWindowBurnRate);
    }

    [Fact]
    public void Page_fast_does_not_fire_once_the_last_five_minutes_are_clean_even_if_the_hour_burned()
    {
        var statuses = BurnRate.Evaluate([Ago(Duration.FromMinutes(55), Duration.FromMinutes(10))], 99.9m, Now);

        var fast = Status(statuses, BurnRateAlert.PageFast);
        Assert.True(fast.LongWindowBurnRate >= 14.4m);
        Assert.Equal(0m, fast.ShortWindowBurnRate);
        Assert.False(fast.IsFiring);
    }

    [Fact]
    public void Page_fast_does_not_fire_on_a_short_spike_the_hour_absorbs()
    {
        // 1 minute down against a 99 % SLO: 20× over 5 minutes, but only 1.67× over the hour.
        var statuses = BurnRate.Evaluate([Ago(Duration.FromMinutes(2), Duration.FromMinutes(1))], 99m, Now);

        var fast = Status(statuses, BurnRateAlert.PageFast);
        Assert.Equal(20m, fast.ShortWindowBurnRate);
        Assert.Equal(1.6666m, fast.LongWindowBurnRate);
        Assert.False(fast.IsFiring);
    }

    [Fact]
    public void An_alert_fires_at_exactly_its_factor()
    {
        // 51.84 s down in the last hour is exactly 14.4 × 0.1 % of it.
        var exactly = BurnRate.Evaluate([new Interval(Now - Duration.FromMilliseconds(51_840), Now)], 99.9m, Now);
        var justUnder = BurnRate.Evaluate([new Interval(Now - Duration.FromMilliseconds(51_840) + Duration.Epsilon, Now)], 99.9m, Now);

        Assert.Equal(14.4m, Status(exactly, BurnRateAlert.PageFast).LongWindowBurnRate);
        Assert.True(Status(exactly, BurnRateAlert.PageFast).IsFiring);
        Assert.False(Status(justUnder, BurnRateAlert.PageFast).IsFiring);
    }

    [Fact]
    public void A_slow_steady_burn_opens_a_ticket_but_pages_nobody()
    {
        // Down 6 minutes in every 6 hours for three days: 1.67 % of the time against a 98.5 % SLO (1.5 %) ≈ 1.11×.
        var downtime = Enumerable.Range(1, 12)
            .Select(i => Ago(Duration.FromHours(6 * i) - Duration.FromMinutes(54), Duration.FromHours(6 * i) - Duration.FromMinutes(60)))
            .ToList();

        var firing = BurnRate.Firing(downtime, 98.5m, Now);

        var ticket = Assert.Single(firing);
        Assert.Equal(BurnRateAlert.Ticket, ticket.Alert);
        Assert.Equal(AlertSeverity.Ticket, ticket.Alert.Severity);
    }

    [Fact]
    public void Without_downtime_no_alert_fires()
    {
        Assert.Empty(BurnRate.Firing([], 99.9m, Now));
        Assert.All(BurnRate.Evaluate([], 99.9m, Now), s => Assert.Equal(0m, s.LongWindowBurnRate));
    }

    [Fact]
    public void Downtime_inside_announced_maintenance_does_not_burn_the_budget()
    {
        var maintenance = new MaintenanceWindow(Now - Duration.FromHours(1), Now + Duration.FromHours(1), announcedAt: Now - Duration.FromDays(7));

        var firing = BurnRate.Firing([new Interval(Now - Duration.FromMinutes(30), null)], 99.9m, Now, [maintenance]);

        Assert.Empty(firing);
    }

    [Fact]
    public void The_workbook_alerts_use_its_factors_and_windows()
    {
        Assert.Equal(
        [
            ("page-fast", 14.4m, Duration.FromHours(1), Duration.FromMinutes(5)),
            ("page-slow", 6m, Duration.FromHours(6), Duration.FromMinutes(30)),
            ("ticket", 1m, Duration.FromDays(3), Duration.FromHours(6)),
        ],
            BurnRateAlert.SreWorkbook.Select(a => (a.Name, a.Factor, a.LongWindow, a.ShortWindow)));
    }

    [Fact]
    public void A_100_percent_slo_has_no_budget_to_burn_and_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BurnRate.Evaluate([], 100m, Now));

        Assert.Equal("sloPercent", error.ParamName);
    }
}
