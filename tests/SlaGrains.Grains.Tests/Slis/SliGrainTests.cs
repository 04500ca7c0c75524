using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Slis;
using SlaGrains.Domain.Slis;
using SlaGrains.Grains.Tests.Customers;

namespace SlaGrains.Grains.Tests.Slis;

/// <summary>
/// An SLI grain on a real two-silo cluster with SQLite storage and the real clock: counts are durable before the
/// answer, a repeat after reactivation changes nothing, and burn-rate alerts reach the budget-alert rows and the
/// live feed as <c>sli:{id}</c>.
/// </summary>
public sealed class SliGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    private static Instant Now => SystemClock.Instance.GetCurrentInstant();

    private static (string Customer, string Sli) Ids()
    {
        var customer = $"c-{Guid.NewGuid():N}"[..14];
        return (customer, $"{customer}-api");
    }

    private async Task<ISliGrain> Configure(string sliId, string customer)
    {
        var sli = _cluster.Grains.GetGrain<ISliGrain>(sliId);
        var configured = await sli.Configure(new SliSettings(customer, "API requests", 99.9m, SliWindowKind.Rolling, 28, "Europe/Berlin"));
        Assert.True(configured.Accepted, configured.Rejection?.Message);
        return sli;
    }

    [Fact]
    public async Task Recorded_counts_survive_reactivation_and_a_repeat_afterwards_changes_nothing()
    {
        var (customer, sliId) = Ids();
        var sli = await Configure(sliId, customer);
        var end = Now - Duration.FromMinutes(2);

        var recorded = await sli.RecordCounts(end - Duration.FromMinutes(5), end, 995, 1_000);
        await sli.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var repeat = await sli.RecordCounts(end - Duration.FromMinutes(5), end, 995, 1_000);
        var conflicting = await sli.RecordCounts(end - Duration.FromMinutes(5), end, 994, 1_000);
        var view = await sli.Get();

        Assert.True(recorded.Accepted, recorded.Rejection?.Message);
        Assert.False(recorded.Replayed);
        Assert.True(repeat.Accepted);
        Assert.True(repeat.Replayed);
        Assert.Equal("counts-conflict", conflicting.Rejection?.Code);
        Assert.Equal(1_000, view!.Total);
        Assert.Equal(995, view.Good);
        Assert.Equal(1m, view.Budget);
        Assert.Equal(-400m, view.RemainingPercent);
    }

    [Fact]
    public async Task A_burning_SLI_publishes_its_alerts_and_writes_their_rows_and_an_acknowledgement_sticks()
    {
        var (customer, sliId) = Ids();
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var sli = await Configure(sliId, customer);
        var end = CountBuckets.Floor(Now);

        // An hour of 5-minute counts, half of them bad: 500× the sustainable rate. The ticket (3 d & 6 h) and slow
        // page (6 h & 30 min) windows hold these counts whenever the next 5 minutes begin.
        for (var i = 12; i >= 1; i--)
        {
            var from = end - Duration.FromMinutes(5 * i);
            Assert.True((await sli.RecordCounts(from, from + Duration.FromMinutes(5), 500, 1_000)).Accepted);
        }

        var ticket = (await recorder.WaitFor<BudgetAlertChanged>(a => a.Alert.MonitorId == $"sli:{sliId}" && a.Alert.Name == "ticket", Bound)).Alert;
        await recorder.WaitFor<BudgetAlertChanged>(a => a.Alert.MonitorId == $"sli:{sliId}" && a.Alert.Name == "page-slow", Bound);
        var acknowledged = await sli.AcknowledgeBudgetAlert("ticket", ticket.StartedAt, "erin");
        await sli.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var again = await sli.AcknowledgeBudgetAlert("ticket", ticket.StartedAt, "lena");
        var rows = await _cluster.Service<IMonitorReadModel>().BudgetAlertsAsync([customer], firingOnly: true, 100);

        Assert.Equal(customer, ticket.CustomerId);
        Assert.Equal("API requests", ticket.ComponentName);
        Assert.True(ticket.IsFiring);
        Assert.Equal(500m, ticket.LongWindowBurnRate);
        Assert.Equal("erin", acknowledged!.AcknowledgedBy);
        Assert.Equal("erin", again!.AcknowledgedBy);
        Assert.Contains(rows, r => r.Alert.AlertId == ticket.AlertId && r.Alert.AcknowledgedBy == "erin");
        Assert.Contains(rows, r => r.Alert.MonitorId == $"sli:{sliId}" && r.Alert.Name == "page-slow");
    }
}
