using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// The error budget of a period against a target: <c>budget = (1 − target / 100) × (period − excluded)</c>,
/// used = the period's counted downtime, remaining = budget − used.
/// </summary>
public sealed record ErrorBudget
{
    private ErrorBudget(decimal targetPercent, Duration budget, Duration used)
    {
        TargetPercent = targetPercent;
        Budget = budget;
        Used = used;
        PercentRemaining = budget == Duration.Zero
            ? null
            : ExactArithmetic.TruncatedQuotient(
                ExactArithmetic.Nanoseconds(Remaining) * 100, ExactArithmetic.Nanoseconds(budget), PercentDecimals);
    }

    /// <summary>The number of decimals <see cref="PercentRemaining"/> is given to: 4.</summary>
    public const int PercentDecimals = 4;

    /// <summary>The target (SLA or internal SLO) in percent, in (0, 100].</summary>
    public decimal TargetPercent { get; }

    /// <summary>The downtime the target allows in the period (truncated to whole nanoseconds).</summary>
    public Duration Budget { get; }

    /// <summary>The counted downtime of the period (excluded maintenance is not used budget).</summary>
    public Duration Used { get; }

    /// <summary>Budget − used; negative once the budget is overspent.</summary>
    public Duration Remaining => Budget - Used;

    /// <summary>Whether more downtime was used than the budget allows (<see cref="Remaining"/> is negative).</summary>
    public bool IsOverspent => Remaining < Duration.Zero;

    /// <summary>
    /// Remaining as a percentage of the budget, rounded toward zero to <see cref="PercentDecimals"/> decimals:
    /// 100 when nothing is used, 0 when exactly used up, negative when overspent (−50 means half a budget over).
    /// <c>null</c> when the budget itself is zero (a 100 % target, or a period entirely excluded): there is no budget
    /// to take a percentage of; look at <see cref="IsOverspent"/> instead.
    /// </summary>
    public decimal? PercentRemaining { get; }

    /// <summary>The error budget of the period in <paramref name="report"/> against <paramref name="targetPercent"/>.</summary>
    /// <param name="report">The period's availability.</param>
    /// <param name="targetPercent">The target in percent, in (0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="targetPercent"/> is outside (0, 100].</exception>
    public static ErrorBudget Of(AvailabilityReport report, decimal targetPercent)
    {
        Guard.NotNull(report, nameof(report));
        return new ErrorBudget(targetPercent, report.AllowedDowntime(targetPercent), report.Downtime);
    }
}
