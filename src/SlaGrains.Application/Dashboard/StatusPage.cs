using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Application.Incidents;
using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Incidents;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Reports;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Customers;

namespace SlaGrains.Application.Dashboard;

/// <summary>
/// The status page's data: live status and the month from the customer's and its monitors' grains; incidents,
/// maintenance, the 90 daily bars and ticket compliance from the read-model tables. What the customer status page
/// shows, what <c>GET /api/v1/customers/{id}/dashboard</c> returns and what its CSV export lists (one builder, so they agree).
/// </summary>
[ApplicationService]
public sealed class StatusPage(
    IGrainFactory grains, ITicketReadModel ticketRows, IMonitorReadModel monitorRows, CustomerDirectory customers, ISlaNow clock, IIncidentReadModel incidentRows)
{
    /// <summary>The status word of a customer without any monitor (its message: "No monitors yet").</summary>
    public const string NoMonitors = "no_monitors";

    /// <summary>Incidents the page reads at most: 13 months of them (the history and the last 90 days).</summary>
    private const int IncidentLimit = 10_000;

    /// <summary>Everything the status page shows at now; not found when the customer does not exist or the caller may not see it.</summary>
    public async Task<Result<Dashboard>> Get(Caller caller, string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await customers.FindAsync(caller, customerId) is { } entry
            ? await BuildAsync(entry, clock.Now, caller, cancellationToken)
            : Failure.NotFound($"Customer '{customerId}'");
    }

    /// <summary>
    /// Everything the status page shows for a customer found without a caller, at <paramref name="now"/>: what the public
    /// status page keeps its public fields of (<see cref="StatusPages.PublicStatusPages"/>). Read as the public caller, so
    /// incident updates carry no staff names.
    /// </summary>
    internal Task<Dashboard> BuildFor(CustomerEntry entry, Instant now, CancellationToken cancellationToken = default)
        => BuildAsync(entry, now, IncidentQueries.PublicCaller(entry.CustomerId), cancellationToken);

    private async Task<Dashboard> BuildAsync(CustomerEntry entry, Instant now, Caller caller, CancellationToken cancellationToken)
    {
        var customer = grains.GetGrain<ICustomerGrain>(entry.CustomerId);
        var reports = grains.GetGrain<ICustomerReportsGrain>(entry.CustomerId);
        var view = await customer.Get();
        var components = view?.Components ?? [];
        var monitors = await Task.WhenAll(components.Select(c => grains.GetGrain<IMonitorGrain>(c.MonitorId).Get()));
        var monitorIds = components.Select(c => c.MonitorId).ToHashSet(StringComparer.Ordinal);
        var incidents = (await monitorRows.IncidentsAsync([entry.CustomerId], now - Duration.FromDays(400), IncidentLimit, cancellationToken))
            .Where(r => monitorIds.Contains(r.Incident.MonitorId)).Select(r => r.Incident).ToList();
        var monthToDate = await customer.GetMonthToDate();
        var history = await customer.GetHistory(12);
        var credits = await customer.GetCredits();
        var zone = view?.Calendar?.Zone ?? DateTimeZone.Utc;
        var month = monthToDate?.Month ?? now.InZone(zone).Date.ToYearMonth();
        var months = await Task.WhenAll(components.Select(c => grains.GetGrain<IMonitorGrain>(c.MonitorId).GetMonth(month, zone.Id)));
        var names = components.Select((c, i) => (c.MonitorId, Name: monitors[i]?.Settings.ComponentName ?? c.MonitorId)).ToDictionary(x => x.MonitorId, x => x.Name);

        // What the customer's rules rolled up, said again with the components' names. A monitor without any result has no
        // data, whatever it last reported: it is never shown as up.
        var reported = view?.Status;
        ComponentHealth Health(CustomerComponent c, MonitorView? monitor)
            => reported is not null && reported.DownComponents.Contains(c.MonitorId) ? ComponentHealth.Down
            : reported is not null && !reported.MaintenanceComponents.IsDefault && reported.MaintenanceComponents.Contains(c.MonitorId) ? ComponentHealth.Maintenance
            : monitor is { IsDown: true } ? ComponentHealth.Down
            : monitor?.LastResultAt is null || (reported is not null && !reported.UnknownComponents.IsDefault && reported.UnknownComponents.Contains(c.MonitorId)) ? ComponentHealth.Unknown
            : ComponentHealth.Up;
        var healths = components.Select((c, i) => Health(c, monitors[i])).ToList();

        // Open manual incidents change the words shown (never the figures): see ManualIncidentStatus.
        var manual = await incidentRows.ManualIncidentsAsync([entry.CustomerId], now - Duration.FromDays(90), IncidentQueries.ListLimit, cancellationToken);
        var impacts = ManualIncidentStatus.Worst(manual.Select(m => m.Incident));
        var statuses = components.Select((c, i) => new DashboardComponentStatus(
            c.MonitorId, names[c.MonitorId], ManualIncidentStatus.Component(MonitorWords.Health(healths[i]), impacts.TryGetValue(c.MonitorId, out var impact) ? impact : null),
            c.IsCritical, monitors[i]?.LastResultAt)).ToImmutableArray();
        var summary = CustomerStatus.Summarize(components.Select((c, i) => new ComponentReading(new Component(c.MonitorId, c.IsCritical), healths[i], names[c.MonitorId])));
        // Without monitors nothing is measured: no status, month figure, budget or compliance is claimed (issue 16: a customer
        // without monitors showed "All systems operational · 100.0000 %"). Said here, not in the customer's own roll-up:
        // that one's status changes are events (webhooks, live pages), and adding the first monitor must not become one.
        var measured = components.Any();
        var critical = components.Where(c => c.IsCritical).Select(c => c.MonitorId).ToHashSet(StringComparer.Ordinal);
        var (statusWord, statusWords) = ManualIncidentStatus.Customer(
            measured ? StatusWord(summary.Status) : NoMonitors, measured ? summary.Words : "No monitors yet", critical.Contains, manual.Select(m => m.Incident));
        var status = new DashboardStatus(statusWord, statusWords, measured ? statuses.Max(s => s.LastChecked) : null, statuses);

        DashboardMonth? current = monthToDate is { } m && measured
            ? new DashboardMonth(m.Month, m.TimeZoneId, m.UptimePercent, m.SlaTargetPercent, m.SlaMet, Minutes(m.Downtime), Minutes(m.Excluded), new DashboardBudget(
                Minutes(m.Budget), Minutes(m.Downtime), Minutes(m.BudgetRemaining), m.Budget > Duration.Zero ? Math.Round(100m * (decimal)(m.BudgetRemaining / m.Budget), 1) : 100m),
                OutlookWord(m.Outlook), m.OutlookText,
                new DashboardProjection(
                    new DashboardProjected(m.ProjectedUptimePercent, Minutes(m.Downtime), m.ProjectedCreditPercent, m.ProjectedCreditAmount),
                    new DashboardProjected(m.ProjectedUptimePercentAtBurnRate, Minutes(m.ProjectedDowntimeAtBurnRate), m.CreditPercentAtBurnRate, m.CreditAmountAtBurnRate),
                    m.Currency),
                m.CoveragePercent, Minutes(m.Unknown), m.InsufficientDataSoFar)
            : null;

        // Issue 20 — exclusions
        if (current is not null && monthToDate?.ExcludedByClass is { } byClass)
        {
            current = current with { ExcludedByClass = DashboardExcludedTime.From(byClass) };
        }

        int IncidentsIn(Interval period) => incidents.Count(i => period.Contains(i.Start));
        var historical = history.OrderBy(h => h.Month)
            .Select(h => new DashboardHistoryMonth(h.Month, h.UptimePercent, h.SlaTargetPercent, h.SlaMet, Minutes(h.Downtime), IncidentsIn(h.Period), h.CreditAmount, false,
                h.InsufficientData ? "insufficient_data" : h.SlaMet ? "met" : "not_met", h.CoveragePercent))
            .ToList();
        if (monthToDate is { } live && measured && historical.All(h => h.Month != live.Month))
        {
            historical.Add(new DashboardHistoryMonth(live.Month, live.UptimePercent, live.SlaTargetPercent, live.SlaMet, Minutes(live.Downtime), IncidentsIn(live.Period), live.ProjectedCreditAmount, true,
                OutlookWord(live.Outlook), live.CoveragePercent));
        }

        var monitorRecent = incidents.Where(i => i.Start >= now - Duration.FromDays(90)).ToList();
        var updates = (await incidentRows.UpdatesAsync([.. monitorRecent.Select(i => i.IncidentId), .. manual.Select(m => m.Incident.IncidentId)], 10_000, cancellationToken))
            .ToLookup(u => u.IncidentId, StringComparer.Ordinal);
        var recent = monitorRecent
            .Select(i => (i.Start, Row: new DashboardIncident(i.IncidentId, i.MonitorId, names.GetValueOrDefault(i.MonitorId, i.MonitorId), i.Start, i.End, Minutes((i.End ?? now) - i.Start), i.End is not null, i.Postmortem, i.RootCause, i.Resolution)
                .WithTimeline(IncidentQueries.Monitor(caller, i, names.GetValueOrDefault(i.MonitorId, i.MonitorId), updates[i.IncidentId]))))
            .Concat(manual.Select(m => IncidentQueries.Manual(caller, m.Incident, names, updates[m.Incident.IncidentId]))
                .Select(d => (d.Start, Row: new DashboardIncident(d.Id, string.Empty, string.Join(", ", d.Components), d.Start, d.End, Minutes((d.End ?? now) - d.Start), d.Resolved, null).WithTimeline(d))))
            .OrderByDescending(x => x.Start)
            .Select(x => x.Row)
            .ToImmutableArray();

        var compliance = new List<DashboardCompliance>();
        if (monthToDate is { } c && measured)
        {
            compliance.Add(new DashboardCompliance("availability", c.SlaTargetPercent, c.UptimePercent, c.SlaMet, null, null));
            compliance.Add(new DashboardCompliance("internal_slo", c.SloTargetPercent, c.UptimePercent, c.SloMet, null, null));
        }

        var thisMonth = monthToDate?.Period ?? new Interval(now - Duration.FromDays(31), now);
        if (measured && await LatencyCompliance(monitors, view?.Agreement?.LatencyCommitmentPercent, ReportingPeriod.Month(month, zone), now, cancellationToken) is { } latency)
        {
            compliance.Add(latency);
        }

        var tickets = await ticketRows.StatsAsync(new TicketStatsQuery { Customers = [entry.CustomerId], CreatedIn = thisMonth, Now = now }, cancellationToken);
        compliance.Add(TicketCompliance("first_response", tickets.Aggregate(default(ClockCompliance), (sum, t) => sum + t.FirstResponse)));
        compliance.Add(TicketCompliance("resolution", tickets.Aggregate(default(ClockCompliance), (sum, t) => sum + t.Resolution)));

        var today = now.InUtc().Date;
        var firstDay = today.PlusDays(1 - DashboardDay.Span);
        var rollups = (monitorIds.Count == 0 ? []
            : await monitorRows.RollupsAsync(monitorIds, RollupGranularity.Day, firstDay.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(), now, cancellationToken))
            .ToLookup(r => r.MonitorId, StringComparer.Ordinal);
        // A component without any result has no figure: missing data is not 100 % uptime.
        var componentRows = components.Select((comp, i) => (comp, i, SoFar: monitors[i]?.LastResultAt is null ? null : SoFar(months[i], now)))
            .Select(x => new DashboardComponent(
                x.comp.MonitorId, names[x.comp.MonitorId], x.comp.IsCritical, statuses[x.i].Status, x.SoFar?.UptimePercent, x.SoFar is { } so ? Minutes(so.Downtime) : null,
                Days(firstDay, rollups[x.comp.MonitorId])))
            .ToImmutableArray();
        var maintenance = (await monitorRows.MaintenanceAsync([entry.CustomerId], now, 100, cancellationToken))
            .Where(m => monitorIds.Contains(m.MonitorId))
            .Select(m => new DashboardMaintenance(m.Maintenance.MaintenanceId, m.MonitorId, names[m.MonitorId], m.Maintenance.Start, m.Maintenance.End, m.Maintenance.Description, m.Maintenance.Start <= now))
            .ToImmutableArray();

        return new Dashboard(
            entry.CustomerId,
            entry.Name,
            status,
            current,
            [.. historical.TakeLast(12)],
            recent,
            [.. compliance],
            new DashboardCredits(monthToDate?.ProjectedCreditPercent ?? 0m, monthToDate?.ProjectedCreditAmount ?? 0m, monthToDate?.Currency ?? view?.Agreement?.Currency, credits.Sum(x => x.EffectiveAmount), credits,
                monthToDate?.CreditPercentAtBurnRate ?? 0m, monthToDate?.CreditAmountAtBurnRate ?? 0m),
            componentRows,
            now,
            await reports.GetRenewalSummary(),
            await reports.List(),
            maintenance);
    }

    /// <summary>One bar per day from <paramref name="first"/> to today; a day without a rollup has no data.</summary>
    private static ImmutableArray<DashboardDay> Days(LocalDate first, IEnumerable<CheckRollupRow> rollups)
    {
        var byDay = rollups.ToDictionary(r => r.BucketStart.InUtc().Date);
        return [.. Enumerable.Range(0, DashboardDay.Span).Select(offset =>
        {
            var date = first.PlusDays(offset);
            if (!byDay.TryGetValue(date, out var row))
            {
                return new DashboardDay(date, "no_data", null, 0, 0, Minutes(Duration.FromDays(1)));
            }

            var f = row.Figures;
            var percent = DashboardDay.Availability(f.Up, f.Down);
            var status = f.Down > Duration.Zero ? "outage" : f.Up > Duration.Zero ? "operational" : "no_data";
            return new DashboardDay(date, status, percent, Minutes(f.Up), Minutes(f.Down), Minutes(f.Unknown));
        })];
    }

    /// <summary>
    /// The <c>latency</c> row: this month so far, the share of checks answered within their monitor's threshold over the
    /// components whose monitor has a latency SLO (failed checks count as not good), against the contract's latency
    /// commitment, or without one the strictest of the monitors' objectives. <see cref="DashboardCompliance.Measured"/>
    /// is the checks counted, <see cref="DashboardCompliance.Breached"/> those not good. Null when no monitor has a latency SLO.
    /// </summary>
    private async Task<DashboardCompliance?> LatencyCompliance(
        IEnumerable<MonitorView?> monitors, decimal? commitment, Interval month, Instant now, CancellationToken cancellationToken)
    {
        var tallies = await monitorRows.TalliesAsync(monitors, month, now, cancellationToken);
        if (tallies.Count == 0)
        {
            return null;
        }

        var target = commitment ?? tallies.Max(t => t.Monitor.Settings.Latency!.ObjectivePercent);
        var good = tallies.Sum(t => t.Tally.Good);
        var total = tallies.Sum(t => t.Tally.Total);
        var budget = EventRatioBudget.Of(good, total, target);
        return new DashboardCompliance("latency", target, budget.SliPercent, budget.Met, (int)Math.Min(total, int.MaxValue), (int)Math.Min(budget.Used, int.MaxValue));
    }

    /// <summary>
    /// Of the tickets opened this month, the share of one metric's clocks that stopped within target
    /// among those decided (stopped in time, or breached); running clocks within target are not yet decided.
    /// </summary>
    private static DashboardCompliance TicketCompliance(string dimension, ClockCompliance c)
        => new(dimension, null, c.Percent is { } p ? Math.Round(p, 2) : null, c.Decided == 0 ? null : c.Breached == 0, c.Decided, c.Breached);

    /// <summary>A component's month so far (to now, like the customer's figure), from its downtime intervals.</summary>
    private static AvailabilityReport? SoFar(MonitorMonthView? month, Instant now)
        => month is null || now <= month.Period.Start
            ? null
            : AvailabilityReport.Compute(new Interval(month.Period.Start, Instant.Min(now, month.Period.End)), month.DowntimeIntervals);

    private static double Minutes(Duration d) => Math.Round(d.TotalMinutes, 2);

    private static string StatusWord(ServiceStatus status) => status switch
    {
        ServiceStatus.Outage => "outage",
        ServiceStatus.Degraded => "degraded",
        ServiceStatus.UnderMaintenance => "maintenance",
        ServiceStatus.Unknown => "unknown",
        _ => "operational",
    };

    private static string OutlookWord(MonthOutlook outlook) => outlook switch
    {
        MonthOutlook.NotMet => "not_met",
        MonthOutlook.AtRisk => "at_risk",
        _ => "on_track",
    };
}
