using System.Collections.Immutable;
using SlaGrains.Domain.Agreements;

namespace SlaGrains.Contracts.Credits;

/// <summary>
/// A remedy that fired at a month close (issue 20), as the month's ledger entry and credit notice record it: the rule,
/// the missed months it counted, the extra credit (0 for a termination right) and the sentence the customer reads.
/// </summary>
/// <param name="Misses">The rule's missed months.</param>
/// <param name="WindowMonths">The rule's window.</param>
/// <param name="Kind">An extra credit or a termination right.</param>
/// <param name="ExtraCreditPercent">The extra credit's percent of the monthly fee; 0 for a termination right.</param>
/// <param name="CountedMonths">The missed months it counted, oldest first.</param>
/// <param name="ExtraCreditAmount">The extra credit in money, beyond the month's credit and its cap; 0 for a termination right.</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Text">The sentence, e.g. "3 of the last 6 months (…) missed the 99.9 % target: an extra credit of 10 % of the monthly fee (500.00 USD) …".</param>
[GenerateSerializer]
[Alias("slagrains.remedy-awarded")]
[Immutable]
public sealed record RemedyAwarded(
    [property: Id(0)] int Misses,
    [property: Id(1)] int WindowMonths,
    [property: Id(2)] RemedyKind Kind,
    [property: Id(3)] decimal ExtraCreditPercent,
    [property: Id(4)] ImmutableArray<YearMonth> CountedMonths,
    [property: Id(5)] decimal ExtraCreditAmount,
    [property: Id(6)] string Currency,
    [property: Id(7)] string Text)
{
    /// <summary>True for a termination right.</summary>
    public bool IsTerminationRight => Kind == RemedyKind.TerminationRight;

    /// <summary>The record of a domain outcome.</summary>
    public static RemedyAwarded From(RemedyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var rule = outcome.Firing.Rule;
        return new(rule.Misses, rule.WindowMonths, rule.Kind, rule.ExtraCreditPercent, outcome.Firing.CountedMonths, outcome.ExtraCreditAmount, outcome.Currency, outcome.Text);
    }

    /// <summary>The sum of the extra credits in <paramref name="remedies"/> (default or empty: 0).</summary>
    public static decimal ExtraCredit(ImmutableArray<RemedyAwarded> remedies) => remedies.IsDefaultOrEmpty ? 0m : remedies.Sum(r => r.ExtraCreditAmount);
}
