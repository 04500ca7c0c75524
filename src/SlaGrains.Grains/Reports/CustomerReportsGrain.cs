using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Reports;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Reports;

/// <summary>A customer's archived reports, oldest first (one per period, never replaced).</summary>
[GenerateSerializer]
[Alias("slagrains.customer-reports-state")]
public sealed class CustomerReportsState
{
    /// <summary>The archived reports.</summary>
    [Id(0)]
    public List<SlaReport> Archived { get; set; } = [];
}

/// <summary>
/// Builds a customer's reports from the grains that own the data (the customer's availability and credit rules, its
/// monitors' incidents and maintenance, its ticket index) and archives them. Building only reads, through calls that
/// interleave, so the customer grain may ask for an archive from inside its own month close.
/// </summary>
public sealed class CustomerReportsGrain(
    [PersistentState("reports")] IPersistentState<CustomerReportsState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ITicketReadModel tickets,
    IMonitorReadModel monitorRows) : Grain, ICustomerReportsGrain
{
    private string CustomerId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<ReportResult> Get(ReportPeriod period)
        => Archived(period) is { } archived ? new ReportResult(archived, null) : await Build(period, provisionalAllowed: true);

    /// <inheritdoc />
    public async Task<ReportResult> Archive(ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (Archived(period) is { } archived)
        {
            return new ReportResult(archived, null);
        }

        // Never a provisional one: a running period is refused here, so the archive holds final reports only.
        var built = await Build(period, provisionalAllowed: false);
        if (built.Report is { } report)
        {
            state.State.Archived.Add(report);
            await state.WriteStateAsync();
        }

        return built;
    }

    /// <inheritdoc />
    public Task<ImmutableArray<ArchivedReport>> List()
        => Task.FromResult(state.State.Archived
            .OrderByDescending(r => r.PeriodEnd).ThenByDescending(r => r.PeriodStart)
            .Select(r => new ArchivedReport(r.Period, r.PeriodStart, r.PeriodEnd, r.UptimePercent, r.CommitmentMet, r.GeneratedAt, r.CoveragePercent, r.InsufficientData))
            .ToImmutableArray());

    /// <inheritdoc />
    public async Task<RenewalSummary?> GetRenewalSummary()
    {
        var customer = GrainFactory.GetGrain<ICustomerGrain>(CustomerId);
        if (await customer.Get() is not { Agreement: { } agreement, Calendar: { } calendar } view)
        {
            return null;
        }

        return await Renewal(view, agreement.SlaTargetPercent, agreement.Currency, calendar.Zone, through: null);
    }

    private SlaReport? Archived(ReportPeriod period)
    {
        var name = period.ToString();
        return state.State.Archived.Find(r => r.Period == name)?.WithSections();
    }

    /// <summary>
    /// Builds the report of <paramref name="period"/> now. A period still running is measured up to its as-of instant
    /// (<see cref="ReportPeriod.Measured"/>) and marked provisional when <paramref name="provisionalAllowed"/>, else
    /// refused; it is never archived or kept, so every request measures it again.
    /// </summary>
    private async Task<ReportResult> Build(ReportPeriod period, bool provisionalAllowed)
    {
        var customer = GrainFactory.GetGrain<ICustomerGrain>(CustomerId);
        var view = await customer.Get();
        if (view?.Agreement is not { } agreement || view.Calendar is not { } calendar)
        {
            return new ReportResult(null, $"Customer '{CustomerId}' needs a contract and a calendar before it has reports.");
        }

        var now = time.Now();
        var whole = period.In(calendar.Zone);
        var provisional = whole.End > now;
        if (provisional && !provisionalAllowed)
        {
            return new ReportResult(null, $"{period} in {calendar.Zone.Id} ends at {whole.End}: reports cover ended periods.");
        }

        // Everything below is measured over the period so far (the whole period once it has ended).
        if (period.Measured(calendar.Zone, now) is not { } interval)
        {
            return new ReportResult(null, $"{period} in {calendar.Zone.Id} begins at {whole.Start}: there is nothing to report yet.");
        }

        var entry = await GrainFactory.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(CustomerId);
        var availability = (await customer.GetAvailability(interval))!;
        var components = await Components(view);
        var incidents = components.Incidents
            .Where(i => i.Overlaps(interval))
            .OrderBy(i => i.Start).ThenBy(i => i.IncidentId, StringComparer.Ordinal)
            .Select(i => new ReportIncident(i.IncidentId, components.Name(i.MonitorId), i.Start, i.End, Minutes((i.End ?? interval.End) - i.Start), i.RootCause is null ? null : IncidentRootCauses.Words(i.RootCause), i.Resolution, i.Postmortem))
            .ToImmutableArray();
        var latency = await Latency(view, agreement.LatencyCommitmentPercent, interval, components);
        var credit = agreement.CreditFor(availability.UptimePercent, latency is { TotalChecks: > 0 } l ? new LatencyTally(l.GoodChecks, l.TotalChecks) : null);
        // Issue 20 — ticket-SLA credits: the period's decided clocks, folded as the month close folds them.
        credit = agreement.TicketCredits.IsEmpty ? credit : TicketCredit.Fold(credit, await tickets.DecidedClocksAsync(CustomerId, interval), agreement);
        var ticketStats = await tickets.StatsAsync(new TicketStatsQuery { Customers = [CustomerId], CreatedIn = interval, Now = now });
        var breaches = await tickets.BreachesAsync(CustomerId, interval);
        var through = period.Month is { } m ? new YearMonth(period.Year, m) : new YearMonth(period.Year, period.Quarter!.Value * 3);
        var stats = await monitorRows.CheckStatsAsync([.. availability.Components.Select(c => c.MonitorId).Distinct(StringComparer.Ordinal)], interval.Start, interval.End);

        // The raw results the figures come from, hashed as the checks.csv export writes them (read a page at a time).
        var raw = await RawCheckExport.WriteAsync(monitorRows, view.Components.Select(c => c.MonitorId), interval.Start, interval.End, output: null);

        var report = new SlaReport(
            CustomerId,
            entry?.Name ?? CustomerId,
            period.ToString(),
            calendar.Zone.Id,
            whole.Start,
            whole.End,
            agreement.SlaTargetPercent,
            availability.UptimePercent,
            availability.SlaMet,
            Minutes(availability.Downtime),
            Minutes(availability.Excluded),
            [.. availability.Components.Select(c => new ReportService(c.MonitorId, components.Name(c.MonitorId), c.IsCritical, c.UptimePercent, Minutes(c.Downtime)))],
            incidents,
            [.. availability.ExcludedMaintenance.OrderBy(m => m.Window.Start).Select(m => new ReportExclusion(components.Name(m.MonitorId), m.Window.Start, m.Window.End, m.Window.AnnouncedAt, m.Window.Description))],
            // Insufficient data makes no automatic credit: neither met nor missed, a manager decides. A month that met
            // availability may still earn a credit for missing the contract's latency commitment.
            availability.InsufficientData || (availability.SlaMet && credit.CreditPercent == 0m) ? null : new ReportCredit(credit.CreditPercent, credit.Amount, credit.Currency, credit.Capped, credit.Reason),
            [.. ticketStats.OrderBy(t => t.Priority).Select(t => TicketRow(t, breaches))],
            await Renewal(view, agreement.SlaTargetPercent, agreement.Currency, calendar.Zone, through, components),
            now,
            availability.CoveragePercent,
            Minutes(availability.Unknown),
            availability.InsufficientData,
            availability.MinimumCoveragePercent,
            [.. stats.Where(r => r.Region is null).Select(r => new ReportResponseTimes(r.MonitorId, components.Name(r.MonitorId), r.Checks, r.TimedChecks, Ms(r.ResponseP50), Ms(r.ResponseP95), Ms(r.ResponseP99), Ms(r.ResponseMax)))],
            [.. stats.Where(r => r.Region is not null).Select(r => new ReportRegion(r.MonitorId, components.Name(r.MonitorId), r.Region!, r.Checks, r.FailedChecks, r.AvailabilityPercent, Ms(r.ResponseP50), Ms(r.ResponseP95), Ms(r.ResponseP99)))],

            latency,
            Provisional: provisional,
            AsOf: provisional ? interval.End : null,
            RawChecks: raw,
            // Issue 20 — incidents linked to tickets
            SlaRelatedTickets: SlaRelatedTickets(ticketStats));

        // Issue 20 — exclusions: excluded time by cause and the period's reclassified parts.
        var classified = (await customer.GetClassifications(null)).Where(c => c.From < interval.End && interval.Start < c.To).OrderBy(c => c.From).ToList();
        report = report with
        {
            ExcludedByClass = availability.ExcludedByClass is { } byClass
                ? new ReportExcludedTime(Minutes(byClass.Maintenance), Minutes(byClass.CustomerCaused), Minutes(byClass.ForceMajeure), Minutes(byClass.ThirdParty))
                : null,
            Reclassifications = [.. classified.Select(c => new ReportReclassification(
                c.IncidentId, components.Name(c.MonitorId), Domain.Agreements.ExclusionClause.Label(c.Class), c.From, c.To, Minutes(c.To - c.From), c.Excluded, c.Reason, c.At))],
        };
        return new ReportResult(report, null);
    }

    /// <summary>Issue 20: the period's tickets linked to an incident among those opened in it (the SLA-related ticket rate).</summary>
    private static ReportTicketRate SlaRelatedTickets(IReadOnlyList<TicketSlaStats> stats)
    {
        var opened = stats.Sum(t => t.Tickets);
        var linked = stats.Sum(t => t.LinkedToIncidents);
        return new ReportTicketRate(opened, linked, SlaRelatedTicketRate.Percent(opened, linked));
    }

    /// <summary>
    /// The period's latency over the services whose monitor has a latency SLO, counted in <c>check_results</c>
    /// (kept 90 days: an older period counts what is left); null when no service has one.
    /// </summary>
    private async Task<ReportLatency?> Latency(CustomerView view, decimal? commitment, Interval period, ComponentFacts components)
    {
        var monitors = await Task.WhenAll(view.Components.Select(c => GrainFactory.GetGrain<IMonitorGrain>(c.MonitorId).Get()));
        var tallies = await monitorRows.TalliesAsync(monitors, period);
        if (tallies.Count == 0)
        {
            return null;
        }

        var services = tallies.Select(t =>
        {
            var slo = t.Monitor.Settings.Latency!;
            var budget = EventRatioBudget.Of(t.Tally.Good, t.Tally.Total, slo.ObjectivePercent);
            return new ReportLatencyService(
                t.Monitor.MonitorId, components.Name(t.Monitor.MonitorId), slo.ThresholdMs, slo.ObjectivePercent, t.Tally.Good, t.Tally.Total,
                budget.SliPercent, budget.Met, budget.RemainingPercent);
        }).ToImmutableArray();
        var good = tallies.Sum(t => t.Tally.Good);
        var total = tallies.Sum(t => t.Tally.Total);
        var sli = new LatencyTally(good, total).SliPercent;
        bool? met = commitment is { } c && total > 0 ? EventRatioBudget.Of(good, total, c).Met : null;
        return new ReportLatency(commitment, good, total, sli, met, services);
    }

    /// <summary>The renewal summary over the closed months of the 12 up to <paramref name="through"/> (null: the latest closed).</summary>
    private async Task<RenewalSummary> Renewal(CustomerView view, decimal commitment, string currency, DateTimeZone zone, YearMonth? through, ComponentFacts? known = null)
        => WithTerm(await RenewalFigures(view, commitment, currency, zone, through, known), view.Agreement?.Term, time.Now().InZone(zone).Date);

    // Issue 20 — term and renewal
    /// <summary>The summary with where the contract's term stands on <paramref name="today"/> (unchanged without a term).</summary>
    private static RenewalSummary WithTerm(RenewalSummary summary, ContractTerm? term, LocalDate today)
    {
        if (term is null)
        {
            return summary;
        }

        var standing = term.On(today);
        return summary with { Term = term.Describe(today), TermStart = term.Start, RenewsOn = standing.RenewsOn, NoticeDueBy = standing.NoticeDueBy, EndsOn = standing.EndsOn };
    }

    private async Task<RenewalSummary> RenewalFigures(CustomerView view, decimal commitment, string currency, DateTimeZone zone, YearMonth? through, ComponentFacts? known)
    {
        var customer = GrainFactory.GetGrain<ICustomerGrain>(CustomerId);
        var history = await customer.GetHistory(int.MaxValue);
        var last = through ?? (history.IsEmpty ? null : history[0].Month);
        var months = last is { } l
            ? history.Where(h => h.Month <= l && h.Month > l.PlusMonths(-12)).OrderBy(h => h.Month).ToList()
            : [];
        if (months.Count == 0)
        {
            return new RenewalSummary(null, null, 0, null, commitment, 0, null, null, 0, null, 0m, currency);
        }

        var range = new Interval(months[0].Period.Start, months[^1].Period.End);
        var overall = await customer.GetAvailability(range);
        var quarters = new List<(string Name, decimal Percent, Instant End)>();
        // Only whole quarters count, each with the figure of its archived quarterly report when there is one: a quarter cut
        // by the 12-month window (say only its December) was named as the quarter with another figure than the quarter's
        // report on the same page (issue 16: "the same quarter shows 99.9924 % and 99.9768 %").
        foreach (var quarter in months.GroupBy(h => (h.Month.Year, Quarter: (h.Month.Month + 2) / 3)).Where(q => q.Count() == 3))
        {
            var name = $"{quarter.Key.Year:0000}-Q{quarter.Key.Quarter}";
            var span = new Interval(quarter.Min(h => h.Period.Start), quarter.Max(h => h.Period.End));
            if (state.State.Archived.Find(r => r.Period == name) is { } archived)
            {
                quarters.Add((name, archived.UptimePercent, span.End));
            }
            else if (await customer.GetAvailability(span) is { } q)
            {
                quarters.Add((name, q.UptimePercent, span.End));
            }
        }

        var best = quarters.OrderByDescending(q => q.Percent).ThenByDescending(q => q.End).FirstOrDefault();
        var facts = known ?? await Components(view);
        var incidents = facts.Incidents.Where(i => range.Contains(i.Start)).ToList();
        var resolved = incidents.Where(i => i.End is not null).Select(i => (i.End!.Value - i.Start).TotalMinutes).ToList();
        var credits = await customer.GetCredits();
        var issued = credits.Where(c => c.Month >= months[0].Month && c.Month <= months[^1].Month).Sum(c => c.EffectiveAmount);

        return new RenewalSummary(
            months[0].Month,
            months[^1].Month,
            months.Count,
            overall?.UptimePercent,
            commitment,
            months.Count(h => h.SlaMet),
            best.Name,
            best.Name is null ? null : best.Percent,
            incidents.Count,
            resolved.Count == 0 ? null : Math.Round(resolved.Average(), 2),
            issued,
            currency);
    }

    private async Task<ComponentFacts> Components(CustomerView view)
    {
        var monitors = await Task.WhenAll(view.Components.Select(c => GrainFactory.GetGrain<IMonitorGrain>(c.MonitorId).Get()));
        var incidents = await ComponentIncidents.ListAsync(GrainFactory, view.Components);
        var names = view.Components
            .Select((c, i) => (c.MonitorId, Name: monitors[i]?.Settings.ComponentName ?? c.MonitorId))
            .ToImmutableDictionary(x => x.MonitorId, x => x.Name, StringComparer.Ordinal);
        return new ComponentFacts(names, incidents);
    }

    /// <summary>One priority's row: counts and compliance aggregated in SQL, each breach with its time over target.</summary>
    private static ReportTicketPriority TicketRow(TicketSlaStats stats, IReadOnlyList<TicketBreach> breaches)
    {
        static decimal? Compliance(ClockCompliance c) => c.Percent is { } p ? Math.Round(p, 2) : null;

        return new ReportTicketPriority(
            stats.Priority,
            stats.Tickets,
            Compliance(stats.FirstResponse),
            Compliance(stats.Resolution),
            [.. breaches.Where(b => b.Priority == stats.Priority).Select(b => new ReportBreach(b.TicketId, b.Metric, Minutes(b.OverTarget)))]);
    }

    private static double Minutes(Duration d) => Math.Round(d.TotalMinutes, 2);

    private static double? Ms(Duration? d) => d is { } v ? Math.Round(v.TotalMilliseconds, 1) : null;

    private sealed record ComponentFacts(ImmutableDictionary<string, string> Names, ImmutableArray<IncidentView> Incidents)
    {
        public string Name(string monitorId) => Names.GetValueOrDefault(monitorId, monitorId);
    }
}
