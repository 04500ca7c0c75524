using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Grains.Tests.Escalations;

namespace SlaGrains.Grains.Tests.Shell;

/// <summary>
/// The shared grain shell on the monitor and the customer: a write that fails (held at the real SQLite storage, then
/// lost) is reported to the caller and leaves nothing unstored for the next call to see; the caller's retry records it.
/// One silo, no mocks: <see cref="CountedCluster"/> fails the write in front of our SQLite provider.
/// </summary>
public sealed class FailedWriteTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 23, 10, 0);
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-shell-").FullName;
    private CountedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await CountedCluster.StartAsync(Path.Combine(_directory, "sla.db"), silos: 1);
        _cluster.Clock.Set(Start);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_monitor_whose_write_fails_opens_no_incident_the_next_call_can_see_and_the_retry_opens_it()
    {
        var monitorId = $"monitor-{Guid.NewGuid():N}";
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        Assert.True((await monitor.Configure(new MonitorSettings($"customer-{Guid.NewGuid():N}", "API", true, 1, 99.95m, []))).Accepted);

        var held = _cluster.Writes.Hold("monitor");
        var failing = monitor.Ingest(CheckResult.Down(Start));
        await held.WaitAsync(Bound);
        _cluster.Writes.Release("monitor", commit: false);
        await Assert.ThrowsAnyAsync<Exception>(() => failing.WaitAsync(Bound));

        var after = (await monitor.Get().WaitAsync(Bound))!;
        Assert.False(after.IsDown);
        Assert.Null(after.OpenIncident);
        Assert.Empty(await monitor.GetIncidents(10));

        var retried = await monitor.Ingest(CheckResult.Down(Start)).WaitAsync(Bound);
        Assert.True(retried.Monitor!.IsDown);
        Assert.Single(await monitor.GetIncidents(10));
    }

    [Fact]
    public async Task A_customer_whose_write_fails_keeps_the_status_it_stored_and_the_retry_records_the_outage()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetAgreement(new ServiceAgreement(id, 99.9m, 1000m, "EUR"))).Accepted);
        Assert.True((await customer.SetCalendar(BusinessCalendar.Create("UTC", WeeklySchedule.Weekdays("09:00", "17:00")))).Accepted);
        Assert.True((await customer.SetComponents([new CustomerComponent("api-" + id, true)])).Accepted);
        var before = await customer.GetStatus();
        Assert.NotEqual(ServiceStatus.Outage, before.Status);

        var held = _cluster.Writes.Hold("customer");
        var failing = customer.ReportComponentStatus("api-" + id, ComponentHealth.Down, Start);
        await held.WaitAsync(Bound);
        _cluster.Writes.Release("customer", commit: false);
        await Assert.ThrowsAnyAsync<Exception>(() => failing.WaitAsync(Bound));

        var after = await customer.GetStatus().WaitAsync(Bound);
        Assert.Equal(before.Status, after.Status);
        Assert.Empty(after.DownComponents);

        var retried = await customer.ReportComponentStatus("api-" + id, ComponentHealth.Down, Start).WaitAsync(Bound);
        Assert.Equal(ServiceStatus.Outage, retried.Status);
        Assert.Equal(ServiceStatus.Outage, (await customer.GetStatus()).Status);
    }
}
