using FsCheck.Xunit;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Customers;

namespace SlaGrains.Domain.Tests.Customers;

/// <summary>The month in progress: projected two ways, never "not met" while the allowance is not used up.</summary>
public class MonthInProgressTests
{
    private static readonly Interval May2026 = ReportingPeriod.Month(new YearMonth(2026, 5), DateTimeZone.Utc);
    private static readonly ServiceAgreement Agreement = new("acme", 99.9m, 14_800m, "USD");

    private static Instant May(int day, int hour = 0, int minute = 0) => Instant.FromUtc(2026, 5, day, hour, minute);

    private static MonthInProgress Project(Instant now, params Interval[] down)
        => MonthInProgress.Project(May2026, AvailabilityReport.Compute(new Interval(May2026.Start, now), down), null, Agreement);

    [Fact]
    public void Ten_of_44_point_6_budget_minutes_used_is_at_risk_not_not_met_and_nothing_is_credited_if_nothing_else_fails()
    {
        // The demo: 10 minutes down on May 2nd; 99.9 % of 31 days allows 44 min 38.4 s.
        var projection = Project(May(3), new Interval(May(2, 10), May(2, 10, 10)));

        Assert.Equal(MonthOutlook.AtRisk, projection.Outlook);
        Assert.Equal(Duration.FromMinutes(44) + Duration.FromMilliseconds(38_400), projection.Budget.Budget);
        Assert.Equal(Duration.FromMinutes(34) + Duration.FromMilliseconds(38_400), projection.Budget.Remaining);
        Assert.True(projection.IfNothingElseFails.Met(99.9m));
        Assert.Equal(0m, projection.CreditIfNothingElseFails.Amount);
        Assert.Equal(Duration.FromMinutes(155), projection.ProjectedDowntimeAtBurnRate); // 10 min in 2 days → 155 min in 31
        Assert.True(projection.CreditAtBurnRate.Amount > 0m);
    }

    [Fact]
    public void The_same_10_minutes_late_in_the_month_are_on_track()
    {
        var projection = Project(May(30), new Interval(May(2, 10), May(2, 10, 10)));

        Assert.Equal(MonthOutlook.OnTrack, projection.Outlook);
    }

    [Fact]
    public void Downtime_over_the_whole_months_allowance_is_not_met_before_the_month_ends()
    {
        var projection = Project(May(3), new Interval(May(2, 10), May(2, 11)));

        Assert.Equal(MonthOutlook.NotMet, projection.Outlook);
        Assert.True(projection.Budget.IsOverspent);
        Assert.True(projection.CreditIfNothingElseFails.Amount > 0m);
    }

    [Property]
    public bool A_month_in_progress_is_not_met_exactly_when_the_downtime_so_far_exceeds_the_months_allowance(int day, int downMinutes)
    {
        var now = May(2 + (((day % 29) + 29) % 29));
        var length = Duration.FromMinutes(((downMinutes % 120) + 120) % 120);
        var start = May(1, 1);
        var projection = Project(now, new Interval(start, start + length));

        var allowance = AvailabilityReport.Compute(May2026, []).AllowedDowntime(99.9m);
        return (projection.Outlook == MonthOutlook.NotMet) == (length > allowance);
    }
}
