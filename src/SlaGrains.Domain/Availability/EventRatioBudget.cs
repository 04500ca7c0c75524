using NodaTime;
using System.Numerics;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// The error budget of a request-based (event-ratio) SLI, textbook SRE definitions: of <see cref="Total"/> events
/// <see cref="Good"/> were good; the objective allows <c>budget = (1 − objective / 100) × total</c> bad events;
/// <c>used = total − good</c>; <c>remaining = budget − used</c>; <c>remaining % = remaining / budget × 100</c>;
/// <c>burn rate = (used / total) ÷ (1 − objective / 100)</c> (1 spends the budget exactly over the window).
/// </summary>
/// <remarks>
/// Counts are whole events. <see cref="Budget"/> and <see cref="Remaining"/> are exact decimals (an objective has at
/// most <see cref="MaxObjectiveDecimals"/> decimals, so they always fit); the ratios <see cref="SliPercent"/>,
/// <see cref="RemainingPercent"/> and <see cref="BurnRate"/> are exact fractions given rounded toward zero to
/// <see cref="Decimals"/> decimals, for display only: comparisons (<see cref="IsBurningAtLeast"/>) use the exact
/// fractions.
/// </remarks>
public sealed record EventRatioBudget
{
    private EventRatioBudget(long good, long total, decimal objectivePercent)
    {
        Good = good;
        Total = total;
        ObjectivePercent = objectivePercent;
        Budget = Normalized(total * (100m - objectivePercent) / 100m);
    }

    /// <summary>The number of decimals the ratios are given to: 4.</summary>
    public const int Decimals = 4;

    /// <summary>Most decimals an objective may have (so the budget of any <see cref="long"/> count stays an exact decimal).</summary>
    public const int MaxObjectiveDecimals = 6;

    /// <summary>Good events; 0 ≤ good ≤ total.</summary>
    public long Good { get; }

    /// <summary>All events counted.</summary>
    public long Total { get; }

    /// <summary>The objective in percent, in (0, 100).</summary>
    public decimal ObjectivePercent { get; }

    /// <summary>The bad events the objective allows: <c>(1 − objective / 100) × total</c>, exact; never negative.</summary>
    public decimal Budget { get; }

    /// <summary>The bad events: <c>total − good</c>.</summary>
    public long Used => Total - Good;

    /// <summary><c>budget − used</c>, exact; negative once overspent.</summary>
    public decimal Remaining => Budget - Used;

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
            return (BigInteger)Good * 100 * den >= num * Total;
        }
    }

    /// <summary>Whether more bad events happened than the objective allows.</summary>
    public bool IsOverspent => Remaining < 0m;

    /// <summary>The SLI: <c>good / total × 100</c>, rounded toward zero to 4 decimals; null without events.</summary>
    public decimal? SliPercent => Total == 0 ? null : ExactArithmetic.TruncatedQuotient((BigInteger)Good * 100, Total, Decimals);

    /// <summary>
    /// <c>remaining / budget × 100</c>, rounded toward zero to 4 decimals: 100 when nothing is used, 0 when exactly used
    /// up, negative when overspent; null when the budget is zero (no events yet).
    /// </summary>
    public decimal? RemainingPercent
    {
        get
        {
            if (Total == 0)
            {
                return null;
            }

            // remaining / budget = (total·(100·den − num) − 100·den·used) / (total·(100·den − num)).
            var (num, den) = ExactArithmetic.Fraction(ObjectivePercent);
            var allowance = (BigInteger)Total * ((100 * den) - num);
            return ExactArithmetic.TruncatedQuotient((allowance - (100 * den * Used)) * 100, allowance, Decimals);
        }
    }

    /// <summary>
    /// <c>(used / total) ÷ (1 − objective / 100)</c>, rounded toward zero to 4 decimals; 0 without events (nothing
    /// burns).
    /// </summary>
    public decimal BurnRate
    {
        get
        {
            if (Total == 0)
            {
                return 0m;
            }

            // (used / total) / ((100·den − num) / (100·den)) = used · 100·den / (total · (100·den − num)).
            var (num, den) = ExactArithmetic.Fraction(ObjectivePercent);
            return ExactArithmetic.TruncatedQuotient((BigInteger)Used * 100 * den, (BigInteger)Total * ((100 * den) - num), Decimals);
        }
    }

    /// <summary>Whether the exact burn rate is at least <paramref name="factor"/> (false without events).</summary>
    public bool IsBurningAtLeast(decimal factor)
    {
        if (Total == 0)
        {
            return false;
        }

        // used / total ≥ factor · (100·tDen − tNum) / (100·tDen), cross-multiplied (denominators positive).
        var (tNum, tDen) = ExactArithmetic.Fraction(ObjectivePercent);
        var (fNum, fDen) = ExactArithmetic.Fraction(factor);
        return (BigInteger)Used * 100 * tDen * fDen >= ((100 * tDen) - tNum) * fNum * Total;
    }

    /// <summary>The budget of <paramref name="good"/> good events out of <paramref name="total"/> against <paramref name="objectivePercent"/>.</summary>
    /// <param name="good">Good events, 0 ≤ good ≤ total.</param>
    /// <param name="total">All events, 0 or more.</param>
    /// <param name="objectivePercent">The objective in percent, in (0, 100), with at most <see cref="MaxObjectiveDecimals"/> decimals.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or the objective is out of range.</exception>
    public static EventRatioBudget Of(long good, long total, decimal objectivePercent)
    {
        if (total < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, $"{nameof(total)} must not be negative; got {total}.");
        }

        if (good < 0 || good > total)
        {
            throw new ArgumentOutOfRangeException(nameof(good), good, $"{nameof(good)} must be 0 to total ({total}); got {good}.");
        }

        CheckObjective(objectivePercent, nameof(objectivePercent));
        return new EventRatioBudget(good, total, objectivePercent);
    }

    /// <summary>
    /// Each of <paramref name="alerts"/> judged on event counts: <paramref name="over"/> gives the budget of the events in
    /// a window of the given length ending now; an alert fires when both its windows' exact burn rates reach its factor
    /// (a window without events never does). What latency SLIs and request SLIs share; monitors' availability alerts
    /// burn on downtime instead (<see cref="BurnRate"/>).
    /// </summary>
    public static IReadOnlyList<BurnRateAlertStatus> Alerts(IEnumerable<BurnRateAlert> alerts, Func<Duration, EventRatioBudget> over)
    {
        Guard.NotNull(alerts, nameof(alerts));
        Guard.NotNull(over, nameof(over));
        return [.. alerts.Select(alert =>
        {
            var longWindow = over(alert.LongWindow);
            var shortWindow = over(alert.ShortWindow);
            var firing = longWindow.IsBurningAtLeast(alert.Factor) && shortWindow.IsBurningAtLeast(alert.Factor);
            return new BurnRateAlertStatus(alert, longWindow.BurnRate, shortWindow.BurnRate, firing);
        })];
    }

    /// <summary>Throws unless <paramref name="objectivePercent"/> is in (0, 100) with at most <see cref="MaxObjectiveDecimals"/> decimals.</summary>
    public static decimal CheckObjective(decimal objectivePercent, string name)
    {
        if (objectivePercent <= 0m || objectivePercent >= 100m || Normalized(objectivePercent).Scale > MaxObjectiveDecimals)
        {
            throw new ArgumentOutOfRangeException(
                name, objectivePercent, $"{name} must be a percentage in (0, 100) with at most {MaxObjectiveDecimals} decimals; got {objectivePercent}.");
        }

        return objectivePercent;
    }

    // Trailing zeros do not count as decimals: 99.900 has one.
    private static decimal Normalized(decimal value) => value / 1.000000000000000000000000000000000m;
}
