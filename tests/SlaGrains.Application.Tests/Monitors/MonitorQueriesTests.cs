using SlaGrains.Application.Monitors;

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
}
