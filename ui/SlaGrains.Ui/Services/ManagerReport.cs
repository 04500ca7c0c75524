using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Ui.Services;

/// <summary>Which customers and months a manager report covers.</summary>
/// <param name="From">First month (closed months count for compliance and credits; incidents and tickets count as they are).</param>
/// <param name="To">Last month.</param>
/// <param name="CustomerId">Only this customer; null: all.</param>
/// <param name="Group">Only customers in this account group; null: all.</param>
/// <param name="Tier">Only customers on this SLA tier (by name, case-insensitive; overrides count as the tier); null: all.</param>
/// <param name="Outcome">Only customers that met every month (<c>met</c>) or missed at least one (<c>breached</c>); null: all.</param>
public sealed record ManagerReportFilter(YearMonth From, YearMonth To, string? CustomerId = null, string? Group = null, string? Tier = null, string? Outcome = null);

/// <summary>Across customers: compliance, breaches, credits, root causes, time to detect and renegotiation candidates.</summary>
public sealed record ManagerReport(
    ManagerReportFilter Filter,
    ImmutableArray<ManagerReportCustomer> Customers,
    int Months,
    int MonthsMet,
    decimal? CompliancePercent,
    int TicketBreaches,
    ImmutableArray<CurrencyCredits> Credits,
    ImmutableArray<RootCauseShare> RootCauses,
    TimeToDetect TimeToDetect,
    ImmutableArray<RenegotiationCandidate> RenegotiationCandidates);

/// <summary>One customer over the range.</summary>
public sealed record ManagerReportCustomer(
    string CustomerId,
    string Name,
    string? Group,
    string? Tier,
    decimal CommitmentPercent,
    int Months,
    int MonthsMet,
    decimal? LowestMonthPercent,
    int Incidents,
    int TicketBreaches,
    decimal? FirstResponseCompliancePercent,
    decimal? ResolutionCompliancePercent,
    decimal Credits,
    decimal MonthlyFee,
    string Currency);

/// <summary>Credits against recurring revenue in one currency: issued ÷ (monthly fee × months counted), percent.</summary>
public sealed record CurrencyCredits(string Currency, decimal Issued, decimal RecurringRevenue, decimal? IssuanceRatePercent, int AccountsWithCredits, decimal LargestCredit);

/// <summary>Incidents and their downtime by root-cause category (<c>unclassified</c> until reviewed).</summary>
public sealed record RootCauseShare(string RootCause, int Incidents, double DowntimeMinutes, decimal SharePercent);

/// <summary>First degradation (the first failed check) → first internal alert (the incident opened), over the incidents counted.</summary>
public sealed record TimeToDetect(int Incidents, double? MeanMinutes, double? P90Minutes, double? MaxMinutes);

/// <summary>A customer whose contract is worth revisiting, and why.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Name">Its name.</param>
/// <param name="Reason">The figures behind it, as a sentence.</param>
/// <param name="Kind"><c>breaching-repeatedly</c> (2 or more missed months) or <c>could-tighten</c> (every month of at least 3 met using under a fifth of the error budget).</param>
public sealed record RenegotiationCandidate(string CustomerId, string Name, string Kind, string Reason);

/// <summary>Builds <see cref="ManagerReport"/>s from the closed months, credits, incidents and tickets of the customers a manager sees.</summary>
public static class ManagerReports
{
    /// <summary>Builds the report; <paramref name="caller"/> decides which customers are visible at all.</summary>
    public static async Task<ManagerReport> BuildAsync(IGrainFactory grains, ITicketReadModel ticketRows, Caller caller, ManagerReportFilter filter)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(filter);
        var directory = grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key);
        var visible = (await SlaReads.VisibleCustomersAsync(grains, caller, filter.CustomerId)).ToHashSet(StringComparer.Ordinal);
        var entries = (await directory.List()).Where(e => visible.Contains(e.CustomerId) && (filter.Group is null || string.Equals(e.Group, filter.Group, StringComparison.OrdinalIgnoreCase)));
        var rows = new List<(ManagerReportCustomer Row, List<MonthlyAvailability> Months, List<IncidentView> Incidents, ImmutableArray<CreditEntry> Credits)>();
        foreach (var entry in entries)
        {
            var customer = grains.GetGrain<ICustomerGrain>(entry.CustomerId);
            if (await customer.Get() is not { Agreement: { } agreement } view
                || (filter.Tier is not null && !string.Equals(view.Tier?.Name, filter.Tier, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var months = (await customer.GetHistory(int.MaxValue)).Where(h => h.Month >= filter.From && h.Month <= filter.To).OrderBy(h => h.Month).ToList();
            var missed = months.Count(h => !h.SlaMet);
            if ((filter.Outcome == "met" && (missed > 0 || months.Count == 0)) || (filter.Outcome == "breached" && missed == 0))
            {
                continue;
            }

            // Months, compliance and credits count closed months; incidents and tickets count everything in the range so far.
            var zone = view.Calendar?.Zone ?? DateTimeZone.Utc;
            var range = new Interval(ReportingPeriod.Month(filter.From, zone).Start, ReportingPeriod.Month(filter.To, zone).End);
            var incidents = (await ComponentIncidents.ListAsync(grains, view.Components)).Where(i => range.Contains(i.Start)).ToList();
            var tickets = await ticketRows.StatsAsync(new TicketStatsQuery { Customers = [entry.CustomerId], CreatedIn = range });
            var breaches = await ticketRows.BreachesAsync(entry.CustomerId, range);
            var credits = (await customer.GetCredits()).Where(c => c.Month >= filter.From && c.Month <= filter.To && c.EffectiveAmount > 0m).ToImmutableArray();
            static decimal? Compliance(ClockCompliance c) => c.Percent is { } p ? Math.Round(p, 2) : null;

            rows.Add((new ManagerReportCustomer(
                entry.CustomerId, entry.Name, entry.Group, view.Tier?.Name, agreement.SlaTargetPercent, months.Count, months.Count - missed,
                months.Count == 0 ? null : months.Min(h => h.UptimePercent), incidents.Count,
                breaches.Count,
                Compliance(tickets.Aggregate(default(ClockCompliance), (sum, t) => sum + t.FirstResponse)),
                Compliance(tickets.Aggregate(default(ClockCompliance), (sum, t) => sum + t.Resolution)),
                credits.Sum(c => c.EffectiveAmount), agreement.MonthlyFee, agreement.Currency), months, incidents, credits));
        }

        var totalMonths = rows.Sum(x => x.Row.Months);
        var met = rows.Sum(x => x.Row.MonthsMet);
        var incidentsCounted = rows.SelectMany(x => x.Incidents).ToList();
        return new ManagerReport(
            filter,
            [.. rows.Select(x => x.Row).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)],
            totalMonths,
            met,
            totalMonths == 0 ? null : Math.Round(100m * met / totalMonths, 2),
            rows.Sum(x => x.Row.TicketBreaches),
            [.. rows.GroupBy(x => x.Row.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var issued = g.Sum(x => x.Row.Credits);
                var revenue = g.Sum(x => x.Row.MonthlyFee * x.Row.Months);
                return new CurrencyCredits(g.Key, issued, revenue, revenue == 0m ? null : Math.Round(100m * issued / revenue, 2),
                    g.Count(x => x.Row.Credits > 0m), g.SelectMany(x => x.Credits).Select(c => c.EffectiveAmount).DefaultIfEmpty(0m).Max());
            })],
            RootCauses(incidentsCounted),
            Detection(incidentsCounted),
            [.. rows.Select(x => Candidate(x.Row, x.Months)).OfType<RenegotiationCandidate>()]);
    }

    private static ImmutableArray<RootCauseShare> RootCauses(List<IncidentView> incidents)
        => [.. incidents.GroupBy(i => IncidentRootCauses.Words(i.RootCause))
            .Select(g => new RootCauseShare(g.Key, g.Count(), Math.Round(g.Sum(i => ((i.End ?? i.Start) - i.Start).TotalMinutes), 2), Math.Round(100m * g.Count() / incidents.Count, 1)))
            .OrderByDescending(s => s.Incidents).ThenBy(s => s.RootCause, StringComparer.Ordinal)];

    private static TimeToDetect Detection(List<IncidentView> incidents)
    {
        var minutes = incidents.Select(i => Math.Max(0, (i.OpenedAt - i.Start).TotalMinutes)).Order().ToList();
        if (minutes.Count == 0)
        {
            return new TimeToDetect(0, null, null, null);
        }

        // Nearest rank: the smallest value with at least 90 % of the values at or below it.
        var p90 = minutes[(int)Math.Ceiling(0.9 * minutes.Count) - 1];
        return new TimeToDetect(minutes.Count, Math.Round(minutes.Average(), 2), Math.Round(p90, 2), Math.Round(minutes[^1], 2));
    }

    private static RenegotiationCandidate? Candidate(ManagerReportCustomer row, List<MonthlyAvailability> months)
    {
        var missed = months.Where(h => !h.SlaMet).Select(h => h.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (missed.Count >= 2)
        {
            return new RenegotiationCandidate(row.CustomerId, row.Name, "breaching-repeatedly",
                $"Missed {row.CommitmentPercent} % in {missed.Count} of {months.Count} months ({string.Join(", ", missed)}).");
        }

        var budgetUsed = months.Select(h => h.SlaBudget > Duration.Zero ? (double)(h.Downtime / h.SlaBudget) : 1d).ToList();
        if (months.Count >= 3 && missed.Count == 0 && budgetUsed.All(u => u < 0.2))
        {
            return new RenegotiationCandidate(row.CustomerId, row.Name, "could-tighten",
                $"Met {row.CommitmentPercent} % in all {months.Count} months using at most {budgetUsed.Max():P0} of the error budget (lowest month {row.LowestMonthPercent} %).");
        }

        return null;
    }
}
