using FsCheck.Xunit;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Customers;

namespace SlaGrains.Domain.Tests.Agreements;

/// <summary>
/// Issue 20 — the contract's remedies as a clause: checked field by field, decided at a month close after the month's
/// credit, an extra credit paid beyond the monthly cap, and insufficient-data months never counted as misses.
/// </summary>
public class RemedyClauseTests
{
    private static readonly RemedyRule ExtraTenPercent = new(3, 6, RemedyKind.ExtraCredit, 10m);
    private static readonly RemedyRule MayTerminate = new(3, 6, RemedyKind.TerminationRight);
    private static readonly YearMonth June = new(2026, 6);
    private static readonly Component Api = new("api", isCritical: true);

    private static ServiceAgreement Contract(params RemedyRule[] rules)
        => new ServiceAgreement("acme", 99.9m, 5000m, "USD", creditCapPercent: 10m) { Remedies = new RemedyClause(rules) };

    private static HashSet<YearMonth> Months(params int[] months) => [.. months.Select(m => new YearMonth(2026, m))];

    [Fact]
    public void The_third_miss_in_six_months_gives_an_extra_credit_of_ten_percent_of_the_fee_and_a_termination_right_with_their_sentences()
    {
        var outcomes = Contract(ExtraTenPercent, MayTerminate).Remedies.Decide(June, Months(2, 4, 6), new Dictionary<string, YearMonth>(), Contract().CreditTerms);

        Assert.Equal(2, outcomes.Length);
        Assert.Equal(500.00m, outcomes[0].ExtraCreditAmount);
        Assert.Equal("3 of the last 6 months (2026-02, 2026-04, 2026-06) missed the 99.9 % target: an extra credit of 10 % of the monthly fee (500.00 USD), beyond the month's credit and its cap.", outcomes[0].Text);
        Assert.Equal(0m, outcomes[1].ExtraCreditAmount);
        Assert.StartsWith("3 of the last 6 months (2026-02, 2026-04, 2026-06) missed the 99.9 % target: you may terminate the contract", outcomes[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_that_fired_does_not_fire_again_over_the_months_it_counted()
    {
        var lastFired = new Dictionary<string, YearMonth> { [ExtraTenPercent.Key] = new YearMonth(2026, 3) };

        var outcomes = Contract(ExtraTenPercent, MayTerminate).Remedies.Decide(new YearMonth(2026, 4), Months(1, 2, 3, 4), lastFired, Contract().CreditTerms);

        Assert.Equal(RemedyKind.TerminationRight, Assert.Single(outcomes).Firing.Rule.Kind);
    }

    [Fact]
    public void The_extra_credit_is_beyond_the_monthly_cap_and_the_month_credit_stays_capped()
    {
        // An hour down in June (99.8611 %): the default schedule gives 10 %, the 10 % cap leaves it at 500.00; the remedy adds 500.00.
        var availability = CustomerAvailability.Compute(ReportingPeriod.Month(June, DateTimeZone.Utc),
            [new ComponentDowntime(Api, [new Interval(Instant.FromUtc(2026, 6, 10, 10, 0), Instant.FromUtc(2026, 6, 10, 11, 0))], [])]);
        var contract = Contract(ExtraTenPercent);

        var close = MonthClose.Compute("acme", June, "UTC", availability, contract, Instant.FromUtc(2026, 7, 1, 0, 5))
            .WithRemedies(contract, [new YearMonth(2026, 2), new YearMonth(2026, 4)], new Dictionary<string, YearMonth>());

        Assert.Equal(TargetVerdict.Missed, close.SlaVerdict);
        Assert.True(close.Credit!.Amount <= 500.00m);
        Assert.Equal(500.00m, Assert.Single(close.Remedies).ExtraCreditAmount);
    }

    [Fact]
    public void A_month_with_insufficient_data_is_not_a_miss_and_fires_nothing()
    {
        // June with no data at all: insufficient data, neither met nor missed.
        var period = ReportingPeriod.Month(June, DateTimeZone.Utc);
        var availability = CustomerAvailability.Compute(period, [new ComponentDowntime(Api, [], [period])]);
        var contract = Contract(ExtraTenPercent);

        var close = MonthClose.Compute("acme", June, "UTC", availability, contract, Instant.FromUtc(2026, 7, 1, 0, 5))
            .WithRemedies(contract, [new YearMonth(2026, 4), new YearMonth(2026, 5)], new Dictionary<string, YearMonth>());

        Assert.Equal(TargetVerdict.InsufficientData, close.SlaVerdict);
        Assert.Empty(close.Remedies);
    }

    [Theory]
    [InlineData(3, 25, RemedyKind.ExtraCredit, 10, "remedies[0].windowMonths")]
    [InlineData(7, 6, RemedyKind.ExtraCredit, 10, "remedies[0].misses")]
    [InlineData(3, 6, RemedyKind.ExtraCredit, 0, "remedies[0].extraCreditPercent")]
    [InlineData(3, 6, RemedyKind.TerminationRight, 5, "remedies[0].extraCreditPercent")]
    public void A_bad_rule_is_a_problem_naming_its_field_by_index(int misses, int window, RemedyKind kind, int percent, string field)
        => Assert.Equal(field, new RemedyClause([new RemedyRule(misses, window, kind, percent)]).Problem()?.Field);

    [Fact]
    public void More_than_ten_rules_or_one_listed_twice_is_a_problem()
    {
        var eleven = new RemedyClause(Enumerable.Range(2, 11).Select(w => new RemedyRule(2, w, RemedyKind.TerminationRight)));
        var twice = new RemedyClause([ExtraTenPercent, ExtraTenPercent with { ExtraCreditPercent = 20m }]);

        Assert.Equal("remedies", eleven.Problem()?.Field);
        Assert.Equal("remedies[1]", twice.Problem()?.Field);
        Assert.Null(new RemedyClause([ExtraTenPercent, MayTerminate]).Problem());
    }

    [Fact]
    public void Two_clauses_with_the_same_rules_are_equal_so_two_equal_contracts_are()
        => Assert.Equal(Contract(ExtraTenPercent, MayTerminate), Contract(ExtraTenPercent, MayTerminate));

    [Property(MaxTest = 200)]
    public bool Closing_months_in_order_fires_a_rule_at_most_once_per_window_of_misses(int seed)
    {
        // Random misses over 36 months, closed in order with the last firing kept: no two firings count a month twice,
        // and a firing never counts more months than the window.
        var random = new Random(seed);
        var missed = new HashSet<YearMonth>(Enumerable.Range(0, 36).Where(_ => random.Next(3) == 0).Select(i => new YearMonth(2024, 1).PlusMonths(i)));
        var fired = new Dictionary<string, YearMonth>();
        var counted = new List<YearMonth>();
        for (var i = 0; i < 36; i++)
        {
            var month = new YearMonth(2024, 1).PlusMonths(i);
            foreach (var outcome in Contract(ExtraTenPercent).Remedies.Decide(month, missed, fired, Contract().CreditTerms))
            {
                counted.AddRange(outcome.Firing.CountedMonths);
                fired[outcome.Firing.Rule.Key] = month;
                if (outcome.Firing.CountedMonths.Any(m => m <= month.PlusMonths(-6)))
                {
                    return false;
                }
            }
        }

        return counted.Count == counted.Distinct().Count();
    }
}
