using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Agreements;
using SlaGrains.Testing;

namespace SlaGrains.Application.Tests.Credits;

/// <summary>Customers with a closed month that missed its commitment, set up on the world's grains.</summary>
internal static class CreditScenario
{
    /// <summary>The month that missed: March 2026 (UTC, the world's customers are 24×7).</summary>
    public static readonly YearMonth March = new(2026, 3);

    /// <summary>
    /// A customer (1,000 EUR a month, 99.9 %) whose one critical monitor was down an hour on 10 March 2026: 99.8655 %,
    /// a 10 % credit of 100 EUR and its notice, once March is closed (unless <paramref name="close"/> is false). The
    /// monitor is measured throughout from February to mid-April, so March is a measured month, not "insufficient data".
    /// </summary>
    public static async Task<string> MissedMarchAsync(ApplicationWorld world, bool close = true)
    {
        var id = await world.CustomerAsync();
        var monitor = $"m-{id}";
        var down = Instant.FromUtc(2026, 3, 10, 10, 0);
        var probe = world.Grains.GetGrain<IMonitorGrain>(monitor);
        Assert.True((await probe.Configure(new MonitorSettings(id, "API", true, 1, 99.98m, StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
        var history = MeasuredHistory.Between(Instant.FromUtc(2026, 2, 1, 0, 0), Instant.FromUtc(2026, 4, 15, 0, 0), new Interval(down, down + Duration.FromHours(1)));
        Assert.True((await probe.IngestBatch([.. history])).Accepted);
        var customer = world.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetAgreement(new ServiceAgreement(id, 99.9m, 1000m, "EUR"))).Accepted);
        Assert.True((await customer.SetComponents([new CustomerComponent(monitor, true)])).Accepted);
        if (close)
        {
            var closed = await customer.CloseMonth(March);
            Assert.True(closed.Accepted, closed.Rejection?.Message);
        }

        return id;
    }
}
