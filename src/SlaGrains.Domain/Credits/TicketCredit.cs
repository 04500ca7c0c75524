using System.Collections.Immutable;
using System.Globalization;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Credits;

/// <summary>
/// A ticket-SLA credit clause, as MSP contracts write it: "if first-response compliance for P1/P2 falls below 95 % in a
/// month, credit 5 % of the monthly fee". The month's compliance of <see cref="Metric"/> over the tickets of
/// <see cref="Priorities"/> goes through <see cref="Tiers"/> — a <see cref="CreditSchedule"/> whose bands are
/// <b>compliance</b> percent (at or above its top: no credit) — and the clause's credit is never more than
/// <see cref="CapPercent"/> % of the fee. See <see cref="TicketCredit"/> for how it joins the month's one credit.
/// </summary>
/// <param name="Metric">The clock measured: <see cref="SlaMetric.FirstResponse"/> or <see cref="SlaMetric.Resolution"/>.</param>
/// <param name="Priorities">The priorities whose tickets count, 1–4 distinct (kept in priority order).</param>
/// <param name="Tiers">Compliance bands → credit percent of the monthly fee; e.g. <c>[0 %, 95 %) → 5 %</c>.</param>
/// <param name="CapPercent">The clause's own cap, percent of the monthly fee, in (0, 100].</param>
public sealed record TicketCreditClause(SlaMetric Metric, ImmutableArray<TicketPriority> Priorities, CreditSchedule Tiers, decimal CapPercent)
{
    /// <summary>Most ticket-SLA credit clauses one contract has.</summary>
    public const int MaxClauses = 10;

    /// <summary>The priorities, distinct and in priority order (P1 first).</summary>
    public ImmutableArray<TicketPriority> Priorities { get; init; } = Priorities.IsDefault ? [] : [.. Priorities.Distinct().Order()];

    /// <summary>
    /// Why the clause cannot be used, naming the field (<c>metric</c>, <c>priorities</c>, <c>tiers</c>, <c>capPercent</c>);
    /// null when it can. Next reply is not creditable: it has a clock per customer message, not one per ticket.
    /// </summary>
    public (string Field, string Message)? Problem()
    {
        if (Metric is not (SlaMetric.FirstResponse or SlaMetric.Resolution))
        {
            return ("metric", "A ticket-SLA credit measures firstResponse or resolution.");
        }

        if (Priorities.IsDefaultOrEmpty || Priorities.Any(p => !Enum.IsDefined(p)))
        {
            return ("priorities", "A ticket-SLA credit names the priorities it counts, one to four of p1, p2, p3, p4.");
        }

        if (Tiers is null)
        {
            return ("tiers", "A ticket-SLA credit has tiers of compliance percent, e.g. [{\"minPercent\": 0, \"maxPercent\": 95, \"creditPercent\": 5}].");
        }

        return CapPercent is <= 0m or > 100m
            ? ("capPercent", $"A ticket-SLA credit's cap is more than 0 and at most 100 % of the monthly fee; got {CapPercent}.")
            : null;
    }

    /// <summary>What the clause counts, as people read it: <c>first response P1/P2</c>.</summary>
    public string Scope => $"{(Metric == SlaMetric.FirstResponse ? "first response" : "resolution")} {string.Join("/", Priorities.Select(p => p.ToString()))}";

    /// <summary>The clause as contract text: <c>first response P1/P2: [0.0 %, 95.0 %) → 5 %, cap 5 %</c>.</summary>
    public override string ToString() => $"{Scope}: {Tiers?.Describe()}, cap {CreditText.Share(CapPercent)} %";

    /// <summary>Equal when metric, priorities, tiers and cap are.</summary>
    /// <param name="other">The other clause.</param>
    public bool Equals(TicketCreditClause? other)
        => other is not null && Metric == other.Metric && Priorities.SequenceEqual(other.Priorities) && Equals(Tiers, other.Tiers) && CapPercent == other.CapPercent;

    /// <summary>A hash over the fields.</summary>
    public override int GetHashCode() => HashCode.Combine(Metric, Priorities.Length, Tiers, CapPercent);
}

/// <summary>A contract's ticket-SLA clauses with value equality (clause by clause), so agreements compare by what they say.</summary>
internal sealed class TicketCreditList(ImmutableArray<TicketCreditClause> clauses) : IEquatable<TicketCreditList>
{
    /// <summary>No clauses.</summary>
    public static TicketCreditList None { get; } = new([]);

    /// <summary>The clauses, in contract order.</summary>
    public ImmutableArray<TicketCreditClause> Clauses { get; } = clauses.IsDefault ? [] : clauses;

    /// <inheritdoc />
    public bool Equals(TicketCreditList? other) => other is not null && Clauses.SequenceEqual(other.Clauses);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TicketCreditList);

    /// <inheritdoc />
    public override int GetHashCode() => Clauses.Length;
}

/// <summary>
/// A month's decided ticket clocks of one metric and priority: met (stopped within target) and breached (target run out).
/// </summary>
/// <param name="Metric">The metric.</param>
/// <param name="Priority">The tickets' priority.</param>
/// <param name="Met">Clocks met in the month, ≥ 0.</param>
/// <param name="Breached">Clocks breached in the month, ≥ 0.</param>
public sealed record TicketClockCount(SlaMetric Metric, TicketPriority Priority, int Met, int Breached);

/// <summary>One clause's part of a month's credit: the compliance it measured, its tier and its credit after its own cap.</summary>
/// <param name="Clause">The clause.</param>
/// <param name="Met">Clocks met in the month.</param>
/// <param name="Decided">Clocks met or breached in the month; 0: nothing to judge, no credit.</param>
/// <param name="CompliancePercent">Met of decided in percent, rounded toward zero to 4 decimals; null when none was decided.</param>
/// <param name="Tier">The tier the compliance fell in; null when none was decided or it is at or above the tiers' top.</param>
/// <param name="CreditPercent">The clause's credit, percent of the fee, after its own cap (before the contract's monthly cap).</param>
/// <param name="Capped">True when the tier's credit was over the clause's cap and was reduced to it.</param>
public sealed record TicketCreditPart(TicketCreditClause Clause, int Met, int Decided, decimal? CompliancePercent, CreditTier? Tier, decimal CreditPercent, bool Capped)
{
    /// <summary>True when the month fell below the clause's top tier (its commitment was missed).</summary>
    public bool Missed => Tier is not null;

    /// <summary>
    /// The part as a customer reads it, e.g. <c>first response P1/P2: 93.1 % of 29 clocks met, below 95.0 % → 5 %</c>. The
    /// compliance is shown to one decimal rounded toward zero, so a month under a bound never reads as at it.
    /// </summary>
    public string Describe()
    {
        var scope = Clause.Scope;
        if (CompliancePercent is not { } compliance)
        {
            return $"{scope}: no clocks met or breached in the month, no credit";
        }

        var shown = (Math.Truncate(compliance * 10m) / 10m).ToString("0.0", CultureInfo.InvariantCulture);
        var counted = $"{scope}: {shown} % of {Decided.ToString("N0", CultureInfo.InvariantCulture)} clock{(Decided == 1 ? string.Empty : "s")} met";
        if (Tier is not { } tier)
        {
            return $"{counted}, at or above {CreditText.Bound(Clause.Tiers.TopPercent)} %, no credit";
        }

        return $"{counted}, below {CreditText.Bound(tier.MaxPercent)} % → {CreditText.Share(CreditPercent)} %"
            + (Capped ? $" (the tier's {CreditText.Share(tier.CreditPercent)} % capped at the clause's {CreditText.Share(Clause.CapPercent)} %)" : string.Empty);
    }
}

/// <summary>
/// Ticket SLAs in the month's one credit. Each clause of the contract (<see cref="ServiceAgreement.TicketCredits"/>) is
/// judged on the month's compliance; the month's credit is the availability credit (latency already folded in,
/// <see cref="LatencyCredit"/>) <b>plus</b> each clause's credit, each clause capped by its own cap, and the total capped by
/// the contract's monthly cap. It stays one ledger entry (<c>sla-credit-{customer}-{yyyy-MM}</c>).
/// </summary>
/// <remarks>
/// <para>Why a sum here and the larger for latency: a missed response time is a different promise from uptime (one outage
/// does not make a ticket late), so contracts add them — but never beyond the cap.</para>
/// <para>Which clocks belong to a month: those <b>decided</b> in it — met when they stopped within target, breached when
/// their target ran out — in the customer's zone. A clock still running within target at the month's end is judged in
/// the month it is decided, so each clock counts once. Compliance = met ÷ decided; a month with no decided clock of a
/// clause earns no credit from it.</para>
/// </remarks>
public static class TicketCredit
{
    /// <summary>Each clause's part for the month's decided clocks (in the contract's clause order); empty without clauses.</summary>
    /// <param name="agreement">The contract.</param>
    /// <param name="clocks">The month's decided clocks by metric and priority; null: none.</param>
    public static ImmutableArray<TicketCreditPart> Parts(ServiceAgreement agreement, IReadOnlyCollection<TicketClockCount>? clocks)
    {
        Guard.NotNull(agreement, nameof(agreement));
        return [.. agreement.TicketCredits.Select(clause => Part(clause, clocks ?? []))];
    }

    /// <summary>One clause's part for the month's decided clocks.</summary>
    /// <param name="clause">The clause.</param>
    /// <param name="clocks">The month's decided clocks by metric and priority.</param>
    public static TicketCreditPart Part(TicketCreditClause clause, IReadOnlyCollection<TicketClockCount> clocks)
    {
        Guard.NotNull(clause, nameof(clause));
        Guard.NotNull(clocks, nameof(clocks));
        var counted = clocks.Where(c => c.Metric == clause.Metric && clause.Priorities.Contains(c.Priority)).ToList();
        var met = counted.Sum(c => Math.Max(0, c.Met));
        var decided = met + counted.Sum(c => Math.Max(0, c.Breached));
        if (decided == 0)
        {
            return new TicketCreditPart(clause, 0, 0, null, null, 0m, false);
        }

        var compliance = Math.Truncate(100m * met / decided * 10_000m) / 10_000m;
        var tier = clause.Tiers.TierFor(compliance);
        var tierPercent = tier?.CreditPercent ?? 0m;
        var capped = tierPercent > clause.CapPercent;
        return new TicketCreditPart(clause, met, decided, compliance, tier, capped ? clause.CapPercent : tierPercent, capped);
    }

    /// <summary>
    /// The month's one credit: <paramref name="monthly"/> (availability, with latency) plus each clause's credit, capped by
    /// the contract's monthly cap; <paramref name="monthly"/> unchanged when the contract has no ticket-SLA clause.
    /// </summary>
    /// <param name="monthly">The availability credit with latency folded in.</param>
    /// <param name="clocks">The month's decided ticket clocks by metric and priority; null: none.</param>
    /// <param name="agreement">The contract.</param>
    public static CreditResult Fold(CreditResult monthly, IReadOnlyCollection<TicketClockCount>? clocks, ServiceAgreement agreement)
    {
        Guard.NotNull(monthly, nameof(monthly));
        Guard.NotNull(agreement, nameof(agreement));
        if (agreement.TicketCredits.IsEmpty)
        {
            return monthly;
        }

        return Add(monthly, Parts(agreement, clocks), agreement.CreditTerms);
    }

    /// <summary>
    /// <paramref name="monthly"/> with the ticket-SLA <paramref name="parts"/> added: percent = min(monthly + Σ parts, cap),
    /// amount = fee × percent, the reason explaining each part. A month that missed a clause is not met.
    /// </summary>
    /// <param name="monthly">The availability credit with latency folded in.</param>
    /// <param name="parts">The clauses' parts (each already within its own cap).</param>
    /// <param name="terms">The contract's credit terms (fee, currency, monthly cap).</param>
    public static CreditResult Add(CreditResult monthly, ImmutableArray<TicketCreditPart> parts, CreditTerms terms)
    {
        Guard.NotNull(monthly, nameof(monthly));
        Guard.NotNull(terms, nameof(terms));
        if (parts.IsDefaultOrEmpty)
        {
            return monthly;
        }

        var ticketPercent = parts.Sum(p => p.CreditPercent);
        var total = monthly.CreditPercent + ticketPercent;
        var capped = total > terms.CapPercent;
        var percent = capped ? terms.CapPercent : total;
        var amount = CreditCalculator.Money(terms.MonthlyFee, percent);
        var reason = $"{monthly.Reason} Ticket SLAs: {string.Join("; ", parts.Select(p => p.Describe()))}.";
        if (ticketPercent > 0m)
        {
            reason += $" The month's one credit: {CreditText.Share(monthly.CreditPercent)} % (availability) + {CreditText.Share(ticketPercent)} % (ticket SLAs)"
                + (capped ? $" = {CreditText.Share(total)} %, capped at {CreditText.Share(terms.CapPercent)} %" : $" = {CreditText.Share(percent)} %")
                + $" of {CreditText.Money(terms.MonthlyFee, terms.Currency)} = {CreditText.Money(amount, terms.Currency)}.";
        }

        return new CreditResult(monthly.Inputs, monthly.Met && !parts.Any(p => p.Missed), monthly.Tier, percent, amount, monthly.Capped || capped, reason)
        {
            TicketParts = parts,
        };
    }

    /// <summary>
    /// A recomputed availability credit (a dispute's) with the month's ticket-SLA share kept: percent = min(availability +
    /// <paramref name="ticketPercent"/>, cap). A dispute is about availability; it never drops what tickets earned.
    /// </summary>
    /// <param name="availability">The recomputed availability credit.</param>
    /// <param name="ticketPercent">The ticket-SLA share the month closed with, percent of the fee, ≥ 0.</param>
    /// <param name="terms">The contract's credit terms.</param>
    public static CreditResult WithTicketPercent(CreditResult availability, decimal ticketPercent, CreditTerms terms)
    {
        Guard.NotNull(availability, nameof(availability));
        Guard.NotNull(terms, nameof(terms));
        if (ticketPercent <= 0m)
        {
            return availability;
        }

        var total = availability.CreditPercent + ticketPercent;
        var capped = total > terms.CapPercent;
        var percent = capped ? terms.CapPercent : total;
        var amount = CreditCalculator.Money(terms.MonthlyFee, percent);
        var reason = $"{availability.Reason} With the month's ticket-SLA credit of {CreditText.Share(ticketPercent)} %: "
            + $"{CreditText.Share(availability.CreditPercent)} % + {CreditText.Share(ticketPercent)} %"
            + (capped ? $" = {CreditText.Share(total)} %, capped at {CreditText.Share(terms.CapPercent)} %" : $" = {CreditText.Share(percent)} %")
            + $" of {CreditText.Money(terms.MonthlyFee, terms.Currency)} = {CreditText.Money(amount, terms.Currency)}.";
        return new CreditResult(availability.Inputs, met: false, availability.Tier, percent, amount, availability.Capped || capped, reason);
    }

    /// <summary>The ticket-SLA share of a credit: the sum of its parts' credits, before the monthly cap.</summary>
    /// <param name="credit">A month's credit.</param>
    public static decimal PercentOf(CreditResult credit)
        => Guard.NotNull(credit, nameof(credit)).TicketParts.IsDefaultOrEmpty ? 0m : credit.TicketParts.Sum(p => p.CreditPercent);
}
