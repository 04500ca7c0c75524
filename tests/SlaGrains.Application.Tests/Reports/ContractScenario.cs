using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using SlaGrains.Testing;

namespace SlaGrains.Application.Tests.Reports;

/// <summary>
/// Customers with a contract and a monitored component on the <see cref="ApplicationWorld"/> silo, set up through their
/// grains as the API would, with outages and closed months for the reports to read.
/// </summary>
internal static class ContractScenario
{
    /// <summary>The contract's commitment: 99.9 % (about 43 minutes of a 30-day month).</summary>
    public const decimal Commitment = 99.9m;

    /// <summary>A customer on a 24×7 UTC calendar, tier Gold, a 99.9 % contract at 1000 EUR a month, in <paramref name="group"/>; without a contract when <paramref name="contract"/> is false.</summary>
    public static async Task<string> CustomerAsync(ApplicationWorld world, string? group = null, bool contract = true)
    {
        var id = $"r-{Guid.NewGuid():N}"[..20];
        Assert.True(await world.Grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Register(new CustomerEntry(id, $"Customer {id}", SystemClock.Instance.GetCurrentInstant(), group)));
        var customer = world.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetCalendar(BusinessCalendar.AlwaysOpen)).Accepted);
        var targets = Enum.GetValues<TicketPriority>().ToDictionary(p => p, _ => new PriorityTargets(Duration.FromHours(2), Duration.FromHours(8), coverage: CoverageHours.AroundTheClock));
        Assert.True((await customer.SetTier(new SlaPolicy("Gold", targets))).Accepted);
        if (contract)
        {
            Assert.True((await customer.SetAgreement(new ServiceAgreement(id, Commitment, 1000m, "EUR"))).Accepted);
        }

        return id;
    }

    /// <summary>
    /// Gives the customer a critical monitor (one failure confirms an outage) with the given outages; returns the monitor.
    /// It has data throughout: a success every 12 hours from three months before <see cref="LastMonth"/> until now (the
    /// monitor goes unknown after a day without a result), so its months are measured, never "insufficient data".
    /// </summary>
    public static async Task<string> MonitorAsync(ApplicationWorld world, string customerId, params Interval[] outages)
    {
        var monitorId = $"m-{customerId}";
        var monitor = world.Grains.GetGrain<IMonitorGrain>(monitorId);
        Assert.True((await monitor.Configure(new MonitorSettings(customerId, "API", IsCritical: true, ConsecutiveFailures: 1, SloPercent: Commitment, Regions: [], StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
        Assert.True((await world.Grains.GetGrain<ICustomerGrain>(customerId).SetComponents([new CustomerComponent(monitorId, true)])).Accepted);
        var from = LastMonth.PlusMonths(-3).OnDayOfMonth(1).AtMidnight().InUtc().ToInstant();
        Assert.True((await monitor.IngestBatch([.. MeasuredHistory.Between(from, SystemClock.Instance.GetCurrentInstant(), outages)])).Accepted);
        return monitorId;
    }

    /// <summary><paramref name="minutes"/> down from 10:00 UTC on the 5th of <paramref name="month"/>.</summary>
    public static Interval Outage(YearMonth month, int minutes)
    {
        var start = month.OnDayOfMonth(5).At(new LocalTime(10, 0)).InUtc().ToInstant();
        return new Interval(start, start + Duration.FromMinutes(minutes));
    }

    /// <summary>Closes the months (archiving their reports); returns the credits issued.</summary>
    public static async Task<decimal> CloseAsync(ApplicationWorld world, string customerId, params YearMonth[] months)
    {
        var total = 0m;
        foreach (var month in months)
        {
            var closed = await world.Grains.GetGrain<ICustomerGrain>(customerId).CloseMonth(month);
            Assert.True(closed.Accepted, closed.Rejection?.Message);
            total += closed.Credit?.Amount ?? 0m;
        }

        return total;
    }

    /// <summary>The month before this one, in UTC.</summary>
    public static YearMonth LastMonth => SystemClock.Instance.GetCurrentInstant().InUtc().Date.ToYearMonth().PlusMonths(-1);
}
