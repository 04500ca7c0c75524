using System.Numerics;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// An event-based SLI against an objective: <paramref name="Good"/> of <paramref name="Total"/> events were good, the
/// objective wants at least <paramref name="ObjectivePercent"/> % of them to be. The error budget is counted in events:
/// <c>budget = (1 − objective / 100) × total</c> bad events allowed, <c>used = total − good</c>,
/// <c>remaining = budget − used</c>, and <c>burn rate = (used / total) ÷ (1 − objective / 100)</c> (1 spends the budget
/// exactly, 14.4 fourteen times too fast). Pure and exact: every figure comes from whole counts and the decimal
/// objective; shown figures are rounded toward zero to 4 decimals, decisions (<see cref="Met"/>,
/// <see cref="BurnRateAtLeast"/>) are exact.
/// </summary>
/// <param name="Good">Good events, ≥ 0.</param>
/// <param name="Total">All events, ≥ <paramref name="Good"/>.</param>
/// <param name="ObjectivePercent">The objective in percent, in (0, 100).</param>
public sealed record EventRatioBudget(long Good, long Total, decimal ObjectivePercent)
{
    /// <summary>The number of decimals shown figures are rounded (toward zero) to: 4.</summary>
    public const int Decimals = 4;

    /// <summary>Good, total and objective checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, good exceeds total, or the objective is outside (0, 100).</exception>
    public static EventRatioBudget Of(long good, long total, decimal objectivePercent)
    {
        if (good < 0 || total < good)
        {
            throw new ArgumentOutOfRangeException(nameof(good), good, $"Counts must have 0 ≤ good ≤ total; got good {good}, total {total}.");
        }

        if (objectivePercent is <= 0m or >= 100m)
        {
            throw new ArgumentOutOfRangeException(nameof(objectivePercent), objectivePercent, $"An objective is a percentage in (0, 100); got {objectivePercent}.");
        }

        return new EventRatioBudget(good, total, objectivePercent);
    }

    /// <summary>Bad events: total − good. This is the budget used.</summary>
    public long Bad => Total - Good;

    /// <summary>The budget used: the bad events.</summary>
    public long Used => Bad;

    /// <summary>The bad events the objective allows: <c>(100 − objective) × total / 100</c>, exact (may be fractional).</summary>
    public decimal Budget => (100m - ObjectivePercent) * Total / 100m;

    /// <summary>Budget − used; negative once overspent.</summary>
    public decimal Remaining => Budget - Used;

    /// <summary>
    /// Remaining as a percentage of the budget, rounded toward zero to 4 decimals: 100 with nothing used, 0 exactly used
    /// up, negative when overspent. Null without events (no budget to take a share of).
    /// </summary>
    public decimal? RemainingPercent
    {
        get
        {
            if (Total == 0)
            {
                return null;
            }

            // remaining / budget = ((100 − o)·T/100 − bad) / ((100 − o)·T/100) = ((100·den − num)·T − 100·den·bad) / ((100·den − num)·T).
            var (num, den) = ExactArithmetic.Fraction(ObjectivePercent);
            var allowed = ((100 * den) - num) * Total;
            return ExactArithmetic.TruncatedQuotient((allowed - (100 * den * Bad)) * 100, allowed, Decimals);
        }
    }

    /// <summary>The SLI: good / total in percent, rounded toward zero to 4 decimals; null without events.</summary>
    public decimal? SliPercent => Total == 0 ? null : ExactArithmetic.TruncatedQuotient(new BigInteger(Good) * 100, Total, Decimals);

    /// <summary>Whether the SLI meets the objective (good / total ≥ objective / 100, exact); null without events.</summary>
    public bool? Met
    {
        get
        {
            if (Total == 0)
            {
                return null;
            }

            var (num, den) = ExactArithmetic.Fraction(ObjectivePercent);
            return new BigInteger(Good) * 100 * den >= num * Total;
        }
    }

    /// <summary>
    /// The burn rate: (bad / total) ÷ (1 − objective / 100), rounded toward zero to 4 decimals; 0 without events
    /// (nothing measured burns nothing).
    /// </summary>
    public decimal BurnRate
    {
        get
        {
            if (Total == 0)
            {
                return 0m;
            }

            // (bad / T) / ((100·den − num) / (100·den)) = bad · 100·den / (T · (100·den − num)).
            var (num, den) = ExactArithmetic.Fraction(ObjectivePercent);
            return ExactArithmetic.TruncatedQuotient(new BigInteger(Bad) * 100 * den, new BigInteger(Total) * ((100 * den) - num), Decimals);
        }
    }

    /// <summary>Whether the exact burn rate is at least <paramref name="factor"/>; false without events.</summary>
    public bool BurnRateAtLeast(decimal factor)
    {
        if (Total == 0)
        {
            return false;
        }

        // bad · 100·tDen / (T · (100·tDen − tNum)) ≥ fNum / fDen, cross-multiplied (all denominators positive).
        var (tNum, tDen) = ExactArithmetic.Fraction(ObjectivePercent);
        var (fNum, fDen) = ExactArithmetic.Fraction(factor);
        return new BigInteger(Bad) * 100 * tDen * fDen >= fNum * Total * ((100 * tDen) - tNum);
    }
}
