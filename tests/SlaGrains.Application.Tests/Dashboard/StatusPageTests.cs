using SlaGrains.Application.Dashboard;
using SlaGrains.Application.Tests.Reports;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Tests.Dashboard;

/// <summary>The status page's data: only for whoever may see the customer, with the components, incidents and months its grains hold.</summary>
public sealed class StatusPageTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private StatusPage StatusPage => world.Get<StatusPage>();

    [Fact]
    public async Task A_customer_user_sees_its_own_status_page_and_another_customers_or_a_malformed_id_looks_unknown()
    {
        var mine = await ContractScenario.CustomerAsync(world);
        var theirs = await ContractScenario.CustomerAsync(world);
        var user = ApplicationWorld.CustomerUser(mine);

        var own = await StatusPage.Get(user, mine);
        var other = await StatusPage.Get(user, theirs);
        var malformed = await StatusPage.Get(world.Manager, "no spaces");

        Assert.Equal(mine, own.Value!.CustomerId);
        Assert.Equal($"Customer {mine}", own.Value.Name);
        Assert.Equal(FailureKind.NotFound, other.Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, malformed.Failure!.Kind);
    }

    [Fact]
    public async Task An_open_outage_of_a_critical_component_shows_as_an_outage_with_the_incident_ongoing_and_the_month_in_progress()
    {
        var customer = await ContractScenario.CustomerAsync(world);
        var monitor = await ContractScenario.MonitorAsync(world, customer);
        var down = SystemClock.Instance.GetCurrentInstant() - Duration.FromMinutes(10);
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(monitor).IngestBatch([CheckResult.Up(down - Duration.FromMinutes(5)), CheckResult.Down(down)])).Accepted);

        var page = (await StatusPage.Get(world.Manager, customer)).Value!;

        Assert.Equal("outage", page.CurrentStatus.Status);
        var component = Assert.Single(page.Components);
        Assert.Equal(("API", "down", true), (component.Name, component.Status, component.Critical));
        var incident = Assert.Single(page.Incidents);
        Assert.Equal(down, incident.Start);
        Assert.False(incident.Resolved);
        Assert.True(page.Historical[^1].InProgress);
        Assert.Equal(ContractScenario.Commitment, page.CurrentMonth!.SlaTargetPct);
        Assert.Contains(page.SlaCompliance, c => c.Dimension == "first_response");
    }

    [Fact]
    public async Task The_status_page_draws_ninety_utc_days_from_the_daily_rollups_and_a_day_without_data_is_no_data_not_up()
    {
        var customer = await ContractScenario.CustomerAsync(world);
        var monitor = await MonitorWithoutHistoryAsync(customer);
        var today = SystemClock.Instance.GetCurrentInstant().InUtc().Date;
        var ten = today.PlusDays(-1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() + Duration.FromHours(10);
        var checks = Enumerable.Range(0, 61).Select(m => m == 30 ? CheckResult.Down(ten + Duration.FromMinutes(m)) : CheckResult.Up(ten + Duration.FromMinutes(m)));
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(monitor).IngestBatch([.. checks])).Accepted);

        var days = Assert.Single((await StatusPage.Get(world.Manager, customer)).Value!.Components).Days;

        Assert.Equal(90, days.Length);
        Assert.Equal((today.PlusDays(-89), today), (days[0].Date, days[^1].Date));
        var yesterday = days[^2];

        // Up from 10:00 to 11:05 (the last check vouches for 5 minutes) except the minute down; the rest of the day unmeasured.
        Assert.Equal(("outage", 64.0, 1.0, 1440.0 - 65), (yesterday.Status, yesterday.UpMinutes, yesterday.DownMinutes, yesterday.UnknownMinutes));
        Assert.Equal(98.46m, yesterday.AvailabilityPct);
        Assert.All(days.Take(88), d => Assert.Equal(("no_data", null), (d.Status, d.AvailabilityPct)));
    }

    /// <summary>
    /// The customer's critical monitor (as <see cref="ContractScenario.MonitorAsync"/> configures it) with no results at
    /// all, unlike the scenario's, which is measured throughout: the days this test feeds nothing must stay no data.
    /// </summary>
    private async Task<string> MonitorWithoutHistoryAsync(string customerId)
    {
        var monitorId = $"m-{customerId}";
        Assert.True((await world.Grains.GetGrain<IMonitorGrain>(monitorId).Configure(new MonitorSettings(customerId, "API", IsCritical: true, ConsecutiveFailures: 1, SloPercent: ContractScenario.Commitment, Regions: []))).Accepted);
        Assert.True((await world.Grains.GetGrain<ICustomerGrain>(customerId).SetComponents([new CustomerComponent(monitorId, true)])).Accepted);
        return monitorId;
    }
}
