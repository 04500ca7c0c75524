using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Tests.Customers;

/// <summary>Customer commands: who may change a customer, the bounds and domain rules of each input, and what is saved.</summary>
public sealed class CustomerCommandsTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private CustomerCommands Commands => world.Get<CustomerCommands>();

    [Fact]
    public async Task A_manager_creates_a_customer_and_a_taken_id_is_a_conflict_that_renames_nothing()
    {
        var id = $"c-{Guid.NewGuid():N}"[..16];

        var created = await Commands.Create(world.Manager, new NewCustomerInput(id, "  Acme Corp  ", "EMEA"));
        var again = await Commands.Create(world.Manager, new NewCustomerInput(id, "Other name"));

        Assert.Equal(("Acme Corp", "EMEA"), (created.Value!.Name, created.Value.Group));
        Assert.Equal(FailureKind.Conflict, again.Failure!.Kind);
        Assert.Equal("Acme Corp", (await world.Grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(id))!.Name);
    }

    [Fact]
    public async Task Creating_with_a_bad_id_and_no_name_is_invalid_naming_both_and_a_technician_is_refused()
    {
        var invalid = await Commands.Create(world.Manager, new NewCustomerInput("has space", " "));
        var refused = await Commands.Create(world.Technician, new NewCustomerInput("tech-made", "Tech"));

        Assert.Equal(["id", "name"], invalid.Failure!.Errors!.Keys.Order());
        Assert.Equal(FailureKind.Forbidden, refused.Failure!.Kind);
    }

    [Fact]
    public async Task A_technician_may_not_change_a_contract_and_another_customers_user_finds_no_customer()
    {
        var customer = await world.CustomerAsync();
        var other = await world.CustomerAsync();
        var contract = new ContractRequest(99.5m, null, 100m, "EUR", null, null, null);

        var technician = await Commands.SetContract(world.Technician, customer, contract);
        var ownUser = await Commands.SetContract(ApplicationWorld.CustomerUser(customer), customer, contract);
        var foreign = await Commands.SetContract(ApplicationWorld.CustomerUser(other), customer, contract);
        var unknown = await Commands.SetContract(world.Manager, "no-such-customer", contract);

        Assert.Equal(FailureKind.Forbidden, technician.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, ownUser.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, foreign.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, unknown.Failure!.Kind);
        Assert.Null((await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Agreement);
    }

    [Fact]
    public async Task A_contract_is_saved_with_its_schedule_and_notice_and_one_the_domain_refuses_names_the_field()
    {
        var customer = await world.CustomerAsync();
        List<CreditTierInput> schedule = [new(99m, 99.9m, 10m), new(0m, 99m, 30m)];

        var saved = await Commands.SetContract(world.Manager, customer, new ContractRequest(99.9m, null, 1000m, "EUR", schedule, 40m, 72m));
        var overTarget = await Commands.SetContract(world.Manager, customer, new ContractRequest(120m, null, 10m, "EUR", null, null, null));
        var badSchedule = await Commands.SetContract(world.Manager, customer, new ContractRequest(99.9m, null, 10m, "EUR", [new(99m, 98m, 10m)], null, null));

        Assert.Equal((99.9m, 40m, 72m), (saved.Value!.Contract!.SlaTargetPercent, saved.Value.Contract.CreditCapPercent, saved.Value.Contract.MaintenanceNoticeHours));
        Assert.Equal(schedule, saved.Value.Contract.CreditSchedule);
        Assert.Equal(["contract"], overTarget.Failure!.Errors!.Keys);
        Assert.Equal(["creditSchedule"], badSchedule.Failure!.Errors!.Keys);
        Assert.Equal(99.9m, (await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Agreement!.SlaTargetPercent);
    }

    [Fact]
    public async Task A_calendar_keeps_every_interval_holiday_and_special_date_and_reads_back_as_saved()
    {
        var customer = await world.CustomerAsync();
        var input = new CalendarInput(
            "Europe/Berlin",
            new() { ["monday"] = [new("08:00", "12:00"), new("13:00", "17:00")], ["saturday"] = [new("10:00", "24:00")] },
            [new LocalDate(2026, 12, 25)],
            [new SpecialHoursInput(new LocalDate(2026, 12, 24), [new("09:00", "12:00")]), new SpecialHoursInput(new LocalDate(2026, 12, 31), [])]);

        var saved = await Commands.SetCalendar(world.Manager, customer, input);

        var calendar = saved.Value!.Calendar!;
        Assert.Equal("Europe/Berlin", calendar.TimeZone);
        Assert.Equal([new HoursInput("08:00", "12:00"), new HoursInput("13:00", "17:00")], calendar.WeeklyHours!["monday"]);
        Assert.Equal([new HoursInput("10:00", "24:00")], calendar.WeeklyHours["saturday"]);
        Assert.Equal([new LocalDate(2026, 12, 25)], calendar.Holidays);
        Assert.Equal([new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 31)], calendar.SpecialHours!.Select(s => s.Date));
        Assert.Empty(calendar.SpecialHours![1].Hours!);
    }

    [Fact]
    public async Task A_calendar_with_an_unknown_zone_or_day_is_invalid_naming_each_path_and_changes_nothing()
    {
        var customer = await world.CustomerAsync();
        var before = (await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Calendar;

        var result = await Commands.SetCalendar(world.Manager, customer, new CalendarInput("Mars/Olympus", new() { ["funday"] = [], ["monday"] = [new("09:00", "25:00")] }, null, null));

        Assert.Equal(["$.timeZone", "$.weeklyHours.funday", "$.weeklyHours.monday[0]"], result.Failure!.Errors!.Keys.Order());
        Assert.Equal(before, (await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Calendar);
    }

    [Fact]
    public async Task A_policy_sets_the_tier_and_its_overrides_and_an_override_left_out_goes_back_to_the_tier()
    {
        var customer = await world.CustomerAsync();
        var targets = Enum.GetValues<TicketPriority>().ToDictionary(p => p, _ => new PriorityTargetsInput(Duration.FromHours(4), Duration.FromHours(24), null));
        var p1 = new PriorityTargetsInput(Duration.FromMinutes(30), Duration.FromHours(2), Duration.FromHours(1), CoverageHours.AroundTheClock);

        var withOverride = await Commands.SetPolicy(world.Manager, customer, new PolicyInput("Gold", targets, new() { [TicketPriority.P1] = p1 }));
        var stored = PolicyInput.From(await world.Grains.GetGrain<ICustomerGrain>(customer).Get());
        var cleared = await Commands.SetPolicy(world.Manager, customer, new PolicyInput("Gold", targets, null));

        Assert.Equal(p1, withOverride.Value!.Policy!.Targets[TicketPriority.P1]);
        Assert.Equal(p1, Assert.Single(stored!.Overrides!).Value);
        Assert.Equal(targets[TicketPriority.P2], stored.Targets![TicketPriority.P2]);
        Assert.Equal(targets[TicketPriority.P1], cleared.Value!.Policy!.Targets[TicketPriority.P1]);
    }

    [Fact]
    public async Task A_policy_without_a_name_or_with_a_negative_target_is_invalid_naming_the_fields()
    {
        var customer = await world.CustomerAsync();
        var negative = Enum.GetValues<TicketPriority>().ToDictionary(p => p, p => new PriorityTargetsInput(p == TicketPriority.P1 ? -Duration.FromHours(1) : Duration.FromHours(1), Duration.FromHours(4), null));

        var unnamed = await Commands.SetPolicy(world.Manager, customer, new PolicyInput(" ", null, null));
        var invalid = await Commands.SetPolicy(world.Manager, customer, new PolicyInput("Gold", negative, null));

        Assert.Equal(["name", "targets"], unnamed.Failure!.Errors!.Keys.Order());
        Assert.Equal(["targets.p1"], invalid.Failure!.Errors!.Keys);
    }

    [Fact]
    public async Task Components_are_set_and_one_without_a_monitor_is_invalid_naming_its_index()
    {
        var customer = await world.CustomerAsync();
        var (api, web) = ($"api-{customer}", $"web-{customer}");
        foreach (var monitor in new[] { api, web })
        {
            Assert.True((await world.Get<SlaGrains.Application.Monitors.MonitorCommands>().Create(world.Manager, new SlaGrains.Application.Monitors.NewMonitorRequest(monitor, customer, monitor, false, null, null, null, null))).Succeeded);
        }

        var set = await Commands.SetComponents(world.Manager, customer, [new ComponentInput(api, true), new ComponentInput(web, false)]);
        var invalid = await Commands.SetComponents(world.Manager, customer, [new ComponentInput(api, true), new ComponentInput(" ", false)]);

        Assert.Equal<CustomerComponent>([new(api, true), new(web, false)], set.Value!.Components);
        Assert.Equal(["$[1].monitorId"], invalid.Failure!.Errors!.Keys);
        Assert.Equal(2, (await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Components.Length);
    }

    [Fact]
    public async Task A_customer_user_may_not_set_its_own_components()
    {
        var customer = await world.CustomerAsync();

        var result = await Commands.SetComponents(ApplicationWorld.CustomerUser(customer), customer, []);

        Assert.Equal(FailureKind.Forbidden, result.Failure!.Kind);
        Assert.Empty((await world.Grains.GetGrain<ICustomerGrain>(customer).Get())!.Components);
    }
}
