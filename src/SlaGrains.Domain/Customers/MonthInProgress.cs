using System.Numerics;
using NodaTime;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Customers;

/// <summary>Where the month in progress stands against its commitment.</summary>
public enum MonthOutlook
{
    /// <summary>At the current burn rate the month ends within its allowance.</summary>
    OnTrack,

    /// <summary>Still within the allowance, but at the current burn rate the month would end over it.</summary>
    AtRisk,

    /// <summary>The downtime so far already exceeds the whole month's allowance: the commitment can no longer be met.</summary>
    NotMet,
}

/// <summary>
/// The month in progress, projected to its end two ways, so nobody reads a partial month as a verdict:
/// <list type="bullet">
/// <item><b>If nothing else fails</b>: the downtime so far over the whole month (the rest of the month counted up).</item>
/// <item><b>At the current burn rate</b>: the downtime so far extrapolated linearly over the time measured so far to
/// the whole month (equivalently: the month ends at today's availability).</item>
/// </list>
/// The month is <see cref="MonthOutlook.NotMet"/> only once it can no longer be met (downtime so far over the whole
/// month's allowance); until then it is on track or at risk, with the budget left.
/// </summary>
/// <param name="SoFar">The availability from the month's start to now.</param>
/// <param name="IfNothingElseFails">The whole month with the downtime so far and nothing more.</param>
/// <param name="Budget">The whole month's SLA error budget (as if nothing else fails: the allowance and what is left).</param>
/// <param name="ProjectedDowntimeAtBurnRate">The downtime the month ends with at the current burn rate.</param>
/// <param name="UptimePercentAtBurnRate">The month-end availability at the current burn rate, 4 decimals rounded down.</param>
/// <param name="CreditIfNothingElseFails">The credit the month earns if nothing else fails.</param>
/// <param name="CreditAtBurnRate">The credit the month earns at the current burn rate.</param>
/// <param name="Outlook">On track, at risk or not met.</param>
public sealed record MonthInProgress(
    AvailabilityReport SoFar,
    AvailabilityReport IfNothingElseFails,
    ErrorBudget Budget,
    Duration ProjectedDowntimeAtBurnRate,
    decimal UptimePercentAtBurnRate,
    CreditResult CreditIfNothingElseFails,
    CreditResult CreditAtBurnRate,
    MonthOutlook Outlook)
{
    /// <summary>Projects the month <paramref name="month"/> (whole, as instants) from <paramref name="soFar"/>.</summary>
    /// <param name="month">The whole month; both ends.</param>
    /// <param name="soFar">The availability from the month's start to now (computed with the same maintenance and unknown time).</param>
    /// <param name="maintenance">The maintenance windows, so the whole month excludes what is announced in time (also ahead).</param>
    /// <param name="agreement">The contract.</param>
    public static MonthInProgress Project(Interval month, AvailabilityReport soFar, IEnumerable<MaintenanceWindow>? maintenance, ServiceAgreement agreement)
    {
        Guard.NotNull(soFar, nameof(soFar));
        Guard.NotNull(agreement, nameof(agreement));
        var windows = (maintenance ?? []).ToList();
        var whole = AvailabilityReport.Compute(month, soFar.DowntimeIntervals, windows, agreement.MaintenanceNotice, soFar.UnknownIntervals);
        var budget = ErrorBudget.Of(whole, agreement.SlaTargetPercent);

        // Linear extrapolation over measured time: downtime so far / measured so far × the month's measured time.
        var projected = soFar.Measured > Duration.Zero
            ? Duration.FromNanoseconds(BigInteger.Min(
                soFar.Downtime.ToBigIntegerNanoseconds() * whole.Measured.ToBigIntegerNanoseconds() / soFar.Measured.ToBigIntegerNanoseconds(),
                whole.Measured.ToBigIntegerNanoseconds()))
            : Duration.Zero;
        var outlook = budget.IsOverspent ? MonthOutlook.NotMet
            : projected > budget.Budget ? MonthOutlook.AtRisk
            : MonthOutlook.OnTrack;
        var atBurnRate = soFar.UptimePercent;
        return new MonthInProgress(
            soFar, whole, budget, projected, atBurnRate, agreement.CreditFor(whole.UptimePercent), agreement.CreditFor(atBurnRate), outlook);
    }
}
