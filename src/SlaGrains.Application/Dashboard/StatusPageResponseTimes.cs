using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Dashboard;

/// <summary>
/// One probing monitor's measured response times over the window, oldest first; <see cref="MedianMs"/> and
/// <see cref="P95Ms"/> (nearest rank) over the same checks, null when there are none; and its hourly p50/p95/p99 over
/// the same 24 hours from the rollups.
/// </summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Component">The component it watches, as the status page names it.</param>
/// <param name="Points">The checks that measured a response time (any region), oldest first.</param>
/// <param name="MedianMs">The median response time in milliseconds.</param>
/// <param name="P95Ms">The 95th percentile response time in milliseconds.</param>
/// <param name="Hours">The hourly buckets of the last 24 hours that had checks, oldest first.</param>
public sealed record MonitorResponseTimes(
    string MonitorId, string Component, ImmutableArray<ResponseTimePoint> Points, double? MedianMs, double? P95Ms, ImmutableArray<ResponseTimeBucket> Hours = default);

/// <summary>One check's response time in milliseconds, measured at <paramref name="At"/> from <paramref name="Region"/> (empty: the single location).</summary>
public sealed record ResponseTimePoint(Instant At, string Region, double Milliseconds);

/// <summary>
/// The status page's response-time chart: for each of the customer's probing monitors (every kind but push and
/// heartbeat, <see cref="ResponseTimeBucket.Probes"/>), the response times of its checks in the last <see cref="Window"/>
/// (the newest <see cref="PointLimit"/>) from the <c>check_results</c> read model, and its hourly p50/p95/p99 from
/// <c>check_rollups</c>. Push and heartbeat monitors measure no response time and are not listed. Whoever may read the customer reads
/// them (the same check as <see cref="StatusPage"/>); any other customer looks like one that does not exist.
/// </summary>
[ApplicationService]
public sealed class StatusPageResponseTimes(IGrainFactory grains, IMonitorReadModel monitorRows, CustomerDirectory customers, ISlaNow clock)
{
    /// <summary>How far back the chart reaches: 24 hours.</summary>
    public static readonly Duration Window = Duration.FromHours(24);

    /// <summary>Checks per monitor at most: 288 (one every 5 minutes for a day); the newest are kept.</summary>
    public const int PointLimit = 288;

    /// <summary>The customer's probing monitors by component name, each with its response times; not found when the caller may not see the customer.</summary>
    public async Task<Result<ImmutableArray<MonitorResponseTimes>>> Get(Caller caller, string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is not { } entry)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        // The status page's components are the customer's linked monitors; the monitor rows say which probe.
        var view = await grains.GetGrain<ICustomerGrain>(entry.CustomerId).Get();
        var linked = (view?.Components ?? []).Select(c => c.MonitorId).ToHashSet(StringComparer.Ordinal);
        var probing = (await monitorRows.MonitorsAsync([entry.CustomerId], cancellationToken))
            .Where(m => ResponseTimeBucket.Probes(m.Kind) && linked.Contains(m.MonitorId))
            .OrderBy(m => m.Component, StringComparer.Ordinal).ThenBy(m => m.MonitorId, StringComparer.Ordinal)
            .ToList();
        var now = clock.Now;
        var hours = (await monitorRows.RollupsAsync([.. probing.Select(m => m.MonitorId)], RollupGranularity.Hour, CheckRollup.HourOf(now - Window).End, now + Duration.FromTicks(1), cancellationToken))
            .ToLookup(r => r.MonitorId, StringComparer.Ordinal);
        var charts = ImmutableArray.CreateBuilder<MonitorResponseTimes>(probing.Count);
        foreach (var monitor in probing)
        {
            var rows = await monitorRows.CheckResultsAsync(monitor.MonitorId, now - Window, now + Duration.FromTicks(1), PointLimit, cancellationToken);
            var points = rows.Where(r => r.ResponseTime is not null)
                .OrderBy(r => r.At).ThenBy(r => r.Region, StringComparer.Ordinal)
                .Select(r => new ResponseTimePoint(r.At, r.Region, Math.Round(r.ResponseTime!.Value.TotalMilliseconds, 1)))
                .ToImmutableArray();
            charts.Add(new MonitorResponseTimes(
                monitor.MonitorId, monitor.Component, points, Percentile(points, 50), Percentile(points, 95),
                [.. hours[monitor.MonitorId].Where(h => h.Figures.Checks > 0).Select(ResponseTimeBucket.From)]));
        }

        return charts.ToImmutable();
    }

    /// <summary>The nearest-rank percentile of the points' milliseconds; null without points.</summary>
    internal static double? Percentile(ImmutableArray<ResponseTimePoint> points, int percent)
    {
        if (points.IsDefaultOrEmpty)
        {
            return null;
        }

        var sorted = points.Select(p => p.Milliseconds).Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
