using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Tickets;

/// <summary>
/// Compliance of one metric over some tickets: of the clocks that are decided — stopped within target (met) or
/// breached — the share met. A clock still running within its target is not decided yet. One rule for the status
/// page, the inbox's health panel and the reports.
/// </summary>
public readonly record struct ClockCompliance(int Met, int Breached)
{
    /// <summary>Clocks that are met or breached.</summary>
    public int Decided => Met + Breached;

    /// <summary>Met among decided, in percent; null when none is decided.</summary>
    public decimal? Percent => Decided == 0 ? null : 100m * Met / Decided;

    /// <summary>Both counted together.</summary>
    public static ClockCompliance operator +(ClockCompliance a, ClockCompliance b) => new(a.Met + b.Met, a.Breached + b.Breached);

    /// <summary>The compliance of <paramref name="metric"/> over <paramref name="clocks"/>.</summary>
    public static ClockCompliance Of(IEnumerable<ClockView> clocks, SlaMetric metric)
    {
        var decided = clocks.Where(c => c.Metric == metric).ToList();
        return new(decided.Count(c => c.State == ClockState.Met), decided.Count(c => IsBreached(c.State)));
    }

    /// <summary>Past its target: still running, paused, or stopped late.</summary>
    public static bool IsBreached(ClockState state) => state is ClockState.BreachedRunning or ClockState.BreachedPaused or ClockState.BreachedStopped;
}
