using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Contracts.ReadModels;

/// <summary>Latency SLIs over periods from <c>check_results</c> (what months, dashboards, reports and credits read).</summary>
public static class LatencyTallies
{
    /// <summary>
    /// The monitor's latency checks in <paramref name="period"/> (clipped to <paramref name="until"/> when given: a month
    /// so far) judged against <paramref name="slo"/>'s threshold.
    /// </summary>
    public static async Task<LatencyTally> TallyAsync(
        this IMonitorReadModel rows, string monitorId, LatencySlo slo, Interval period, Instant? until = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(slo);
        var end = until is { } u && u < period.End ? u : period.End;
        var counts = await rows.LatencyCountsAsync(monitorId, period.Start, end, Duration.FromMilliseconds(slo.ThresholdMs), cancellationToken).ConfigureAwait(false);
        return new LatencyTally(counts.Good, counts.Total);
    }

    /// <summary>
    /// Each monitor with a latency SLO among <paramref name="monitors"/> (nulls skipped) with its tally over
    /// <paramref name="period"/> (to <paramref name="until"/> when given), in the given order.
    /// </summary>
    public static async Task<IReadOnlyList<(MonitorView Monitor, LatencyTally Tally)>> TalliesAsync(
        this IMonitorReadModel rows, IEnumerable<MonitorView?> monitors, Interval period, Instant? until = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(monitors);
        var withSlo = monitors.Where(m => m?.Settings.Latency is not null).Select(m => m!).ToList();
        var tallies = new List<(MonitorView, LatencyTally)>(withSlo.Count);
        foreach (var monitor in withSlo)
        {
            tallies.Add((monitor, await rows.TallyAsync(monitor.MonitorId, monitor.Settings.Latency!, period, until, cancellationToken).ConfigureAwait(false)));
        }

        return tallies;
    }
}
