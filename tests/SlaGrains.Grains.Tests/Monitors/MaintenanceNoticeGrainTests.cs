using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;
using SlaGrains.Grains.Tests.Customers;

namespace SlaGrains.Grains.Tests.Monitors;

/// <summary>
/// A monitor's maintenance notice (its customer's contract's, carried in by the application) changed on its own, on a
/// real two-silo cluster with SQLite storage: the outage happening now is judged with the new notice, nothing else changes.
/// </summary>
public sealed class MaintenanceNoticeGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Raising_the_notice_makes_an_outage_in_a_window_now_announced_too_late_a_customer_visible_incident_that_says_why()
    {
        var (customer, monitorId) = ($"customer-{Guid.NewGuid():N}", $"monitor-{Guid.NewGuid():N}");
        await _cluster.Grains.GetGrain<ICustomerGrain>(customer).SetComponents([new CustomerComponent(monitorId, IsCritical: true)]);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var settings = new MonitorSettings(customer, "API", true, 1, 99.95m, [], null, MaintenanceNotice: Duration.Zero);
        Assert.True((await monitor.Configure(settings)).Accepted);
        // No notice needed yet: a window announced now for a minute from now is in time; the failure is dated inside it.
        var start = SystemClock.Instance.GetCurrentInstant() + Duration.FromMinutes(1);
        Assert.True((await monitor.AnnounceMaintenance(start, start + Duration.FromHours(1), "upgrade")).Accepted);
        var during = (await monitor.Ingest(CheckResult.Down(start + Duration.FromMinutes(1)))).Monitor!;

        var raised = await monitor.SetMaintenanceNotice(Duration.FromHours(48));
        var opened = await recorder.WaitFor<IncidentOpened>(o => o.Incident.MonitorId == monitorId, Bound);
        var status = await _cluster.Grains.GetGrain<ICustomerGrain>(customer).GetStatus();

        Assert.Equal(ComponentHealth.Maintenance, during.Health);
        Assert.True(raised.Accepted);
        Assert.True(raised.Monitor!.IsDown);
        Assert.Equal(ComponentHealth.Down, raised.Monitor.Health);
        var kept = raised.Monitor.Settings;
        Assert.Equal((customer, "API", true, 1, 99.95m, Duration.FromHours(48)), (kept.CustomerId, kept.ComponentName, kept.IsCritical, kept.ConsecutiveFailures, kept.SloPercent, kept.Notice));
        Assert.Null(opened.Incident.MaintenanceId);
        Assert.Contains("the contract needs 48 h notice", opened.Incident.Note, StringComparison.Ordinal);
        Assert.Equal(ServiceStatus.Outage, status.Status);
    }

    [Fact]
    public async Task A_monitor_not_configured_refuses_a_notice_and_stays_unconfigured()
    {
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>($"monitor-{Guid.NewGuid():N}");

        var refused = await monitor.SetMaintenanceNotice(Duration.FromHours(72));

        Assert.Equal("monitor-not-configured", refused.Rejection?.Code);
        Assert.Null(await monitor.Get());
    }
}
