using System.Collections.Immutable;

namespace SlaGrains.Domain.Credits;

/// <summary>The outcome of a credit calculation for one month, with the inputs and a plain-sentence reason.</summary>
public sealed record CreditResult
{
    internal CreditResult(
        CreditInputs inputs,
        bool met,
        CreditTier? tier,
        decimal creditPercent,
        decimal amount,
        bool capped,
        string reason)
    {
        Inputs = inputs;
        Met = met;
        Tier = tier;
        CreditPercent = creditPercent;
        Amount = amount;
        Capped = capped;
        Reason = reason;
    }

    /// <summary>The inputs the credit was computed from.</summary>
    public CreditInputs Inputs { get; }

    /// <summary>True when availability ≥ target: then no credit is due, whatever the schedule says.</summary>
    public bool Met { get; }

    /// <summary>The schedule tier the availability fell in, or <see langword="null"/> when the target was met or the
    /// availability is at or above the schedule's top.</summary>
    public CreditTier? Tier { get; }

    /// <summary>The credit, percent of the monthly fee, after the cap; 0 when no credit is due.</summary>
    public decimal CreditPercent { get; }

    /// <summary>The credit as money: fee × <see cref="CreditPercent"/> / 100, rounded to 2 decimals (midpoints away
    /// from zero), in <see cref="CreditTerms.Currency"/>.</summary>
    public decimal Amount { get; }

    /// <summary>True when the tier's credit exceeded the cap and was reduced to it (a tier equal to the cap is not capped).</summary>
    public bool Capped { get; }

    /// <summary>Why, as a sentence a customer can read.</summary>
    public string Reason { get; }

    /// <summary>The currency of <see cref="Amount"/>.</summary>
    public string Currency => Inputs.Terms.Currency;

    // Issue 20 — ticket-SLA credits
    /// <summary>The ticket-SLA clauses' parts folded into this credit (<see cref="TicketCredit"/>); empty when the contract has none.</summary>
    public ImmutableArray<TicketCreditPart> TicketParts { get; init; } = [];
}
