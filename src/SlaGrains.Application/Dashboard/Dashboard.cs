using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Application.Dashboard;

/// <summary>
/// The customer dashboard in the shape status pages expect (snake_case): <c>current_status</c>, <c>current_month</c> (null
/// without a contract or without any monitor: no figure is claimed without data),
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
    ImmutableArray<ArchivedReport> Reports,
    ImmutableArray<DashboardMaintenance> Maintenance);

/// <summary>
/// Now: <c>outage</c> (a critical component down), <c>degraded</c> (a non-critical one down), <c>maintenance</c>
/// (under announced maintenance), <c>unknown</c> (a component without data: never shown as operational),
/// <c>no_monitors</c> (the customer has no monitor: nothing measured, "No monitors yet") or <c>operational</c>;
/// <see cref="Message"/> says it in words, e.g. "Status unknown: no data from API".
/// </summary>
public sealed record DashboardStatus(string Status, string Message, Instant? LastChecked, ImmutableArray<DashboardComponentStatus> Components);

/// <summary>One component's state now.</summary>
public sealed record DashboardComponentStatus(string MonitorId, string Name, string Status, bool Critical, Instant? LastChecked);

/// <summary>
/// The month so far, in the customer's zone; the error budget is the whole month's. <see cref="MeetingSla"/> is false
/// only once the month can no longer meet its commitment; <see cref="Outlook"/> says <c>on_track</c>, <c>at_risk</c>
/// or <c>not_met</c>, and <see cref="Projection"/> the month end two ways. <see cref="CoveragePct"/> is the share of
/// the month so far with data; <see cref="InsufficientData"/> while it is under the contract's coverage threshold (90 % by default).
/// </summary>
public sealed record DashboardMonth(
    YearMonth Period,
    string TimeZone,
    decimal AvailabilityPct,
    decimal SlaTargetPct,
    bool MeetingSla,
    double DowntimeMinutes,
    double ExcludedMinutes,
    DashboardBudget ErrorBudget,
    string Outlook,
    string OutlookText,
    DashboardProjection Projection,
    decimal CoveragePct,
    double UnknownMinutes,
    bool InsufficientData)
{
    // Issue 20 — exclusions
    /// <summary>The excluded time so far by cause (maintenance, customer-caused, force majeure, third-party); null when not known.</summary>
    public DashboardExcludedTime? ExcludedByClass { get; init; }
}

/// <summary>
/// Issue 20 — exclusions: a period's excluded time by cause, in minutes: announced maintenance first, then each class the
/// contract excludes (time reclassified by a manager), each counting only time not already counted, so they sum to the
/// excluded total.
/// </summary>
public sealed record DashboardExcludedTime(double MaintenanceMinutes, double CustomerCausedMinutes, double ForceMajeureMinutes, double ThirdPartyMinutes)
{
    /// <summary>The minutes of a split.</summary>
    public static DashboardExcludedTime From(ExcludedTimeView time)
    {
        ArgumentNullException.ThrowIfNull(time);
        static double M(Duration d) => Math.Round(d.TotalMinutes, 2);
        return new(M(time.Maintenance), M(time.CustomerCaused), M(time.ForceMajeure), M(time.ThirdParty));
    }
}

/// <summary>
/// The month in progress projected to its end: <see cref="IfNothingElseFails"/> (the downtime so far over the whole
/// month) and <see cref="AtCurrentBurnRate"/> (the downtime so far extrapolated linearly to the month's end).
/// </summary>
public sealed record DashboardProjection(DashboardProjected IfNothingElseFails, DashboardProjected AtCurrentBurnRate, string? Currency);

/// <summary>One projection: month-end availability, downtime and the credit at risk (percent of the fee and money).</summary>
public sealed record DashboardProjected(decimal AvailabilityPct, double DowntimeMinutes, decimal CreditPct, decimal CreditAmount);

/// <summary>The error budget in minutes and the share remaining (negative once overspent).</summary>
public sealed record DashboardBudget(double TotalMinutes, double UsedMinutes, double RemainingMinutes, decimal PercentRemaining);

/// <summary>
/// One month of the last twelve (the current one is <c>in_progress</c>, its credit the one if nothing else fails).
/// <see cref="Verdict"/>: <c>met</c>, <c>not_met</c>, <c>insufficient_data</c> (coverage under the threshold: neither
/// met nor missed, no automatic credit), or for the month in progress <c>on_track</c>, <c>at_risk</c>, <c>not_met</c>.
/// <see cref="CoveragePct"/> is null for months closed before coverage was kept.
/// </summary>
public sealed record DashboardHistoryMonth(
    YearMonth Month, decimal AvailabilityPct, decimal SlaTargetPct, bool MetSla, double DowntimeMinutes, int IncidentCount, decimal CreditAmount, bool InProgress,
    string Verdict, decimal? CoveragePct);

/// <summary>An incident of the last 90 days, with its review (root-cause category and resolution; null until reviewed).</summary>
public sealed record DashboardIncident(
    string Id, string MonitorId, string Component, Instant Start, Instant? End, double DurationMinutes, bool Resolved, Uri? Postmortem,
    IncidentRootCause? RootCause = null, string? Resolution = null)
{
    /// <summary><c>monitor</c> (a monitor's confirmed outage) or <c>manual</c> (opened by staff; <see cref="MonitorId"/> is empty).</summary>
    public string Kind { get; init; } = SlaGrains.Application.Incidents.IncidentDetail.MonitorKind;

    /// <summary>Its title: a manual incident's, or <c>{component} outage</c>.</summary>
    public string? Title { get; init; }

    /// <summary><c>degraded</c>, <c>partialOutage</c> or <c>majorOutage</c>.</summary>
    public string? Impact { get; init; }

    /// <summary>The newest update's status; null before any update.</summary>
    public string? Status { get; init; }

    /// <summary>The affected components by monitor id.</summary>
    public ImmutableArray<string> ComponentIds { get; init; } = [];

    /// <summary>The update timeline, newest first (staff names only for staff).</summary>
    public ImmutableArray<SlaGrains.Application.Incidents.IncidentUpdateDetail> Updates { get; init; } = [];

    /// <summary>This row with the kind, title, impact, status, components and updates of <paramref name="detail"/>.</summary>
    public DashboardIncident WithTimeline(SlaGrains.Application.Incidents.IncidentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return this with { Kind = detail.Kind, Title = detail.Title, Impact = detail.Impact, Status = detail.Status, ComponentIds = detail.ComponentIds, Updates = detail.Updates };
    }
}

/// <summary>
/// Compliance this month for one dimension (availability, internal SLO, latency, first response, resolution). For
/// <c>latency</c>, <see cref="Measured"/> is the checks counted and <see cref="Breached"/> those not answered in time.
/// </summary>
public sealed record DashboardCompliance(string Dimension, decimal? TargetPct, decimal? ActualPct, bool? Met, int? Measured, int? Breached);

/// <summary>
/// Credits: the credit at risk this month if nothing else fails (<see cref="ProjectedPercent"/>, <see cref="ProjectedAmount"/>)
/// and at the current burn rate, and the ledger so far.
/// </summary>
public sealed record DashboardCredits(
    decimal ProjectedPercent, decimal ProjectedAmount, string? Currency, decimal IssuedTotal, ImmutableArray<CreditEntry> Ledger,
    decimal AtBurnRatePercent, decimal AtBurnRateAmount);

/// <summary>A component this month, with one bar per UTC day of the last <see cref="DashboardDay.Span"/> days (oldest first, today last).</summary>
public sealed record DashboardComponent(string MonitorId, string Name, bool Critical, string Status, decimal? AvailabilityPct, double? DowntimeMinutes, ImmutableArray<DashboardDay> Days);

/// <summary>
/// One UTC day of a component, from its daily rollup: <c>operational</c> (no downtime), <c>outage</c> (some downtime)
/// or <c>no_data</c> (nothing measured); availability is up time over measured time, so missing data is not uptime.
/// </summary>
public sealed record DashboardDay(LocalDate Date, string Status, decimal? AvailabilityPct, double UpMinutes, double DownMinutes, double UnknownMinutes)
{
    /// <summary>The status page's bars: 90 days.</summary>
    public const int Span = 90;

    /// <summary>Up time over measured (up + down) time in percent, 2 decimals rounded down; null when nothing was measured.</summary>
    public static decimal? Availability(Duration up, Duration down)
        => up + down > Duration.Zero ? Math.Floor(10_000m * up.BclCompatibleTicks / (up + down).BclCompatibleTicks) / 100m : null;
}

/// <summary>An announced maintenance window still to come or in progress.</summary>
public sealed record DashboardMaintenance(string Id, string MonitorId, string Component, Instant Start, Instant End, string Description, bool InProgress);
