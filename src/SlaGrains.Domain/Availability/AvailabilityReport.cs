using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// The availability of one reporting period, with its evidence:
/// <c>uptime % = (measured − downtime) / measured × 100</c> where <c>measured = period − excluded − unknown</c>,
/// and the period's data coverage: <c>coverage % = (period − unknown) / period × 100</c>.
/// </summary>
/// <remarks>
/// <para>Built by <see cref="Compute"/>, which applies these rules:</para>
/// <list type="bullet">
/// <item>Downtime is clipped to the period: an incident crossing a boundary counts in each period only for its part
/// inside it; an ongoing incident (no end) counts up to the period's end.</item>
/// <item>Overlapping (or touching) downtime intervals are merged and counted once.</item>
/// <item>A maintenance window is <em>excluded</em> only if announced at least the contract's notice before it started
/// (see <see cref="MaintenanceWindow.IsExcluded"/>); otherwise it is ignored and downtime inside it counts.</item>
/// <item>Downtime overlapping excluded maintenance is counted once, as excluded, never as downtime.</item>
/// <item><b>Unknown time</b> (no data: the monitor had no result for longer than it expects, or the period lies before
/// its first result) is neither up nor down: it is left out of <see cref="Measured"/>, so uptime is the share of the
/// time <em>with data</em> that was up. Confirmed downtime wins over unknown (an open incident is downtime even when
/// the checks fall silent), and excluded maintenance wins over unknown (it is excluded either way).</item>
/// <item>When nothing is left to measure (period − excluded − unknown is zero), availability is 100 %; look at
/// <see cref="CoveragePercent"/> and <see cref="Verdict"/> before trusting it.</item>
/// <item>A period whose coverage is under the threshold (default <see cref="DefaultMinimumCoveragePercent"/>, 90 %) has
/// <see cref="TargetVerdict.InsufficientData"/>: neither met nor missed.</item>
/// </list>
/// <para>All arithmetic is exact on whole nanoseconds; nothing passes through floating point.</para>
/// </remarks>
public sealed record AvailabilityReport
{
    private AvailabilityReport(
        Interval period, IReadOnlyList<Interval> downtimeIntervals, IReadOnlyList<Interval> excludedIntervals, IReadOnlyList<Interval> unknownIntervals)
    {
        Period = period;
        DowntimeIntervals = downtimeIntervals;
        ExcludedIntervals = excludedIntervals;
        UnknownIntervals = unknownIntervals;
        Downtime = IntervalSet.Total(downtimeIntervals);
        Excluded = IntervalSet.Total(excludedIntervals);
        Unknown = IntervalSet.Total(unknownIntervals);
        var measured = ExactArithmetic.Nanoseconds(Measured);
        UptimePercent = measured.IsZero
            ? 100m
            : ExactArithmetic.TruncatedQuotient((measured - ExactArithmetic.Nanoseconds(Downtime)) * 100, measured, UptimeDecimals);
        var whole = ExactArithmetic.Nanoseconds(period.Duration);
        CoveragePercent = whole.IsZero
            ? 100m
            : ExactArithmetic.TruncatedQuotient((whole - ExactArithmetic.Nanoseconds(Unknown)) * 100, whole, UptimeDecimals);
    }

    /// <summary>The number of decimals <see cref="UptimePercent"/> and <see cref="CoveragePercent"/> are given to: 4.</summary>
    public const int UptimeDecimals = 4;

    /// <summary>
    /// The data coverage a period needs for its target to be judged, in percent: 90. Under it the period has
    /// <see cref="TargetVerdict.InsufficientData"/> and makes no automatic credit.
    /// </summary>
    public const decimal DefaultMinimumCoveragePercent = 90m;

    /// <summary>The reporting period, half-open <c>[start, end)</c>.</summary>
    public Interval Period { get; }

    /// <summary>
    /// The counted downtime: merged, clipped to the period, outside excluded maintenance; sorted and disjoint.
    /// Their lengths sum to <see cref="Downtime"/>.
    /// </summary>
    public IReadOnlyList<Interval> DowntimeIntervals { get; }

    /// <summary>
    /// The excluded (announced-in-time) maintenance, merged and clipped to the period; sorted and disjoint.
    /// Their lengths sum to <see cref="Excluded"/>.
    /// </summary>
    public IReadOnlyList<Interval> ExcludedIntervals { get; }

    /// <summary>
    /// The time without data (unknown), merged and clipped to the period, outside counted downtime and excluded
    /// maintenance; sorted and disjoint. Neither up nor down. Their lengths sum to <see cref="Unknown"/>.
    /// </summary>
    public IReadOnlyList<Interval> UnknownIntervals { get; }

    /// <summary>Time without data in the period (elapsed time); neither up nor down.</summary>
    public Duration Unknown { get; }

    /// <summary>
    /// The share of the period with data, in percent, in [0, 100], rounded down to <see cref="UptimeDecimals"/>
    /// decimals: <c>(period − unknown) / period × 100</c> (excluded maintenance counts as accounted for). 100 for an
    /// empty period. Judge sufficiency with <see cref="HasSufficientData"/>, not with this rounded figure.
    /// </summary>
    public decimal CoveragePercent { get; }

    /// <summary>Counted downtime in the period (elapsed time), excluded maintenance not included.</summary>
    public Duration Downtime { get; }

    /// <summary>Excluded maintenance time in the period (elapsed time).</summary>
    public Duration Excluded { get; }

    /// <summary>The time availability is measured over: period length − excluded − unknown (the time with data).</summary>
    public Duration Measured => Period.Duration - Excluded - Unknown;

    /// <summary>
    /// Whether the period's coverage reaches <paramref name="minimumCoveragePercent"/> (exactly, not on the rounded
    /// <see cref="CoveragePercent"/>). An empty period has sufficient data.
    /// </summary>
    /// <param name="minimumCoveragePercent">The threshold in percent, in [0, 100]; default 90.</param>
    public bool HasSufficientData(decimal minimumCoveragePercent = DefaultMinimumCoveragePercent)
    {
        Guard.Percent(minimumCoveragePercent, nameof(minimumCoveragePercent));
        return Period.Duration == Duration.Zero
            || ExactArithmetic.IsAtLeastPercent(Period.Duration - Unknown, Period.Duration, minimumCoveragePercent);
    }

    /// <summary>
    /// The period against <paramref name="targetPercent"/>: <see cref="TargetVerdict.InsufficientData"/> when the
    /// coverage is under <paramref name="minimumCoveragePercent"/>, else met or missed as <see cref="Met"/> says.
    /// </summary>
    /// <param name="targetPercent">The target in percent, in (0, 100].</param>
    /// <param name="minimumCoveragePercent">The coverage threshold in percent, in [0, 100]; default 90.</param>
    public TargetVerdict Verdict(decimal targetPercent, decimal minimumCoveragePercent = DefaultMinimumCoveragePercent)
        => !HasSufficientData(minimumCoveragePercent) ? TargetVerdict.InsufficientData
            : Met(targetPercent) ? TargetVerdict.Met
            : TargetVerdict.Missed;

    /// <summary>
    /// Availability in percent, in [0, 100], <b>rounded down</b> (toward zero) to <see cref="UptimeDecimals"/> decimals,
    /// so the figure shown never overstates availability (99.99996 % shows as 99.9999 %, never as 100 %).
    /// 100 when <see cref="Measured"/> is zero. Decide compliance with <see cref="Met"/>, not with this rounded figure.
    /// </summary>
    public decimal UptimePercent { get; }

    /// <summary>
    /// The downtime a target allows in this period: <c>(1 − target / 100) × (period − excluded)</c>, truncated
    /// to whole nanoseconds. 99.9 % of a 31-day month allows 44 min 38.4 s.
    /// </summary>
    /// <param name="targetPercent">The target in percent, in (0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="targetPercent"/> is outside (0, 100].</exception>
    public Duration AllowedDowntime(decimal targetPercent)
        => ExactArithmetic.Allowance(Guard.TargetPercent(targetPercent, nameof(targetPercent)), Measured);

    /// <summary>
    /// Whether the period met <paramref name="targetPercent"/>: downtime ≤ the allowed downtime, decided on the exact
    /// ratio (not on the rounded <see cref="UptimePercent"/>). Exactly the target counts as met.
    /// </summary>
    /// <param name="targetPercent">The target in percent, in (0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="targetPercent"/> is outside (0, 100].</exception>
    public bool Met(decimal targetPercent)
    {
        Guard.TargetPercent(targetPercent, nameof(targetPercent));
        return Measured == Duration.Zero
            || ExactArithmetic.CompareFractionWithAllowance(Downtime, Measured, targetPercent, 1m) <= 0;
    }

    /// <summary>
    /// The availability of <paramref name="period"/> given the monitor's downtime and the maintenance windows.
    /// </summary>
    /// <param name="period">The reporting period; must have both a start and an end (see <see cref="ReportingPeriod"/>).</param>
    /// <param name="downtime">Downtime intervals in any order, possibly overlapping, possibly reaching outside the period;
    /// an interval without an end is ongoing and counts up to the period's end.</param>
    /// <param name="maintenance">Maintenance windows in any order; <c>null</c> means none.</param>
    /// <param name="maintenanceNotice">The contract's maintenance notice; <c>null</c> means
    /// <see cref="MaintenanceWindow.DefaultNotice"/> (48 hours). Must not be negative.</param>
    /// <param name="unknown">Times without data, in any order, possibly overlapping; <c>null</c> or empty means data
    /// throughout. An interval without an end counts up to the period's end.</param>
    /// <exception cref="ArgumentException"><paramref name="period"/> has no start or no end, or
    /// <paramref name="maintenanceNotice"/> is negative.</exception>
    public static AvailabilityReport Compute(
        Interval period,
        IEnumerable<Interval> downtime,
        IEnumerable<MaintenanceWindow>? maintenance = null,
        Duration? maintenanceNotice = null,
        IEnumerable<Interval>? unknown = null)
    {
        RequireBounded(period, nameof(period));
        Guard.NotNull(downtime, nameof(downtime));
        var notice = maintenanceNotice ?? MaintenanceWindow.DefaultNotice;
        if (notice < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maintenanceNotice), notice, $"{nameof(maintenanceNotice)} must not be negative; got {notice}.");
        }

        var excluded = IntervalSet.Normalise(
            (maintenance ?? []).Where(w => w.IsExcluded(notice)).Select(w => w.Interval),
            period);
        var counted = IntervalSet.Subtract(IntervalSet.Normalise(downtime, period), excluded);
        var noData = IntervalSet.Subtract(IntervalSet.Subtract(IntervalSet.Normalise(unknown ?? [], period), excluded), counted);
        return new AvailabilityReport(period, counted, excluded, noData);
    }

    internal static void RequireBounded(Interval period, string name)
    {
        if (!period.HasStart || !period.HasEnd)
        {
            throw new ArgumentException($"{name} must have both a start and an end; got {period}.", name);
        }
    }
}

/// <summary>How a period stands against a target.</summary>
public enum TargetVerdict
{
    /// <summary>Downtime within the allowance, with enough data.</summary>
    Met,

    /// <summary>Downtime over the allowance, with enough data.</summary>
    Missed,

    /// <summary>Coverage under the threshold: neither met nor missed; no automatic credit, a manager decides.</summary>
    InsufficientData,
}
