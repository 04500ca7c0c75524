using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Reports;
using SlaGrains.Contracts.Tickets;

namespace SlaGrains.Ui.Services;

/// <summary>
/// The customer dashboard in the shape status pages expect (snake_case): <c>current_status</c>, <c>current_month</c>,
/// <c>historical</c> (12 months), <c>incidents</c> (90 days), <c>sla_compliance</c>, <c>components</c>, the
/// <c>renewal</c> summary and the archived <c>reports</c>.
/// </summary>
public sealed record Dashboard(
    string CustomerId,
    string Name,
    DashboardStatus CurrentStatus,
    DashboardMonth? CurrentMonth,
    ImmutableArray<DashboardHistoryMonth> Historical,
    ImmutableArray<DashboardIncident> Incidents,
    ImmutableArray<DashboardCompliance> SlaCompliance,
    DashboardCredits Credits,
    ImmutableArray<DashboardComponent> Components,
    Instant AsOf,
    RenewalSummary? Renewal,
    ImmutableArray<ArchivedReport> Reports);

/// <summary>Now: <c>operational</c>, <c>degraded</c> (a non-critical component down) or <c>outage</c> (a critical one down).</summary>
public sealed record DashboardStatus(string Status, string Message, Instant? LastChecked, ImmutableArray<DashboardComponentStatus> Components);

/// <summary>One component's state now.</summary>
public sealed record DashboardComponentStatus(string MonitorId, string Name, string Status, bool Critical, Instant? LastChecked);

/// <summary>The month so far, in the customer's zone; the error budget is the whole month's.</summary>
public sealed record DashboardMonth(
    YearMonth Period,
    string TimeZone,
    decimal AvailabilityPct,
    decimal SlaTargetPct,
    bool MeetingSla,
    double DowntimeMinutes,
    double ExcludedMinutes,
    DashboardBudget ErrorBudget);

/// <summary>The error budget in minutes and the share remaining (negative once overspent).</summary>
public sealed record DashboardBudget(double TotalMinutes, double UsedMinutes, double RemainingMinutes, decimal PercentRemaining);

/// <summary>One month of the last twelve (the current one is <c>in_progress</c>).</summary>
public sealed record DashboardHistoryMonth(YearMonth Month, decimal AvailabilityPct, decimal SlaTargetPct, bool MetSla, double DowntimeMinutes, int IncidentCount, decimal CreditAmount, bool InProgress);

/// <summary>An incident of the last 90 days, with its review (root-cause category and resolution; null until reviewed).</summary>
public sealed record DashboardIncident(
    string Id, string MonitorId, string Component, Instant Start, Instant? End, double DurationMinutes, bool Resolved, Uri? Postmortem,
    SlaGrains.Contracts.Monitors.IncidentRootCause? RootCause = null, string? Resolution = null);

/// <summary>Compliance this month for one dimension (availability, internal SLO, first response, resolution).</summary>
public sealed record DashboardCompliance(string Dimension, decimal? TargetPct, decimal? ActualPct, bool? Met, int? Measured, int? Breached);

/// <summary>Credits: what this month would earn if it ended now, and the ledger so far.</summary>
public sealed record DashboardCredits(decimal ProjectedPercent, decimal ProjectedAmount, string? Currency, decimal IssuedTotal, ImmutableArray<CreditEntry> Ledger);

/// <summary>A component this month.</summary>
public sealed record DashboardComponent(string MonitorId, string Name, bool Critical, string Status, decimal? AvailabilityPct, double? DowntimeMinutes);

/// <summary>
/// The status page's data, read from the customer's, its monitors' and its tickets' grains: what the customer status
/// page shows and what <c>GET /api/v1/customers/{id}/dashboard</c> returns (one builder, so they agree).
/// </summary>
public static class StatusPage
{
    /// <summary>Everything the status page shows, from the customer's, its monitors' and its tickets' grains.</summary>
    public static async Task<Dashboard> BuildAsync(IGrainFactory grains, ITicketReadModel ticketRows, CustomerEntry entry, Instant now)
    {
        var customer = grains.GetGrain<ICustomerGrain>(entry.CustomerId);
        var reports = grains.GetGrain<ICustomerReportsGrain>(entry.CustomerId);
        var view = await customer.Get();
        var components = view?.Components ?? [];
        var monitors = await Task.WhenAll(components.Select(c => grains.GetGrain<IMonitorGrain>(c.MonitorId).Get()));
        var incidents = (await ComponentIncidents.ListAsync(grains, components)).ToList();
        var monthToDate = await customer.GetMonthToDate();
        var history = await customer.GetHistory(12);
        var credits = await customer.GetCredits();
        var zone = view?.Calendar?.Zone ?? DateTimeZone.Utc;
        var month = monthToDate?.Month ?? now.InZone(zone).Date.ToYearMonth();
        var months = await Task.WhenAll(components.Select(c => grains.GetGrain<IMonitorGrain>(c.MonitorId).GetMonth(month, zone.Id)));
        var names = components.Select((c, i) => (c.MonitorId, Name: monitors[i]?.Settings.ComponentName ?? c.MonitorId)).ToDictionary(x => x.MonitorId, x => x.Name);

        var statuses = components.Select((c, i) => new DashboardComponentStatus(
            c.MonitorId, names[c.MonitorId], monitors[i] is { IsDown: true } ? "down" : monitors[i]?.LastResultAt is null ? "unknown" : "up", c.IsCritical, monitors[i]?.LastResultAt)).ToImmutableArray();
        var status = (view?.Status.Status ?? Domain.Availability.ServiceStatus.Operational) switch
        {
            Domain.Availability.ServiceStatus.Outage => new DashboardStatus("outage", "Service disruption in progress", null, statuses),
            Domain.Availability.ServiceStatus.Degraded => new DashboardStatus("degraded", "Degraded performance", null, statuses),
            _ => new DashboardStatus("operational", "All systems operational", null, statuses),
        };
        status = status with { LastChecked = statuses.Max(s => s.LastChecked) };

        DashboardMonth? current = monthToDate is { } m
            ? new DashboardMonth(m.Month, m.TimeZoneId, m.UptimePercent, m.SlaTargetPercent, m.SlaMet, Minutes(m.Downtime), Minutes(m.Excluded), new DashboardBudget(
                Minutes(m.Budget), Minutes(m.Downtime), Minutes(m.BudgetRemaining), m.Budget > Duration.Zero ? Math.Round(100m * (decimal)(m.BudgetRemaining / m.Budget), 1) : 100m))
            : null;

        int IncidentsIn(Interval period) => incidents.Count(i => period.Contains(i.Start));
        var historical = history.OrderBy(h => h.Month)
            .Select(h => new DashboardHistoryMonth(h.Month, h.UptimePercent, h.SlaTargetPercent, h.SlaMet, Minutes(h.Downtime), IncidentsIn(h.Period), h.CreditAmount, false))
            .ToList();
        if (monthToDate is { } live && historical.All(h => h.Month != live.Month))
        {
            historical.Add(new DashboardHistoryMonth(live.Month, live.UptimePercent, live.SlaTargetPercent, live.SlaMet, Minutes(live.Downtime), IncidentsIn(live.Period), live.ProjectedCreditAmount, true));
        }

        var recent = incidents.Where(i => i.Start >= now - Duration.FromDays(90))
            .OrderByDescending(i => i.Start)
            .Select(i => new DashboardIncident(i.IncidentId, i.MonitorId, names.GetValueOrDefault(i.MonitorId, i.MonitorId), i.Start, i.End, Minutes((i.End ?? now) - i.Start), i.End is not null, i.Postmortem, i.RootCause, i.Resolution))
            .ToImmutableArray();

        var compliance = new List<DashboardCompliance>();
        if (monthToDate is { } c)
        {
            compliance.Add(new DashboardCompliance("availability", c.SlaTargetPercent, c.UptimePercent, c.SlaMet, null, null));
            compliance.Add(new DashboardCompliance("internal_slo", c.SloTargetPercent, c.UptimePercent, c.SloMet, null, null));
        }

        var thisMonth = monthToDate?.Period ?? new Interval(now - Duration.FromDays(31), now);
        var tickets = await ticketRows.StatsAsync(new TicketStatsQuery { Customers = [entry.CustomerId], CreatedIn = thisMonth, Now = now });
        compliance.Add(TicketCompliance("first_response", tickets.Aggregate(default(ClockCompliance), (sum, t) => sum + t.FirstResponse)));
        compliance.Add(TicketCompliance("resolution", tickets.Aggregate(default(ClockCompliance), (sum, t) => sum + t.Resolution)));

        var componentRows = components.Select((comp, i) => (comp, i, SoFar: SoFar(months[i], now)))
            .Select(x => new DashboardComponent(x.comp.MonitorId, names[x.comp.MonitorId], x.comp.IsCritical, statuses[x.i].Status, x.SoFar?.UptimePercent, x.SoFar is { } so ? Minutes(so.Downtime) : null))
            .ToImmutableArray();

        return new Dashboard(
            entry.CustomerId,
            entry.Name,
            status,
            current,
            [.. historical.TakeLast(12)],
            recent,
            [.. compliance],
            new DashboardCredits(monthToDate?.ProjectedCreditPercent ?? 0m, monthToDate?.ProjectedCreditAmount ?? 0m, monthToDate?.Currency ?? view?.Agreement?.Currency, credits.Sum(x => x.EffectiveAmount), credits),
            componentRows,
            now,
            await reports.GetRenewalSummary(),
            await reports.List());
    }

    /// <summary>
    /// Of the tickets opened this month, the share of one metric's clocks that stopped within target
    /// among those decided (stopped in time, or breached); running clocks within target are not yet decided.
    /// </summary>
    private static DashboardCompliance TicketCompliance(string dimension, ClockCompliance c)
    {
        return new DashboardCompliance(dimension, null, c.Percent is { } p ? Math.Round(p, 2) : null, c.Decided == 0 ? null : c.Breached == 0, c.Decided, c.Breached);
    }

    /// <summary>A component's month so far (to now, like the customer's figure), from its downtime intervals.</summary>
    private static Domain.Availability.AvailabilityReport? SoFar(MonitorMonthView? month, Instant now)
        => month is null || now <= month.Period.Start
            ? null
            : Domain.Availability.AvailabilityReport.Compute(new Interval(month.Period.Start, Instant.Min(now, month.Period.End)), month.DowntimeIntervals);

    private static double Minutes(Duration d) => Math.Round(d.TotalMinutes, 2);

}
