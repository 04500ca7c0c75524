using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>
/// The month-end deadline itself: with the cluster's clock two seconds before a month ends in the customer's zone,
/// the customer closes that month on its own when local midnight passes — nobody calls it.
/// </summary>
public sealed class MonthEndDeadlineTests(ShiftedClockClusterFixture fixture) : IClassFixture<ShiftedClockClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _database = fixture.DatabasePath;
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task A_customer_in_Berlin_closes_March_by_itself_at_local_midnight_of_April_1st()
    {
        // 2026-03-31 23:59:58 in Berlin (CEST, +02:00): two seconds before the month ends there.
        ShiftedClock.For(_database).Set(Instant.FromUtc(2026, 3, 31, 21, 59, 58));
        var id = $"customer-{Guid.NewGuid():N}";
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);

        Assert.True((await customer.SetAgreement(new ServiceAgreement(id, 99.9m, 1000m, "EUR"))).Accepted);
        var configured = await customer.SetCalendar(BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Weekdays("09:00", "17:00")));
        Assert.True(configured.Accepted, configured.Rejection?.Message);

        var closed = await recorder.WaitFor<MonthClosed>(m => m.CustomerId == id, Bound);

        Assert.Equal(new YearMonth(2026, 3), closed.Month.Month);
        Assert.True(closed.At >= Instant.FromUtc(2026, 3, 31, 22, 0), $"closed at {closed.At}, before the month ended in Berlin");
        Assert.Equal(new YearMonth(2026, 3), Assert.Single(await customer.GetHistory(12)).Month);
    }
}
