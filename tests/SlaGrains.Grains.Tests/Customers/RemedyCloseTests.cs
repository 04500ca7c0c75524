using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Calendars;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>
/// Issue 20 — a remedy over a rolling window decided at the month close, on a real two-silo SQLite cluster: "2 missed
/// months within 3 → an extra credit of 10 %". One critical monitor down an hour in January to April 2026 (each month
/// ≈ 99.86 % against 99.9 %: missed, 10 % = 100.00 EUR), measured throughout.
/// </summary>
public sealed class RemedyCloseTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly RemedyRule TwoInThree = new(2, 3, RemedyKind.ExtraCredit, 10m);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    private static YearMonth Month(int month) => new(2026, month);

    [Fact]
    public async Task The_remedy_fires_once_at_the_second_miss_never_on_a_reclose_and_again_only_after_two_new_misses()
    {
        var customer = await MissingJanuaryToApril();

        var january = await customer.CloseMonth(Month(1));
        var february = await customer.CloseMonth(Month(2));
        var reclosed = await Task.WhenAll(customer.CloseMonth(Month(2)), customer.CloseMonth(Month(2)));
        var march = await customer.CloseMonth(Month(3));
        var april = await customer.CloseMonth(Month(4));
        var ledger = (await customer.GetCredits()).OrderBy(c => c.Month).ToList();
        var notices = (await customer.GetNotices()).OrderBy(n => n.Month).ToList();

        Assert.Empty(january.Credit!.RemediesFired);
        var fired = Assert.Single(february.Credit!.RemediesFired);
        Assert.Equal([Month(1), Month(2)], fired.CountedMonths.ToArray());
        Assert.Equal(100.00m, fired.ExtraCreditAmount);
        Assert.All(reclosed, r => Assert.True(r.AlreadyClosed));
        Assert.All(reclosed, r => Assert.Equal((february.Credit.Reason, 200.00m, 1), (r.Credit!.Reason, r.Credit.EffectiveAmount, r.Credit.RemediesFired.Length)));
        // March is a miss, but February's firing counted January and February: one new miss is not two.
        Assert.Empty(march.Credit!.RemediesFired);
        Assert.Equal([Month(3), Month(4)], Assert.Single(april.Credit!.RemediesFired).CountedMonths.ToArray());

        Assert.Equal([0, 1, 0, 1], ledger.Select(c => c.RemediesFired.Length).ToArray());
        Assert.Equal(200.00m, ledger[1].EffectiveAmount);
        Assert.Equal(100.00m, ledger[2].EffectiveAmount);
        Assert.Contains("2 of the last 3 months (2026-01, 2026-02) missed the 99.9 % target: an extra credit of 10 % of the monthly fee (100.00 EUR)", notices[1].Summary, StringComparison.Ordinal);
        Assert.Single(notices[1].RemediesFired);
        Assert.Empty(notices[2].RemediesFired);
    }

    [Fact]
    public async Task A_termination_right_is_recorded_in_the_ledger_and_the_notice_with_no_money()
    {
        var customer = await MissingJanuaryToApril(new RemedyRule(2, 3, RemedyKind.TerminationRight));

        await customer.CloseMonth(Month(1));
        var february = await customer.CloseMonth(Month(2));
        var notice = (await customer.GetNotices()).Single(n => n.Month == Month(2));

        var right = Assert.Single(february.Credit!.RemediesFired);
        Assert.True(right.IsTerminationRight);
        Assert.Equal(0m, right.ExtraCreditAmount);
        Assert.Equal(february.Credit.Amount, february.Credit.EffectiveAmount);
        Assert.Contains("you may terminate the contract", notice.Summary, StringComparison.Ordinal);
    }

    private async Task<ICustomerGrain> MissingJanuaryToApril(RemedyRule? rule = null)
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var grain = _cluster.Grains.GetGrain<IMonitorGrain>(monitor);
        Assert.True((await grain.Configure(new MonitorSettings(id, "API", true, 1, 99.98m, StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
        var outages = Enumerable.Range(1, 4).Select(m => Instant.FromUtc(2026, m, 10, 10, 0)).Select(down => new Interval(down, down + Duration.FromHours(1))).ToArray();
        var history = MeasuredHistory.Between(Instant.FromUtc(2025, 12, 1, 0, 0), Instant.FromUtc(2026, 5, 15, 0, 0), outages);
        Assert.True((await grain.IngestBatch([.. history])).Accepted);

        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        var agreement = new ServiceAgreement(id, 99.9m, 1000m, "EUR") { Remedies = new RemedyClause([rule ?? TwoInThree]) };
        Assert.True((await customer.SetAgreement(agreement)).Accepted);
        Assert.True((await customer.SetCalendar(BusinessCalendar.Create("UTC", WeeklySchedule.Weekdays("09:00", "17:00")))).Accepted);
        Assert.True((await customer.SetComponents([new CustomerComponent(monitor, true)])).Accepted);
        return customer;
    }
}
