using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class CustomerAvailabilityTests
{
    private static readonly Interval June2026 = ReportingPeriod.Month(new YearMonth(2026, 6), DateTimeZone.Utc);
    private static readonly Component Api = new("api", isCritical: true);
    private static readonly Component Checkout = new("checkout", isCritical: true);
    private static readonly Component Dashboard = new("dashboard", isCritical: false);

    private static Instant June5(int hour, int minute = 0) => Instant.FromUtc(2026, 6, 5, hour, minute);

    private static ComponentDowntime Downtime(Component component, params Interval[] intervals) => new(component, intervals);

    [Fact]
    public void Only_critical_components_make_customer_downtime_and_non_critical_ones_are_reported_as_degraded()
    {
        var result = CustomerAvailability.Compute(June2026,
        [
            Downtime(Api, new Interval(June5(10), June5(10, 30))),
            Downtime(Dashboard, new Interval(June5(10, 15), June5(11))),
        ]);

        Assert.Equal(Duration.FromMinutes(30), result.Sla.Downtime);
        Assert.Equal([new Interval(June5(10, 30), June5(11))], result.DegradedIntervals);
        Assert.Equal(Duration.FromMinutes(30), result.Degraded);
    }

    [Fact]
    public void A_non_critical_component_down_alone_costs_no_sla_availability()
    {
        var result = CustomerAvailability.Compute(June2026, [Downtime(Api), Downtime(Dashboard, new Interval(June5(1), June5(9)))]);

        Assert.Equal(100m, result.Sla.UptimePercent);
        Assert.Equal(Duration.FromHours(8), result.Degraded);
    }

    [Fact]
    public void Customer_downtime_is_the_union_of_critical_components_downtime()
    {
        var result = CustomerAvailability.Compute(June2026,
        [
            Downtime(Api, new Interval(June5(10), June5(11))),
            Downtime(Checkout, new Interval(June5(10, 30), June5(11, 30))),
        ]);

        Assert.Equal(Duration.FromMinutes(90), result.Sla.Downtime);
        Assert.Equal([new Interval(June5(10), June5(11, 30))], result.Sla.DowntimeIntervals);
    }

    [Fact]
    public void Each_component_gets_its_own_availability_in_input_order()
    {
        var result = CustomerAvailability.Compute(June2026,
        [
            Downtime(Dashboard, new Interval(June5(1), June5(2))),
            Downtime(Api, new Interval(June5(10), June5(10, 30))),
        ]);

        Assert.Equal([Dashboard, Api], result.Components.Select(c => c.Component));
        Assert.Equal(Duration.FromHours(1), result.Components[0].Report.Downtime);
        Assert.Equal(Duration.FromMinutes(30), result.Components[1].Report.Downtime);
    }

    [Fact]
    public void Two_components_with_the_same_id_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => CustomerAvailability.Compute(June2026, [Downtime(Api), Downtime(new Component("api", false))]));

        Assert.Equal("components", error.ParamName);
    }

    [Fact]
    public void The_status_is_an_outage_while_any_critical_component_is_down()
    {
        var status = CustomerStatus.Of([new ComponentState(Dashboard, IsDown: true), new ComponentState(Api, IsDown: true)]);

        Assert.Equal(ServiceStatus.Outage, status);
    }

    [Fact]
    public void The_status_is_degraded_while_only_non_critical_components_are_down()
    {
        var status = CustomerStatus.Of([new ComponentState(Dashboard, IsDown: true), new ComponentState(Api, IsDown: false)]);

        Assert.Equal(ServiceStatus.Degraded, status);
    }

    [Fact]
    public void The_status_is_operational_when_nothing_is_down()
    {
        Assert.Equal(ServiceStatus.Operational, CustomerStatus.Of([new ComponentState(Api, IsDown: false)]));
        Assert.Equal(ServiceStatus.Operational, CustomerStatus.Of([]));
    }

    [Fact]
    public void The_status_at_an_instant_follows_the_half_open_down_intervals()
    {
        ComponentDowntime[] components =
        [
            Downtime(Api, new Interval(June5(10), June5(10, 30))),
            Downtime(Dashboard, new Interval(June5(10, 15), June5(11)), new Interval(June5(12), null)),
        ];

        Assert.Equal(ServiceStatus.Operational, CustomerStatus.At(June5(9, 59), components));
        Assert.Equal(ServiceStatus.Outage, CustomerStatus.At(June5(10), components));
        Assert.Equal(ServiceStatus.Degraded, CustomerStatus.At(June5(10, 30), components));
        Assert.Equal(ServiceStatus.Operational, CustomerStatus.At(June5(11), components));
        Assert.Equal(ServiceStatus.Degraded, CustomerStatus.At(June5(23), components)); // ongoing
    }

    [Fact]
    public void A_component_without_an_id_is_rejected_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => new Component(" ", isCritical: true));

        Assert.Equal("id", error.ParamName);
    }
}
