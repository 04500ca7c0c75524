using Orleans.Storage;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;
using SlaGrains.Grains.Monitors;
using SlaGrains.Grains.Tests.Customers;

namespace SlaGrains.Grains.Tests.Monitors;

/// <summary>Monitors on a real two-silo cluster with SQLite storage and the real clock, awaited by signal.</summary>
public sealed class MonitorGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Three_consecutive_failures_open_an_incident_dated_at_the_first_and_a_success_resolves_it()
    {
        var (customer, monitorId) = Ids();
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var monitor = await Configure(monitorId, customer, consecutiveFailures: 3);
        var t0 = Instant.FromUtc(2026, 11, 20, 10, 0);

        var twoFailures = await monitor.IngestBatch([CheckResult.Down(t0), CheckResult.Down(t0 + Duration.FromMinutes(1))]);
        Assert.False(twoFailures.Monitor!.IsDown);
        Assert.Empty(await monitor.GetIncidents(10));

        await monitor.Ingest(CheckResult.Down(t0 + Duration.FromMinutes(2)));
        var opened = await recorder.WaitFor<IncidentOpened>(i => i.Incident.MonitorId == monitorId, Bound);
        Assert.Equal(t0, opened.Incident.Start);
        Assert.True(opened.Incident.IsOpen);

        await monitor.Ingest(CheckResult.Up(t0 + Duration.FromMinutes(5)));
        var resolved = await recorder.WaitFor<IncidentResolved>(i => i.Incident.MonitorId == monitorId, Bound);

        Assert.Equal(opened.Incident.IncidentId, resolved.Incident.IncidentId);
        Assert.Equal(t0 + Duration.FromMinutes(5), resolved.Incident.End);
        var incident = Assert.Single(await monitor.GetIncidents(10));
        Assert.False(incident.IsOpen);
        Assert.False((await monitor.Get())!.IsDown);
    }

    [Fact]
    public async Task A_critical_component_going_down_puts_the_customer_in_an_outage_and_back_to_operational()
    {
        var (customer, monitorId) = Ids();
        await _cluster.Grains.GetGrain<ICustomerGrain>(customer).SetComponents([new CustomerComponent(monitorId, IsCritical: true)]);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var monitor = await Configure(monitorId, customer, consecutiveFailures: 1);
        // Results dated at the cluster's (real) now: older ones would leave the monitor stale, so unknown, not up or down.
        var t0 = SystemClock.Instance.GetCurrentInstant() - Duration.FromMinutes(5);

        await monitor.Ingest(CheckResult.Down(t0));
        var outage = await recorder.WaitFor<CustomerStatusChanged>(s => s.Status.CustomerId == customer, Bound);
        await recorder.WaitFor<MonitorStatusChanged>(s => s.MonitorId == monitorId && s.IsDown, Bound);
        await monitor.Ingest(CheckResult.Up(t0 + Duration.FromMinutes(3)));
        var back = await recorder.WaitFor<CustomerStatusChanged>(s => s.Status.CustomerId == customer && s.Status.Status == ServiceStatus.Operational, Bound);

        Assert.Equal(ServiceStatus.Outage, outage.Status.Status);
        Assert.Equal([monitorId], outage.Status.DownComponents.ToArray());
        Assert.Empty(back.Status.DownComponents);
        Assert.Equal(ServiceStatus.Operational, (await _cluster.Grains.GetGrain<ICustomerGrain>(customer).GetStatus()).Status);
    }

    [Fact]
    public async Task A_non_critical_component_going_down_only_degrades_the_customer()
    {
        var (customer, critical) = Ids();
        var optional = $"monitor-{Guid.NewGuid():N}";
        await _cluster.Grains.GetGrain<ICustomerGrain>(customer).SetComponents([new CustomerComponent(critical, true), new CustomerComponent(optional, false)]);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        await Configure(critical, customer, consecutiveFailures: 1);
        var monitor = await Configure(optional, customer, consecutiveFailures: 1);

        await monitor.Ingest(CheckResult.Down(Instant.FromUtc(2026, 11, 20, 10, 0)));
        var degraded = await recorder.WaitFor<CustomerStatusChanged>(s => s.Status.CustomerId == customer, Bound);

        Assert.Equal(ServiceStatus.Degraded, degraded.Status.Status);
        Assert.Equal(ServiceStatus.Degraded, (await _cluster.Grains.GetGrain<ICustomerGrain>(customer).GetStatus()).Status);
    }

    [Fact]
    public async Task Maintenance_announced_with_enough_notice_is_excluded_from_month_availability_and_late_notice_is_not()
    {
        var (customer, monitorId) = Ids();
        var strictId = $"monitor-{Guid.NewGuid():N}";
        var monitor = await Configure(monitorId, customer, consecutiveFailures: 1);
        var strict = await Configure(strictId, customer, consecutiveFailures: 1, notice: Duration.FromDays(60));
        var start = Instant.FromUtc(2026, 12, 10, 2, 0);
        var end = Instant.FromUtc(2026, 12, 10, 4, 0);
        CheckResult[] results =
        [
            CheckResult.Down(Instant.FromUtc(2026, 12, 10, 2, 30)), CheckResult.Up(Instant.FromUtc(2026, 12, 10, 3, 30)),
            CheckResult.Down(Instant.FromUtc(2026, 12, 12, 8, 0)), CheckResult.Up(Instant.FromUtc(2026, 12, 12, 8, 45)),
        ];

        var announced = await monitor.AnnounceMaintenance(start, end, "database upgrade");
        await strict.AnnounceMaintenance(start, end, "database upgrade");
        await monitor.IngestBatch([.. results]);
        await strict.IngestBatch([.. results]);
        var month = await monitor.GetMonth(new YearMonth(2026, 12), "UTC");
        var lateMonth = await strict.GetMonth(new YearMonth(2026, 12), "UTC");

        Assert.True(announced.Accepted);
        Assert.Single(await monitor.GetMaintenance(), m => m.AnnouncedAt == announced.Maintenance!.AnnouncedAt);
        var period = ReportingPeriod.Month(new YearMonth(2026, 12), DateTimeZone.Utc);
        var expected = AvailabilityReport.Compute(
            period, [new Interval(results[0].At, results[1].At), new Interval(results[2].At, results[3].At)], [announced.Maintenance!.Window]);
        Assert.Equal(Duration.FromHours(2), month!.Excluded);
        Assert.Equal(Duration.FromMinutes(45), month.Downtime);
        Assert.Equal(expected.UptimePercent, month.UptimePercent);
        Assert.Equal(Duration.Zero, lateMonth!.Excluded);
        Assert.Equal(Duration.FromMinutes(105), lateMonth.Downtime);
    }

    [Fact]
    public async Task Cancelled_maintenance_is_no_longer_listed()
    {
        var (customer, monitorId) = Ids();
        var monitor = await Configure(monitorId, customer, consecutiveFailures: 1);
        var window = await monitor.AnnounceMaintenance(Instant.FromUtc(2026, 12, 1, 0, 0), Instant.FromUtc(2026, 12, 1, 1, 0), "patching");

        var cancelled = await monitor.CancelMaintenance(window.Maintenance!.MaintenanceId);
        var again = await monitor.CancelMaintenance(window.Maintenance!.MaintenanceId);

        Assert.True(cancelled.Accepted);
        Assert.Equal("maintenance-not-found", again.Rejection!.Code);
        Assert.Empty(await monitor.GetMaintenance());
    }

    [Fact]
    public async Task A_missed_heartbeat_becomes_a_failure_dated_when_its_grace_ran_out_and_the_next_heartbeat_ends_it()
    {
        var (customer, monitorId) = Ids();
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var monitor = await Configure(monitorId, customer, consecutiveFailures: 1, heartbeatGrace: Duration.FromSeconds(1));

        var beat = await monitor.Heartbeat();
        var due = beat.Monitor!.HeartbeatDueAt!.Value;
        var opened = await recorder.WaitFor<IncidentOpened>(i => i.Incident.MonitorId == monitorId, Bound);

        Assert.Equal(due, opened.Incident.Start);
        Assert.True(opened.Incident.OpenedAt >= due);
        Assert.Null((await monitor.Get())!.HeartbeatDueAt);

        await monitor.Heartbeat();
        var resolved = await recorder.WaitFor<IncidentResolved>(i => i.Incident.MonitorId == monitorId, Bound);
        Assert.Equal(opened.Incident.IncidentId, resolved.Incident.IncidentId);
    }

    [Fact]
    public async Task A_postmortem_link_is_kept_on_the_incident()
    {
        var (customer, monitorId) = Ids();
        var monitor = await Configure(monitorId, customer, consecutiveFailures: 1);
        var t0 = Instant.FromUtc(2026, 11, 20, 10, 0);
        await monitor.IngestBatch([CheckResult.Down(t0), CheckResult.Up(t0 + Duration.FromMinutes(1))]);
        var incident = Assert.Single(await monitor.GetIncidents(10));

        var linked = await monitor.SetPostmortem(incident.IncidentId, new Uri("https://wiki.example.com/pm/1"));

        Assert.True(linked.Accepted);
        Assert.Equal(new Uri("https://wiki.example.com/pm/1"), Assert.Single(await monitor.GetIncidents(10)).Postmortem);
    }

    [Fact]
    public async Task The_day_in_progress_is_rolled_up_at_most_once_a_minute_and_what_was_deferred_is_written_when_the_monitor_deactivates()
    {
        var (customer, monitorId) = Ids();
        var monitor = await Configure(monitorId, customer, consecutiveFailures: 1);
        var rows = _cluster.Service<IMonitorReadModel>();
        var maintenance = _cluster.Service<IReadModelMaintenance>();
        var now = SystemClock.Instance.GetCurrentInstant();
        var today = CheckRollup.DayOf(now);

        await monitor.Ingest(CheckResult.Up(Instant.Max(today.Start, now - Duration.FromSeconds(2))));
        await monitor.Ingest(CheckResult.Up(Instant.Max(today.Start, now - Duration.FromSeconds(1))));

        // The second write came within the minute: its day waits, and the monitors row keeps the version whose rows are
        // all written, so a crash now would leave the monitor to start-up repair.
        Assert.Equal(1, (await DayAsync()).Figures.Checks);
        Assert.Contains(monitorId, await maintenance.StaleMonitorsAsync(null, 10_000));

        await monitor.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var deadline = DateTime.UtcNow + Bound;
        while ((await DayAsync()).Figures.Checks < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2, (await DayAsync()).Figures.Checks);
        Assert.DoesNotContain(monitorId, await maintenance.StaleMonitorsAsync(null, 10_000));

        async Task<CheckRollupRow> DayAsync()
            => Assert.Single(await rows.RollupsAsync([monitorId], RollupGranularity.Day, today.Start, today.End));
    }

    [Fact]
    public async Task A_burn_rate_alert_is_delivered_once_across_a_deactivation_and_reactivation_of_its_monitor()
    {
        var (customer, monitorId) = Ids();
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var monitor = await Configure(monitorId, customer, consecutiveFailures: 1);
        var rows = _cluster.Service<IMonitorReadModel>();
        var now = SystemClock.Instance.GetCurrentInstant();

        await monitor.IngestBatch([CheckResult.Up(now - Duration.FromMinutes(11)), CheckResult.Down(now - Duration.FromMinutes(10))]);
        var started = await recorder.WaitFor<BudgetAlertChanged>(a => a.Alert.MonitorId == monitorId && a.Alert.Name == "page-fast", Bound);
        await monitor.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        // Reactivated: it decides again what fell due while away, and the alert still fires (no second start).
        Assert.Contains("page-fast", (await monitor.Get())!.FiringAlerts);
        await monitor.Ingest(CheckResult.Down(SystemClock.Instance.GetCurrentInstant()));
        await monitor.Ingest(CheckResult.Up(SystemClock.Instance.GetCurrentInstant()));
        // Notifications of one monitor are published in order: once the resolution is seen, a second start would be too.
        await recorder.WaitFor<IncidentResolved>(i => i.Incident.MonitorId == monitorId, Bound);

        Assert.True(started.Alert.IsFiring);
        Assert.Single(recorder.All.OfType<BudgetAlertChanged>(), a => a.Alert.MonitorId == monitorId && a.Alert.Name == "page-fast");
        var row = Assert.Single(await rows.BudgetAlertsAsync([customer], firingOnly: true, 100), r => r.Alert.Name == "page-fast");
        Assert.Equal(started.Alert.AlertId, row.Alert.AlertId);
    }

    [Fact]
    public async Task An_outage_inside_in_time_maintenance_tells_the_customer_maintenance_not_down()
    {
        var (customer, monitorId) = Ids();
        await _cluster.Grains.GetGrain<ICustomerGrain>(customer).SetComponents([new CustomerComponent(monitorId, IsCritical: true)]);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        // No notice needed: a window announced now for a minute from now is in time; the checks are dated inside it.
        var monitor = await Configure(monitorId, customer, consecutiveFailures: 1, notice: Duration.Zero);
        var start = SystemClock.Instance.GetCurrentInstant() + Duration.FromMinutes(1);
        Assert.True((await monitor.AnnounceMaintenance(start, start + Duration.FromHours(1), "upgrade")).Accepted);

        var view = (await monitor.Ingest(CheckResult.Down(start + Duration.FromMinutes(1)))).Monitor!;
        var customerDuring = await _cluster.Grains.GetGrain<ICustomerGrain>(customer).GetStatus();
        await monitor.Ingest(CheckResult.Up(start + Duration.FromMinutes(2)));

        Assert.Equal(ComponentHealth.Maintenance, view.Health);
        Assert.False(view.IsDown);
        Assert.True(Assert.Single(await monitor.GetIncidents(10)).DuringMaintenance);
        Assert.DoesNotContain(recorder.All, n => n is IncidentOpened o && o.Incident.MonitorId == monitorId);
        Assert.DoesNotContain(recorder.All, n => n is MonitorStatusChanged { IsDown: true } m && m.MonitorId == monitorId);
        await recorder.WaitFor<MonitorStatusChanged>(m => m.MonitorId == monitorId && m.Health == ComponentHealth.Maintenance, Bound);
        Assert.NotEqual(ServiceStatus.Outage, customerDuring.Status);
    }

    [Fact]
    public async Task A_monitor_that_goes_silent_tells_live_pages_it_is_unknown_from_its_last_result()
    {
        var (customer, monitorId) = Ids();
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var staleAfter = Duration.FromSeconds(2);
        Assert.True((await monitor.Configure(new MonitorSettings(customer, "API", true, 1, 99.95m, StaleAfter: staleAfter))).Accepted);
        var last = SystemClock.Instance.GetCurrentInstant();

        Assert.Equal(ComponentHealth.Up, (await monitor.Ingest(CheckResult.Up(last))).Monitor!.Health);
        var silent = await recorder.WaitFor<MonitorStatusChanged>(m => m.MonitorId == monitorId && m.Health == ComponentHealth.Unknown, Bound);

        Assert.False(silent.IsDown);
        Assert.Equal(last + staleAfter, silent.At);
        Assert.Equal(ComponentHealth.Unknown, (await monitor.Get())!.Health);
    }

    [Fact]
    public async Task State_written_by_the_previous_version_loads_and_its_open_incident_resolves()
    {
        var (customer, monitorId) = Ids();
        var now = SystemClock.Instance.GetCurrentInstant();
        var down = now - Duration.FromMinutes(30);
        // What the previous version wrote: no configured instant, health, alert start instants or newest-result instant.
        var legacy = new MonitorState
        {
            Settings = new MonitorSettings(customer, "API", true, 1, 99.95m, []),
            Results = [CheckResult.Down(down)],
            Incidents = [new IncidentView($"{monitorId}-1", monitorId, customer, down, null, down, null, null)],
            NextIncident = 2,
            FiringAlerts = ["ticket"],
            CustomerToldDown = true,
        };
        var storage = _cluster.KeyedService<IGrainStorage>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        await storage.WriteStateAsync("monitor", GrainId.Create("monitor", monitorId), new GrainState<MonitorState>(legacy));
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);

        var loaded = (await monitor.Get())!;
        var resolved = (await monitor.Ingest(CheckResult.Up(now))).Monitor!;

        Assert.True(loaded.IsDown);
        Assert.Equal(ComponentHealth.Down, loaded.Health);
        Assert.Contains("ticket", loaded.FiringAlerts);
        Assert.False(resolved.IsDown);
        Assert.Equal(now, Assert.Single(await monitor.GetIncidents(10)).End);
    }

    private async Task<IMonitorGrain> Configure(
        string monitorId, string customer, int consecutiveFailures, Duration? heartbeatGrace = null, Duration? notice = null)
    {
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var configured = await monitor.Configure(new MonitorSettings(customer, "API", true, consecutiveFailures, 99.95m, [], heartbeatGrace, notice));
        Assert.True(configured.Accepted, configured.Rejection?.Message);
        return monitor;
    }

    private static (string Customer, string Monitor) Ids() => ($"customer-{Guid.NewGuid():N}", $"monitor-{Guid.NewGuid():N}");
}
