using SlaGrains.Application.Customers;
using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Application.Tests.Monitors;

/// <summary>
/// The maintenance notice a monitor judges with is its customer's contract's: carried in when the monitor is created,
/// when the contract is saved, and before maintenance is announced; 48 hours while the customer has no contract.
/// </summary>
public sealed class ContractNoticeTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private MonitorCommands Monitors => world.Get<MonitorCommands>();

    private CustomerCommands Customers => world.Get<CustomerCommands>();

    [Fact]
    public async Task A_monitor_of_a_customer_without_a_contract_judges_with_48_hours_and_one_created_under_a_contract_with_its_notice()
    {
        var withoutContract = await world.CustomerAsync();
        var underContract = await world.CustomerAsync();
        await Contract(underContract, noticeHours: 72);

        var byDefault = await Monitors.Create(world.Manager, Request(withoutContract));
        var contracted = await Monitors.Create(world.Manager, Request(underContract));

        Assert.Equal(Duration.FromHours(48), byDefault.Value!.Settings.Notice);
        Assert.Equal(Duration.FromHours(72), contracted.Value!.Settings.Notice);
    }

    [Fact]
    public async Task Saving_a_contract_gives_each_monitor_of_the_customer_its_notice_also_one_that_is_no_longer_a_component()
    {
        var customer = await world.CustomerAsync();
        var component = (await Monitors.Create(world.Manager, Request(customer))).Value!.MonitorId;
        var former = (await Monitors.Create(world.Manager, Request(customer))).Value!.MonitorId;
        Assert.True((await Customers.SetComponents(world.Manager, customer, [new ComponentInput(component, true)])).Succeeded);
        var other = await world.CustomerAsync();
        var othersMonitor = (await Monitors.Create(world.Manager, Request(other))).Value!.MonitorId;

        await Contract(customer, noticeHours: 24);

        Assert.Equal(Duration.FromHours(24), await Notice(component));
        Assert.Equal(Duration.FromHours(24), await Notice(former));
        Assert.Equal(Duration.FromHours(48), await Notice(othersMonitor));
    }

    [Fact]
    public async Task Announcing_maintenance_first_gives_the_monitor_the_contract_notice_a_contract_save_missed()
    {
        var customer = await world.CustomerAsync();
        await Contract(customer, noticeHours: 72);
        var monitor = (await Monitors.Create(world.Manager, Request(customer))).Value!.MonitorId;
        // As if the last contract save could not reach the monitor: it still has an older notice.
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(monitor).SetMaintenanceNotice(Duration.FromHours(12))).Accepted);
        var start = SystemClock.Instance.GetCurrentInstant() + Duration.FromHours(50);

        var announced = await Monitors.AnnounceMaintenance(world.Manager, monitor, start, start + Duration.FromHours(1), "upgrade");

        Assert.True(announced.Succeeded);
        Assert.Equal(Duration.FromHours(72), await Notice(monitor));
        Assert.False(announced.Value!.Window.IsExcluded(await Notice(monitor)));
    }

    private async Task Contract(string customer, int noticeHours)
        => Assert.True((await Customers.SetContract(world.Manager, customer, new ContractRequest(99.9m, null, 1000m, "EUR", null, null, noticeHours))).Succeeded);

    private async Task<Duration> Notice(string monitor) => (await world.Grains.GetGrain<IMonitorGrain>(monitor).Get())!.Settings.Notice;

    private static NewMonitorRequest Request(string customer) => new($"m-{Guid.NewGuid():N}"[..14], customer, "API", true, 1, null, null, null);
}
