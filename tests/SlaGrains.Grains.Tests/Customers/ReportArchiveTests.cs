using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Reports;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>
/// Reports archived by the month close, the renewal summary, and the watch on the month close itself. Monitors with
/// outages are measured throughout from the month before to the month after the months closed (a success every 12 h
/// and a failure every 12 h inside an outage), so their months are measured, not "insufficient data".
/// </summary>
public sealed class ReportArchiveTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Closing_a_quarters_last_month_archives_the_month_and_the_quarter_and_later_changes_do_not_alter_them()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var customer = await Customer(id, monitor, Span(2026, 2, 1, 2026, 4, 15), Hour(2026, 3, 10, 9));
        var reports = _cluster.Grains.GetGrain<ICustomerReportsGrain>(id);

        var closed = await customer.CloseMonth(new YearMonth(2026, 3));
        var listed = await reports.List();
        var march = (await reports.Get(ReportPeriod.Parse("2026-03")!)).Report!;

        Assert.Equal(["2026-03", "2026-Q1"], listed.Select(r => r.Period).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(closed.Month!.UptimePercent, march.UptimePercent);
        Assert.Equal(60, march.DowntimeMinutes);
        Assert.Equal(closed.Credit!.Amount, march.Credit!.Amount);
        Assert.Single(march.Incidents);

        // A new critical component that was down all of March would change a fresh build; the archive is what was closed.
        var late = $"monitor-{Guid.NewGuid():N}";
        await Monitor(id, late, Span(2026, 2, 1, 2026, 4, 15), new Interval(Instant.FromUtc(2026, 2, 28, 0, 0), Instant.FromUtc(2026, 4, 2, 0, 0)));
        Assert.True((await customer.SetComponents([new CustomerComponent(monitor, true), new CustomerComponent(late, true)])).Accepted);
        var again = (await reports.Get(ReportPeriod.Parse("2026-03")!)).Report!;
        var fresh = await customer.GetAvailability(march.PeriodStart is var s ? new Interval(s, march.PeriodEnd) : default);

        Assert.Equal(march.UptimePercent, again.UptimePercent);
        Assert.Equal(march.GeneratedAt, again.GeneratedAt);
        Assert.Equal(march.Services.ToArray(), again.Services.ToArray());
        Assert.NotEqual(march.UptimePercent, fresh!.UptimePercent);
        Assert.Equal(listed.Single(r => r.Period == "2026-03").ArchivedAt, again.GeneratedAt);
    }

    [Fact]
    public async Task Renewal_summary_counts_the_closed_months_met_the_best_quarter_incidents_mean_time_to_resolve_and_credits()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var monitor = $"monitor-{Guid.NewGuid():N}";
        // January: 2 h down (missed), April: 30 min down (met at 99.9 %), the rest clean.
        var customer = await Customer(id, monitor, Span(2025, 12, 1, 2026, 7, 15), new Interval(Instant.FromUtc(2026, 1, 12, 8, 0), Instant.FromUtc(2026, 1, 12, 10, 0)), new Interval(Instant.FromUtc(2026, 4, 7, 8, 0), Instant.FromUtc(2026, 4, 7, 8, 30)));
        var credits = 0m;
        for (var m = 1; m <= 6; m++)
        {
            credits += (await customer.CloseMonth(new YearMonth(2026, m))).Credit!.Amount;
        }

        var summary = (await _cluster.Grains.GetGrain<ICustomerReportsGrain>(id).GetRenewalSummary())!;

        Assert.Equal(new YearMonth(2026, 1), summary.From);
        Assert.Equal(new YearMonth(2026, 6), summary.Through);
        Assert.Equal(6, summary.Months);
        Assert.Equal(5, summary.MonthsMet);
        Assert.Equal("2026-Q2", summary.BestQuarter);
        Assert.Equal(2, summary.Incidents);
        Assert.Equal(75, summary.MeanTimeToResolveMinutes);
        Assert.True(credits > 0m);
        Assert.Equal(credits, summary.CreditsIssued);
        Assert.Equal(99.9m, summary.CommitmentPercent);
        Assert.True(summary.AvailabilityPercent is > 99.9m and < 100m, $"{summary.AvailabilityPercent}");
    }

    [Fact]
    public async Task A_month_close_not_reported_within_15_minutes_of_the_months_end_alerts_managers_until_it_closes()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var watch = _cluster.Grains.GetGrain<IMonthCloseWatchGrain>(IMonthCloseWatchGrain.Key);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var month = new YearMonth(2026, 10);

        // The month ended 15 minutes less two seconds ago and nothing reports it closed.
        await watch.Expect(id, month, SystemClock.Instance.GetCurrentInstant() - IMonthCloseWatchGrain.Grace + Duration.FromSeconds(2));
        var alert = await recorder.WaitFor<MonthCloseOverdueRaised>(a => a.Overdue.CustomerId == id, Bound);

        Assert.Equal(month, alert.Overdue.Month);
        Assert.Contains(await watch.GetOverdue(), o => o.CustomerId == id);
        await watch.Expect(id, month.PlusMonths(1), SystemClock.Instance.GetCurrentInstant() + Duration.FromDays(30));
        Assert.DoesNotContain(await watch.GetOverdue(), o => o.CustomerId == id);
    }

    [Fact]
    public async Task A_configured_customer_is_not_alerted_before_its_month_ends_while_an_overdue_one_is()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        await Customer(id, $"monitor-{Guid.NewGuid():N}", measured: null);
        var watch = _cluster.Grains.GetGrain<IMonthCloseWatchGrain>(IMonthCloseWatchGrain.Key);

        // A probe whose month ended 20 minutes ago is alerted at the watch's next check; the customer's month ends later.
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        await watch.Expect("probe-" + id, new YearMonth(2026, 1), SystemClock.Instance.GetCurrentInstant() - Duration.FromMinutes(20));
        await recorder.WaitFor<MonthCloseOverdueRaised>(a => a.Overdue.CustomerId == "probe-" + id, Bound);

        Assert.DoesNotContain(await watch.GetOverdue(), o => o.CustomerId == id);
        Assert.Contains(await watch.GetOverdue(), o => o.CustomerId == "probe-" + id);
    }

    [Fact]
    public async Task The_running_month_is_reported_provisional_up_to_now_with_its_raw_checks_span_and_is_never_archived()
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var before = SystemClock.Instance.GetCurrentInstant();
        var month = before.InZone(zone).Date.ToYearMonth();
        var whole = ReportingPeriod.Month(month, zone);
        await Customer(id, monitor, new Interval(whole.Start - Duration.FromDays(3), before - Duration.FromMinutes(1)));
        var reports = _cluster.Grains.GetGrain<ICustomerReportsGrain>(id);

        var provisional = (await reports.Get(ReportPeriod.Of(month))).Report!;
        var archive = await reports.Archive(ReportPeriod.Of(month));
        var listed = await reports.List();

        Assert.True(provisional.Provisional);
        Assert.InRange(provisional.AsOf!.Value, Instant.FromUnixTimeSeconds(before.ToUnixTimeSeconds()), SystemClock.Instance.GetCurrentInstant());
        Assert.Equal((whole.Start, whole.End), (provisional.PeriodStart, provisional.PeriodEnd));
        Assert.Equal((whole.Start, provisional.AsOf.Value), (provisional.RawChecks!.From, provisional.RawChecks.To));
        Assert.Null(archive.Report);
        Assert.Contains("ended periods", archive.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(listed, r => r.Period == ReportPeriod.Of(month).ToString());
    }

    private async Task<ICustomerGrain> Customer(string id, string monitor, Interval? measured, params Interval[] outages)
    {
        await Monitor(id, monitor, measured, outages);
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetAgreement(new ServiceAgreement(id, 99.9m, 1000m, "EUR"))).Accepted);
        Assert.True((await customer.SetCalendar(BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Weekdays("09:00", "17:00")))).Accepted);
        Assert.True((await customer.SetComponents([new CustomerComponent(monitor, true)])).Accepted);
        return customer;
    }

    /// <summary>Configures a critical monitor and, when <paramref name="measured"/> is given, feeds it results throughout that span with <paramref name="outages"/>.</summary>
    private async Task Monitor(string customerId, string monitorId, Interval? measured, params Interval[] outages)
    {
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        Assert.True((await monitor.Configure(new MonitorSettings(customerId, "API " + monitorId[^4..], true, 1, 99.98m, StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
        if (measured is { } span)
        {
            // An outage longer than the stale-after time keeps failing: a failure every 12 h after its first keeps it measured.
            var failing = outages.SelectMany(o => Ticks(o.Start + MeasuredHistory.Spacing, o.End).Select(at => CheckResult.Down(at)));
            var history = MeasuredHistory.Between(span.Start, span.End, outages).Concat(failing).OrderBy(r => r.At);
            Assert.True((await monitor.IngestBatch([.. history])).Accepted);
        }
    }

    private static IEnumerable<Instant> Ticks(Instant from, Instant to)
    {
        for (var at = from; at < to; at += MeasuredHistory.Spacing)
        {
            yield return at;
        }
    }

    private static Interval Span(int year, int month, int day, int endYear, int endMonth, int endDay)
        => new(Instant.FromUtc(year, month, day, 0, 0), Instant.FromUtc(endYear, endMonth, endDay, 0, 0));

    private static Interval Hour(int year, int month, int day, int hour)
        => new(Instant.FromUtc(year, month, day, hour, 0), Instant.FromUtc(year, month, day, hour + 1, 0));
}
