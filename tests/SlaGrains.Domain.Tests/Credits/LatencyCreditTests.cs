using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Customers;

namespace SlaGrains.Domain.Tests.Credits;

/// <summary>Latency in the month's one credit: the same schedule and cap, the larger of the two credits, never their sum.</summary>
public class LatencyCreditTests
{
    private static ServiceAgreement Contract(decimal? latencyCommitment, decimal cap = 50m)
        => new("acme", 99.9m, 1000m, "EUR", creditCapPercent: cap, latencyCommitmentPercent: latencyCommitment);

    [Fact]
    public void Without_a_latency_commitment_latency_never_changes_the_credit()
    {
        var credit = Contract(null).CreditFor(99.95m, new LatencyTally(10, 100));

        Assert.True(credit.Met);
        Assert.Equal(0m, credit.Amount);
    }

    [Fact]
    public void A_month_that_met_availability_but_missed_the_latency_commitment_earns_the_schedules_credit()
    {
        // Latency 97 % (970 of 1,000) against a 99 % commitment falls in [95, 99) → 25 % of 1,000 EUR.
        var credit = Contract(99m).CreditFor(99.95m, new LatencyTally(970, 1_000));

        Assert.False(credit.Met);
        Assert.Equal(25m, credit.CreditPercent);
        Assert.Equal(250m, credit.Amount);
        Assert.Contains("Latency 97.0000 %", credit.Reason, StringComparison.Ordinal);
        Assert.Equal(99.95m, credit.Inputs.AvailabilityPercent); // the availability evidence stays what it was
    }

    [Fact]
    public void When_both_miss_the_month_gets_the_larger_credit_never_the_sum_and_never_over_the_cap()
    {
        // Availability 98.5 % → 25 %; latency 90 % → 50 %, capped at 30 %: the month's one credit is 30 %, not 55 %.
        var credit = Contract(99m, cap: 30m).CreditFor(98.5m, new LatencyTally(900, 1_000));

        Assert.Equal(30m, credit.CreditPercent);
        Assert.True(credit.Capped);
        Assert.Equal(300m, credit.Amount);

        // Latency that earns less than availability leaves the availability credit, with a word on latency.
        var smaller = Contract(99m).CreditFor(94m, new LatencyTally(985, 1_000));
        Assert.Equal(50m, smaller.CreditPercent);
        Assert.Contains("no larger credit", smaller.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_latency_commitment_met_or_without_checks_earns_nothing()
    {
        Assert.Equal(0m, Contract(99m).CreditFor(99.95m, new LatencyTally(995, 1_000)).Amount);
        Assert.Equal(0m, Contract(99m).CreditFor(99.95m, new LatencyTally(0, 0)).Amount);
        Assert.Equal(0m, Contract(99m).CreditFor(99.95m, null).Amount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void A_latency_commitment_is_a_percentage_between_0_and_100(int percent)
        => Assert.Throws<ArgumentOutOfRangeException>(() => Contract(percent));

    [Fact]
    public void Closing_a_month_folds_latency_into_its_one_ledger_credit()
    {
        var now = Instant.FromUtc(2026, 7, 3, 12, 0);
        var state = CustomerAccount.Empty("acme");
        foreach (var command in new CustomerCommand[]
        {
            new SetAgreement(Contract(99m)),
            new SetCalendar(BusinessCalendar.Create("UTC", WeeklySchedule.Weekdays("09:00", "17:00"))),
            new SetComponents([new Component("api", isCritical: true)]),
        })
        {
            state = CustomerRules.Decide(state, command, now).State;
        }

        var decision = CustomerRules.Decide(state, new CloseMonth(new YearMonth(2026, 6), [new ComponentDowntime(new Component("api", isCritical: true), [])], [], new LatencyTally(970, 1_000)), now);

        var close = Assert.Single(decision.Events.OfType<MonthClosed>()).Close;
        Assert.Equal(TargetVerdict.Met, close.SlaVerdict);
        Assert.Equal(250m, close.Credit!.Amount);
        Assert.Equal("sla-credit-acme-2026-06", close.Credit.IdempotencyKey);
    }
}
