using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Customers;

/// <summary>Issue 16 item 7: no status is claimed without data.</summary>
public sealed class CustomerStatusWithoutMonitorsTests
{
    [Fact]
    public void A_customer_without_components_is_not_operational_but_has_no_monitors_yet()
    {
        var summary = CustomerStatus.Summarize([]);

        Assert.Equal(ServiceStatus.Unknown, summary.Status);
        Assert.Equal("No monitors yet", summary.Words);
    }

    [Fact]
    public void A_customer_whose_components_are_all_up_is_operational()
    {
        var summary = CustomerStatus.Summarize([new ComponentReading(new Component("api", isCritical: true), ComponentHealth.Up, "API")]);

        Assert.Equal(ServiceStatus.Operational, summary.Status);
        Assert.Equal("All systems operational", summary.Words);
    }
}
