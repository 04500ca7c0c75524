using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Grains.Customers;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>
/// The customer shell over <see cref="Domain.Customers.CustomerRules"/>: a month without data closes as insufficient data
/// (no automatic credit, no notice), and what monitors report (down, maintenance, unknown) rolls up in words.
/// </summary>
public sealed class CoverageAndStatusTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task A_month_whose_monitor_never_had_a_result_closes_as_insufficient_data_with_no_automatic_credit_and_no_notice()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var monitor = $"monitor-{Guid.NewGuid():N}";
        Assert.True((await _cluster.Grains.GetGrain<IMonitorGrain>(monitor).Configure(new MonitorSettings(id, monitor, true, 1, 99.98m))).Accepted);
        var customer = await Customer(id, new CustomerComponent(monitor, true));

        var closed = await customer.CloseMonth(new YearMonth(2026, 8));
        var again = await customer.CloseMonth(new YearMonth(2026, 8));

        Assert.True(closed.Accepted, closed.Rejection?.Message);
        Assert.True(closed.Month!.InsufficientData);
        Assert.Equal(0m, closed.Month.CoveragePercent);
        Assert.False(closed.Month.SlaMet);
        Assert.Equal("insufficient data", closed.Month.SlaVerdictText);
        Assert.True(closed.Credit!.InsufficientData);
        Assert.Equal(0m, closed.Credit.Amount);
        Assert.Contains("a manager decides", closed.Credit.Reason, StringComparison.Ordinal);
        Assert.Empty(await customer.GetNotices());
        Assert.True(again.AlreadyClosed);
        Assert.Equal(closed.Month, again.Month);
    }

    [Fact]
    public async Task A_monitor_reporting_unknown_makes_the_status_say_data_is_missing_never_operational()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var customer = await Customer(id, new CustomerComponent("api-" + id, true), new CustomerComponent("mail-" + id, false));
        await using var recorder = new NotificationRecorder(_cluster.Notifications);

        var status = await customer.ReportComponentStatus("api-" + id, ComponentHealth.Unknown, Instant.FromUtc(2026, 9, 1, 0, 0));

        Assert.Equal(ServiceStatus.Unknown, status.Status);
        Assert.Equal($"Status unknown: no data from api-{id}", status.Words);
        Assert.Equal(new[] { "api-" + id }, status.UnknownComponents.ToArray());
        var published = await recorder.WaitFor<CustomerStatusChanged>(s => s.Status.CustomerId == id, Bound);
        Assert.Equal(ServiceStatus.Unknown, published.Status.Status);
        Assert.Equal(ServiceStatus.Unknown, (await customer.GetStatus()).Status);
    }

    [Fact]
    public async Task Maintenance_reads_under_maintenance_and_a_critical_outage_still_wins()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var customer = await Customer(id, new CustomerComponent("api-" + id, true), new CustomerComponent("mail-" + id, false));
        var at = Instant.FromUtc(2026, 9, 1, 0, 0);

        var maintenance = await customer.ReportComponentStatus("mail-" + id, ComponentHealth.Maintenance, at);
        var outage = await customer.ReportComponentStatus("api-" + id, ComponentHealth.Down, at);

        Assert.Equal(ServiceStatus.UnderMaintenance, maintenance.Status);
        Assert.StartsWith("Under maintenance", maintenance.Words, StringComparison.Ordinal);
        Assert.Equal(ServiceStatus.Outage, outage.Status);
        Assert.Equal(new[] { "api-" + id }, outage.DownComponents.ToArray());
    }

    [Fact]
    public void State_written_before_health_was_kept_reads_its_down_monitors_as_down_and_the_others_as_up()
    {
        var old = new CustomerState
        {
            Components = [new CustomerComponent("api", true), new CustomerComponent("mail", false)],
            DownMonitors = ["mail"],
        };

        var account = old.ToAccount("acme");

        Assert.Equal(ComponentHealth.Down, account.HealthOf("mail"));
        Assert.Equal(ComponentHealth.Up, account.HealthOf("api"));
        Assert.Equal(ServiceStatus.Degraded, account.Status().Status);
    }

    private async Task<ICustomerGrain> Customer(string id, params CustomerComponent[] components)
    {
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetAgreement(new ServiceAgreement(id, 99.9m, 1000m, "EUR"))).Accepted);
        Assert.True((await customer.SetCalendar(BusinessCalendar.Create("UTC", WeeklySchedule.Weekdays("09:00", "17:00")))).Accepted);
        Assert.True((await customer.SetComponents([.. components])).Accepted);
        return customer;
    }
}
