using System.Collections.Immutable;
using System.Globalization;
using NodaTime;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Agreements;

/// <summary>
/// The contract's remedies over rolling windows (at most <see cref="MaxRules"/>), decided at each month close after the
/// month's own credit (<see cref="Decide"/>).
/// </summary>
/// <remarks>
/// <para><b>Misses.</b> A month counts as missed only when its SLA verdict was <i>missed</i>: a month with insufficient
/// data is neither met nor missed, so it never counts toward a remedy (as it earns no automatic credit).</para>
/// <para><b>Beyond the monthly credit.</b> An extra credit is a remedy of its own, paid on top of the month's credit: the
/// monthly cap bounds the month's credit (availability, latency) and not the extra credit, which is already bounded by
/// its own percent (at most 100 % of the fee). The month keeps one ledger entry; the extra credit is recorded in it.</para>
/// <para><b>Once.</b> Each rule fires at most once per window of misses (<see cref="RemedyRule.Decide"/>): the caller keeps,
/// per <see cref="RemedyRule.Key"/>, the month it last fired, so a month counted by one firing never counts again.</para>
/// </remarks>
public sealed class RemedyClause : IEquatable<RemedyClause>
{
    /// <summary>Most remedies one contract has.</summary>
    public const int MaxRules = 10;

    /// <summary>Creates the clause; check <see cref="Problem"/> before using it.</summary>
    public RemedyClause(IEnumerable<RemedyRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = [.. rules];
    }

    /// <summary>No remedies: only the monthly credit.</summary>
    public static RemedyClause None { get; } = new([]);

    /// <summary>The rules, in the contract's order.</summary>
    public ImmutableArray<RemedyRule> Rules { get; }

    /// <summary>
    /// Why the clause cannot be used, naming the field as a JSON path under <c>remedies</c> (<c>remedies</c>,
    /// <c>remedies[0].windowMonths</c>, <c>remedies[1]</c> for a rule listed twice); null when it can.
    /// </summary>
    public (string Field, string Message)? Problem()
    {
        if (Rules.Length > MaxRules)
        {
            return ("remedies", $"A contract has at most {MaxRules} remedies; got {Rules.Length}.");
        }

        for (var i = 0; i < Rules.Length; i++)
        {
            if (Rules[i] is null)
            {
                return ($"remedies[{i}]", "A remedy is {\"misses\": 3, \"windowMonths\": 6, \"kind\": \"extraCredit\", \"extraCreditPercent\": 10}.");
            }

            if (Rules[i].Problem() is var (field, message))
            {
                return ($"remedies[{i}].{field}", message);
            }

            if (Rules.Take(i).Any(r => r.Key == Rules[i].Key))
            {
                return ($"remedies[{i}]", $"A remedy of {Rules[i].Misses} missed months in {Rules[i].WindowMonths} of the same kind is listed twice.");
            }
        }

        return null;
    }

    /// <summary>
    /// What closing <paramref name="month"/> gives beyond the month's credit: each rule that fires, with its extra credit
    /// in money and the sentence for the ledger and the notice (pure; the same inputs give the same outcomes).
    /// </summary>
    /// <param name="month">The month being closed.</param>
    /// <param name="missed">The missed months (SLA verdict missed), including <paramref name="month"/> when it missed.</param>
    /// <param name="lastFired">The month each rule last fired, by <see cref="RemedyRule.Key"/>.</param>
    /// <param name="terms">The month's credit terms (target, fee and currency).</param>
    public ImmutableArray<RemedyOutcome> Decide(YearMonth month, IReadOnlySet<YearMonth> missed, IReadOnlyDictionary<string, YearMonth> lastFired, CreditTerms terms)
    {
        ArgumentNullException.ThrowIfNull(missed);
        ArgumentNullException.ThrowIfNull(lastFired);
        ArgumentNullException.ThrowIfNull(terms);
        var outcomes = ImmutableArray.CreateBuilder<RemedyOutcome>();
        foreach (var rule in Rules)
        {
            if (rule.Decide(month, missed, lastFired.TryGetValue(rule.Key, out var fired) ? fired : null) is { } firing)
            {
                outcomes.Add(RemedyOutcome.Of(firing, terms));
            }
        }

        return outcomes.ToImmutable();
    }

    /// <inheritdoc />
    public bool Equals(RemedyClause? other) => other is not null && Rules.SequenceEqual(other.Rules);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RemedyClause);

    /// <inheritdoc />
    public override int GetHashCode() => Rules.Aggregate(Rules.Length, (hash, rule) => HashCode.Combine(hash, rule));

    /// <summary>The rules as a sentence each, joined ("3 missed months within 6 → an extra credit of 10 %").</summary>
    public override string ToString() => Rules.IsEmpty ? "no remedies" : string.Join("; ", Rules.Select(RemedyOutcome.Clause));
}

/// <summary>A remedy that fired at a month close, as the ledger and the notice record it.</summary>
/// <param name="Firing">The rule, the month and the missed months it counted.</param>
/// <param name="ExtraCreditAmount">The extra credit in money (2 decimals); 0 for a termination right.</param>
/// <param name="Currency">The fee's currency.</param>
/// <param name="Text">The sentence for the customer.</param>
public sealed record RemedyOutcome(RemedyFiring Firing, decimal ExtraCreditAmount, string Currency, string Text)
{
    /// <summary>The outcome of <paramref name="firing"/> under <paramref name="terms"/>: the extra credit is the rule's percent of the fee, never capped by the monthly cap.</summary>
    public static RemedyOutcome Of(RemedyFiring firing, CreditTerms terms)
    {
        ArgumentNullException.ThrowIfNull(firing);
        ArgumentNullException.ThrowIfNull(terms);
        var rule = firing.Rule;
        var counted = firing.CountedMonths.Length;
        var months = string.Join(", ", firing.CountedMonths.Select(m => m.ToString("uuuu-MM", CultureInfo.InvariantCulture)));
        var what = $"{counted} of the last {rule.WindowMonths} months ({months}) missed the {CreditText.Bound(terms.TargetPercent)} % target";
        if (rule.Kind == RemedyKind.ExtraCredit)
        {
            var amount = CreditCalculator.Money(terms.MonthlyFee, rule.ExtraCreditPercent);
            return new(firing, amount, terms.Currency,
                $"{what}: an extra credit of {CreditText.Share(rule.ExtraCreditPercent)} % of the monthly fee ({CreditText.Money(amount, terms.Currency)}), beyond the month's credit and its cap.");
        }

        return new(firing, 0m, terms.Currency,
            $"{what}: you may terminate the contract under its remedy clause ({Clause(rule)}).");
    }

    /// <summary>A rule as contract text: "3 missed months within 6 → an extra credit of 10 %" or "→ a right to terminate".</summary>
    public static string Clause(RemedyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return $"{rule.Misses} missed months within any {rule.WindowMonths} → "
            + (rule.Kind == RemedyKind.ExtraCredit ? $"an extra credit of {CreditText.Share(rule.ExtraCreditPercent)} % of the monthly fee" : "a right to terminate");
    }
}
