using NodaTime;

namespace SlaGrains.Domain.Agreements;

/// <summary>One availability target judged against an availability.</summary>
/// <param name="TargetPercent">The target percent.</param>
/// <param name="Met">True when availability ≥ target.</param>
/// <param name="AllowedDowntime">(1 − target / 100) × (period − excluded), truncated to whole nanoseconds.</param>
public sealed record TargetAssessment(decimal TargetPercent, bool Met, Duration AllowedDowntime)
{
    /// <summary>(1 − target / 100) × (period − excluded), truncated to whole nanoseconds.</summary>
    /// <param name="targetPercent">Target percent in (0, 100].</param>
    /// <param name="period">Period length, &gt; 0.</param>
    /// <param name="excluded">Excluded time, in [0, period].</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public static Duration AllowedDowntimeFor(decimal targetPercent, Duration period, Duration excluded)
    {
        Guard.TargetPercent(targetPercent, nameof(targetPercent));
        Guard.Positive(period, nameof(period));
        if (excluded < Duration.Zero || excluded > period)
        {
            throw new ArgumentOutOfRangeException(nameof(excluded), excluded, $"{nameof(excluded)} must be in [0, {nameof(period)}]; got {excluded} for a period of {period}.");
        }

        decimal measured = (period - excluded).ToInt64Nanoseconds();
        return Duration.FromNanoseconds((long)decimal.Truncate(measured * (100m - targetPercent) / 100m));
    }
}

/// <summary>The SLA and the SLO side by side for one availability over one period.</summary>
/// <param name="AvailabilityPercent">The availability judged, percent.</param>
/// <param name="Period">The period length.</param>
/// <param name="Excluded">Excluded time in the period.</param>
/// <param name="Sla">The customer-facing commitment.</param>
/// <param name="Slo">The internal objective.</param>
public sealed record TargetReport(decimal AvailabilityPercent, Duration Period, Duration Excluded, TargetAssessment Sla, TargetAssessment Slo)
{
    /// <summary>Judges <paramref name="availabilityPercent"/> against both targets.</summary>
    /// <param name="availabilityPercent">Availability percent in [0, 100].</param>
    /// <param name="slaTargetPercent">SLA percent in (0, 100].</param>
    /// <param name="sloTargetPercent">SLO percent in (0, 100].</param>
    /// <param name="period">Period length, &gt; 0.</param>
    /// <param name="excluded">Excluded time, in [0, period].</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public static TargetReport For(decimal availabilityPercent, decimal slaTargetPercent, decimal sloTargetPercent, Duration period, Duration excluded)
    {
        Guard.Percent(availabilityPercent, nameof(availabilityPercent));
        return new TargetReport(
            availabilityPercent,
            period,
            excluded,
            Assess(slaTargetPercent),
            Assess(sloTargetPercent));

        TargetAssessment Assess(decimal target) =>
            new(target, availabilityPercent >= target, TargetAssessment.AllowedDowntimeFor(target, period, excluded));
    }
}
