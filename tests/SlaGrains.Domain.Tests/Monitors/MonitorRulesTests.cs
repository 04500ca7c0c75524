using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Domain.Tests.Monitors;

public class MonitorRulesTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 11, 2, 10, 0);
    private static readonly Duration Minute = Duration.FromMinutes(1);

    private static MonitorPolicy Policy(int failures = 3, Duration? notice = null, Duration? grace = null, Duration? stale = null)
        => new(failures, 99.9m, notice ?? Duration.FromHours(24), [], grace, stale);

    private static MonitorRules Configured(MonitorPolicy policy, Instant at)
        => MonitorRules.Decide(null, new ConfigureMonitor("api", policy), at).State!;

    private static MonitorDecision Record(MonitorRules state, Instant now, params (int Minute, bool Up)[] results)
        => MonitorRules.Decide(state, new RecordResults([.. results.Select(r => new CheckResult(T0 + (r.Minute * Minute), r.Up ? CheckOutcome.Up : CheckOutcome.Down))]), now);

    [Fact]
    public void Outage_confirmed_by_the_third_failure_opens_an_incident_dated_back_to_the_first_and_opened_at_the_third()
    {
        var state = Configured(Policy(), T0);

        var decision = Record(state, T0 + (10 * Minute), (0, true), (1, false), (2, false), (3, false));

        var opened = Assert.Single(decision.Events.OfType<IncidentOpened>()).Incident;
        Assert.Equal(T0 + Minute, opened.Start);
        Assert.Equal(T0 + (3 * Minute), opened.OpenedAt);
        Assert.Equal(ComponentHealth.Down, decision.State!.Health);
    }

    [Fact]
    public void Backfilled_history_loaded_days_later_keeps_the_time_to_detect_of_its_checks()
    {
        var state = Configured(Policy(stale: Duration.FromDays(10)), T0 + Duration.FromDays(30));

        var decision = Record(state, T0 + Duration.FromDays(30), (0, true), (1, false), (2, false), (3, false), (9, true));

        var incident = decision.State!.Incidents.Single();
        Assert.Equal(2 * Minute, incident.OpenedAt - incident.Start);
        Assert.Equal(T0 + (9 * Minute), incident.End);
    }

    [Fact]
    public void Outage_inside_announced_in_time_maintenance_is_recorded_during_maintenance_and_the_health_is_maintenance()
    {
        var state = Configured(Policy(failures: 1), T0 - Duration.FromDays(3));
        state = MonitorRules.Decide(state, new AnnounceMaintenance(T0, T0 + Duration.FromHours(1), "Database upgrade"), T0 - Duration.FromDays(2)).State!;

        var decision = Record(state, T0 + (5 * Minute), (1, false), (2, false));

        var incident = Assert.Single(decision.State!.Incidents);
        Assert.True(incident.DuringMaintenance);
        Assert.False(decision.State.IsDown);
        Assert.Empty(decision.State.DownIntervals());
        Assert.Equal(ComponentHealth.Maintenance, decision.State.Health);
        Assert.Empty(decision.Events.OfType<BurnRateAlertStarted>());
    }

    [Fact]
    public void Outage_that_outlasts_its_maintenance_opens_an_ordinary_incident_at_the_window_end()
    {
        var state = Configured(Policy(failures: 1), T0 - Duration.FromDays(3));
        state = MonitorRules.Decide(state, new AnnounceMaintenance(T0, T0 + (30 * Minute), "Database upgrade"), T0 - Duration.FromDays(2)).State!;
        state = Record(state, T0 + (5 * Minute), (1, false)).State!;

        var decision = MonitorRules.Decide(state, new CheckDeadlines(), T0 + (30 * Minute));

        var opened = Assert.Single(decision.Events.OfType<IncidentOpened>()).Incident;
        Assert.False(opened.DuringMaintenance);
        Assert.Equal(T0 + (30 * Minute), opened.Start);
        Assert.Equal(T0 + (30 * Minute), opened.OpenedAt);
        Assert.Equal(T0 + (30 * Minute), decision.State!.Incidents.Single(i => i.DuringMaintenance).End);
        Assert.Equal(ComponentHealth.Down, decision.State.Health);
        Assert.Equal(T0 + (30 * Minute), state.NextDeadline(T0 + (5 * Minute)));
    }

    [Fact]
    public void Outage_inside_maintenance_announced_too_late_is_downtime_and_says_why()
    {
        var state = Configured(Policy(failures: 1), T0 - Duration.FromDays(3));
        state = MonitorRules.Decide(state, new AnnounceMaintenance(T0, T0 + Duration.FromHours(1), "Hotfix"), T0 - (10 * Minute)).State!;

        var decision = Record(state, T0 + (5 * Minute), (1, false));

        var incident = Assert.Single(decision.State!.Incidents);
        Assert.False(incident.DuringMaintenance);
        Assert.Equal("Counted as downtime: maintenance api-m1 was announced 10 min before it started; the contract needs 24 h notice.", incident.Note);
        Assert.Equal(ComponentHealth.Down, decision.State.Health);
    }

    [Fact]
    public void Push_monitor_silent_for_its_stale_after_time_is_unknown_from_when_it_fell_due_until_the_next_result()
    {
        var state = Configured(Policy(stale: 10 * Minute), T0);
        state = Record(state, T0 + Minute, (1, true)).State!;
        Assert.Equal(T0 + (11 * Minute), state.NextDeadline(T0 + Minute));

        var silent = MonitorRules.Decide(state, new CheckDeadlines(), T0 + (15 * Minute));
        Assert.Equal(T0 + (11 * Minute), Assert.Single(silent.Events.OfType<BecameUnknown>()).At);
        Assert.Equal(ComponentHealth.Unknown, silent.State!.Health);

        var resumed = Record(silent.State, T0 + (20 * Minute), (20, true));
        Assert.Equal(new Interval(T0 + (11 * Minute), T0 + (20 * Minute)), Assert.Single(resumed.Events.OfType<DataResumed>()).Unknown);
        Assert.Equal(ComponentHealth.Up, resumed.State!.Health);
        Assert.Equal([new Interval(T0 + (11 * Minute), T0 + (20 * Minute))], resumed.State.UnknownTime());
    }

    [Fact]
    public void Gaps_in_backfilled_results_longer_than_the_stale_after_time_are_unknown()
    {
        var state = Configured(Policy(stale: 10 * Minute), T0 + Duration.FromDays(1));

        var decision = Record(state, T0 + Duration.FromDays(1), (0, true), (5, true), (65, true));

        Assert.Contains(new Interval(T0 + (15 * Minute), T0 + (65 * Minute)), decision.State!.UnknownTime());
        Assert.Equal(T0 + (75 * Minute), decision.State.UnknownSince);
    }

    [Fact]
    public void Missed_heartbeats_are_failures_dated_when_they_fell_due_until_N_confirm_the_outage()
    {
        var state = Configured(Policy(failures: 2, grace: 5 * Minute), T0);
        state = MonitorRules.Decide(state, new RecordHeartbeat(), T0).State!;

        var decision = MonitorRules.Decide(state, new CheckDeadlines(), T0 + (30 * Minute));

        Assert.Equal([T0 + (5 * Minute), T0 + (10 * Minute)], decision.Events.OfType<HeartbeatMissed>().Select(m => m.At));
        var incident = Assert.Single(decision.Events.OfType<IncidentOpened>()).Incident;
        Assert.Equal(T0 + (5 * Minute), incident.Start);
        Assert.Equal(T0 + (10 * Minute), incident.OpenedAt);
        Assert.Null(decision.State!.HeartbeatDueAt);
    }

    [Fact]
    public void Burn_rate_alert_starts_once_and_stops_once()
    {
        var state = Configured(Policy(failures: 1, stale: Duration.FromDays(30)), T0);
        var down = Record(state, T0 + (10 * Minute), (0, true), (1, false), (10, false));
        var started = down.Events.OfType<BurnRateAlertStarted>().Select(s => s.Status.Alert.Name).ToList();
        Assert.Contains("page-fast", started);

        var still = Record(down.State!, T0 + (11 * Minute), (11, false));
        Assert.Empty(still.Events.OfType<BurnRateAlertStarted>());

        var up = Record(still.State!, T0 + (12 * Minute), (12, true));
        var later = MonitorRules.Decide(up.State!, new CheckDeadlines(), T0 + (20 * Minute));
        var stopped = Assert.Single(later.Events.OfType<BurnRateAlertStopped>(), s => s.Status.Alert.Name == "page-fast");
        Assert.Equal(T0 + (10 * Minute), stopped.StartedAt);
        Assert.DoesNotContain(later.State!.FiringAlerts, a => a.Name == "page-fast");
    }

    [Fact]
    public void Results_from_a_region_the_monitor_does_not_probe_are_rejected_and_change_nothing()
    {
        var state = Configured(new MonitorPolicy(1, 99.9m, Duration.FromHours(48), ["eu"]), T0);

        var decision = MonitorRules.Decide(state, new RecordResults([CheckResult.Down(T0, "us")]), T0);

        Assert.Equal("unknown-region", decision.Rejection!.Code);
        Assert.Same(state, decision.State);
    }

    [Fact]
    public void Results_older_than_the_window_before_the_newest_are_pruned_but_their_incident_stays()
    {
        var state = Configured(Policy(failures: 1), T0);
        var decision = MonitorRules.Decide(
            state,
            new RecordResults([CheckResult.Down(T0), CheckResult.Up(T0 + Minute), CheckResult.Up(T0 + Duration.FromDays(3))]),
            T0 + Duration.FromDays(3));

        Assert.Contains(decision.Events, e => e is HistoryPruned);
        Assert.Single(decision.State!.Results);
        Assert.Equal(new Interval(T0, T0 + Minute), Assert.Single(decision.State.Incidents).Interval);
    }

    [Fact]
    public void Deciding_is_the_same_as_folding_the_decided_events()
    {
        var state = Configured(Policy(failures: 2, stale: 10 * Minute), T0);
        var decision = Record(state, T0 + Duration.FromHours(2), (0, true), (1, false), (2, false), (3, true), (50, true));

        var folded = MonitorRules.Fold(state, decision.Events);

        Assert.Equal(decision.State!.Incidents, folded.Incidents);
        Assert.Equal(decision.State.UnknownTime(), folded.UnknownTime());
        Assert.Equal(decision.State.Health, folded.Health);
    }
}
