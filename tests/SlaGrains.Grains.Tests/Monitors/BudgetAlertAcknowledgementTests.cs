using Orleans.Storage;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;
using SlaGrains.Grains.Monitors;
using SlaGrains.Grains.Tests.Customers;

namespace SlaGrains.Grains.Tests.Monitors;

/// <summary>
/// Acknowledging a monitor's burn-rate alert on a real two-silo cluster with SQLite storage and the real clock: the
/// monitor grain records it once, its <c>budget_alerts</c> row and the live feed carry who and when.
/// </summary>
public sealed class BudgetAlertAcknowledgementTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    private static Instant Now => SystemClock.Instance.GetCurrentInstant();

    [Fact]
    public async Task Acknowledging_a_firing_alert_writes_who_and_when_to_its_row_publishes_it_and_survives_reactivation()
    {
        var (customer, monitorId) = Ids();
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var monitor = await Configure(monitorId, customer);
        await monitor.IngestBatch([CheckResult.Up(Now - Duration.FromMinutes(11)), CheckResult.Down(Now - Duration.FromMinutes(10))]);
        var started = (await recorder.WaitFor<BudgetAlertChanged>(a => a.Alert.MonitorId == monitorId && a.Alert.Name == "page-fast", Bound)).Alert;

        var before = Now;
        var acknowledged = await monitor.AcknowledgeBudgetAlert("page-fast", started.StartedAt, "erin");
        var after = Now;
        var published = await recorder.WaitFor<BudgetAlertChanged>(a => a.Alert.AlertId == started.AlertId && a.Alert.IsAcknowledged, Bound);
        await monitor.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var again = await monitor.AcknowledgeBudgetAlert("page-fast", started.StartedAt, "lena");
        var row = Assert.Single(await _cluster.Service<IMonitorReadModel>().BudgetAlertsAsync([customer], firingOnly: false, 100), r => r.Alert.AlertId == started.AlertId);

        Assert.True(acknowledged.Accepted, acknowledged.Rejection?.Message);
        Assert.Equal("erin", acknowledged.Alert!.AcknowledgedBy);
        Assert.InRange(acknowledged.Alert.AcknowledgedAt!.Value, before, after);
        Assert.True(acknowledged.Alert.IsFiring);
        Assert.Equal(acknowledged.Alert, published.Alert);
        Assert.Equal(acknowledged.Alert.AcknowledgedAt, published.At);
        // Loaded again from storage: the first acknowledgement stands, and nothing was published for the second.
        Assert.True(again.Accepted);
        Assert.Equal(acknowledged.Alert, again.Alert);
        Assert.Single(recorder.All.OfType<BudgetAlertChanged>(), a => a.Alert.AlertId == started.AlertId && a.Alert.IsAcknowledged);
        Assert.Equal("erin", row.Alert.AcknowledgedBy);
        Assert.Equal(acknowledged.Alert.AcknowledgedAt, row.Alert.AcknowledgedAt);
    }

    [Fact]
    public async Task An_acknowledged_alert_that_stops_keeps_its_acknowledgement_in_the_row_and_on_the_feed()
    {
        var (customer, monitorId) = Ids();
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var monitor = await Configure(monitorId, customer);
        // Down since 30 minutes ago: page-fast fires; back up 10 minutes ago: its 5-minute window is clean, it stops.
        await monitor.IngestBatch([CheckResult.Up(Now - Duration.FromMinutes(31)), CheckResult.Down(Now - Duration.FromMinutes(30))]);
        var started = (await recorder.WaitFor<BudgetAlertChanged>(a => a.Alert.MonitorId == monitorId && a.Alert.Name == "page-fast", Bound)).Alert;
        var acknowledged = (await monitor.AcknowledgeBudgetAlert("page-fast", started.StartedAt, "erin")).Alert!;

        await monitor.Ingest(CheckResult.Up(Now - Duration.FromMinutes(10)));
        var stopped = await recorder.WaitFor<BudgetAlertChanged>(a => a.Alert.AlertId == started.AlertId && !a.Alert.IsFiring, Bound);
        var row = Assert.Single(await _cluster.Service<IMonitorReadModel>().BudgetAlertsAsync([customer], firingOnly: false, 100), r => r.Alert.AlertId == started.AlertId);

        Assert.Equal("erin", stopped.Alert.AcknowledgedBy);
        Assert.Equal(acknowledged.AcknowledgedAt, stopped.Alert.AcknowledgedAt);
        Assert.NotNull(row.Alert.StoppedAt);
        Assert.Equal("erin", row.Alert.AcknowledgedBy);
        Assert.Equal(acknowledged.AcknowledgedAt, row.Alert.AcknowledgedAt);
    }

    [Fact]
    public async Task Acknowledging_a_firing_the_monitor_never_had_is_rejected_as_not_found_and_writes_nothing()
    {
        var (customer, monitorId) = Ids();
        var monitor = await Configure(monitorId, customer);

        var refused = await monitor.AcknowledgeBudgetAlert("page-fast", Now, "erin");

        Assert.False(refused.Accepted);
        Assert.Equal("budget-alert-not-found", refused.Rejection!.Code);
        Assert.Null(refused.Alert);
        Assert.Empty(await _cluster.Service<IMonitorReadModel>().BudgetAlertsAsync([customer], firingOnly: false, 100));
    }

    [Fact]
    public async Task State_written_before_acknowledgements_existed_loads_and_its_firing_alert_can_be_acknowledged()
    {
        var (customer, monitorId) = Ids();
        var down = Now - Duration.FromMinutes(30);
        var startedAt = down + Duration.FromMinutes(1);
        var view = new BudgetAlertView(
            BudgetAlertView.IdOf(monitorId, "page-fast", startedAt), monitorId, customer, "API", "page-fast", AlertSeverity.Page, 14.4m,
            Duration.FromHours(1), Duration.FromMinutes(5), 500m, 1000m, startedAt, null);
        // What the previous version wrote: a firing alert and its row's view, no acknowledgement fields.
        var legacy = new MonitorState
        {
            Settings = new MonitorSettings(customer, "API", true, 1, 99.95m, []),
            Results = [CheckResult.Up(down - Duration.FromMinutes(1)), CheckResult.Down(down)],
            Incidents = [new IncidentView($"{monitorId}-1", monitorId, customer, down, null, down, null, null)],
            NextIncident = 2,
            FiringAlerts = ["page-fast"],
            AlertsStartedAt = new() { ["page-fast"] = startedAt },
            RecentBudgetAlerts = [view],
            CustomerToldDown = true,
        };
        var storage = _cluster.KeyedService<IGrainStorage>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        await storage.WriteStateAsync("monitor", GrainId.Create("monitor", monitorId), new GrainState<MonitorState>(legacy));
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);

        var loaded = (await monitor.Get())!;
        var acknowledged = await monitor.AcknowledgeBudgetAlert("page-fast", startedAt, "erin");
        var row = Assert.Single(await _cluster.Service<IMonitorReadModel>().BudgetAlertsAsync([customer], firingOnly: false, 100), r => r.Alert.AlertId == view.AlertId);

        Assert.Contains("page-fast", loaded.FiringAlerts);
        Assert.True(acknowledged.Accepted, acknowledged.Rejection?.Message);
        Assert.Equal(view with { AcknowledgedAt = acknowledged.Alert!.AcknowledgedAt, AcknowledgedBy = "erin" }, acknowledged.Alert);
        Assert.Equal("erin", row.Alert.AcknowledgedBy);
    }

    private async Task<IMonitorGrain> Configure(string monitorId, string customer)
    {
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var configured = await monitor.Configure(new MonitorSettings(customer, "API", true, 1, 99.95m, []));
        Assert.True(configured.Accepted, configured.Rejection?.Message);
        return monitor;
    }

    private static (string Customer, string Monitor) Ids() => ($"customer-{Guid.NewGuid():N}", $"monitor-{Guid.NewGuid():N}");
}
