using System.Text.Json;
using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Application.Tests.Monitors;

/// <summary>Monitor commands: creation as a component, who may push results, maintenance and incident reviews, and their bounds.</summary>
public sealed class MonitorCommandsTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private MonitorCommands Commands => world.Get<MonitorCommands>();

    [Fact]
    public async Task A_new_monitor_becomes_one_of_its_customers_components_with_the_default_slo()
    {
        var customer = await world.CustomerAsync();
        var id = Id();

        var created = await Commands.Create(world.Manager, new NewMonitorRequest(id, customer, " API ", true, null, null, null, 60));

        Assert.Equal(("API", 2, 99.9m, Duration.FromMinutes(1)), (created.Value!.Settings.ComponentName, created.Value.Settings.ConsecutiveFailures, created.Value.Settings.SloPercent, created.Value.Settings.HeartbeatGrace));
        Assert.Equal<CustomerComponent>([new(id, true)], (await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Components);
    }

    [Fact]
    public async Task A_monitor_outside_the_bounds_is_invalid_naming_each_field_and_is_not_created()
    {
        var customer = await world.CustomerAsync();

        var result = await Commands.Create(world.Manager, new NewMonitorRequest("has space", customer, " ", true, 0, null, ["eu west"], 0, "smtp"));

        Assert.Equal(["consecutiveFailures", "heartbeatGraceSeconds", "id", "kind", "name", "regions"], result.Failure!.Errors!.Keys.Order());
        Assert.Empty((await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Components);
    }

    [Fact]
    public async Task Http_probe_settings_outside_the_rules_are_invalid_under_http()
    {
        var customer = await world.CustomerAsync();
        var http = new HttpMonitorInput("ftp://example.com/", 5, 0, [JsonSerializer.SerializeToElement(200), JsonSerializer.SerializeToElement("600-700")], null);

        var result = await Commands.Create(world.Manager, new NewMonitorRequest(Id(), customer, "Shop", true, null, null, null, null, "http", http));

        Assert.Equal(["http.expectedStatusCodes[1]", "http.intervalSeconds", "http.timeoutSeconds", "http.url"], result.Failure!.Errors!.Keys.Order());
    }

    [Fact]
    public async Task A_monitor_id_of_another_customer_is_a_conflict_and_a_customer_user_cannot_create_monitors()
    {
        var first = await world.CustomerAsync();
        var second = await world.CustomerAsync();
        var id = Id();
        Assert.True((await Commands.Create(world.Manager, new NewMonitorRequest(id, first, "API", true, null, null, null, null))).Succeeded);

        var taken = await Commands.Create(world.Manager, new NewMonitorRequest(id, second, "API", true, null, null, null, null));
        var ownUser = await Commands.Create(ApplicationWorld.CustomerUser(second), new NewMonitorRequest(Id(), second, "API", true, null, null, null, null));
        var foreignUser = await Commands.Create(ApplicationWorld.CustomerUser(first), new NewMonitorRequest(Id(), second, "API", true, null, null, null, null));

        Assert.Equal(FailureKind.Conflict, taken.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, ownUser.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, foreignUser.Failure!.Kind);
        Assert.Equal(first, (await world.Grains.GetGrain<IMonitorGrain>(id).Get())!.Settings.CustomerId);
    }

    [Fact]
    public async Task Check_results_come_from_staff_and_the_customers_ingestion_key_and_another_customers_key_finds_no_monitor()
    {
        var (customer, monitor) = await MonitorAsync();
        var other = await world.CustomerAsync();
        var key = new Caller("key:ingest", UserRole.Customer, customer, null, IngestionOnly: true);
        var foreignKey = new Caller("key:other", UserRole.Customer, other, null, IngestionOnly: true);
        var now = SystemClock.Instance.GetCurrentInstant();

        var byStaff = await Commands.Check(world.Technician, monitor, new CheckInput(true, now - Duration.FromMinutes(2), null));
        var byKey = await Commands.Checks(key, monitor, [new CheckInput(false, now - Duration.FromMinutes(1), null), new CheckInput(false, now, null)]);
        var byForeignKey = await Commands.Check(foreignKey, monitor, new CheckInput(true, now, null));

        Assert.True(byStaff.Succeeded);
        Assert.True(byKey.Value!.IsDown);
        Assert.Equal(FailureKind.NotFound, byForeignKey.Failure!.Kind);
    }

    [Fact]
    public async Task A_customers_own_user_and_customer_scoped_key_may_not_post_results_or_heartbeats_which_decide_its_credits()
    {
        var (customer, monitor) = await MonitorAsync();
        var customerKey = new Caller("key:portal", UserRole.Customer, customer, null, IngestionOnly: false);

        var byUser = await Commands.Check(ApplicationWorld.CustomerUser(customer), monitor, new CheckInput(false, null, null));
        var byKey = await Commands.Checks(customerKey, monitor, [new CheckInput(false, null, null)]);
        var heartbeat = await Commands.Heartbeat(ApplicationWorld.CustomerUser(customer), monitor);

        Assert.All([byUser.Failure, byKey.Failure, heartbeat.Failure], f => Assert.Equal(FailureKind.Forbidden, f!.Kind));
        Assert.Null((await world.Grains.GetGrain<IMonitorGrain>(monitor).Get())!.LastResultAt);
    }

    [Fact]
    public async Task An_empty_batch_or_a_bad_region_is_invalid_and_ingests_nothing()
    {
        var (_, monitor) = await MonitorAsync();

        var empty = await Commands.Checks(world.Manager, monitor, []);
        var region = await Commands.Checks(world.Manager, monitor, [new CheckInput(true, null, "eu"), new CheckInput(true, null, "not a region")]);

        Assert.Equal(["$"], empty.Failure!.Errors!.Keys);
        Assert.Equal(["$[1].region"], region.Failure!.Errors!.Keys);
        Assert.Null((await world.Grains.GetGrain<IMonitorGrain>(monitor).Get())!.LastResultAt);
    }

    [Fact]
    public async Task A_heartbeat_is_recorded_for_staff_and_refused_to_a_customer_user_of_another_customer()
    {
        var (_, monitor) = await MonitorAsync();
        var other = await world.CustomerAsync();

        var beat = await Commands.Heartbeat(world.Manager, monitor);
        var foreign = await Commands.Heartbeat(ApplicationWorld.CustomerUser(other), monitor);

        Assert.NotNull(beat.Value!.LastResultAt);
        Assert.Equal(FailureKind.NotFound, foreign.Failure!.Kind);
    }

    [Fact]
    public async Task Maintenance_is_announced_and_cancelled_by_managers_and_a_window_ending_before_it_starts_is_invalid()
    {
        var (_, monitor) = await MonitorAsync();
        var start = SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(7);

        var backwards = await Commands.AnnounceMaintenance(world.Manager, monitor, start, start - Duration.FromHours(1), null);
        var byTechnician = await Commands.AnnounceMaintenance(world.Technician, monitor, start, start + Duration.FromHours(1), "Upgrade");
        var announced = await Commands.AnnounceMaintenance(world.Manager, monitor, start, start + Duration.FromHours(1), " Upgrade ");
        var cancelled = await Commands.CancelMaintenance(world.Manager, monitor, announced.Value!.MaintenanceId);

        Assert.Equal(["end"], backwards.Failure!.Errors!.Keys);
        Assert.Equal(FailureKind.Forbidden, byTechnician.Failure!.Kind);
        Assert.Equal("Upgrade", announced.Value.Description);
        Assert.True(cancelled.Succeeded);
        Assert.Empty(await world.Grains.GetGrain<IMonitorGrain>(monitor).GetMaintenance());
    }

    [Fact]
    public async Task An_incident_is_reviewed_and_linked_and_a_bad_cause_or_link_is_invalid()
    {
        var (_, monitor) = await MonitorAsync();
        var now = SystemClock.Instance.GetCurrentInstant();
        await Commands.Checks(world.Manager, monitor, [new CheckInput(false, now - Duration.FromMinutes(5), null), new CheckInput(true, now - Duration.FromMinutes(1), null)]);
        var incident = (await world.Grains.GetGrain<IMonitorGrain>(monitor).GetIncidents(10))[0].IncidentId;

        var reviewed = await Commands.Review(world.Manager, monitor, incident, IncidentRootCause.Deploy, "Rolled back.");
        var linked = await Commands.LinkPostmortem(world.Manager, monitor, incident, "https://wiki.example/pm/1");
        var badCause = await Commands.Review(world.Manager, monitor, incident, (IncidentRootCause)99, null);
        var badLink = await Commands.LinkPostmortem(world.Manager, monitor, incident, "not a url");
        var unknown = await Commands.Review(world.Manager, monitor, "no-such-incident", null, null);

        Assert.Equal((IncidentRootCause.Deploy, "Rolled back."), (reviewed.Value!.RootCause, reviewed.Value.Resolution));
        Assert.Equal(new Uri("https://wiki.example/pm/1"), linked.Value!.Postmortem);
        Assert.Equal(["rootCause"], badCause.Failure!.Errors!.Keys);
        Assert.Equal(["url"], badLink.Failure!.Errors!.Keys);
        Assert.Equal("incident-not-found", unknown.Failure!.Rejection!.Code);
    }

    [Fact]
    public async Task A_check_dated_beyond_the_clock_skew_or_the_retention_is_invalid_naming_at_stores_nothing_and_later_outages_still_open_incidents()
    {
        var customer = await world.CustomerAsync();
        var id = Id();
        await Commands.Create(world.Manager, new NewMonitorRequest(id, customer, "API", true, 1, null, null, null));
        var now = SystemClock.Instance.GetCurrentInstant();

        var ahead = await Commands.Checks(world.Manager, id, [new CheckInput(true, now - Duration.FromMinutes(1), null), new CheckInput(true, now + Duration.FromDays(365), null)]);
        var behind = await Commands.Check(world.Manager, id, new CheckInput(false, now - Duration.FromDays(91), null));
        var stored = (await world.Grains.GetGrain<IMonitorGrain>(id).Get())!;
        var down = await Commands.Check(world.Manager, id, new CheckInput(false, null, null));
        var skewed = await Commands.Check(world.Manager, id, new CheckInput(false, SystemClock.Instance.GetCurrentInstant() + Duration.FromMinutes(4), null));

        Assert.Equal(["$[1].at"], ahead.Failure!.Errors!.Keys);
        Assert.Equal(["at"], behind.Failure!.Errors!.Keys);
        Assert.Null(stored.LastResultAt);
        Assert.True(down.Value!.IsDown);
        Assert.True(skewed.Succeeded);
    }

    private static string Id() => $"m-{Guid.NewGuid():N}"[..14];

    private async Task<(string Customer, string Monitor)> MonitorAsync()
    {
        var customer = await world.CustomerAsync();
        var id = Id();
        Assert.True((await Commands.Create(world.Manager, new NewMonitorRequest(id, customer, "API", true, 1, null, null, null))).Succeeded);
        return (customer, id);
    }
}
