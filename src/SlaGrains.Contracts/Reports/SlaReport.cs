using System.Collections.Immutable;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Reports;

/// <summary>
/// A customer's SLA report for an ended month or quarter, in the customer's zone: the commitment, availability per
/// service and aggregated (4 decimals), downtime, incidents, excluded maintenance, the credit when the commitment was
/// missed, the ticket SLA per priority and the renewal summary of the 12 months to the period's end. The same inputs
/// always give the same numbers: only <see cref="GeneratedAt"/> differs between two builds of one period, and an
/// archived report is served as archived.
/// <para>
/// A period still running is reported <see cref="Provisional"/>: measured from its start up to <see cref="AsOf"/> (a
/// whole second of the injected clock), never archived, and its data section says so, so it never shares a hash with
/// the final report. <see cref="RawChecks"/> names the raw check results the report was computed from and their
/// SHA-256 (null on reports archived before it was kept).
/// </para>
/// </summary>
[GenerateSerializer]
[Alias("slagrains.sla-report")]
[Immutable]
public sealed record SlaReport(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string CustomerName,
    [property: Id(2)] string Period,
    [property: Id(3)] string TimeZone,
    [property: Id(4)] Instant PeriodStart,
    [property: Id(5)] Instant PeriodEnd,
    [property: Id(6)] decimal CommitmentPercent,
    [property: Id(7)] decimal UptimePercent,
    [property: Id(8)] bool CommitmentMet,
    [property: Id(9)] double DowntimeMinutes,
    [property: Id(10)] double ExcludedMinutes,
    [property: Id(11)] ImmutableArray<ReportService> Services,
    [property: Id(12)] ImmutableArray<ReportIncident> Incidents,
    [property: Id(13)] ImmutableArray<ReportExclusion> ExcludedMaintenance,
    [property: Id(14)] ReportCredit? Credit,
    [property: Id(15)] ImmutableArray<ReportTicketPriority> Tickets,
    [property: Id(16)] RenewalSummary Renewal,
    [property: Id(17)] Instant GeneratedAt,
    [property: Id(18)] decimal? CoveragePercent = null,
    [property: Id(19)] double UnknownMinutes = 0,
    [property: Id(20)] bool InsufficientData = false,
    [property: Id(21)] decimal? MinimumCoveragePercent = null,
    [property: Id(30)] ImmutableArray<ReportResponseTimes>? ResponseTimes = null,
    [property: Id(31)] ImmutableArray<ReportRegion>? Regions = null,
    [property: Id(40)] ReportLatency? Latency = null,
    // Issue 20 — provisional reports
    [property: Id(150)] bool Provisional = false,
    [property: Id(151)] Instant? AsOf = null,
    [property: Id(152)] ReportRawChecks? RawChecks = null,
    // Issue 20 — incidents linked to tickets: null on reports archived before it was kept.
    [property: Id(140)] ReportTicketRate? SlaRelatedTickets = null,

    // Issue 20 — exclusions
    [property: Id(100)] ReportExcludedTime? ExcludedByClass = null,
    [property: Id(101)] ImmutableArray<ReportReclassification>? Reclassifications = null)
{
    /// <summary>
    /// This report with empty response-time sections where it has none: reports archived before they were kept read
    /// back without them (null; nullable rather than a default array, which the OpenAPI document's schema cannot show as
    /// a default value), and every reader sees an empty list instead.
    /// </summary>
    public SlaReport WithSections() => this with
    {
        ResponseTimes = ResponseTimes is { IsDefault: false } times ? times : [],
        Regions = Regions is { IsDefault: false } regions ? regions : [],
    };

    /// <summary>
    /// The result in words: "commitment met", "commitment missed" or, when the data coverage (share of the period
    /// with data, <see cref="CoveragePercent"/>) is under <see cref="MinimumCoveragePercent"/>, "insufficient data":
    /// neither met nor missed, no automatic credit — a manager decides. Reports archived before coverage was kept
    /// have a null coverage.
    /// </summary>
    public string ResultText => InsufficientData
        ? $"insufficient data: measurements cover {CoveragePercent?.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} % of the period (under {MinimumCoveragePercent?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} %); neither met nor missed, no automatic credit — a manager decides"
        : CommitmentMet ? "commitment met" : "commitment missed";
}

/// <summary>
/// The period's latency: the share of checks answered within their monitor's latency threshold, over the services whose
/// monitor has a latency SLO (failed checks count as not good), against the contract's latency commitment when it names
/// one. Null on a report when no service has a latency SLO (and on reports archived before latency SLOs existed).
/// </summary>
/// <param name="CommitmentPercent">The contract's latency commitment; null when the contract names none.</param>
/// <param name="GoodChecks">Checks answered within their threshold.</param>
/// <param name="TotalChecks">Checks counted (failed ones, and up ones with a response time).</param>
/// <param name="SliPercent">Good / total in percent, 4 decimals rounded down; null without checks.</param>
/// <param name="CommitmentMet">Whether the SLI met the commitment; null without a commitment or without checks.</param>
/// <param name="Services">Each service with a latency SLO, against its own objective.</param>
[GenerateSerializer]
[Alias("slagrains.report-latency")]
[Immutable]
public sealed record ReportLatency(
    [property: Id(0)] decimal? CommitmentPercent,
    [property: Id(1)] long GoodChecks,
    [property: Id(2)] long TotalChecks,
    [property: Id(3)] decimal? SliPercent,
    [property: Id(4)] bool? CommitmentMet,
    [property: Id(5)] ImmutableArray<ReportLatencyService> Services);

/// <summary>One service's latency over the period against its monitor's latency SLO.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Name">The service.</param>
/// <param name="ThresholdMs">Its threshold.</param>
/// <param name="ObjectivePercent">Its objective.</param>
/// <param name="GoodChecks">Checks answered within the threshold.</param>
/// <param name="TotalChecks">Checks counted.</param>
/// <param name="SliPercent">Good / total, 4 decimals rounded down; null without checks.</param>
/// <param name="ObjectiveMet">Whether the SLI met the objective; null without checks.</param>
/// <param name="BudgetRemainingPercent">The error budget left, percent of the budget (negative when overspent); null without checks.</param>
[GenerateSerializer]
[Alias("slagrains.report-latency-service")]
[Immutable]
public sealed record ReportLatencyService(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] string Name,
    [property: Id(2)] int ThresholdMs,
    [property: Id(3)] decimal ObjectivePercent,
    [property: Id(4)] long GoodChecks,
    [property: Id(5)] long TotalChecks,
    [property: Id(6)] decimal? SliPercent,
    [property: Id(7)] bool? ObjectiveMet,
    [property: Id(8)] decimal? BudgetRemainingPercent);

/// <summary>One service (a monitored component) over the period.</summary>
[GenerateSerializer]
[Alias("slagrains.report-service")]
[Immutable]
public sealed record ReportService(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] string Name,
    [property: Id(2)] bool Critical,
    [property: Id(3)] decimal UptimePercent,
    [property: Id(4)] double DowntimeMinutes);

/// <summary>
/// One service's response times over the period, from the raw check results of all its regions (nearest-rank
/// percentiles, milliseconds to 0.1). Only services with checks in the period are listed.
/// </summary>
/// <param name="MonitorId">The service's monitor.</param>
/// <param name="Service">Its name.</param>
/// <param name="Checks">Checks in the period.</param>
/// <param name="TimedChecks">Of those, the ones that measured a response time.</param>
/// <param name="P50Ms">Median response time; null when none was measured.</param>
/// <param name="P95Ms">95th percentile.</param>
/// <param name="P99Ms">99th percentile.</param>
/// <param name="MaxMs">Slowest.</param>
[GenerateSerializer]
[Alias("slagrains.report-response-times")]
[Immutable]
public sealed record ReportResponseTimes(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] string Service,
    [property: Id(2)] long Checks,
    [property: Id(3)] long TimedChecks,
    [property: Id(4)] double? P50Ms,
    [property: Id(5)] double? P95Ms,
    [property: Id(6)] double? P99Ms,
    [property: Id(7)] double? MaxMs);

/// <summary>
/// One service seen from one region over the period: its checks, the failed ones, the share that succeeded (by
/// checks, not by time: the contract's availability is the service's figure above) and its response times.
/// </summary>
/// <param name="MonitorId">The service's monitor.</param>
/// <param name="Service">Its name.</param>
/// <param name="Region">The region; empty for a single-location monitor.</param>
/// <param name="Checks">Checks in the period from this region.</param>
/// <param name="FailedChecks">Of those, failures.</param>
/// <param name="AvailabilityPercent">(checks − failed) ÷ checks in percent, 4 decimals rounded down.</param>
/// <param name="P50Ms">Median response time; null when none was measured.</param>
/// <param name="P95Ms">95th percentile.</param>
/// <param name="P99Ms">99th percentile.</param>
[GenerateSerializer]
[Alias("slagrains.report-region")]
[Immutable]
public sealed record ReportRegion(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] string Service,
    [property: Id(2)] string Region,
    [property: Id(3)] long Checks,
    [property: Id(4)] long FailedChecks,
    [property: Id(5)] decimal? AvailabilityPercent,
    [property: Id(6)] double? P50Ms,
    [property: Id(7)] double? P95Ms,
    [property: Id(8)] double? P99Ms);

/// <summary>One incident that overlapped the period (its affected service is its monitor's component).</summary>
[GenerateSerializer]
[Alias("slagrains.report-incident")]
[Immutable]
public sealed record ReportIncident(
    [property: Id(0)] string IncidentId,
    [property: Id(1)] string Service,
    [property: Id(2)] Instant Start,
    [property: Id(3)] Instant? End,
    [property: Id(4)] double DurationMinutes,
    [property: Id(5)] string? RootCause,
    [property: Id(6)] string? Resolution,
    [property: Id(7)] Uri? Postmortem);

/// <summary>Maintenance excluded from the period: announced with the contract's notice.</summary>
[GenerateSerializer]
[Alias("slagrains.report-exclusion")]
[Immutable]
public sealed record ReportExclusion(
    [property: Id(0)] string Service,
    [property: Id(1)] Instant Start,
    [property: Id(2)] Instant End,
    [property: Id(3)] Instant AnnouncedAt,
    [property: Id(4)] string Description);

/// <summary>The credit the missed commitment earns, from the contract's schedule and cap.</summary>
[GenerateSerializer]
[Alias("slagrains.report-credit")]
[Immutable]
public sealed record ReportCredit(
    [property: Id(0)] decimal CreditPercent,
    [property: Id(1)] decimal Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] bool Capped,
    [property: Id(4)] string Reason);

/// <summary>Tickets opened in the period with one priority: compliance of decided clocks, and the breaches.</summary>
[GenerateSerializer]
[Alias("slagrains.report-ticket-priority")]
[Immutable]
public sealed record ReportTicketPriority(
    [property: Id(0)] TicketPriority Priority,
    [property: Id(1)] int Tickets,
    [property: Id(2)] decimal? FirstResponseCompliancePercent,
    [property: Id(3)] decimal? ResolutionCompliancePercent,
    [property: Id(4)] ImmutableArray<ReportBreach> Breaches);

/// <summary>A breached clock and how far over its target it went.</summary>
[GenerateSerializer]
[Alias("slagrains.report-breach")]
[Immutable]
public sealed record ReportBreach([property: Id(0)] string TicketId, [property: Id(1)] SlaMetric Metric, [property: Id(2)] double OverTargetMinutes);

/// <summary>
/// What a renewal conversation needs, over the closed months of the 12 up to <see cref="Through"/>: availability
/// against the commitment, months met, the best quarter, incidents with their mean time to resolve, and credits.
/// </summary>
/// <param name="From">The first month counted (null when no month is closed yet).</param>
/// <param name="Through">The last month counted.</param>
/// <param name="Months">Closed months counted (up to 12).</param>
/// <param name="AvailabilityPercent">Downtime-weighted availability over those months, 4 decimals rounded down; null without months.</param>
/// <param name="CommitmentPercent">The current SLA target.</param>
/// <param name="MonthsMet">Months that met their target.</param>
/// <param name="BestQuarter">The whole calendar quarter (all three months counted) with the highest availability (ties: the latest); its figure is its archived quarterly report's when archived, so the page shows one figure per quarter.</param>
/// <param name="BestQuarterPercent">Its availability.</param>
/// <param name="Incidents">Incidents that started in the counted months.</param>
/// <param name="MeanTimeToResolveMinutes">Mean start → end of the resolved ones; null when none.</param>
/// <param name="CreditsIssued">Credits in those months, money.</param>
/// <param name="Currency">The credits' currency.</param>
/// <param name="Term">Where the contract's term stands, as a sentence ("renews on 2027-03-01, notice due by 2026-12-01",
/// "ends on …", "ended on …"); null when the contract names no term.</param>
/// <param name="TermStart">The contract's first day; null without a term.</param>
/// <param name="RenewsOn">The next renewal date; null when it does not renew (or no term).</param>
/// <param name="NoticeDueBy">The last day notice can be given for that renewal; null when it does not renew.</param>
/// <param name="EndsOn">The last day of a contract that does not renew; null when it renews.</param>
[GenerateSerializer]
[Alias("slagrains.renewal-summary")]
[Immutable]
public sealed record RenewalSummary(
    [property: Id(0)] YearMonth? From,
    [property: Id(1)] YearMonth? Through,
    [property: Id(2)] int Months,
    [property: Id(3)] decimal? AvailabilityPercent,
    [property: Id(4)] decimal CommitmentPercent,
    [property: Id(5)] int MonthsMet,
    [property: Id(6)] string? BestQuarter,
    [property: Id(7)] decimal? BestQuarterPercent,
    [property: Id(8)] int Incidents,
    [property: Id(9)] double? MeanTimeToResolveMinutes,
    [property: Id(10)] decimal CreditsIssued,
    [property: Id(11)] string Currency,
    // Issue 20 — term and renewal: where the contract's term stands (null fields when the contract names no term).
    [property: Id(110)] string? Term = null,
    [property: Id(111)] LocalDate? TermStart = null,
    [property: Id(112)] LocalDate? RenewsOn = null,
    [property: Id(113)] LocalDate? NoticeDueBy = null,
    [property: Id(114)] LocalDate? EndsOn = null);

/// <summary>An archived report as listed: its period and when it was archived.</summary>
[GenerateSerializer]
[Alias("slagrains.archived-report")]
[Immutable]
public sealed record ArchivedReport(
    [property: Id(0)] string Period,
    [property: Id(1)] Instant PeriodStart,
    [property: Id(2)] Instant PeriodEnd,
    [property: Id(3)] decimal UptimePercent,
    [property: Id(4)] bool CommitmentMet,
    [property: Id(5)] Instant ArchivedAt,
    [property: Id(6)] decimal? CoveragePercent = null,
    [property: Id(7)] bool InsufficientData = false);

/// <summary>
/// The raw check results a report was computed from, as the <c>checks.csv</c> export writes them
/// (<see cref="ReadModels.RawCheckExport"/>): the span, the number of rows and the hex SHA-256 of the file, so a
/// customer can check a downloaded export against the report (whose own hash covers these fields).
/// </summary>
/// <param name="From">The first instant covered (the period's start).</param>
/// <param name="To">The end of the span, exclusive: the period's end, or the provisional report's as-of instant.</param>
/// <param name="Rows">Check results in the file (one per check, header not counted).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes.</param>
[GenerateSerializer]
[Alias("slagrains.provisional-report-raw-checks")]
[Immutable]
public sealed record ReportRawChecks(
    [property: Id(0)] Instant From,
    [property: Id(1)] Instant To,
    [property: Id(2)] long Rows,
    [property: Id(3)] string Sha256);

/// <summary>A report, or why there is none.</summary>
[GenerateSerializer]
[Alias("slagrains.report-result")]
[Immutable]
public sealed record ReportResult([property: Id(0)] SlaReport? Report, [property: Id(1)] string? Problem);

// Issue 20 — incidents linked to tickets

/// <summary>
/// The SLA-related ticket rate of the period: of the tickets opened in it (created in the period, in the customer's
/// zone), those linked to an incident when the report was built, in percent (2 decimals, half away from zero); the
/// rate is null when no ticket was opened.
/// </summary>
/// <param name="TicketsOpened">Tickets opened in the period.</param>
/// <param name="LinkedToIncidents">Of them, tickets linked to an incident.</param>
/// <param name="RatePercent">Linked ÷ opened × 100; null without tickets.</param>
[GenerateSerializer]
[Alias("slagrains.report-ticket-rate-incident-tickets")]
[Immutable]
public sealed record ReportTicketRate(
    [property: Id(0)] int TicketsOpened,
    [property: Id(1)] int LinkedToIncidents,
    [property: Id(2)] decimal? RatePercent);

// Issue 20 — exclusions
/// <summary>The period's excluded time by cause, in minutes (maintenance first, then each class; they sum to the excluded minutes).</summary>
[GenerateSerializer]
[Alias("slagrains.exclusion-report-excluded-time")]
[Immutable]
public sealed record ReportExcludedTime(
    [property: Id(0)] double MaintenanceMinutes,
    [property: Id(1)] double CustomerCausedMinutes,
    [property: Id(2)] double ForceMajeureMinutes,
    [property: Id(3)] double ThirdPartyMinutes);

/// <summary>A reclassified part of an incident in the period: its class, whether the contract excludes it, and why.</summary>
[GenerateSerializer]
[Alias("slagrains.exclusion-report-reclassification")]
[Immutable]
public sealed record ReportReclassification(
    [property: Id(0)] string IncidentId,
    [property: Id(1)] string Service,
    [property: Id(2)] string Class,
    [property: Id(3)] Instant From,
    [property: Id(4)] Instant To,
    [property: Id(5)] double Minutes,
    [property: Id(6)] bool Excluded,
    [property: Id(7)] string Reason,
    [property: Id(8)] Instant At);
