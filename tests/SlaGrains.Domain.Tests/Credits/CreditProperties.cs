using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Tests.Credits;

public class CreditProperties
{
    /// <summary>Availability percent with 4 decimals in [0, 100].</summary>
    private static Gen<decimal> Availability => Gen.Choose(0, 1_000_000).Select(n => n / 10_000m);

    /// <summary>Any valid schedule: 1 to 5 contiguous tiers from 0 % up to a random top, credits progressive.</summary>
    private static Gen<CreditSchedule> Schedule =>
        from count in Gen.Choose(0, 4)
        from cuts in Gen.ArrayOf(Gen.Choose(1, 999_998), count)
        let bounds = cuts.Distinct().Order().ToArray()
        from top in Gen.Choose((bounds.Length == 0 ? 0 : bounds[^1]) + 1, 1_000_000)
        from credits in Gen.ArrayOf(Gen.Choose(0, 10_000), bounds.Length + 1)
        select Build([0, .. bounds, top], credits);

    private static Gen<CreditTerms> Terms =>
        from target in Gen.Choose(1, 1_000_000)
        from feeCents in Gen.Choose(0, int.MaxValue)
        from cap in Gen.Choose(0, 10_000)
        from schedule in Gen.OneOf(Gen.Constant(CreditSchedule.Default), Schedule)
        select new CreditTerms(target / 10_000m, feeCents / 100m, "USD", schedule, cap / 100m);

    [Property(MaxTest = 500)]
    public Property Credit_never_decreases_as_availability_drops()
    {
        var cases =
            from terms in Terms
            from a in Availability
            from b in Availability
            select (terms, lower: Math.Min(a, b), higher: Math.Max(a, b));

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var atLower = CreditCalculator.Calculate(c.lower, c.terms);
            var atHigher = CreditCalculator.Calculate(c.higher, c.terms);
            return (atLower.Amount >= atHigher.Amount && atLower.CreditPercent >= atHigher.CreditPercent)
                .Label($"{atLower.Reason} | {atHigher.Reason}");
        });
    }

    [Property(MaxTest = 500)]
    public Property Credit_amount_never_exceeds_the_cap_times_the_fee()
    {
        var cases = from terms in Terms from a in Availability select (terms, a);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var result = CreditCalculator.Calculate(c.a, c.terms);
            var capExact = c.terms.MonthlyFee * c.terms.CapPercent / 100m;
            return (result.Amount <= c.terms.CapAmount
                    && result.Amount <= capExact + 0.005m // rounding to cents adds at most half a cent
                    && result.CreditPercent <= c.terms.CapPercent)
                .Label(result.Reason);
        });
    }

    [Property]
    public Property A_met_target_never_earns_a_credit()
    {
        var cases = from terms in Terms from a in Availability select (terms, a);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var result = CreditCalculator.Calculate(c.a, c.terms);
            return !result.Met || (result.Amount == 0m && result.Tier is null);
        });
    }

    [Property]
    public Property A_settled_dispute_lies_between_the_claim_and_our_measurement()
    {
        var clause = new ContractClause(99.9m, CreditSchedule.Default.Describe(), 50m, Duration.FromHours(48));
        var cases = from claimed in Availability from measured in Availability select (claimed, measured);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var dispute = new CreditDispute("acme", new YearMonth(2026, 3), c.claimed, c.measured, new DisputeEvidence([], [], clause));
            var outcome = Disputes.Resolve(dispute);
            return outcome.SettledAvailabilityPercent is not { } settled
                || (settled >= Math.Min(c.claimed, c.measured) && settled <= Math.Max(c.claimed, c.measured));
        });
    }

    private static CreditSchedule Build(int[] edges, int[] credits)
    {
        var descending = credits.OrderDescending().ToArray();
        var tiers = Enumerable.Range(0, edges.Length - 1)
            .Select(i => new CreditTier(edges[i] / 10_000m, edges[i + 1] / 10_000m, descending[i] / 100m));
        return new CreditSchedule(tiers.Reverse());
    }
}
