using System.Globalization;
using NodaTime;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Tests.Conformance;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>
/// What the monitor read models must do on every store: every row kind written and read back exactly; check results
/// inserted once and the other rows replaced only by a higher version, so a replay or a late write never moves a row
/// backwards; the queries' filters, orders and limits; pruning, clearing and the stale check that keep the tables in
/// step with the monitor grains' state. Each store runs it through a subclass naming its fixture. The stores are shared
/// by a class's tests, so every test writes its own customers and monitor ids (a fresh prefix) and asks only about
/// those. Rows are dated around <see cref="Now"/> (2030), except the pruning tests' (1980s), so a prune deletes only
/// its own test's rows.
/// </summary>
public abstract class MonitorReadModelConformance<TFixture>(TFixture store)
    where TFixture : ReadModelFixture
{
    /// <summary>When the rows of a test happen, give or take.</summary>
    protected static readonly Instant Now = Instant.FromUtc(2030, 1, 7, 12, 0);

    private static readonly Duration Minute = Duration.FromMinutes(1);

    private static readonly Duration Hour = Duration.FromHours(1);

    private readonly string _prefix = "m" + Guid.NewGuid().ToString("N")[..10];

    protected TFixture Store { get; } = store;

    [SkippableFact]
    public void The_silo_serves_monitor_queries_from_its_read_model_object_and_a_front_end_from_its_query_object()
    {
        SkipUnlessAvailable();

        Assert.Same(Store.Writer, Store.Monitors);
        Assert.Same(Store.Reads, Store.Monitors);
        Assert.Same(Store.Maintenance, Store.Monitors);
        Assert.Same(Store.FrontEndReads, Store.FrontEndMonitors);
    }

    [SkippableFact]
    public async Task Every_row_kind_reads_back_equal_with_every_field_including_nulls()
    {
        SkipUnlessAvailable();
        var nanosecond = Duration.FromNanoseconds(1);
        var full = new MonitorRow(Id("full"), Customer("c"), "API", IsCritical: true, "http", IsDown: true, Now - nanosecond, 42);
        var bare = new MonitorRow(Id("bare"), Customer("c"), "Web", IsCritical: false, "push", IsDown: false, LastResultAt: null, 1);
        CheckResultRow[] results =
        [
            new(full.MonitorId, full.CustomerId, "eu-west", Now - nanosecond, IsDown: true, Duration.FromNanoseconds(123_456_789)),
            new(full.MonitorId, full.CustomerId, "us-east", Now - nanosecond, IsDown: false, ResponseTime: null),
            new(full.MonitorId, full.CustomerId, string.Empty, Now - Minute, IsDown: false, Duration.FromMilliseconds(87)),
        ];
        var hourFigures = new CheckRollup(
            Duration.FromMinutes(50) + nanosecond, Duration.FromMinutes(7), Duration.FromMinutes(3) - nanosecond, 61, 9,
            Duration.FromMilliseconds(80), Duration.FromMilliseconds(450) + Duration.FromNanoseconds(3), Duration.FromSeconds(2),
            Duration.FromMilliseconds(1_900) + nanosecond);
        var dayFigures = new CheckRollup(Duration.FromHours(20), Duration.Zero, Duration.FromHours(4), 0, 0, null, null, null);
        CheckRollupRow[] rollups =
        [
            new(full.MonitorId, full.CustomerId, RollupGranularity.Hour, Now - Hour, hourFigures, 42),
            new(full.MonitorId, full.CustomerId, RollupGranularity.Day, Instant.FromUtc(2030, 1, 7, 0, 0), dayFigures, 41),
        ];
        var reviewed = new IncidentRow(
            new IncidentView(
                Id("full-1"), full.MonitorId, full.CustomerId, Now - Hour - nanosecond, Now - (30 * Minute), Now - (55 * Minute), Now - (29 * Minute),
                new Uri("https://status.example.com/postmortems/2030-01-07?x=1&y=%20"), IncidentRootCause.ThirdPartyDependency, "Failed over to the second provider."),
            "API",
            42);
        var open = new IncidentRow(
            new IncidentView(Id("full-2"), full.MonitorId, full.CustomerId, Now - (5 * Minute), null, Now - (4 * Minute), null, null, null, null),
            "API",
            42);
        var window = new MaintenanceRow(
            new MaintenanceView(Id("full-m1"), Now + Hour + nanosecond, Now + (3 * Hour), Now - Duration.FromDays(3), "Database upgrade; read-only for a while."),
            full.MonitorId, full.CustomerId, "API", Cancelled: false, 42);

        await Store.Writer.WriteAsync(new ReadModelBatch([], [])
        {
            Monitors = [full, bare],
            CheckResults = results,
            Rollups = rollups,
            Incidents = [reviewed, open],
            Maintenance = [window],
        });

        Assert.Equal([bare, full], await Store.Monitors.MonitorsAsync([Customer("c")]));
        Assert.Equal([results[1], results[0], results[2]], await Store.Monitors.CheckResultsAsync(full.MonitorId, Now - Hour, Now, 100));
        Assert.Equal([rollups[0]], await Store.Monitors.RollupsAsync([full.MonitorId], RollupGranularity.Hour, Now - Duration.FromDays(1), Now));
        Assert.Equal([rollups[1]], await Store.Monitors.RollupsAsync([full.MonitorId], RollupGranularity.Day, Now - Duration.FromDays(1), Now));
        Assert.Equal([open, reviewed], await Store.Monitors.IncidentsAsync([Customer("c")], Now - Duration.FromDays(1), 100));
        Assert.Equal([window], await Store.Monitors.MaintenanceAsync([Customer("c")], Now, 100));
    }

    [SkippableFact]
    public async Task A_rollup_keeps_its_p99_and_a_row_without_one_reads_null()
    {
        SkipUnlessAvailable();
        var figures = new CheckRollup(Duration.FromMinutes(60), Duration.Zero, Duration.Zero, 120, 0,
            Duration.FromMilliseconds(40), Duration.FromMilliseconds(90), Duration.FromMilliseconds(400), Duration.FromMilliseconds(250));
        CheckRollupRow[] rows =
        [
            new(Id("p99"), Customer("c"), RollupGranularity.Hour, Now - Hour, figures, 1),
            new(Id("p99"), Customer("c"), RollupGranularity.Hour, Now - (2 * Hour), figures with { ResponseP99 = null }, 1),
        ];

        await Store.Writer.WriteAsync(new ReadModelBatch([], []) { Rollups = rows });

        var read = await Store.Monitors.RollupsAsync([Id("p99")], RollupGranularity.Hour, Now - Duration.FromDays(1), Now);
        Assert.Equal([rows[1], rows[0]], read);
        Assert.Equal(Duration.FromMilliseconds(250), read[1].Figures.ResponseP99);
        Assert.Null(read[0].Figures.ResponseP99);
    }

    [SkippableFact]
    public async Task Check_stats_count_checks_and_failures_and_take_nearest_rank_percentiles_per_monitor_and_per_region()
    {
        SkipUnlessAvailable();
        var monitor = Id("stats");
        var quiet = Id("stats-quiet");
        // eu-west: 100 checks answering in 1..100 ms, the last 3 failed; us-east: 4 checks, one without a response time and failed.
        var eu = Enumerable.Range(1, 100)
            .Select(i => Result(monitor, "c", Now - Duration.FromSeconds(i), isDown: i > 97, region: "eu-west") with { ResponseTime = Duration.FromMilliseconds(i) })
            .ToList();
        CheckResultRow[] us =
        [
            Result(monitor, "c", Now - Duration.FromSeconds(1), region: "us-east") with { ResponseTime = Duration.FromMilliseconds(300) },
            Result(monitor, "c", Now - Duration.FromSeconds(2), region: "us-east") with { ResponseTime = Duration.FromMilliseconds(100) },
            Result(monitor, "c", Now - Duration.FromSeconds(3), region: "us-east") with { ResponseTime = Duration.FromMilliseconds(200) },
            Result(monitor, "c", Now - Duration.FromSeconds(4), isDown: true, region: "us-east") with { ResponseTime = null },
        ];
        // Outside the span (at its end, and a day before) and another monitor's: not counted.
        CheckResultRow[] outside =
        [
            Result(monitor, "c", Now, region: "eu-west") with { ResponseTime = Duration.FromSeconds(9) },
            Result(monitor, "c", Now - Duration.FromDays(1), region: "eu-west") with { ResponseTime = Duration.FromSeconds(9) },
            Result(Id("stats-other"), "c", Now - Minute, region: "eu-west") with { ResponseTime = Duration.FromSeconds(9) },
        ];
        await WriteResults([.. eu, .. us, .. outside]);

        var stats = await Store.Monitors.CheckStatsAsync([monitor, quiet], Now - Hour, Now);

        static Duration Ms(int ms) => Duration.FromMilliseconds(ms);
        Assert.Equal(
            [
                new CheckStatsRow(monitor, null, 104, 4, 103, Ms(52), Ms(98), Ms(200), Ms(300)),
                new CheckStatsRow(monitor, "eu-west", 100, 3, 100, Ms(50), Ms(95), Ms(99), Ms(100)),
                new CheckStatsRow(monitor, "us-east", 4, 1, 3, Ms(200), Ms(300), Ms(300), Ms(300)),
            ],
            stats);
        Assert.Equal(97m, stats[1].AvailabilityPercent);
        Assert.Equal(75m, stats[2].AvailabilityPercent);
        Assert.Empty(await Store.Monitors.CheckStatsAsync([quiet], Now - Hour, Now));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Monitors.CheckStatsAsync([monitor], Now - Duration.FromDays(94), Now));
    }

    [SkippableFact]
    public async Task Replayed_check_results_are_stored_once()
    {
        SkipUnlessAvailable();
        var monitor = Id("replayed");
        CheckResultRow[] results = [.. Enumerable.Range(0, 5).Select(i => Result(monitor, "c", Now - (i * Minute), isDown: i % 2 == 0))];

        await WriteResults(results);
        await WriteResults(results);
        await WriteResults([.. results.Select(r => r with { IsDown = !r.IsDown, ResponseTime = Duration.FromSeconds(9) })]);

        Assert.Equal(results, await Store.Monitors.CheckResultsAsync(monitor, Now - Hour, Now + Minute, 100));
    }

    [SkippableFact]
    public async Task A_replayed_batch_leaves_every_row_as_it_was()
    {
        SkipUnlessAvailable();
        var batch = Everything("c", "replay", version: 3);

        await Store.Writer.WriteAsync(batch);
        await Store.Writer.WriteAsync(batch);

        await AssertStored("c", batch);
    }

    [SkippableFact]
    public async Task A_same_version_with_other_values_changes_nothing()
    {
        SkipUnlessAvailable();
        var first = Everything("c", "same", version: 5);
        await Store.Writer.WriteAsync(first);

        await Store.Writer.WriteAsync(Changed(first, version: 5));

        await AssertStored("c", first);
    }

    [SkippableFact]
    public async Task A_higher_version_replaces_every_row_but_the_check_results()
    {
        SkipUnlessAvailable();
        var first = Everything("c", "moving", version: 1);
        await Store.Writer.WriteAsync(first);
        var second = Changed(first, version: 2);

        await Store.Writer.WriteAsync(second);

        await AssertStored("c", second with { CheckResults = first.CheckResults });
    }

    [SkippableFact]
    public async Task An_older_version_arriving_after_a_newer_one_changes_no_row()
    {
        SkipUnlessAvailable();
        var older = Everything("c", "late", version: 6);
        var newer = Changed(older, version: 7);
        await Store.Writer.WriteAsync(newer);

        await Store.Writer.WriteAsync(older);

        await AssertStored("c", newer);
    }

    [SkippableFact]
    public async Task A_review_wins_by_version_and_a_late_unreviewed_write_never_undoes_it()
    {
        SkipUnlessAvailable();
        var unreviewed = Incident("c", "reviewed", Now - Hour, Now - (30 * Minute));
        var reviewed = unreviewed with
        {
            Incident = unreviewed.Incident with { Postmortem = new Uri("https://example.com/pm/1"), RootCause = IncidentRootCause.Deploy, Resolution = "Rolled back." },
            Version = 2,
        };

        await WriteIncidents(unreviewed);
        await WriteIncidents(reviewed);
        await WriteIncidents(unreviewed);

        Assert.Equal([reviewed], await Store.Monitors.IncidentsAsync([Customer("c")], Now - Duration.FromDays(1), 100));
    }

    [SkippableFact]
    public async Task A_budget_alert_reads_back_exactly_its_stop_replaces_its_start_and_a_late_start_never_undoes_the_stop()
    {
        SkipUnlessAvailable();
        var alert = new BudgetAlertView(
            $"{Id("burn")}.page-fast.1", Id("burn"), Customer("c"), "Component burn", "page-fast", AlertSeverity.Page, 14.4m,
            Hour, Duration.FromMinutes(5), 166.6666m, 1000m, Now, null);
        var started = new BudgetAlertRow(alert, 1);
        var stopped = new BudgetAlertRow(alert with { LongWindowBurnRate = 150.0001m, ShortWindowBurnRate = 0m, StoppedAt = Now + (10 * Minute) }, 2);

        await WriteBudgetAlerts(started);
        var firing = await Store.Monitors.BudgetAlertsAsync([Customer("c")], firingOnly: true, 100);
        await WriteBudgetAlerts(stopped);
        await WriteBudgetAlerts(started);

        Assert.Equal([started], firing);
        Assert.Equal([stopped], await Store.Monitors.BudgetAlertsAsync([Customer("c")], firingOnly: false, 100));
        Assert.Empty(await Store.Monitors.BudgetAlertsAsync([Customer("c")], firingOnly: true, 100));
        Assert.Empty(await Store.Monitors.BudgetAlertsAsync([], firingOnly: false, 100));
    }

    [SkippableFact]
    public async Task A_budget_alert_acknowledgement_reads_back_exactly_and_a_late_unacknowledged_row_never_undoes_it()
    {
        SkipUnlessAvailable();
        var alert = new BudgetAlertView(
            $"{Id("ack")}.page-slow.1", Id("ack"), Customer("c"), "Component ack", "page-slow", AlertSeverity.Page, 6m,
            Duration.FromHours(6), Duration.FromMinutes(30), 7.5m, 12m, Now, null);
        var started = new BudgetAlertRow(alert, 1);
        var acknowledged = new BudgetAlertRow(alert with { AcknowledgedAt = Now + Minute + Duration.FromNanoseconds(1), AcknowledgedBy = "erin" }, 2);

        await WriteBudgetAlerts(started);
        await WriteBudgetAlerts(acknowledged);
        await WriteBudgetAlerts(started);

        Assert.Equal([acknowledged], await Store.Monitors.BudgetAlertsAsync([Customer("c")], firingOnly: true, 100));
    }

    [SkippableFact]
    public async Task A_cancelled_maintenance_window_is_not_listed_and_a_late_uncancelled_write_does_not_bring_it_back()
    {
        SkipUnlessAvailable();
        var announced = Window("c", "w1", Now + Hour, Now + (2 * Hour));
        var kept = Window("c", "w2", Now + (2 * Hour), Now + (3 * Hour));
        await WriteMaintenance(announced, kept);
        Assert.Equal([announced, kept], await Store.Monitors.MaintenanceAsync([Customer("c")], Now, 100));

        await WriteMaintenance(announced with { Cancelled = true, Version = 2 });
        await WriteMaintenance(announced);

        Assert.Equal([kept], await Store.Monitors.MaintenanceAsync([Customer("c")], Now, 100));
        Assert.Equal([kept], MineOf(await Store.Monitors.MaintenanceAsync(null, Now, 10_000)));
    }

    [SkippableFact]
    public async Task Maintenance_lists_windows_ending_after_the_instant_by_start_then_id_up_to_the_limit()
    {
        SkipUnlessAvailable();
        var endedAtTheInstant = Window("c", "ended", Now - Hour, Now);
        var running = Window("c", "running", Now - Hour, Now + Duration.FromNanoseconds(1));
        var laterB = Window("c", "b", Now + Hour, Now + (2 * Hour));
        var laterA = Window("c", "a", Now + Hour, Now + (3 * Hour));
        var last = Window("c", "last", Now + (5 * Hour), Now + (6 * Hour));
        await WriteMaintenance(last, laterB, endedAtTheInstant, laterA, running);

        Assert.Equal([running, laterA, laterB, last], await Store.Monitors.MaintenanceAsync([Customer("c")], Now, 100));
        Assert.Equal([running, laterA], await Store.Monitors.MaintenanceAsync([Customer("c")], Now, 2));
        Assert.Equal([last], await Store.Monitors.MaintenanceAsync([Customer("c")], Now + (3 * Hour), 100));
    }

    [SkippableFact]
    public async Task Incidents_since_an_instant_include_the_ongoing_and_those_ended_after_it_and_not_those_ended_by_then()
    {
        SkipUnlessAvailable();
        var since = Now - Duration.FromDays(1);
        var endedBefore = Incident("c", "before", since - (2 * Hour), since - Hour);
        var endedAtSince = Incident("c", "at", since - Hour, since);
        var endedJustAfter = Incident("c", "after", since - Hour, since + Duration.FromNanoseconds(1));
        var startedAfter = Incident("c", "later", since + Hour, since + (2 * Hour));
        var ongoingSinceLongAgo = Incident("c", "ongoing", since - Duration.FromDays(30), null);
        await WriteIncidents(endedBefore, endedAtSince, endedJustAfter, startedAfter, ongoingSinceLongAgo);

        Assert.Equal([startedAfter, endedJustAfter, ongoingSinceLongAgo], await Store.Monitors.IncidentsAsync([Customer("c")], since, 100));
    }

    [SkippableFact]
    public async Task Incidents_are_listed_newest_start_first_then_by_id_descending_up_to_the_limit()
    {
        SkipUnlessAvailable();
        var oldest = Incident("c", "oldest", Now - (3 * Hour), Now - (2 * Hour));
        var sameStartA = Incident("c", "A", Now - (2 * Hour), Now - Hour);
        var sameStartB = Incident("c", "b", Now - (2 * Hour), null);
        var newest = Incident("c", "newest", Now - Hour, null);
        await WriteIncidents(sameStartA, oldest, newest, sameStartB);

        // One start: by id descending, ordinal ('b' > 'A').
        Assert.Equal([newest, sameStartB, sameStartA, oldest], await Store.Monitors.IncidentsAsync([Customer("c")], Now - Duration.FromDays(1), 100));
        Assert.Equal([newest, sameStartB], await Store.Monitors.IncidentsAsync([Customer("c")], Now - Duration.FromDays(1), 2));
    }

    [SkippableFact]
    public async Task Rollups_are_read_for_the_listed_monitors_at_one_granularity_with_buckets_starting_in_the_half_open_range()
    {
        SkipUnlessAvailable();
        var from = Instant.FromUtc(2030, 1, 7, 0, 0);
        var to = from + (3 * Hour);
        var a = Id("a");
        var b = Id("b");
        CheckRollupRow[] rollups =
        [
            Rollup(b, RollupGranularity.Hour, from + Hour),
            Rollup(a, RollupGranularity.Hour, from - Hour),
            Rollup(a, RollupGranularity.Hour, from + (2 * Hour)),
            Rollup(a, RollupGranularity.Hour, from),
            Rollup(a, RollupGranularity.Hour, to),
            Rollup(a, RollupGranularity.Day, from),
            Rollup(Id("unlisted"), RollupGranularity.Hour, from),
        ];
        await Store.Writer.WriteAsync(new ReadModelBatch([], []) { Rollups = rollups });

        Assert.Equal([rollups[3], rollups[2], rollups[0]], await Store.Monitors.RollupsAsync([b, a], RollupGranularity.Hour, from, to));
        Assert.Equal([rollups[0]], await Store.Monitors.RollupsAsync([b], RollupGranularity.Hour, from, to));
        Assert.Equal([rollups[5]], await Store.Monitors.RollupsAsync([a, b, a], RollupGranularity.Day, from, to));
        Assert.Empty(await Store.Monitors.RollupsAsync([], RollupGranularity.Hour, from, to));
        Assert.Empty(await Store.Monitors.RollupsAsync([a], RollupGranularity.Hour, to, from));
    }

    [SkippableFact]
    public async Task Latency_counts_judge_response_times_against_the_threshold_and_count_failures_as_not_good()
    {
        SkipUnlessAvailable();
        var monitor = Id("latency");
        await WriteResults(
            Result(monitor, "c", Now - (5 * Minute)) with { ResponseTime = Duration.FromMilliseconds(500) }, // at the threshold: good
            Result(monitor, "c", Now - (4 * Minute)) with { ResponseTime = Duration.FromMilliseconds(501) }, // slow
            Result(monitor, "c", Now - (3 * Minute), isDown: true),                                          // failed: counted, not good
            Result(monitor, "c", Now - (3 * Minute), isDown: true, region: "us") with { ResponseTime = Duration.FromMilliseconds(10) },
            Result(monitor, "c", Now - (2 * Minute)) with { ResponseTime = null },                            // no response time: not counted
            Result(monitor, "c", Now - Minute),                                                              // 120 ms: good
            Result(monitor, "c", Now),                                                                       // at the end: outside
            Result(Id("other"), "c", Now - Minute));

        Assert.Equal(new LatencyCountRow(2, 5), await Store.Monitors.LatencyCountsAsync(monitor, Now - Hour, Now, Duration.FromMilliseconds(500)));
        Assert.Equal(new LatencyCountRow(0, 5), await Store.Monitors.LatencyCountsAsync(monitor, Now - Hour, Now, Duration.FromMilliseconds(1)));
        Assert.Equal(new LatencyCountRow(0, 0), await Store.Monitors.LatencyCountsAsync(monitor, Now, Now - Hour, Duration.FromMilliseconds(500)));
        Assert.Equal(new LatencyCountRow(0, 0), await Store.Monitors.LatencyCountsAsync(Id("nothing"), Now - Hour, Now, Duration.FromMilliseconds(500)));
    }

    [SkippableFact]
    public async Task Check_results_are_read_newest_first_in_the_half_open_range_up_to_the_limit()
    {
        SkipUnlessAvailable();
        var monitor = Id("results");
        var first = Result(monitor, "c", Now - (3 * Minute), region: "eu");
        var secondEu = Result(monitor, "c", Now - (2 * Minute), region: "eu");
        var secondUs = Result(monitor, "c", Now - (2 * Minute), region: "us");
        var atTheEnd = Result(monitor, "c", Now, region: "eu");
        await WriteResults(atTheEnd, first, secondUs, secondEu, Result(Id("other"), "c", Now - Minute));

        // One instant: by region descending.
        Assert.Equal([secondUs, secondEu, first], await Store.Monitors.CheckResultsAsync(monitor, Now - (3 * Minute), Now, 100));
        Assert.Equal([secondUs, secondEu], await Store.Monitors.CheckResultsAsync(monitor, Now - (3 * Minute), Now, 2));
        Assert.Equal([atTheEnd, secondUs, secondEu], await Store.Monitors.CheckResultsAsync(monitor, Now - (2 * Minute), Now + Duration.FromNanoseconds(1), 100));
        Assert.Empty(await Store.Monitors.CheckResultsAsync(Id("never"), Now - Hour, Now, 100));
    }

    [SkippableFact]
    public async Task Check_result_pages_walk_oldest_first_then_by_region_and_resume_after_the_last_row_in_the_half_open_range()
    {
        SkipUnlessAvailable();
        var monitor = Id("pages");
        var first = Result(monitor, "c", Now - (3 * Minute), region: "us");
        var secondEu = Result(monitor, "c", Now - (2 * Minute), region: "eu");
        var secondUs = Result(monitor, "c", Now - (2 * Minute), region: "us");
        var third = Result(monitor, "c", Now - Minute, isDown: true);
        await WriteResults(Result(monitor, "c", Now), third, secondUs, first, secondEu, Result(monitor, "c", Now - Hour), Result(Id("pages-other"), "c", Now - Minute));

        var page1 = await Store.Monitors.CheckResultPageAsync(monitor, Now - (3 * Minute), Now, null, 2);
        var page2 = await Store.Monitors.CheckResultPageAsync(monitor, Now - (3 * Minute), Now, new CheckResultPosition(page1[^1].At, page1[^1].Region), 2);
        var page3 = await Store.Monitors.CheckResultPageAsync(monitor, Now - (3 * Minute), Now, new CheckResultPosition(page2[^1].At, page2[^1].Region), 2);

        Assert.Equal([first, secondEu], page1);
        Assert.Equal([secondUs, third], page2);
        Assert.Empty(page3);
        Assert.Empty(await Store.Monitors.CheckResultPageAsync(monitor, Now, Now, null, 10));
    }

    [SkippableFact]
    public async Task The_raw_check_export_writes_every_row_once_across_pages_by_monitor_and_hashes_exactly_the_bytes_it_wrote()
    {
        SkipUnlessAvailable();
        var (a, b) = (Id("export-a"), Id("export-b"));
        // More rows than a page for one monitor, so the walk resumes at least once.
        var many = Enumerable.Range(0, RawCheckExport.PageSize + 3).Select(i => Result(b, "c", Now - Hour + Duration.FromMilliseconds(i * 500L), isDown: i % 1000 == 7)).ToArray();
        await WriteResults([.. many, Result(a, "c", Now - Minute, region: "=cmd"), Result(a, "c", Now + Minute)]);
        using var output = new MemoryStream();

        var stated = await RawCheckExport.WriteAsync(Store.Monitors, [b, a, b], Now - Hour, Now, output);
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n').Split('\n');

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(output.ToArray())), stated.Sha256);
        Assert.Equal(many.Length + 1, stated.Rows);
        Assert.Equal((Now - Hour, Now), (stated.From, stated.To));
        Assert.Equal(RawCheckExport.Header, lines[0]);
        Assert.Equal($"{a},,{NodaTime.Text.InstantPattern.ExtendedIso.Format(Now - Minute)},up,120".Replace(",,", ",\"'=cmd\",", StringComparison.Ordinal), lines[1]);
        Assert.Equal([.. many.Select(r => NodaTime.Text.InstantPattern.ExtendedIso.Format(r.At))], lines[2..].Select(l => l.Split(',')[2]));
        Assert.Equal(many.Count(r => r.IsDown), lines.Count(l => l.EndsWith(",down,", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task Query_bounds_beyond_the_storable_range_mean_unbounded()
    {
        SkipUnlessAvailable();
        var monitor = Id("unbounded");
        var result = Result(monitor, "c", Now);
        var rollup = Rollup(monitor, RollupGranularity.Day, Instant.FromUtc(2030, 1, 7, 0, 0));
        var incident = Incident("c", "unbounded", Now - Hour, Now);
        var window = Window("c", "unbounded", Now, Now + Hour);
        await Store.Writer.WriteAsync(new ReadModelBatch([], []) { CheckResults = [result], Rollups = [rollup], Incidents = [incident], Maintenance = [window] });

        Assert.Equal([result], await Store.Monitors.CheckResultsAsync(monitor, Instant.MinValue, Instant.MaxValue, 100));
        Assert.Equal([rollup], await Store.Monitors.RollupsAsync([monitor], RollupGranularity.Day, Instant.MinValue, Instant.MaxValue));
        Assert.Equal([incident], await Store.Monitors.IncidentsAsync([Customer("c")], Instant.MinValue, 100));
        Assert.Equal([window], await Store.Monitors.MaintenanceAsync([Customer("c")], Instant.MinValue, 100));
        Assert.Empty(await Store.Monitors.IncidentsAsync([Customer("c")], Instant.MaxValue, 100));
    }

    [SkippableFact]
    public async Task Monitors_are_listed_by_customer_then_by_ordinal_monitor_id()
    {
        SkipUnlessAvailable();
        // c2's monitor id sorts before every one of c1's: the customer comes first.
        MonitorRow[] monitors =
        [
            Monitor("c2", "0"),
            Monitor("c1", "b"),
            Monitor("c1", "B"),
            Monitor("c1", "a"),
        ];
        await WriteMonitors(monitors);

        Assert.Equal([monitors[2], monitors[3], monitors[1], monitors[0]], await Store.Monitors.MonitorsAsync([Customer("c2"), Customer("c1")]));
    }

    [SkippableFact]
    public async Task The_customers_filter_lists_only_those_customers_and_an_empty_set_lists_nothing()
    {
        SkipUnlessAvailable();
        var monitors = new[] { Monitor("c1", "a"), Monitor("c2", "b"), Monitor("c3", "c") };
        var incidents = new[] { Incident("c1", "a", Now - Hour, null), Incident("c2", "b", Now - (2 * Hour), null), Incident("c3", "c", Now - (3 * Hour), null) };
        var windows = new[] { Window("c1", "a", Now + Hour, Now + (2 * Hour)), Window("c2", "b", Now + (2 * Hour), Now + (3 * Hour)), Window("c3", "c", Now + (3 * Hour), Now + (4 * Hour)) };
        await Store.Writer.WriteAsync(new ReadModelBatch([], []) { Monitors = monitors, Incidents = incidents, Maintenance = windows });
        var since = Now - Duration.FromDays(1);

        Assert.Equal([monitors[1]], await Store.Monitors.MonitorsAsync([Customer("c2")]));
        Assert.Equal([monitors[0], monitors[2]], await Store.Monitors.MonitorsAsync([Customer("c3"), Customer("c1")]));
        Assert.Empty(await Store.Monitors.MonitorsAsync([]));
        Assert.Equal(monitors, (await Store.Monitors.MonitorsAsync(null)).Where(m => Mine(m.CustomerId)));

        Assert.Equal([incidents[1]], await Store.Monitors.IncidentsAsync([Customer("c2")], since, 100));
        Assert.Equal([incidents[0], incidents[2]], await Store.Monitors.IncidentsAsync([Customer("c3"), Customer("c1")], since, 100));
        Assert.Empty(await Store.Monitors.IncidentsAsync([], since, 100));
        Assert.Equal(incidents, (await Store.Monitors.IncidentsAsync(null, since, 10_000)).Where(i => Mine(i.Incident.CustomerId)));

        Assert.Equal([windows[1]], await Store.Monitors.MaintenanceAsync([Customer("c2")], Now, 100));
        Assert.Equal([windows[0], windows[2]], await Store.Monitors.MaintenanceAsync([Customer("c3"), Customer("c1")], Now, 100));
        Assert.Empty(await Store.Monitors.MaintenanceAsync([], Now, 100));
        Assert.Equal(windows, MineOf(await Store.Monitors.MaintenanceAsync(null, Now, 10_000)));
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public async Task A_limit_outside_1_to_10000_is_refused(int limit)
    {
        SkipUnlessAvailable();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Monitors.CheckResultsAsync(Id("x"), Now - Hour, Now, limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Monitors.IncidentsAsync(null, Now, limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Monitors.MaintenanceAsync(null, Now, limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Monitors.IncidentsAsync([], Now, limit));
    }

    [SkippableFact]
    public async Task A_limit_of_1_and_of_10000_is_taken()
    {
        SkipUnlessAvailable();
        await WriteResults(Result(Id("limits"), "c", Now - Minute), Result(Id("limits"), "c", Now - (2 * Minute)));

        Assert.Single(await Store.Monitors.CheckResultsAsync(Id("limits"), Now - Hour, Now, 1));
        Assert.Equal(2, (await Store.Monitors.CheckResultsAsync(Id("limits"), Now - Hour, Now, 10_000)).Count);
    }

    [SkippableFact]
    public async Task A_rollup_of_unknown_granularity_is_refused_before_anything_of_its_batch_is_written()
    {
        SkipUnlessAvailable();
        var monitor = Monitor("c", "refused");
        var rollup = Rollup(monitor.MonitorId, (RollupGranularity)7, Now - Hour);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Writer.WriteAsync(new ReadModelBatch([], []) { Monitors = [monitor], Rollups = [rollup] }));

        Assert.Empty(await Store.Monitors.MonitorsAsync([Customer("c")]));
    }

    [SkippableFact]
    public async Task Prune_deletes_only_rows_older_than_the_cutoffs_and_returns_how_many_went()
    {
        SkipUnlessAvailable();
        var monitor = Id("pruned");
        var resultsCutoff = Instant.FromUtc(1990, 1, 2, 0, 0);
        var rollupsCutoff = Instant.FromUtc(1990, 1, 1, 0, 0);
        var oldResult = Result(monitor, "c", resultsCutoff - Duration.FromNanoseconds(1));
        var olderResult = Result(monitor, "c", resultsCutoff - Hour, region: "eu");
        var resultAtCutoff = Result(monitor, "c", resultsCutoff);
        var oldHour = Rollup(monitor, RollupGranularity.Hour, rollupsCutoff - Hour);
        var oldDay = Rollup(monitor, RollupGranularity.Day, rollupsCutoff - Duration.FromDays(1));
        var hourAtCutoff = Rollup(monitor, RollupGranularity.Hour, rollupsCutoff);
        var dayAtCutoff = Rollup(monitor, RollupGranularity.Day, rollupsCutoff);

        // Each table has its own cutoff: a rollup between the two stays.
        var hourBetween = Rollup(monitor, RollupGranularity.Hour, rollupsCutoff + Hour);
        await Store.Writer.WriteAsync(new ReadModelBatch([], [])
        {
            CheckResults = [oldResult, olderResult, resultAtCutoff],
            Rollups = [oldHour, oldDay, hourAtCutoff, dayAtCutoff, hourBetween],
        });

        var deleted = await Store.Maintenance.PruneAsync(resultsCutoff, rollupsCutoff);

        Assert.Equal(4, deleted);
        Assert.Equal([resultAtCutoff], await Store.Monitors.CheckResultsAsync(monitor, Instant.MinValue, Instant.MaxValue, 100));
        Assert.Equal([hourAtCutoff, hourBetween], await Store.Monitors.RollupsAsync([monitor], RollupGranularity.Hour, Instant.MinValue, Instant.MaxValue));
        Assert.Equal([dayAtCutoff], await Store.Monitors.RollupsAsync([monitor], RollupGranularity.Day, Instant.MinValue, Instant.MaxValue));
        Assert.Equal(0, await Store.Maintenance.PruneAsync(resultsCutoff, rollupsCutoff));
    }

    [SkippableFact]
    public async Task Prune_deletes_in_steps_until_nothing_older_is_left_and_counts_every_step()
    {
        SkipUnlessAvailable();
        var monitor = Id("many");
        var cutoff = Instant.FromUtc(1985, 1, 2, 0, 0);
        var count = MonitorRowsSql.PruneStep + 7;
        var results = Enumerable.Range(0, count).Select(i => Result(monitor, "c", cutoff - Duration.FromSeconds(i + 1))).ToArray();
        foreach (var chunk in results.Chunk(1_000))
        {
            await WriteResults(chunk);
        }

        var deleted = await Store.Maintenance.PruneAsync(cutoff, cutoff);

        Assert.Equal(count, deleted);
        Assert.Empty(await Store.Monitors.CheckResultsAsync(monitor, Instant.MinValue, Instant.MaxValue, 10_000));
    }

    [SkippableFact]
    public async Task Clear_deletes_monitors_incidents_and_maintenance_but_keeps_check_results_and_rollups()
    {
        SkipUnlessAvailable();
        var state = await WriteMonitorState("cleared");
        var batch = Everything("c", "cleared", version: state.Version);
        await Store.Writer.WriteAsync(batch);
        Assert.Empty(await Stale(after: _prefix, limit: 100));

        await Store.Maintenance.ClearAsync();

        Assert.Empty(await Store.Monitors.MonitorsAsync(null));
        Assert.Empty(await Store.Monitors.IncidentsAsync(null, Instant.MinValue, 10_000));
        Assert.Empty(await Store.Monitors.MaintenanceAsync(null, Instant.MinValue, 10_000));
        Assert.Equal(batch.CheckResults.OrderByDescending(r => r.At), await Store.Monitors.CheckResultsAsync(Id("cleared"), Instant.MinValue, Instant.MaxValue, 100));
        Assert.Equal(
            batch.Rollups.Where(r => r.Granularity == RollupGranularity.Hour),
            await Store.Monitors.RollupsAsync([Id("cleared")], RollupGranularity.Hour, Instant.MinValue, Instant.MaxValue));
        Assert.Equal([Id("cleared")], await Stale(after: _prefix, limit: 100));
        var read = new GrainState<ConformanceState>();
        await Store.GrainStorage.ReadStateAsync(MonitorGrainState.StateName, GrainId.Create(MonitorGrainState.GrainType, Id("cleared")), read);
        Assert.True(read.RecordExists);
    }

    [SkippableFact]
    public async Task A_monitor_state_without_a_row_or_newer_than_its_row_is_stale()
    {
        SkipUnlessAvailable();
        var noRow = await WriteMonitorState("a");
        var fresh = await WriteMonitorState("b");
        var behind = await WriteMonitorState("c", writes: 2);
        var cleared = await WriteMonitorState("d");
        await Store.GrainStorage.ClearStateAsync(MonitorGrainState.StateName, GrainId.Create(MonitorGrainState.GrainType, Id("d")), cleared.State);
        var ahead = await WriteMonitorState("e");

        // The same key under another grain type (one whose name starts the same) or another state name is not a monitor's.
        await Store.GrainStorage.WriteStateAsync(MonitorGrainState.StateName, GrainId.Create("monitorindex", Id("f")), new GrainState<ConformanceState>(new ConformanceState()));
        await Store.GrainStorage.WriteStateAsync("other", GrainId.Create(MonitorGrainState.GrainType, Id("g")), new GrainState<ConformanceState>(new ConformanceState()));
        await WriteMonitors(Monitor("c", "b") with { Version = fresh.Version }, Monitor("c", "c") with { Version = behind.Version - 1 }, Monitor("c", "e") with { Version = ahead.Version + 1 });

        // Only the monitors row counts: other rows at the state's version do not make a monitor current.
        await Store.Writer.WriteAsync(new ReadModelBatch([], []) { Incidents = [Incident("c", "a", Now - Hour, null) with { Version = noRow.Version }] });

        Assert.Equal([Id("a"), Id("c")], await Stale(after: _prefix, limit: 100));
        Assert.Equal([Id("a")], await Stale(after: _prefix, limit: 1));
        Assert.Equal([Id("c")], await Stale(after: Id("a"), limit: 1));
        Assert.DoesNotContain(Id("a"), await Store.Maintenance.StaleTicketsAsync(after: _prefix, limit: 100));
        Assert.DoesNotContain(Id("a"), await Store.Maintenance.StaleEscalationsAsync(after: _prefix, limit: 100));

        await WriteMonitors(Monitor("c", "a") with { Version = noRow.Version }, Monitor("c", "c") with { Version = behind.Version });
        Assert.Empty(await Stale(after: _prefix, limit: 100));
    }

    [SkippableFact]
    public async Task A_stale_check_with_a_limit_below_1_is_refused()
    {
        SkipUnlessAvailable();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Maintenance.StaleMonitorsAsync(after: null, limit: 0));
    }

    [SkippableFact]
    public async Task A_front_end_on_the_same_settings_reads_the_monitor_rows_the_silo_wrote()
    {
        SkipUnlessAvailable();
        var batch = Everything("c", "shared", version: 1);
        await Store.Writer.WriteAsync(batch);

        Assert.Equal(batch.Monitors, await Store.FrontEndMonitors.MonitorsAsync([Customer("c")]));
        Assert.Equal(batch.Incidents.OrderByDescending(i => i.Incident.Start), await Store.FrontEndMonitors.IncidentsAsync([Customer("c")], Instant.MinValue, 100));
        Assert.Equal(batch.Maintenance, await Store.FrontEndMonitors.MaintenanceAsync([Customer("c")], Instant.MinValue, 100));
        Assert.Equal(batch.CheckResults.OrderByDescending(r => r.At), await Store.FrontEndMonitors.CheckResultsAsync(Id("shared"), Instant.MinValue, Instant.MaxValue, 100));
        Assert.Equal(
            batch.Rollups.Where(r => r.Granularity == RollupGranularity.Hour),
            await Store.FrontEndMonitors.RollupsAsync([Id("shared")], RollupGranularity.Hour, Instant.MinValue, Instant.MaxValue));
    }

    /// <summary>Whether <paramref name="customerId"/> is one of this test's customers.</summary>
    private bool Mine(string customerId) => customerId.StartsWith(_prefix + "-customer-", StringComparison.Ordinal);

    /// <summary>The maintenance rows of this test's customers.</summary>
    private MaintenanceRow[] MineOf(IEnumerable<MaintenanceRow> rows) => [.. rows.Where(m => Mine(m.CustomerId))];

    /// <summary>Asserts that the store holds exactly <paramref name="batch"/>'s rows of <paramref name="customer"/> (as <see cref="Everything"/> makes them).</summary>
    private async Task AssertStored(string customer, ReadModelBatch batch)
    {
        var monitorId = batch.Monitors[0].MonitorId;
        Assert.Equal(batch.Monitors, await Store.Monitors.MonitorsAsync([Customer(customer)]));
        Assert.Equal(batch.CheckResults.OrderByDescending(r => r.At), await Store.Monitors.CheckResultsAsync(monitorId, Instant.MinValue, Instant.MaxValue, 100));
        Assert.Equal(
            batch.Rollups.Where(r => r.Granularity == RollupGranularity.Hour),
            await Store.Monitors.RollupsAsync([monitorId], RollupGranularity.Hour, Instant.MinValue, Instant.MaxValue));
        Assert.Equal(
            batch.Rollups.Where(r => r.Granularity == RollupGranularity.Day),
            await Store.Monitors.RollupsAsync([monitorId], RollupGranularity.Day, Instant.MinValue, Instant.MaxValue));
        Assert.Equal(batch.Incidents.OrderByDescending(i => i.Incident.Start), await Store.Monitors.IncidentsAsync([Customer(customer)], Instant.MinValue, 100));
        Assert.Equal(batch.Maintenance.Where(m => !m.Cancelled), await Store.Monitors.MaintenanceAsync([Customer(customer)], Instant.MinValue, 100));
    }

    /// <summary>One monitor's rows of every kind, as a monitor grain writes them at <paramref name="version"/>.</summary>
    private ReadModelBatch Everything(string customer, string monitor, long version)
    {
        var monitorId = Id(monitor);
        var day = Instant.FromUtc(2030, 1, 7, 0, 0);
        return new ReadModelBatch([], [])
        {
            Monitors = [Monitor(customer, monitor) with { LastResultAt = Now - Minute, Version = version }],
            CheckResults = [Result(monitorId, customer, Now - (2 * Minute)), Result(monitorId, customer, Now - Minute, isDown: true)],
            Rollups = [Rollup(monitorId, RollupGranularity.Hour, Now - Hour) with { Version = version }, Rollup(monitorId, RollupGranularity.Day, day) with { Version = version }],
            Incidents = [Incident(customer, monitor, Now - (2 * Minute), null) with { Version = version }],
            Maintenance = [Window(customer, monitor, Now + Hour, Now + (2 * Hour)) with { Version = version }],
        };
    }

    /// <summary><paramref name="batch"/> with every value that can change changed, at <paramref name="version"/>.</summary>
    private static ReadModelBatch Changed(ReadModelBatch batch, long version) => batch with
    {
        Monitors = [.. batch.Monitors.Select(m => m with { IsDown = !m.IsDown, Component = m.Component + " (renamed)", IsCritical = !m.IsCritical, Kind = "http", LastResultAt = Now, Version = version })],
        CheckResults = [.. batch.CheckResults.Select(r => r with { IsDown = !r.IsDown, ResponseTime = Duration.FromSeconds(30) })],
        Rollups = [.. batch.Rollups.Select(r => r with { Figures = r.Figures with { Checks = r.Figures.Checks + 1, Down = r.Figures.Down + Minute, ResponseMax = null }, Version = version })],
        Incidents = [.. batch.Incidents.Select(i => i with
        {
            Incident = i.Incident with { End = Now, ResolvedAt = Now + Minute, RootCause = IncidentRootCause.Other, Resolution = "Fixed." },
            Component = i.Component + " (renamed)",
            Version = version,
        })],
        Maintenance = [.. batch.Maintenance.Select(m => m with { Maintenance = m.Maintenance with { Description = "Moved.", End = m.Maintenance.End + Hour }, Version = version })],
    };

    private void SkipUnlessAvailable() => Skip.If(Store.Unavailable is not null, Store.Unavailable);

    private string Id(string name) => $"{_prefix}-{name}";

    private string Customer(string name) => $"{_prefix}-customer-{name}";

    private MonitorRow Monitor(string customer, string monitor) => new(Id(monitor), Customer(customer), "Component " + monitor, true, "push", false, null, 1);

    private CheckResultRow Result(string monitorId, string customer, Instant at, bool isDown = false, string region = "")
        => new(monitorId, Customer(customer), region, at, isDown, isDown ? null : Duration.FromMilliseconds(120));

    private CheckRollupRow Rollup(string monitorId, RollupGranularity granularity, Instant bucketStart)
        => new(monitorId, Customer("c"), granularity, bucketStart,
            new CheckRollup(Duration.FromMinutes(55), Duration.FromMinutes(3), Duration.FromMinutes(2), 60, 3, Duration.FromMilliseconds(100), Duration.FromMilliseconds(300), Duration.FromMilliseconds(900)),
            1);

    private IncidentRow Incident(string customer, string monitor, Instant start, Instant? end)
        => new(new IncidentView(Id(monitor) + "-1", Id(monitor), Customer(customer), start, end, start + Minute, end is { } e ? e + Minute : null, null), "Component " + monitor, 1);

    private MaintenanceRow Window(string customer, string monitor, Instant start, Instant end)
        => new(new MaintenanceView(Id(monitor) + "-m1", start, end, start - Duration.FromDays(3), "Planned work"), Id(monitor), Customer(customer), "Component " + monitor, false, 1);

    private Task WriteMonitors(params MonitorRow[] monitors) => Store.Writer.WriteAsync(new ReadModelBatch([], []) { Monitors = monitors });

    private Task WriteResults(params CheckResultRow[] results) => Store.Writer.WriteAsync(new ReadModelBatch([], []) { CheckResults = results });

    private Task WriteIncidents(params IncidentRow[] incidents) => Store.Writer.WriteAsync(new ReadModelBatch([], []) { Incidents = incidents });

    private Task WriteBudgetAlerts(params BudgetAlertRow[] alerts) => Store.Writer.WriteAsync(new ReadModelBatch([], []) { BudgetAlerts = alerts });

    private Task WriteMaintenance(params MaintenanceRow[] windows) => Store.Writer.WriteAsync(new ReadModelBatch([], []) { Maintenance = windows });

    private async Task<string[]> Stale(string after, int limit)
        => [.. (await Store.Maintenance.StaleMonitorsAsync(after, limit)).Where(id => id.StartsWith(_prefix, StringComparison.Ordinal))];

    /// <summary>Writes a monitor grain's state through the silo's grain storage, as the grain does, <paramref name="writes"/> times.</summary>
    private async Task<(GrainState<ConformanceState> State, long Version)> WriteMonitorState(string monitor, int writes = 1)
    {
        var state = new GrainState<ConformanceState>(new ConformanceState { Text = monitor });
        for (var i = 0; i < writes; i++)
        {
            await Store.GrainStorage.WriteStateAsync(MonitorGrainState.StateName, GrainId.Create(MonitorGrainState.GrainType, Id(monitor)), state);
        }

        return (state, long.Parse(state.ETag!, NumberStyles.None, CultureInfo.InvariantCulture));
    }
}
