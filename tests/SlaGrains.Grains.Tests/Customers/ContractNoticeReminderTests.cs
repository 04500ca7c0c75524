using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>
/// Issue 20 — the reminder before a contract's notice deadline is a durable deadline of the customer: with the cluster's
/// clock two seconds before the 30-day reminder's day starts in the customer's zone, the customer reminds managers on its
/// own when local midnight passes, once. Term: from 2025-03-01 for 24 months, renewing yearly, 90 days' notice → renews on
/// 2027-03-01, notice due by 2026-12-01, reminders on 2026-11-01 and 2026-11-30.
/// </summary>
public sealed class ContractNoticeReminderTests(ShiftedClockClusterFixture fixture) : IClassFixture<ShiftedClockClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly ContractTerm Term = new(new LocalDate(2025, 3, 1), TermMonths: 24, RenewalMonths: 12, NoticeDays: 90);
    private readonly string _database = fixture.DatabasePath;
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task A_customer_in_Berlin_reminds_managers_at_local_midnight_30_days_before_the_deadline_and_only_once()
    {
        // 2026-10-31 23:59:58 in Berlin (CET, +01:00): two seconds before the reminder's day.
        ShiftedClock.For(_database).Set(Instant.FromUtc(2026, 10, 31, 22, 59, 58));
        var id = $"customer-{Guid.NewGuid():N}";
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var agreement = new ServiceAgreement(id, 99.9m, 1000m, "EUR") { Term = Term };

        Assert.True((await customer.SetCalendar(BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Weekdays("09:00", "17:00")))).Accepted);
        Assert.True((await customer.SetAgreement(agreement)).Accepted);
        var reminded = await recorder.WaitFor<ContractNoticeDueRaised>(r => r.CustomerId == id, Bound);
        // Setting the same contract again checks the reminders again: nothing new is due.
        Assert.True((await customer.SetAgreement(agreement)).Accepted);
        var last = await customer.GetLastTermReminder();

        Assert.True(reminded.At >= Instant.FromUtc(2026, 10, 31, 23, 0), $"reminded at {reminded.At}, before the day began in Berlin");
        Assert.Equal((new LocalDate(2026, 12, 1), new LocalDate(2027, 3, 1), 30), (reminded.NoticeDueBy, reminded.RenewsOn, reminded.DaysBefore));
        Assert.Contains("renews on 2027-03-01 unless notice is given by 2026-12-01 (in 30 days)", reminded.Text, StringComparison.Ordinal);
        Assert.Equal((30, reminded.At), (last?.DaysBefore, last?.SentAt));
        Assert.Single(recorder.All.OfType<ContractNoticeDueRaised>(), r => r.CustomerId == id);
    }

    [Fact]
    public async Task A_contract_set_six_days_before_the_deadline_reminds_at_once_then_the_day_before_and_never_twice()
    {
        ShiftedClock.For(_database).Set(Instant.FromUtc(2026, 11, 25, 12, 0));
        var id = $"customer-{Guid.NewGuid():N}";
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var agreement = new ServiceAgreement(id, 99.9m, 1000m, "EUR") { Term = Term };

        Assert.True((await customer.SetAgreement(agreement)).Accepted);
        var late = await recorder.WaitFor<ContractNoticeDueRaised>(r => r.CustomerId == id, Bound);
        Assert.True((await customer.SetAgreement(agreement)).Accepted);
        var afterLate = await customer.GetLastTermReminder();

        // The day before the deadline (UTC: no calendar): a check sends the last reminder.
        ShiftedClock.For(_database).Set(Instant.FromUtc(2026, 11, 30, 0, 0, 1));
        Assert.True((await customer.SetAgreement(agreement)).Accepted);
        var dayBefore = await recorder.WaitFor<ContractNoticeDueRaised>(r => r.CustomerId == id && r.DaysBefore == 1, Bound);
        Assert.True((await customer.SetAgreement(agreement)).Accepted);

        Assert.Equal(30, late.DaysBefore);
        Assert.Contains("(in 6 days)", late.Text, StringComparison.Ordinal);
        Assert.Equal(30, afterLate?.DaysBefore);
        Assert.Contains("(tomorrow)", dayBefore.Text, StringComparison.Ordinal);
        Assert.Equal([30, 1], recorder.All.OfType<ContractNoticeDueRaised>().Where(r => r.CustomerId == id).Select(r => r.DaysBefore).ToArray());
        Assert.Equal(1, (await customer.GetLastTermReminder())?.DaysBefore);
    }
}
