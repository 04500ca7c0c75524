using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Domain.Tests.Monitors;

/// <summary>Acknowledging a burn-rate alert's firing: once, by whom and when; nothing else changes.</summary>
public class BurnRateAlertAcknowledgementTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 11, 2, 10, 0);
    private static readonly Duration Minute = Duration.FromMinutes(1);

    /// <summary>A monitor whose page-fast alert started at T0 + 10 min (down since minute 1).</summary>
    private static MonitorRules Firing()
    {
        var state = MonitorRules.Decide(null, new ConfigureMonitor("api", new MonitorPolicy(1, 99.9m, Duration.FromHours(24), [], null, Duration.FromDays(30))), T0).State!;
        return Record(state, T0 + (10 * Minute), (0, true), (1, false), (10, false)).State!;
    }

    private static MonitorDecision Record(MonitorRules state, Instant now, params (int Minute, bool Up)[] results)
        => MonitorRules.Decide(state, new RecordResults([.. results.Select(r => new CheckResult(T0 + (r.Minute * Minute), r.Up ? CheckOutcome.Up : CheckOutcome.Down))]), now);

    private static Instant PageFastStart(MonitorRules state) => state.RecentAlerts.Single(a => a.Name == "page-fast").StartedAt;

    [Fact]
    public void Acknowledging_a_firing_alert_records_who_and_when_and_it_keeps_firing()
    {
        var state = Firing();
        var startedAt = PageFastStart(state);

        var decision = MonitorRules.Decide(state, new AcknowledgeBurnRateAlert("page-fast", startedAt, "erin"), T0 + (12 * Minute));

        Assert.True(decision.IsAccepted);
        var acknowledged = Assert.Single(decision.Events.OfType<BurnRateAlertAcknowledged>());
        Assert.Equal(new BurnRateAlertAcknowledged(T0 + (12 * Minute), "page-fast", startedAt, "erin"), acknowledged);
        var firing = decision.State!.RecentAlerts.Single(a => a.Name == "page-fast");
        Assert.Equal(T0 + (12 * Minute), firing.AcknowledgedAt);
        Assert.Equal("erin", firing.AcknowledgedBy);
        Assert.Null(firing.StoppedAt);
        Assert.Contains(decision.State.FiringAlerts, a => a.Name == "page-fast");
    }

    [Fact]
    public void Acknowledging_twice_keeps_the_first_acknowledgement_and_records_nothing()
    {
        var state = Firing();
        var startedAt = PageFastStart(state);
        var first = MonitorRules.Decide(state, new AcknowledgeBurnRateAlert("page-fast", startedAt, "erin"), T0 + (12 * Minute)).State!;

        var again = MonitorRules.Decide(first, new AcknowledgeBurnRateAlert("page-fast", startedAt, "lena"), T0 + (12 * Minute) + Duration.FromSeconds(5));

        Assert.True(again.IsAccepted);
        Assert.Empty(again.Events.OfType<BurnRateAlertAcknowledged>());
        var firing = again.State!.RecentAlerts.Single(a => a.Name == "page-fast");
        Assert.Equal("erin", firing.AcknowledgedBy);
        Assert.Equal(T0 + (12 * Minute), firing.AcknowledgedAt);
    }

    [Fact]
    public void An_alert_that_never_started_is_rejected_as_not_found_and_changes_nothing()
    {
        var state = Firing();

        var unknownStart = MonitorRules.Decide(state, new AcknowledgeBurnRateAlert("page-fast", PageFastStart(state) - Minute, "erin"), T0 + (12 * Minute));
        var unknownName = MonitorRules.Decide(state, new AcknowledgeBurnRateAlert("page-never", PageFastStart(state), "erin"), T0 + (12 * Minute));

        Assert.Equal("budget-alert-not-found", unknownStart.Rejection?.Code);
        Assert.Equal("budget-alert-not-found", unknownName.Rejection?.Code);
        Assert.Same(state, unknownStart.State);
        Assert.Empty(unknownStart.Events);
    }

    [Fact]
    public void An_acknowledgement_without_who_is_rejected()
    {
        var state = Firing();

        var decision = MonitorRules.Decide(state, new AcknowledgeBurnRateAlert("page-fast", PageFastStart(state), " "), T0 + (12 * Minute));

        Assert.Equal("invalid-acknowledgement", decision.Rejection?.Code);
        Assert.All(decision.State!.RecentAlerts, a => Assert.Null(a.AcknowledgedAt));
    }

    [Fact]
    public void An_acknowledged_alert_still_stops_when_the_burn_rate_falls_and_keeps_its_acknowledgement()
    {
        var state = Firing();
        var startedAt = PageFastStart(state);
        state = MonitorRules.Decide(state, new AcknowledgeBurnRateAlert("page-fast", startedAt, "erin"), T0 + (11 * Minute)).State!;

        state = Record(state, T0 + (12 * Minute), (12, true)).State!;
        var later = MonitorRules.Decide(state, new CheckDeadlines(), T0 + (20 * Minute));

        Assert.Single(later.Events.OfType<BurnRateAlertStopped>(), s => s.Status.Alert.Name == "page-fast" && s.StartedAt == startedAt);
        var firing = later.State!.RecentAlerts.Single(a => a.Name == "page-fast");
        Assert.Equal(T0 + (20 * Minute), firing.StoppedAt);
        Assert.Equal("erin", firing.AcknowledgedBy);
    }

    [Fact]
    public void A_stopped_alert_can_still_be_acknowledged()
    {
        var state = Firing();
        var startedAt = PageFastStart(state);
        state = Record(state, T0 + (12 * Minute), (12, true)).State!;
        state = MonitorRules.Decide(state, new CheckDeadlines(), T0 + (20 * Minute)).State!;

        var decision = MonitorRules.Decide(state, new AcknowledgeBurnRateAlert("page-fast", startedAt, "erin"), T0 + (30 * Minute));

        Assert.True(decision.IsAccepted);
        var firing = decision.State!.RecentAlerts.Single(a => a.Name == "page-fast");
        Assert.NotNull(firing.StoppedAt);
        Assert.Equal(T0 + (30 * Minute), firing.AcknowledgedAt);
    }

    [Property(MaxTest = 200)]
    public Property The_kept_firings_never_exceed_the_bound_and_a_firing_alert_is_never_dropped()
    {
        // Flapping: each cycle is down for 2–20 minutes, then up long enough for the fast alert to stop; enough cycles
        // to start more firings than are kept while the slower alerts keep firing.
        return Prop.ForAll(Gen.Choose(30, 80).SelectMany(n => Gen.ArrayOf(Gen.Choose(2, 20), n)).ToArbitrary(), downs =>
        {
            var state = MonitorRules.Decide(null, new ConfigureMonitor("api", new MonitorPolicy(1, 99.9m, Duration.FromHours(24), [], null, Duration.FromDays(30))), T0).State!;
            var minute = 0;
            foreach (var down in downs)
            {
                state = Record(state, T0 + (minute * Minute), (minute, false)).State!;
                minute += down;
                state = Record(state, T0 + (minute * Minute), (minute, true)).State!;
                minute += 90;
                state = MonitorRules.Decide(state, new CheckDeadlines(), T0 + (minute * Minute)).State!;
            }

            var firingKept = state.FiringAlerts.All(f => state.RecentAlerts.Any(a => a.Is(f.Name, f.StartedAt) && a.StoppedAt is null));
            return (state.RecentAlerts.Count <= MonitorRules.MaxRecentAlerts && firingKept)
                .Label($"{state.RecentAlerts.Count} kept; firing {string.Join(", ", state.FiringAlerts)}");
        });
    }
}
