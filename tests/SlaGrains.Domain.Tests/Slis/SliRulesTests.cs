using SlaGrains.Domain.Slis;

namespace SlaGrains.Domain.Tests.Slis;

public class SliRulesTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly Instant Now = Instant.FromUtc(2026, 6, 15, 12, 0);

    private static SliRules Configured(decimal objective = 99.9m, SliWindow? window = null, DateTimeZone? zone = null)
        => SliRules.Decide(null, new ConfigureSli(objective, window ?? SliWindow.Rolling(28), zone ?? DateTimeZone.Utc), Now).State!;

    private static SliDecision Post(SliRules sli, Instant from, Duration length, long good, long total, Instant? at = null)
        => SliRules.Decide(sli, new RecordCounts(new PostedCounts(from, from + length, good, total)), at ?? Now);

    private static SliRules Posted(SliRules sli, Instant from, Duration length, long good, long total, Instant? at = null)
    {
        var decision = Post(sli, from, length, good, total, at);
        Assert.True(decision.IsAccepted, decision.Rejection?.Message);
        return decision.State!;
    }

    [Fact]
    public void Counts_give_the_window_SLI_and_budget()
    {
        var sli = Posted(Configured(), Now - Duration.FromHours(2), Duration.FromHours(1), 999_600, 1_000_000);

        var figures = sli.FiguresAt(Now);

        Assert.Equal(new Interval(Now + Duration.FromMinutes(5) - Duration.FromDays(28), Now + Duration.FromMinutes(5)), figures.Window);
        Assert.Equal(1_000_000, figures.Budget.Total);
        Assert.Equal(99.96m, figures.Budget.SliPercent);
        Assert.Equal(1_000m, figures.Budget.Budget);
        Assert.Equal(60m, figures.Budget.RemainingPercent);
    }

    [Fact]
    public void A_rolling_window_forgets_counts_older_than_its_days_while_a_calendar_month_keeps_the_month()
    {
        var start = Instant.FromUtc(2026, 6, 1, 0, 0);
        var rolling = Posted(Configured(window: SliWindow.Rolling(7)), start, Duration.FromHours(1), 90, 100, start + Duration.FromHours(1));
        var calendar = Posted(Configured(window: SliWindow.CalendarMonth), start, Duration.FromHours(1), 90, 100, start + Duration.FromHours(1));

        // On the 15th the 7-day window no longer holds June 1st; June does.
        Assert.Equal(0, rolling.FiguresAt(Now).Budget.Total);
        Assert.Equal(100, calendar.FiguresAt(Now).Budget.Total);
        Assert.Equal(0, calendar.FiguresAt(Instant.FromUtc(2026, 7, 1, 0, 0)).Budget.Total);
    }

    [Fact]
    public void A_calendar_month_is_the_month_in_the_customers_zone()
    {
        // Berlin's June starts at May 31st 22:00 UTC: counts of that evening are June's.
        var sli = Configured(window: SliWindow.CalendarMonth, zone: Berlin);
        var evening = Instant.FromUtc(2026, 5, 31, 22, 0);
        sli = Posted(sli, evening, Duration.FromHours(1), 10, 10, evening + Duration.FromHours(1));

        var figures = sli.FiguresAt(Now);

        Assert.Equal(new Interval(evening, Instant.FromUtc(2026, 6, 30, 22, 0)), figures.Window);
        Assert.Equal(10, figures.Budget.Total);
    }

    [Fact]
    public void The_same_interval_with_the_same_counts_again_changes_nothing()
    {
        var sli = Posted(Configured(), Now - Duration.FromHours(1), Duration.FromMinutes(5), 95, 100);

        var replay = Post(sli, Now - Duration.FromHours(1), Duration.FromMinutes(5), 95, 100);

        Assert.True(replay.IsAccepted);
        Assert.Empty(replay.Events);
        Assert.Same(sli, replay.State);
    }

    [Fact]
    public void The_same_interval_with_other_counts_is_a_conflict()
    {
        var sli = Posted(Configured(), Now - Duration.FromHours(1), Duration.FromMinutes(5), 95, 100);

        var other = Post(sli, Now - Duration.FromHours(1), Duration.FromMinutes(5), 96, 100);

        Assert.Equal("counts-conflict", other.Rejection?.Code);
    }

    [Fact]
    public void An_interval_overlapping_recorded_counts_is_refused_but_an_adjacent_one_is_taken()
    {
        var from = Now - Duration.FromHours(1);
        var sli = Posted(Configured(), from, Duration.FromMinutes(5), 95, 100);

        var overlapping = Post(sli, from + Duration.FromMinutes(4), Duration.FromMinutes(5), 1, 1);
        var adjacent = Post(sli, from + Duration.FromMinutes(5), Duration.FromMinutes(5), 1, 1);

        Assert.Equal("counts-overlap", overlapping.Rejection?.Code);
        Assert.True(adjacent.IsAccepted);
        Assert.Equal(101, adjacent.State!.FiguresAt(Now).Budget.Total);
    }

    [Theory]
    [InlineData(-10, 30, 4, 5, "invalid-span")] // 30 s
    [InlineData(-1_500, 1_441, 4, 5, "invalid-span")] // a day and a minute
    [InlineData(-10, 5, 5, 4, "invalid-counts")] // good above total
    [InlineData(3, 5, 5, 5, "invalid-future")] // ends 2 minutes from now
    [InlineData(-29 * 1_440, 5, 5, 5, "invalid-too-old")] // 29 days back in a 28-day window
    public void Counts_out_of_bounds_are_refused(int startMinutesFromNow, int lengthMinutes, long good, long total, string code)
    {
        var length = lengthMinutes == 30 ? Duration.FromSeconds(30) : Duration.FromMinutes(lengthMinutes);
        var decision = Post(Configured(), Now + Duration.FromMinutes(startMinutesFromNow), length, good, total);

        Assert.Equal(code, decision.Rejection?.Code);
    }

    [Fact]
    public void A_one_day_window_still_takes_counts_from_three_days_back_for_the_burn_rates()
    {
        var decision = Post(Configured(window: SliWindow.Rolling(1)), Now - Duration.FromDays(2), Duration.FromHours(1), 1, 1);

        Assert.True(decision.IsAccepted);
    }

    [Fact]
    public void A_fast_burn_fires_every_workbook_alert_when_an_hour_of_requests_all_fail()
    {
        // Twelve 5-minute posts, the last ending at now's bucket: 1,000 requests each, all bad.
        var sli = Configured();
        for (var i = 12; i >= 1; i--)
        {
            sli = Posted(sli, Now - Duration.FromMinutes(5 * i), Duration.FromMinutes(5), 0, 1_000);
        }

        var statuses = sli.BurnRatesAt(Now);

        Assert.All(statuses, s => Assert.True(s.IsFiring));
        Assert.Equal(1_000m, statuses[0].LongWindowBurnRate);
        Assert.Equal(1_000m, statuses[0].ShortWindowBurnRate);
        Assert.Equal(["page-fast", "page-slow", "ticket"], sli.Firing.Select(f => f.Name).Order());
    }

    [Fact]
    public void A_burn_alert_starts_on_the_post_that_crosses_it_and_stops_once_the_short_window_is_clean()
    {
        var sli = Configured();
        for (var i = 12; i >= 3; i--)
        {
            sli = Posted(sli, Now - Duration.FromMinutes(5 * i), Duration.FromMinutes(5), 1_000, 1_000);
        }

        // The last 5 minutes: 150 bad of 1,000 — 150× over 5 min, (150 / 11,000) / 0.001 = 13.6× over the hour: no page yet.
        var quiet = Post(sli, Now - Duration.FromMinutes(5), Duration.FromMinutes(5), 850, 1_000);
        Assert.DoesNotContain(quiet.Events, e => e is SliAlertStarted { Status.Alert.Name: "page-fast" });

        // The 5 minutes before arrive late with 30 bad: 180 / 12,000 = 15× over the hour.
        var worse = Post(quiet.State!, Now - Duration.FromMinutes(10), Duration.FromMinutes(5), 970, 1_000);
        var started = Assert.Single(worse.Events.OfType<SliAlertStarted>(), e => e.Status.Alert.Name == "page-fast");
        Assert.Equal(Now, started.At);

        // Ten minutes on, clean requests fill the newest complete bucket: the short window is clean, the alert stops.
        var later = Now + Duration.FromMinutes(10);
        var clean = Post(worse.State!, Now + Duration.FromMinutes(5), Duration.FromMinutes(5), 1_000, 1_000, later);
        var stopped = Assert.Single(clean.Events.OfType<SliAlertStopped>(), e => e.Status.Alert.Name == "page-fast");
        Assert.Equal(Now, stopped.StartedAt);
        Assert.DoesNotContain(clean.State!.Firing, f => f.Name == "page-fast");
    }

    [Fact]
    public void When_counts_stop_arriving_time_alone_stops_a_firing_alert_and_then_nothing_is_left_to_evaluate()
    {
        var sli = Configured();
        for (var i = 12; i >= 1; i--)
        {
            sli = Posted(sli, Now - Duration.FromMinutes(5 * i), Duration.FromMinutes(5), 0, 1_000);
        }

        // Ten minutes later no counts came: the 5-minute window is empty (nothing burns), so the fast page stops.
        var later = SliRules.Decide(sli, new EvaluateBurnRates(), Now + Duration.FromMinutes(10));
        var stopped = Assert.Single(later.Events.OfType<SliAlertStopped>(), e => e.Status.Alert.Name == "page-fast");
        Assert.Equal(Now, stopped.StartedAt);
        Assert.Equal(Now + Duration.FromMinutes(15), later.State!.NextEvaluation(Now + Duration.FromMinutes(10)));

        // Four days on every alert has stopped and no kept count can start one: no more evaluations are needed.
        var muchLater = SliRules.Decide(later.State, new EvaluateBurnRates(), Now + Duration.FromDays(4));
        Assert.Empty(muchLater.State!.Firing);
        Assert.Null(muchLater.State.NextEvaluation(Now + Duration.FromDays(4)));
    }

    [Fact]
    public void Changing_the_objective_keeps_the_counts_and_re_evaluates_the_alerts()
    {
        var sli = Configured(objective: 90m);
        for (var i = 12; i >= 1; i--)
        {
            sli = Posted(sli, Now - Duration.FromMinutes(5 * i), Duration.FromMinutes(5), 990, 1_000);
        }

        Assert.Empty(sli.Firing);
        var stricter = SliRules.Decide(sli, new ConfigureSli(99.9m, SliWindow.Rolling(28), DateTimeZone.Utc), Now);

        Assert.Equal(12_000, stricter.State!.FiguresAt(Now).Budget.Total);
        // 1 % bad against a 0.1 % allowance burns 10×: the slow page (6×) fires, the fast one (14.4×) does not.
        Assert.Contains(stricter.Events, e => e is SliAlertStarted { Status.Alert.Name: "page-slow" });
        Assert.DoesNotContain(stricter.Events, e => e is SliAlertStarted { Status.Alert.Name: "page-fast" });
    }

    [Fact]
    public void Counts_no_window_can_see_any_more_are_dropped()
    {
        var start = Now - Duration.FromDays(6);
        var sli = Posted(Configured(window: SliWindow.Rolling(1)), start, Duration.FromHours(1), 5, 5, start + Duration.FromHours(1));

        var after = Posted(sli, Now - Duration.FromHours(1), Duration.FromHours(1), 5, 5);

        Assert.All(after.Buckets.Keys, k => Assert.True(k >= Now - Duration.FromDays(3)));
        Assert.All(after.Covered, c => Assert.True(c.End > Now - Duration.FromDays(3)));
        Assert.Single(after.Recent);
    }
}
