using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Tickets;
using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Reports;

/// <summary>
/// A customer's SLA report for an ended month or quarter, in the customer's zone: the commitment, availability per
/// service and aggregated (4 decimals), downtime, incidents, excluded maintenance, the credit when the commitment was
/// missed, and the ticket SLA per priority. The same inputs always give the same numbers (only
/// <see cref="GeneratedAt"/> differs between two reports of a closed period).
/// </summary>
public sealed record SlaReport(
    string CustomerId,
    string CustomerName,
    string Period,
    string TimeZone,
    Instant PeriodStart,
    Instant PeriodEnd,
    decimal CommitmentPercent,
    decimal UptimePercent,
    bool CommitmentMet,
    double DowntimeMinutes,
    double ExcludedMinutes,
    ImmutableArray<ReportService> Services,
    ImmutableArray<ReportIncident> Incidents,
    ImmutableArray<ReportExclusion> ExcludedMaintenance,
    ReportCredit? Credit,
    ImmutableArray<ReportTicketPriority> Tickets,
    Instant GeneratedAt);

/// <summary>One service (a monitored component) over the period.</summary>
public sealed record ReportService(string MonitorId, string Name, bool Critical, decimal UptimePercent, double DowntimeMinutes);

/// <summary>One incident that overlapped the period.</summary>
public sealed record ReportIncident(string IncidentId, string Service, Instant Start, Instant? End, double DurationMinutes, Uri? Postmortem);

/// <summary>Maintenance excluded from the period: announced with the contract's notice.</summary>
public sealed record ReportExclusion(string Service, Instant Start, Instant End, Instant AnnouncedAt, string Description);

/// <summary>The credit the missed commitment earns, from the contract's schedule and cap.</summary>
public sealed record ReportCredit(decimal CreditPercent, decimal Amount, string Currency, bool Capped, string Reason);

/// <summary>Tickets opened in the period with one priority: compliance of decided clocks, and the breaches.</summary>
public sealed record ReportTicketPriority(
    TicketPriority Priority,
    int Tickets,
    decimal? FirstResponseCompliancePercent,
    decimal? ResolutionCompliancePercent,
    ImmutableArray<ReportBreach> Breaches);

/// <summary>A breached clock and how far over its target it went.</summary>
public sealed record ReportBreach(string TicketId, SlaMetric Metric, double OverTargetMinutes);

/// <summary>Builds <see cref="SlaReport"/>s from the customer's, its monitors' and its tickets' grains.</summary>
public static class SlaReports
{
    /// <summary>The report, or null with why (unknown customer is the caller's concern).</summary>
    public static async Task<(SlaReport? Report, string? Problem)> BuildAsync(IGrainFactory grains, CustomerEntry entry, string periodName, Func<DateTimeZone, Interval> period, Instant now)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(period);
        var customer = grains.GetGrain<ICustomerGrain>(entry.CustomerId);
        var view = await customer.Get();
        if (view?.Agreement is not { } agreement || view.Calendar is not { } calendar)
        {
            return (null, $"Customer '{entry.CustomerId}' needs a contract and a calendar before it has reports.");
        }

        var interval = period(calendar.Zone);
        if (interval.End > now)
        {
            return (null, $"{periodName} in {calendar.Zone.Id} ends at {interval.End}: reports cover ended periods.");
        }

        var availability = (await customer.GetAvailability(interval))!;
        var monitors = await Task.WhenAll(view.Components.Select(c => grains.GetGrain<IMonitorGrain>(c.MonitorId).Get()));
        var names = view.Components.Select((c, i) => (c.MonitorId, Name: monitors[i]?.Settings.ComponentName ?? c.MonitorId)).ToDictionary(x => x.MonitorId, x => x.Name);
        var incidents = (await Task.WhenAll(view.Components.Select(c => grains.GetGrain<IMonitorGrain>(c.MonitorId).GetIncidents(1000))))
            .SelectMany(i => i)
            .Where(i => i.Start < interval.End && (i.End ?? Instant.MaxValue) > interval.Start)
            .OrderBy(i => i.Start)
            .Select(i => new ReportIncident(i.IncidentId, names.GetValueOrDefault(i.MonitorId, i.MonitorId), i.Start, i.End, Minutes((i.End ?? interval.End) - i.Start), i.Postmortem))
            .ToImmutableArray();
        var credit = agreement.CreditFor(availability.UptimePercent);
        var tickets = (await TicketIndex.ListAsync(grains, entry.CustomerId)).Where(t => interval.Contains(t.CreatedAt)).ToList();

        return (new SlaReport(
            entry.CustomerId,
            entry.Name,
            periodName,
            calendar.Zone.Id,
            interval.Start,
            interval.End,
            agreement.SlaTargetPercent,
            availability.UptimePercent,
            availability.SlaMet,
            Minutes(availability.Downtime),
            Minutes(availability.Excluded),
            [.. availability.Components.Select(c => new ReportService(c.MonitorId, names.GetValueOrDefault(c.MonitorId, c.MonitorId), c.IsCritical, c.UptimePercent, Minutes(c.Downtime)))],
            incidents,
            [.. availability.ExcludedMaintenance.Select(m => new ReportExclusion(names.GetValueOrDefault(m.MonitorId, m.MonitorId), m.Window.Start, m.Window.End, m.Window.AnnouncedAt, m.Window.Description))],
            availability.SlaMet ? null : new ReportCredit(credit.CreditPercent, credit.Amount, credit.Currency, credit.Capped, credit.Reason),
            [.. tickets.GroupBy(t => t.Priority).OrderBy(g => g.Key).Select(g => TicketRow(g.Key, [.. g]))],
            now), null);
    }

    /// <summary>A calendar month (<c>2026-10</c>) or quarter (<c>2026-Q3</c>) in the customer's zone; null when neither parses.</summary>
    public static (string Name, Func<DateTimeZone, Interval> Period)? ParsePeriod(string? month, string? quarter)
    {
        if (month is not null && NodaTime.Text.YearMonthPattern.Iso.Parse(month) is { Success: true } ym)
        {
            return (month, zone => ReportingPeriod.Month(ym.Value, zone));
        }

        if (quarter is { Length: 7 } q && q[4] == '-' && q[5] is 'Q' or 'q' && int.TryParse(q[..4], System.Globalization.CultureInfo.InvariantCulture, out var year) && q[6] is >= '1' and <= '4')
        {
            return (q.ToUpperInvariant(), zone => ReportingPeriod.Quarter(year, q[6] - '0', zone));
        }

        return null;
    }

    private static ReportTicketPriority TicketRow(TicketPriority priority, List<TicketView> tickets)
    {
        decimal? Compliance(SlaMetric metric) => ClockCompliance.Of(tickets, metric).Percent is { } p ? Math.Round(p, 2) : null;

        var breaches = tickets
            .SelectMany(t => t.Clocks.Where(c => ClockCompliance.IsBreached(c.State)).Select(c => new ReportBreach(t.TicketId, c.Metric, Minutes(c.Elapsed - c.Target))))
            .OrderBy(b => b.TicketId, StringComparer.Ordinal)
            .ThenBy(b => b.Metric)
            .ToImmutableArray();
        return new ReportTicketPriority(priority, tickets.Count, Compliance(SlaMetric.FirstResponse), Compliance(SlaMetric.Resolution), breaches);
    }

    private static double Minutes(Duration d) => Math.Round(d.TotalMinutes, 2);
}
