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

    /// <summary>The compliance of <paramref name="metric"/> over <paramref name="tickets"/>.</summary>
    public static ClockCompliance Of(IEnumerable<TicketView> tickets, SlaMetric metric)
    {
        var clocks = tickets.SelectMany(t => t.Clocks.Where(c => c.Metric == metric)).ToList();
        return new(clocks.Count(c => c.State == ClockState.Met), clocks.Count(c => IsBreached(c.State)));
    }

    /// <summary>Past its target: still running, paused, or stopped late.</summary>
    public static bool IsBreached(ClockState state) => state is ClockState.BreachedRunning or ClockState.BreachedPaused or ClockState.BreachedStopped;
}
