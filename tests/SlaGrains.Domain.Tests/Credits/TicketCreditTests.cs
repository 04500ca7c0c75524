using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Tests.Credits;

/// <summary>
/// Ticket SLAs in the month's one credit: "if first-response compliance for P1/P2 falls below 95 % in a month, credit 5 %",
/// each clause within its own cap, added to the availability credit, the total within the contract's monthly cap.
/// </summary>
public class TicketCreditTests
{
    private static readonly CreditSchedule Below95Earns5 = new([new CreditTier(0m, 95m, 5m)]);

    private static TicketCreditClause FirstResponseP1P2(CreditSchedule? tiers = null, decimal cap = 5m)
        => new(SlaMetric.FirstResponse, [TicketPriority.P2, TicketPriority.P1], tiers ?? Below95Earns5, cap);

    private static ServiceAgreement Contract(decimal cap = 50m, params TicketCreditClause[] clauses)
        => new("acme", 99.9m, 1000m, "EUR", creditCapPercent: cap) { TicketCredits = [.. clauses] };

    /// <summary>29 first-response clocks decided in the month: 27 met, 2 breached (93.1 %).</summary>
    private static readonly TicketClockCount[] March =
    [
        new(SlaMetric.FirstResponse, TicketPriority.P1, 10, 1),
        new(SlaMetric.FirstResponse, TicketPriority.P2, 17, 1),
        // Neither counts for a first-response P1/P2 clause: another priority, another metric.
        new(SlaMetric.FirstResponse, TicketPriority.P3, 0, 40),
        new(SlaMetric.Resolution, TicketPriority.P1, 0, 9),
    ];

    [Fact]
    public void First_response_for_p1_and_p2_below_95_percent_credits_5_percent_of_the_fee_on_top_of_a_met_availability()
    {
        var contract = Contract(50m, FirstResponseP1P2());

        var credit = TicketCredit.Fold(contract.CreditFor(99.95m), March, contract);

        Assert.False(credit.Met);
        Assert.Equal(5m, credit.CreditPercent);
        Assert.Equal(50m, credit.Amount);
        var part = Assert.Single(credit.TicketParts);
        Assert.Equal((27, 29), (part.Met, part.Decided));
        Assert.Equal(93.1034m, part.CompliancePercent);
        Assert.Contains("first response P1/P2: 93.1 % of 29 clocks met, below 95.0 % → 5 %", credit.Reason, StringComparison.Ordinal);
        Assert.StartsWith("Availability 99.9500 % met the 99.9 % target", credit.Reason, StringComparison.Ordinal);
        Assert.Equal(99.95m, credit.Inputs.AvailabilityPercent); // the availability evidence stays what it was
    }

    [Fact]
    public void The_ticket_credit_adds_to_the_availability_credit_and_the_total_stays_within_the_monthly_cap()
    {
        // Availability 98.5 % → 25 %; first response 93.1 % → 5 %; resolution 50 % → 40 %, capped at its own 20 %.
        var resolution = new TicketCreditClause(SlaMetric.Resolution, [TicketPriority.P1], new CreditSchedule([new CreditTier(0m, 90m, 40m), new CreditTier(90m, 99m, 10m)]), 20m);
        var clocks = March.Append(new TicketClockCount(SlaMetric.Resolution, TicketPriority.P1, 9, 0)).ToArray(); // P1 resolution: 9 of 18

        var uncapped = TicketCredit.Fold(Contract(60m, FirstResponseP1P2(), resolution).CreditFor(98.5m), clocks, Contract(60m, FirstResponseP1P2(), resolution));
        var capped = TicketCredit.Fold(Contract(30m, FirstResponseP1P2(), resolution).CreditFor(98.5m), clocks, Contract(30m, FirstResponseP1P2(), resolution));

        Assert.Equal(50m, uncapped.CreditPercent); // 25 + 5 + 20
        Assert.Equal(500m, uncapped.Amount);
        Assert.False(uncapped.Capped);
        Assert.Contains("resolution P1: 50.0 % of 18 clocks met, below 90.0 % → 20 % (the tier's 40 % capped at the clause's 20 %)", uncapped.Reason, StringComparison.Ordinal);
        Assert.Contains("25 % (availability) + 25 % (ticket SLAs) = 50 %", uncapped.Reason, StringComparison.Ordinal);
        Assert.Equal(30m, capped.CreditPercent); // 25 + 25 = 50, capped at 30
        Assert.Equal(300m, capped.Amount);
        Assert.True(capped.Capped);
        Assert.Contains("capped at 30 %", capped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_month_at_or_above_the_top_tier_or_without_decided_clocks_earns_nothing_from_the_clause()
    {
        var contract = Contract(50m, FirstResponseP1P2());
        TicketClockCount[] atBound = [new(SlaMetric.FirstResponse, TicketPriority.P1, 19, 1)]; // exactly 95 %

        var met = TicketCredit.Fold(contract.CreditFor(99.95m), atBound, contract);
        var none = TicketCredit.Fold(contract.CreditFor(99.95m), [new(SlaMetric.FirstResponse, TicketPriority.P4, 0, 3)], contract);
        var nothing = TicketCredit.Fold(contract.CreditFor(99.95m), null, contract);

        Assert.True(met.Met);
        Assert.Equal(0m, met.Amount);
        Assert.Contains("95.0 % of 20 clocks met, at or above 95.0 %, no credit", met.Reason, StringComparison.Ordinal);
        Assert.True(none.Met);
        Assert.Equal(0m, none.Amount);
        Assert.Contains("first response P1/P2: no clocks met or breached in the month, no credit", none.Reason, StringComparison.Ordinal);
        Assert.Equal(0m, nothing.Amount);
    }

    [Fact]
    public void Without_ticket_clauses_the_credit_is_the_availability_credit_unchanged()
    {
        var contract = Contract();
        var availability = contract.CreditFor(98.5m);

        Assert.Same(availability, TicketCredit.Fold(availability, March, contract));
    }

    [Fact]
    public void A_clause_names_the_field_it_cannot_be_used_for()
    {
        Assert.Equal("metric", new TicketCreditClause(SlaMetric.NextReply, [TicketPriority.P1], Below95Earns5, 5m).Problem()?.Field);
        Assert.Equal("priorities", new TicketCreditClause(SlaMetric.FirstResponse, [], Below95Earns5, 5m).Problem()?.Field);
        Assert.Equal("priorities", new TicketCreditClause(SlaMetric.FirstResponse, [(TicketPriority)9], Below95Earns5, 5m).Problem()?.Field);
        Assert.Equal("tiers", new TicketCreditClause(SlaMetric.FirstResponse, [TicketPriority.P1], null!, 5m).Problem()?.Field);
        Assert.Equal("capPercent", new TicketCreditClause(SlaMetric.FirstResponse, [TicketPriority.P1], Below95Earns5, 0m).Problem()?.Field);
        Assert.Equal("capPercent", new TicketCreditClause(SlaMetric.FirstResponse, [TicketPriority.P1], Below95Earns5, 100.5m).Problem()?.Field);
        Assert.Null(FirstResponseP1P2().Problem());
        Assert.Throws<ArgumentException>(() => Contract(50m, [.. Enumerable.Repeat(FirstResponseP1P2(), TicketCreditClause.MaxClauses + 1)]));
        Assert.Throws<ArgumentException>(() => Contract(50m, FirstResponseP1P2(cap: 0m)));
    }

    [Fact]
    public void Priorities_are_kept_distinct_in_priority_order_and_equal_clauses_are_equal()
    {
        var clause = new TicketCreditClause(SlaMetric.FirstResponse, [TicketPriority.P2, TicketPriority.P1, TicketPriority.P2], Below95Earns5, 5m);

        Assert.Equal(new[] { TicketPriority.P1, TicketPriority.P2 }, clause.Priorities.ToArray());
        Assert.Equal(FirstResponseP1P2(), clause);
        Assert.Equal("first response P1/P2: [0.0 %, 95.0 %) → 5 %, cap 5 %", clause.ToString());
    }

    [Fact]
    public void The_notice_explains_the_ticket_part_and_how_the_credit_adds_up()
    {
        var contract = Contract(50m, FirstResponseP1P2());
        var credit = TicketCredit.Fold(contract.CreditFor(99.95m), March, contract);

        var text = CreditNoticeText.Summary(new NodaTime.YearMonth(2026, 3), NodaTime.Duration.Zero, 0, credit);

        Assert.Contains("Ticket SLAs: first response P1/P2: 93.1 % of 29 clocks met, below 95.0 % → 5 %.", text, StringComparison.Ordinal);
        Assert.Contains("a credit of 5 % of the monthly fee of 1,000.00 EUR (0 % availability + 5 % ticket SLAs): 50.00 EUR", text, StringComparison.Ordinal);
    }

    /// <summary>Any valid compliance schedule: 1 to 4 contiguous bands from 0 % to a random top, credits progressive.</summary>
    private static Gen<CreditSchedule> Tiers =>
        from count in Gen.Choose(0, 3)
        from cuts in Gen.ArrayOf(Gen.Choose(1, 9_998), count)
        let bounds = cuts.Distinct().Order().ToArray()
        from top in Gen.Choose((bounds.Length == 0 ? 0 : bounds[^1]) + 1, 10_000)
        from credits in Gen.ArrayOf(Gen.Choose(0, 10_000), bounds.Length + 1)
        select Schedule([0, .. bounds, top], credits);

    private static Gen<TicketCreditClause> Clause =>
        from metric in Gen.Elements(SlaMetric.FirstResponse, SlaMetric.Resolution)
        from priorities in Gen.NonEmptyListOf(Gen.Elements(TicketPriority.P1, TicketPriority.P2, TicketPriority.P3, TicketPriority.P4))
        from tiers in Tiers
        from cap in Gen.Choose(1, 10_000)
        select new TicketCreditClause(metric, [.. priorities], tiers, cap / 100m);

    private static Gen<TicketClockCount> Count =>
        from metric in Gen.Elements(SlaMetric.FirstResponse, SlaMetric.Resolution)
        from priority in Gen.Elements(TicketPriority.P1, TicketPriority.P2, TicketPriority.P3, TicketPriority.P4)
        from met in Gen.Choose(0, 500)
        from breached in Gen.Choose(0, 500)
        select new TicketClockCount(metric, priority, met, breached);

    [Property(MaxTest = 500)]
    public Property Ticket_sla_credits_never_exceed_the_cap_per_clause_or_in_total()
    {
        var cases =
            from clauses in Gen.ListOf(Clause).Select(c => c.Take(TicketCreditClause.MaxClauses).ToArray())
            from clocks in Gen.ListOf(Count)
            from monthlyCap in Gen.Choose(0, 10_000)
            from feeCents in Gen.Choose(0, int.MaxValue)
            from availability in Gen.Choose(0, 1_000_000)
            select (clauses, clocks: clocks.ToArray(), cap: monthlyCap / 100m, fee: feeCents / 100m, availability: availability / 10_000m);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var contract = new ServiceAgreement("acme", 99.9m, c.fee, "EUR", creditCapPercent: c.cap) { TicketCredits = [.. c.clauses] };
            var credit = TicketCredit.Fold(contract.CreditFor(c.availability), c.clocks, contract);
            return (credit.TicketParts.All(p => p.CreditPercent <= p.Clause.CapPercent)
                    && credit.CreditPercent <= c.cap
                    && credit.Amount <= contract.CreditTerms.CapAmount)
                .Label(credit.Reason);
        });
    }

    [Property(MaxTest = 300)]
    public Property More_breached_clocks_never_lower_the_ticket_credit()
    {
        var cases =
            from clause in Clause
            from clocks in Gen.ListOf(Count)
            from extra in Gen.Choose(1, 50)
            select (clause, clocks: clocks.ToArray(), extra);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var worse = c.clocks.Append(new TicketClockCount(c.clause.Metric, c.clause.Priorities[0], 0, c.extra)).ToArray();
            var before = TicketCredit.Part(c.clause, c.clocks);
            var after = TicketCredit.Part(c.clause, worse);
            return (after.CreditPercent >= before.CreditPercent).Label($"{before.Describe()} | {after.Describe()}");
        });
    }

    private static CreditSchedule Schedule(int[] bounds, int[] credits)
    {
        // credits sorted descending: the lowest band earns the most (progressive).
        var sorted = credits.OrderDescending().ToArray();
        return new CreditSchedule(Enumerable.Range(0, bounds.Length - 1).Select(i => new CreditTier(bounds[i] / 100m, bounds[i + 1] / 100m, sorted[i] / 100m)));
    }
}
