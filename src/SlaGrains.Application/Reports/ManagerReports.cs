using System.Collections.Immutable;
using System.Globalization;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Reports;

/// <summary>
/// Reports for managers across the customers they see: <see cref="ManagerReport"/>s from the closed months, credits,
/// incidents and tickets, and a month's <see cref="InvoiceLine"/>s for billing. Admins and managers only.
/// </summary>
[ApplicationService]
public sealed class ManagerReports(IGrainFactory grains, ITicketReadModel ticketRows, IMonitorReadModel monitorRows, CustomerDirectory customers, ISlaNow clock)
{
    /// <summary>Most months one report covers: ten years.</summary>
    public const int MaxMonths = 120;

    /// <summary>Incidents read per customer at most.</summary>
    private const int IncidentLimit = 10_000;

    /// <summary>Whether the caller may read reports across customers and invoice lines (admins and managers).</summary>
    public static bool MayRead(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.ManagesContracts;
    }

    /// <summary>The range a report covers when none is named: the twelve months up to the last closed one (UTC).</summary>
    public (YearMonth From, YearMonth To) DefaultRange()
    {
        var lastClosed = clock.Now.InUtc().Date.ToYearMonth().PlusMonths(-1);
        return (lastClosed.PlusMonths(-11), lastClosed);
    }

    /// <summary>The report over <paramref name="input"/>'s months and filters; forbidden to technicians and customers, invalid for a month, range, filter or format that is not one.</summary>
    public async Task<Result<ManagerReport>> Build(Caller caller, ManagerReportInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!MayRead(caller))
        {
            return Failure.Forbidden("Manager reports are for managers and admins.");
        }

        var errors = new InputErrors();
        var (defaultFrom, defaultTo) = DefaultRange();
        var first = Month(input.From, "from", errors) ?? defaultFrom;
        var last = Month(input.To, "to", errors) ?? defaultTo;
        if (first > last)
        {
            errors.Add("from", "The range starts after it ends.");
        }
        else if ((last.Year - first.Year) * 12 + last.Month - first.Month >= MaxMonths)
        {
            errors.Add("to", $"A report covers at most {MaxMonths} months.");
        }

        if (input.Outcome is not (null or "met" or "breached"))
        {
            errors.Add("outcome", "The outcome is met or breached.");
        }

        if (input.Customer is { } customer && !Bounds.IsId(customer))
        {
            errors.Add("customer", Bounds.IdRule("A customer id"));
        }

        foreach (var (field, value) in new[] { ("group", input.Group), ("tier", input.Tier) })
        {
            if (value is not null && (value.Length > Bounds.NameLength || !Bounds.IsPrintable(value)))
            {
                errors.Add(field, $"At most {Bounds.NameLength} characters and no control characters.");
            }
        }

        if (input.Format is not (null or "json" or "csv"))
        {
            errors.Add("format", "A manager report is json or csv.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        return await BuildAsync(caller, new ManagerReportFilter(first, last, input.Customer, input.Group, input.Tier, input.Outcome), cancellationToken);
    }

    /// <summary>
    /// The invoice lines of every customer the caller sees whose month <paramref name="month"/> (<c>yyyy-MM</c>) is
    /// closed, by customer id; forbidden to technicians and customers, invalid without a month or for a format that is
    /// not <c>csv</c> or <c>json</c>.
    /// </summary>
    public async Task<Result<IReadOnlyList<InvoiceLine>>> InvoiceLines(Caller caller, string? month, string? format = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!MayRead(caller))
        {
            return Failure.Forbidden("Invoice lines are for managers and admins.");
        }

        var errors = new InputErrors();
        var parsed = Month(month, "month", errors);
        if (parsed is null && !errors.Any)
        {
            errors.Add("month", "Name the invoiced month as month=yyyy-MM.");
        }

        if (format is not (null or "json" or "csv"))
        {
            errors.Add("format", "Invoice lines are csv or json.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        return Result<IReadOnlyList<InvoiceLine>>.Success(await LinesAsync(caller, parsed!.Value));
    }

    private async Task<IReadOnlyList<InvoiceLine>> LinesAsync(Caller caller, YearMonth month)
    {
        var lines = new List<InvoiceLine>();
        foreach (var entry in await customers.VisibleAsync(caller))
        {
            var customer = grains.GetGrain<ICustomerGrain>(entry.CustomerId);
            var closed = (await customer.GetHistory(int.MaxValue)).FirstOrDefault(h => h.Month == month);
            var credit = (await customer.GetCredits()).FirstOrDefault(c => c.Month == month);
            if (closed is null || credit is null || await customer.Get() is not { Agreement: { } agreement })
            {
                continue;
            }

            // A resolved dispute's recomputation is what is invoiced; the month keeps one credit.
            var name = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var percent = credit.Adjustment?.CreditPercent ?? credit.CreditPercent;
            var description = credit.EffectiveAmount > 0m
                ? string.Create(CultureInfo.InvariantCulture, $"SLA credit {name}: availability {credit.Adjustment?.DecidedAvailabilityPercent ?? closed.UptimePercent:0.0000} % against {closed.SlaTargetPercent} %, {percent} % of the monthly fee")
                : string.Create(CultureInfo.InvariantCulture, $"SLA {name}: availability {credit.Adjustment?.DecidedAvailabilityPercent ?? closed.UptimePercent:0.0000} % against {closed.SlaTargetPercent} %, no credit");
            if (closed.InsufficientData && credit.Adjustment is null)
            {
                description = string.Create(CultureInfo.InvariantCulture, $"SLA {name}: insufficient data (coverage {closed.CoveragePercent:0.##} %), no automatic credit — a manager decides");
            }

            description += credit.Adjustment is { } a ? $" (as decided on dispute {a.DisputeId})." : ".";
            lines.Add(new InvoiceLine(entry.CustomerId, entry.Name, entry.Group, month, closed.UptimePercent, closed.SlaTargetPercent, closed.SlaMet, agreement.MonthlyFee,
                credit.Key, percent, credit.EffectiveAmount, credit.Currency, credit.Status.ToString().ToLowerInvariant(), credit.Adjustment?.DisputeId, description,
                credit.Applied is not null, credit.Applied?.InvoiceReference, credit.Applied?.InvoiceDate));
        }

        return lines;
    }

    private async Task<ManagerReport> BuildAsync(Caller caller, ManagerReportFilter filter, CancellationToken cancellationToken)
    {
        var entries = (await customers.VisibleAsync(caller, filter.CustomerId))
            .Where(e => filter.Group is null || string.Equals(e.Group, filter.Group, StringComparison.OrdinalIgnoreCase));
        var rows = new List<(ManagerReportCustomer Row, List<MonthlyAvailability> Months, List<IncidentView> Incidents, ImmutableArray<CreditEntry> Credits, DateTimeZone Zone, Dictionary<YearMonth, int> Breaches)>();
        foreach (var entry in entries)
        {
            var customer = grains.GetGrain<ICustomerGrain>(entry.CustomerId);
            if (await customer.Get() is not { Agreement: { } agreement } view
                || (filter.Tier is not null && !string.Equals(view.Tier?.Name, filter.Tier, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var months = (await customer.GetHistory(int.MaxValue)).Where(h => h.Month >= filter.From && h.Month <= filter.To).OrderBy(h => h.Month).ToList();
            // A month with insufficient data is neither met nor missed.
            var missed = months.Count(h => !h.SlaMet && !h.InsufficientData);
            var met = months.Count(h => h.SlaMet && !h.InsufficientData);
            if ((filter.Outcome == "met" && (missed > 0 || months.Count == 0)) || (filter.Outcome == "breached" && missed == 0))
            {
                continue;
            }

            // Months, compliance and credits count closed months; incidents and tickets count everything in the range so far.
            var zone = view.Calendar?.Zone ?? DateTimeZone.Utc;
            var range = new Interval(ReportingPeriod.Month(filter.From, zone).Start, ReportingPeriod.Month(filter.To, zone).End);
            var components = view.Components.Select(c => c.MonitorId).ToHashSet(StringComparer.Ordinal);
            var incidents = (await monitorRows.IncidentsAsync([entry.CustomerId], range.Start, IncidentLimit, cancellationToken))
                .Select(r => r.Incident).Where(i => components.Contains(i.MonitorId) && range.Contains(i.Start)).ToList();
            var tickets = await ticketRows.StatsAsync(new TicketStatsQuery { Customers = [entry.CustomerId], CreatedIn = range }, cancellationToken);
            // Breaches asked month by month (a breach row carries no date): the total is their sum, so the chart and the total agree.
            var breaches = new Dictionary<YearMonth, int>();
            for (var month = filter.From; month <= filter.To; month = month.PlusMonths(1))
            {
                breaches[month] = (await ticketRows.BreachesAsync(entry.CustomerId, ReportingPeriod.Month(month, zone), cancellationToken)).Count;
            }

            var credits = (await customer.GetCredits()).Where(c => c.Month >= filter.From && c.Month <= filter.To && c.EffectiveAmount > 0m).ToImmutableArray();
            static decimal? Compliance(ClockCompliance c) => c.Percent is { } p ? Math.Round(p, 2) : null;
            var opened = tickets.Sum(t => t.Tickets);
            var linked = tickets.Sum(t => t.LinkedToIncidents);

            rows.Add((new ManagerReportCustomer(
                entry.CustomerId, entry.Name, entry.Group, view.Tier?.Name, agreement.SlaTargetPercent, months.Count, met,
                months.Count == 0 ? null : months.Min(h => h.UptimePercent), incidents.Count,
                breaches.Values.Sum(),
                Compliance(tickets.Aggregate(default(ClockCompliance), (sum, t) => sum + t.FirstResponse)),
                Compliance(tickets.Aggregate(default(ClockCompliance), (sum, t) => sum + t.Resolution)),
                credits.Sum(c => c.EffectiveAmount), agreement.MonthlyFee, agreement.Currency,
                opened, linked, Domain.Tickets.SlaRelatedTicketRate.Percent(opened, linked)), months, incidents, credits, zone, breaches));
        }

        var totalMonths = rows.Sum(x => x.Row.Months);
        var monthsMet = rows.Sum(x => x.Row.MonthsMet);
        var insufficient = rows.Sum(x => x.Months.Count(h => h.InsufficientData));
        var incidentsCounted = rows.SelectMany(x => x.Incidents).ToList();
        return new ManagerReport(
            filter,
            [.. rows.Select(x => x.Row).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)],
            totalMonths,
            monthsMet,
            Percent(monthsMet, totalMonths - insufficient),
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
            [.. rows.Select(x => Candidate(x.Row, x.Months)).OfType<RenegotiationCandidate>()],
            insufficient,
            PerMonth(filter, rows.Select(x => (x.Months, x.Incidents, x.Zone, x.Breaches))),
            SlaRelatedTickets(rows.Select(x => x.Row)));
    }

    /// <summary>Each month of the range from the same closed months, incidents and breach counts as the totals.</summary>
    private static ImmutableArray<ManagerReportMonth> PerMonth(
        ManagerReportFilter filter, IEnumerable<(List<MonthlyAvailability> Months, List<IncidentView> Incidents, DateTimeZone Zone, Dictionary<YearMonth, int> Breaches)> rows)
    {
        var counted = rows.ToList();
        var series = ImmutableArray.CreateBuilder<ManagerReportMonth>();
        for (var month = filter.From; month <= filter.To; month = month.PlusMonths(1))
        {
            var closed = counted.SelectMany(x => x.Months).Where(h => h.Month == month).ToList();
            var met = closed.Count(h => h.SlaMet && !h.InsufficientData);
            var missed = closed.Count(h => !h.SlaMet && !h.InsufficientData);
            series.Add(new ManagerReportMonth(
                month,
                closed.Count,
                met,
                missed,
                closed.Count(h => h.InsufficientData),
                Percent(met, met + missed),
                counted.Sum(x => x.Incidents.Count(i => i.Start.InZone(x.Zone).Date.ToYearMonth() == month)),
                counted.Sum(x => x.Breaches.GetValueOrDefault(month))));
        }

        return series.ToImmutable();
    }

    /// <summary>Issue 20: the SLA-related ticket rate across the customers counted.</summary>
    private static Contracts.Reports.ReportTicketRate SlaRelatedTickets(IEnumerable<ManagerReportCustomer> customers)
    {
        var list = customers.ToList();
        var opened = list.Sum(c => c.TicketsOpened);
        var linked = list.Sum(c => c.TicketsLinkedToIncidents);
        return new(opened, linked, Domain.Tickets.SlaRelatedTicketRate.Percent(opened, linked));
    }

    private static decimal? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100m * part / whole, 2);

    private static YearMonth? Month(string? text, string field, InputErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = NodaTime.Text.YearMonthPattern.Iso.Parse(text);
        if (!parsed.Success || parsed.Value.Year < Bounds.EarliestDate.Year || parsed.Value.Year > Bounds.LatestDate.Year)
        {
            errors.Add(field, $"Not a month as yyyy-MM from 2000-01 to 2099-12 (e.g. 2026-10).");
            return null;
        }

        return parsed.Value;
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
        var missed = months.Where(h => !h.SlaMet && !h.InsufficientData).Select(h => h.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToList();
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
