using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Credits;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>
/// Month close in the customer's own zone, driven through <see cref="ICustomerGrain.CloseMonth"/> (the path the
/// durable month-end deadline calls) for past months, compared with what the domain computes. Each monitor is measured
/// throughout from the month before to the month after the months closed, so they are measured, not "insufficient data".
/// </summary>
public sealed class MonthCloseTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    /// <summary>Data for March 2026 in Berlin: February 1st to April 15th (UTC).</summary>
    private static readonly Interval AroundMarch2026 = new(Instant.FromUtc(2026, 2, 1, 0, 0), Instant.FromUtc(2026, 4, 15, 0, 0));

    /// <summary>Data for December 2025 and January 2026 in Auckland: November 1st 2025 to February 15th 2026 (UTC).</summary>
    private static readonly Interval AroundDecember2025 = new(Instant.FromUtc(2025, 11, 1, 0, 0), Instant.FromUtc(2026, 2, 15, 0, 0));

    [Fact]
    public async Task Closing_March_in_Berlin_counts_a_23_hour_DST_day_and_the_critical_union_and_credits_what_the_domain_computes()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var month = new YearMonth(2026, 3);
        var a = new Outages($"monitor-a-{Guid.NewGuid():N}", true, AroundMarch2026,
            Down(2026, 3, 29, 0, 30, 2, 0),                      // across the spring-forward switch at 01:00Z
            Down(2026, 3, 31, 21, 30, 22, 30));                  // across the month end (22:00Z = April 1st 00:00 CEST)
        var b = new Outages($"monitor-b-{Guid.NewGuid():N}", true, AroundMarch2026,
            Down(2026, 2, 28, 22, 30, 23, 30),                   // across the month start (23:00Z = March 1st 00:00 CET)
            Down(2026, 3, 29, 1, 30, 2, 30));                    // overlaps A's: counted once
        var c = new Outages($"monitor-c-{Guid.NewGuid():N}", false, AroundMarch2026, Down(2026, 3, 10, 10, 0, 14, 0));
        var agreement = new ServiceAgreement(id, 99.9m, 1000m, "EUR");
        var customer = await Customer(id, agreement, "Europe/Berlin", a, b, c);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);

        var closed = await customer.CloseMonth(month);

        Assert.True(closed.Accepted, closed.Rejection?.Message);
        var period = ReportingPeriod.Month(month, zone);
        Assert.Equal(Duration.FromDays(31) - Duration.FromHours(1), closed.Month!.Period.Duration);
        var expected = CustomerAvailability.Compute(period, [a.Downtime, b.Downtime, c.Downtime], null, agreement.MaintenanceNotice);
        var credit = MonthlyCredit.Compute(id, month, expected.Sla.UptimePercent, agreement.CreditTerms, closed.Month.ClosedAt);
        Assert.Equal(Duration.FromHours(3), closed.Month.Downtime);
        Assert.Equal(Duration.FromHours(4), closed.Month.Degraded);
        Assert.Equal(expected.Sla.UptimePercent, closed.Month.UptimePercent);
        Assert.False(closed.Month.SlaMet);
        Assert.False(closed.Month.SloMet);
        Assert.Equal($"sla-credit-{id}-2026-03", closed.Credit!.Key);
        Assert.Equal(credit.Amount, closed.Credit.Amount);
        Assert.True(closed.Credit.Amount > 0m);
        Assert.Equal(credit.Reason, closed.Credit.Reason);
        await recorder.WaitFor<MonthClosed>(m => m.CustomerId == id && m.Month.Month == month, Bound);
    }

    [Fact]
    public async Task Closing_December_in_Auckland_ends_at_local_midnight_of_the_new_year_and_splits_an_outage_across_it()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var zone = DateTimeZoneProviders.Tzdb["Pacific/Auckland"];
        var december = new YearMonth(2025, 12);
        var a = new Outages($"monitor-a-{Guid.NewGuid():N}", true, AroundDecember2025,
            Down(2025, 11, 30, 10, 30, 11, 30),                  // 30 min before, 30 min after Dec 1st 00:00 NZDT
            Down(2025, 12, 31, 10, 0, 12, 0));                   // 1 h in 2025, 1 h in 2026
        var agreement = new ServiceAgreement(id, 99.95m, 2500m, "NZD");
        var customer = await Customer(id, agreement, "Pacific/Auckland", a);

        var closed = await customer.CloseMonth(december);
        var january = await customer.CloseMonth(december.PlusMonths(1));

        Assert.Equal(new Interval(Instant.FromUtc(2025, 11, 30, 11, 0), Instant.FromUtc(2025, 12, 31, 11, 0)), closed.Month!.Period);
        Assert.Equal(ReportingPeriod.Month(december, zone), closed.Month.Period);
        Assert.Equal(Duration.FromMinutes(90), closed.Month.Downtime);
        Assert.Equal(Duration.FromMinutes(60), january.Month!.Downtime);
        var expected = CustomerAvailability.Compute(closed.Month.Period, [a.Downtime], null, agreement.MaintenanceNotice);
        var credit = MonthlyCredit.Compute(id, december, expected.Sla.UptimePercent, agreement.CreditTerms, closed.Month.ClosedAt);
        Assert.Equal(expected.Sla.UptimePercent, closed.Month.UptimePercent);
        Assert.Equal(credit.Amount, closed.Credit!.Amount);
        Assert.Equal("sla-credit-" + id + "-2025-12", closed.Credit.Key);
        Assert.Equal([new YearMonth(2026, 1), december], (await customer.GetHistory(12)).Select(h => h.Month).ToArray());
    }

    [Fact]
    public async Task A_month_closes_exactly_once_even_when_triggered_twice_at_once_and_again_later()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var month = new YearMonth(2026, 3);
        var a = new Outages($"monitor-a-{Guid.NewGuid():N}", true, AroundMarch2026, Down(2026, 3, 29, 0, 30, 2, 0));
        var customer = await Customer(id, new ServiceAgreement(id, 99.9m, 1000m, "EUR"), "Europe/Berlin", a);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);

        var both = await Task.WhenAll(customer.CloseMonth(month), customer.CloseMonth(month));
        var later = await customer.CloseMonth(month);
        await recorder.WaitFor<MonthClosed>(m => m.CustomerId == id, Bound);

        Assert.Single(both, r => !r.AlreadyClosed);
        Assert.True(later.AlreadyClosed);
        Assert.All(both.Append(later), r => Assert.Equal(both[0].Month, r.Month));
        Assert.Single(await customer.GetHistory(12));
        var ledgerEntry = Assert.Single(await customer.GetCredits());
        Assert.Equal(later.Credit, ledgerEntry);
        Assert.Equal(CreditStatus.Computed, ledgerEntry.Status);
        Assert.Single(recorder.All.OfType<MonthClosed>(), m => m.CustomerId == id);
    }

    [Fact]
    public async Task Contract_and_calendar_arm_the_month_close_at_the_next_local_midnight_of_the_first_and_an_open_month_cannot_close()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var zone = DateTimeZoneProviders.Tzdb["Pacific/Auckland"];
        var customer = await Customer(id, new ServiceAgreement(id, 99.9m, 1000m, "EUR"), "Pacific/Auckland");
        var now = SystemClock.Instance.GetCurrentInstant();

        var view = await customer.Get();
        var current = ReportingPeriod.MonthContaining(now, zone);
        var early = await customer.CloseMonth(current);

        Assert.Equal(current, view!.NextMonthToClose);
        Assert.Equal(ReportingPeriod.Month(current, zone).End, view.NextMonthCloseAt);
        Assert.Equal("month-not-over", early.Rejection!.Code);
        Assert.Empty(await customer.GetHistory(12));
    }

    private async Task<ICustomerGrain> Customer(string id, ServiceAgreement agreement, string zone, params Outages[] components)
    {
        foreach (var component in components)
        {
            var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(component.MonitorId);
            Assert.True((await monitor.Configure(new MonitorSettings(id, component.MonitorId, component.IsCritical, 1, 99.98m, StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
            Assert.True((await monitor.IngestBatch([.. component.Results])).Accepted);
        }

        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetAgreement(agreement)).Accepted);
        Assert.True((await customer.SetCalendar(BusinessCalendar.Create(zone, WeeklySchedule.Weekdays("09:00", "17:00")))).Accepted);
        Assert.True((await customer.SetComponents([.. components.Select(c => new CustomerComponent(c.MonitorId, c.IsCritical))])).Accepted);
        return customer;
    }

    private static Interval Down(int year, int month, int day, int hour, int minute, int endHour, int endMinute)
        => new(Instant.FromUtc(year, month, day, hour, minute), Instant.FromUtc(year, month, day, endHour, endMinute));

    /// <summary>
    /// A component's monitor, the span it is measured over and the outages it sees (fed as <see cref="MeasuredHistory"/>:
    /// a success every 12 h, a failure at each outage's start and a success at its end).
    /// </summary>
    private sealed record Outages(string MonitorId, bool IsCritical, Interval Measured, params Interval[] Intervals)
    {
        public IEnumerable<CheckResult> Results => MeasuredHistory.Between(Measured.Start, Measured.End, Intervals);

        public ComponentDowntime Downtime => new(new Component(MonitorId, IsCritical), Intervals);
    }
}
