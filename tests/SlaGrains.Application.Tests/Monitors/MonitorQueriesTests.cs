using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Tests.Monitors;

/// <summary>Monitor queries: a monitor is its customer's, so another customer's user finds none; a customer's maintenance across its components.</summary>
public sealed class MonitorQueriesTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private MonitorQueries Queries => world.Get<MonitorQueries>();

    private MonitorCommands Commands => world.Get<MonitorCommands>();

    [Fact]
    public async Task A_customer_user_reads_its_own_monitor_and_another_customers_monitor_looks_unknown()
    {
        var customer = await world.CustomerAsync();
        var other = await world.CustomerAsync();
        var id = $"m-{Guid.NewGuid():N}"[..14];
        await Commands.Create(world.Manager, new NewMonitorRequest(id, customer, "API", true, null, null, null, null));

        var own = await Queries.Get(ApplicationWorld.CustomerUser(customer), id);
        var foreign = await Queries.Get(ApplicationWorld.CustomerUser(other), id);
        var foreignIncidents = await Queries.Incidents(ApplicationWorld.CustomerUser(other), id);
        var foreignMaintenance = await Queries.Maintenance(ApplicationWorld.CustomerUser(other), id);

        Assert.Equal(customer, own.Value!.Settings.CustomerId);
        Assert.Equal(FailureKind.NotFound, foreign.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, foreignIncidents.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, foreignMaintenance.Failure!.Kind);
    }

    [Fact]
    public async Task A_customers_maintenance_lists_the_windows_of_each_component()
    {
        var customer = await world.CustomerAsync();
        var api = $"api-{Guid.NewGuid():N}"[..14];
        var web = $"web-{Guid.NewGuid():N}"[..14];
        await Commands.Create(world.Manager, new NewMonitorRequest(api, customer, "API", true, null, null, null, null));
        await Commands.Create(world.Manager, new NewMonitorRequest(web, customer, "Web", false, null, null, null, null));
        var start = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(3);
        await Commands.AnnounceMaintenance(world.Manager, web, start, start + Duration.FromHours(2), "Web upgrade");

        var windows = await Queries.MaintenanceOf(world.Technician, customer);
        var refused = await Queries.MaintenanceOf(ApplicationWorld.CustomerUser(await world.CustomerAsync()), customer);

        var window = Assert.Single(windows.Value!);
        Assert.Equal((web, "Web upgrade"), (window.MonitorId, window.Window.Description));
        Assert.Equal(FailureKind.NotFound, refused.Failure!.Kind);
    }

    [Fact]
    public async Task A_cancelled_maintenance_window_leaves_the_customers_list()
    {
        var customer = await world.CustomerAsync();
        var api = $"api-{Guid.NewGuid():N}"[..14];
        await Commands.Create(world.Manager, new NewMonitorRequest(api, customer, "API", true, null, null, null, null));
        var start = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(3);
        var kept = await Commands.AnnounceMaintenance(world.Manager, api, start, start + Duration.FromHours(2), "Kept");
        var cancelled = await Commands.AnnounceMaintenance(world.Manager, api, start + Duration.FromDays(1), start + Duration.FromDays(1) + Duration.FromHours(1), "Called off");
        await Commands.CancelMaintenance(world.Manager, api, cancelled.Value!.MaintenanceId);

        var windows = await Queries.MaintenanceOf(world.Manager, customer);

        Assert.Equal([kept.Value!.MaintenanceId], windows.Value!.Select(w => w.Window.MaintenanceId));
    }

    [Fact]
    public async Task Hourly_rollups_count_checks_failures_and_response_times_from_the_check_results_table()
    {
        var customer = await world.CustomerAsync();
        var id = $"m-{Guid.NewGuid():N}"[..14];
        await Commands.Create(world.Manager, new NewMonitorRequest(id, customer, "API", true, 1, null, null, null));
        var hour = CheckRollup.HourOf(SystemClock.Instance.GetCurrentInstant()).Start - Duration.FromHours(3);
        var checks = Enumerable.Range(0, 60)
            .Select(m => m == 30
                ? CheckResult.Down(hour + Duration.FromMinutes(m))
                : new CheckResult(hour + Duration.FromMinutes(m), CheckOutcome.Up, null, Duration.FromMilliseconds(100 + m)))
            .ToList();
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(id).IngestBatch([.. checks])).Accepted);

        var rollups = await Queries.Rollups(world.Manager, id, "hour", null, null);
        var results = await Queries.Results(world.Manager, id, null, null, 5);

        var first = Assert.Single(rollups.Value!, r => r.BucketStart == hour);
        Assert.Equal((60, 1), (first.Figures.Checks, first.Figures.FailedChecks));
        Assert.Equal(Duration.FromMinutes(1), first.Figures.Down);
        Assert.Equal(Duration.FromMilliseconds(159), first.Figures.ResponseMax);
        Assert.Equal(RollupGranularity.Hour, first.Granularity);
        Assert.Equal(Enumerable.Range(55, 5).Reverse().Select(m => hour + Duration.FromMinutes(m)), results.Value!.Select(r => r.At));
    }

    [Fact]
    public async Task Rollup_and_result_queries_name_a_bad_granularity_instant_or_limit_and_hide_another_customers_monitor()
    {
        var customer = await world.CustomerAsync();
        var id = $"m-{Guid.NewGuid():N}"[..14];
        await Commands.Create(world.Manager, new NewMonitorRequest(id, customer, "API", true, null, null, null, null));

        var badGranularity = await Queries.Rollups(world.Manager, id, "week", "yesterday", null);
        var backwards = await Queries.Rollups(world.Manager, id, "day", "2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z");
        var badLimit = await Queries.Results(world.Manager, id, null, null, 0);
        var foreign = await Queries.Rollups(ApplicationWorld.CustomerUser(await world.CustomerAsync()), id, null, null, null);

        Assert.Equal(["from", "granularity"], badGranularity.Failure!.Errors!.Keys.Order());
        Assert.Equal(["to"], backwards.Failure!.Errors!.Keys);
        Assert.Equal(["limit"], badLimit.Failure!.Errors!.Keys);
        Assert.Equal(FailureKind.NotFound, foreign.Failure!.Kind);
    }
}
