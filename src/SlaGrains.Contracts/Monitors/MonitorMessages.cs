using System.Collections.Immutable;
using SlaGrains.Domain;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Contracts.Monitors;

/// <summary>How a monitor is set up.</summary>
/// <param name="CustomerId">The customer whose component it watches (told of up/down changes).</param>
/// <param name="ComponentName">The component shown on the status page, e.g. <c>API</c>.</param>
/// <param name="IsCritical">Whether its downtime is the customer's SLA downtime (the customer's component list decides
/// for the SLA; this is the monitor's own label).</param>
/// <param name="ConsecutiveFailures">N: failures in a row, per region, that confirm an outage; at least 1.</param>
/// <param name="SloPercent">The internal SLO in percent, in (0, 100): error budget and burn rates are measured against it.</param>
/// <param name="Regions">The probing regions, if any; a multi-region monitor is down when a majority of the regions
/// that reported say so. Empty: single location.</param>
/// <param name="HeartbeatGrace">For heartbeat monitors: how long after a heartbeat the next must come before a
/// failure is recorded; null: not a heartbeat monitor.</param>
/// <param name="MaintenanceNotice">The notice maintenance needs to be in time (excluded, no customer-visible incident): the
/// customer's contract's (<see cref="ServiceAgreement.MaintenanceNotice"/>), which the application carries in when the
/// monitor is created, when the contract is saved and before maintenance is announced (see <see cref="UnderContract"/>);
/// null while the customer has no contract: 48 hours.</param>
/// <param name="Http">For an http monitor, how it probes (from <paramref name="Regions"/>, or every probe location of the
/// cluster when none are listed); null: a push monitor, fed by check results and heartbeats.</param>
/// <param name="StaleAfter">How long without any result before the monitor is <em>unknown</em> (neither up nor down);
/// null: the default, see <see cref="Staleness"/>.</param>
/// <param name="Latency">The latency SLO (threshold and objective), with its own error budget and burn-rate alerts
/// (named <c>latency-…</c>); null: none. Id 40 (not the next free one) keeps clear of fields other work adds.</param>
/// <param name="Tcp">For a tcp monitor, how it probes; else null.</param>
/// <param name="Dns">For a dns monitor, how it probes; else null.</param>
/// <param name="Tls">For a tls monitor, how it probes; else null.</param>
/// <param name="Ping">For a ping monitor, how it probes; else null.</param>
/// <remarks>At most one of <see cref="Http"/>, <see cref="Tcp"/>, <see cref="Dns"/>, <see cref="Tls"/> and
/// <see cref="Ping"/> is set (<see cref="ProbeProblem"/>): one field per kind, not one of an interface type, so
/// settings stored before the kinds existed read unchanged.</remarks>
[GenerateSerializer]
[Alias("slagrains.monitor-settings")]
[Immutable]
public sealed record MonitorSettings(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string ComponentName,
    [property: Id(2)] bool IsCritical,
    [property: Id(3)] int ConsecutiveFailures,
    [property: Id(4)] decimal SloPercent,
    [property: Id(5)] ImmutableArray<string> Regions = default,
    [property: Id(6)] Duration? HeartbeatGrace = null,
    [property: Id(7)] Duration? MaintenanceNotice = null,
    [property: Id(8)] HttpProbeSettings? Http = null,
    [property: Id(9)] Duration? StaleAfter = null,
    [property: Id(10)] TcpProbeSettings? Tcp = null,
    [property: Id(11)] DnsProbeSettings? Dns = null,
    [property: Id(12)] TlsProbeSettings? Tls = null,
    [property: Id(13)] PingProbeSettings? Ping = null,
    [property: Id(40)] LatencySlo? Latency = null)
{
    /// <summary>
    /// The time without a result after which the monitor is unknown: <see cref="StaleAfter"/> when set; else for an
    /// http monitor twice its probe interval, for a push monitor fed by results <see cref="MonitorPolicy.DefaultPushStaleAfter"/>
    /// (10 minutes); a heartbeat monitor has none (a missed heartbeat is a failure after its grace).
    /// </summary>
    public Duration? Staleness => StaleAfter ?? (Probe is { } probe ? probe.Interval * 2 : HeartbeatGrace is null ? MonitorPolicy.DefaultPushStaleAfter : null);

    /// <summary>The domain's rules for these settings.</summary>
    public MonitorPolicy Policy => new(ConsecutiveFailures, SloPercent, Notice, Regions.IsDefault ? [] : Regions, HeartbeatGrace, Staleness, Latency?.Objective);

    /// <summary>How the monitor probes by itself, whatever its kind; null for a push or heartbeat monitor.</summary>
    public IProbeSettings? Probe => (IProbeSettings?)Http ?? (IProbeSettings?)Tcp ?? (IProbeSettings?)Dns ?? (IProbeSettings?)Tls ?? Ping;

    /// <summary>Whether the monitor probes by itself (any probing kind) rather than being fed (push, heartbeat).</summary>
    public bool IsProbing => Probe is not null;

    /// <summary>The monitor's kind (<see cref="MonitorKinds"/>): its probe's, else heartbeat or push.</summary>
    public string Kind => Probe?.Kind ?? (HeartbeatGrace is not null ? MonitorKinds.Heartbeat : MonitorKinds.Push);

    /// <summary>Why these settings name more than one way to probe; null when they name at most one.</summary>
    public string? ProbeProblem
        => new object?[] { Http, Tcp, Dns, Tls, Ping }.Count(p => p is not null) > 1 ? "A monitor probes one way: one of http, tcp, dns, tls or ping." : null;

    /// <summary>The notice maintenance needs: <see cref="MaintenanceNotice"/> or 48 hours.</summary>
    public Duration Notice => MaintenanceNotice ?? MaintenanceWindow.DefaultNotice;

    /// <summary>
    /// The notice <paramref name="agreement"/> sets for these settings: its <see cref="ServiceAgreement.MaintenanceNotice"/>,
    /// or null (48 hours) when the customer has no contract yet. The contract is the one source: availability, credits
    /// and reports judge maintenance with it too.
    /// </summary>
    public static Duration? NoticeOf(ServiceAgreement? agreement) => agreement?.MaintenanceNotice;

    /// <summary>These settings judging maintenance with <paramref name="agreement"/>'s notice (<see cref="NoticeOf"/>).</summary>
    public MonitorSettings UnderContract(ServiceAgreement? agreement) => this with { MaintenanceNotice = NoticeOf(agreement) };
}

/// <summary>
/// A monitor's latency SLO: a check is good when up and answered within <paramref name="ThresholdMs"/> ms; the objective
/// is the share of checks that should be (see <see cref="LatencyObjective"/> for which checks count).
/// </summary>
/// <param name="ThresholdMs">1–60,000 milliseconds.</param>
/// <param name="ObjectivePercent">In (0, 100).</param>
[GenerateSerializer]
[Alias("slagrains.latency-slo")]
[Immutable]
public sealed record LatencySlo([property: Id(0)] int ThresholdMs, [property: Id(1)] decimal ObjectivePercent)
{
    /// <summary>The domain's objective.</summary>
    public LatencyObjective Objective => new(ThresholdMs, ObjectivePercent);
}

/// <summary>An incident: a confirmed outage of a monitor, from its first failure to the first success after it.</summary>
/// <param name="IncidentId">Stable id, <c>{monitor}-{sequence}</c>.</param>
/// <param name="MonitorId">The monitor.</param>
/// <param name="CustomerId">The monitor's customer.</param>
/// <param name="Start">When the service failed (the first failure of the confirming run).</param>
/// <param name="End">When it came back (the first success); null while open.</param>
/// <param name="OpenedAt">When the outage was confirmed: the instant of the check result that confirmed it (the N-th
/// failure), so time to detect (<c>OpenedAt − Start</c>) is honest for back-filled history too.</param>
/// <param name="ResolvedAt">When the monitor recorded its end; null while open.</param>
/// <param name="Postmortem">A link to the postmortem, if written.</param>
/// <param name="RootCause">What caused it, once reviewed; null until classified.</param>
/// <param name="Resolution">How it was resolved, once reviewed; null until written.</param>
/// <param name="MaintenanceId">The announced, in-time maintenance it happened in: an internal record (customers do not
/// see it, no webhook, no alert); null for an ordinary incident.</param>
/// <param name="Note">Why it counts although it fell in maintenance announced too late, in words; else null.</param>
[GenerateSerializer]
[Alias("slagrains.incident-view")]
[Immutable]
public sealed record IncidentView(
    [property: Id(0)] string IncidentId,
    [property: Id(1)] string MonitorId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] Instant Start,
    [property: Id(4)] Instant? End,
    [property: Id(5)] Instant OpenedAt,
    [property: Id(6)] Instant? ResolvedAt,
    [property: Id(7)] Uri? Postmortem,
    [property: Id(8)] IncidentRootCause? RootCause = null,
    [property: Id(9)] string? Resolution = null,
    [property: Id(10)] string? MaintenanceId = null,
    [property: Id(11)] string? Note = null)
{
    /// <summary>True when it happened inside announced, in-time maintenance (internal).</summary>
    public bool DuringMaintenance => MaintenanceId is not null;

    /// <summary>True while the outage goes on.</summary>
    public bool IsOpen => End is null;

    /// <summary>The outage as a half-open interval; without an end while open.</summary>
    public Interval Interval => new(Start, End);

    /// <summary>Whether the outage overlaps <paramref name="period"/> (an open outage runs on; an open period is unbounded on that side).</summary>
    public bool Overlaps(Interval period)
        => (!period.HasEnd || Start < period.End) && (End is not { } end || !period.HasStart || end > period.Start);
}

/// <summary>The category of an incident's root cause, set when it is reviewed. The numbers are stored: append only.</summary>
public enum IncidentRootCause
{
    /// <summary>A defect in the service's own code.</summary>
    CodeDefect = 0,

    /// <summary>Hardware, network, hosting or capacity.</summary>
    Infrastructure = 1,

    /// <summary>A provider or service the service depends on.</summary>
    ThirdPartyDependency = 2,

    /// <summary>A change rolled out (release, configuration, migration).</summary>
    Deploy = 3,

    /// <summary>Anything else.</summary>
    Other = 4,
}

/// <summary>Root-cause categories in words, for reports and pages.</summary>
public static class IncidentRootCauses
{
    /// <summary>The category in plain words; <c>unclassified</c> until an incident is reviewed.</summary>
    public static string Words(IncidentRootCause? cause) => cause switch
    {
        IncidentRootCause.CodeDefect => "code defect",
        IncidentRootCause.Infrastructure => "infrastructure",
        IncidentRootCause.ThirdPartyDependency => "third-party dependency",
        IncidentRootCause.Deploy => "deploy",
        IncidentRootCause.Other => "other",
        _ => "unclassified",
    };
}

/// <summary>An announced maintenance window.</summary>
/// <param name="MaintenanceId">Stable id.</param>
/// <param name="Start">First instant (inclusive).</param>
/// <param name="End">End (exclusive).</param>
/// <param name="AnnouncedAt">When it was announced: excluded from availability only with enough notice.</param>
/// <param name="Description">What is done.</param>
[GenerateSerializer]
[Alias("slagrains.maintenance-view")]
[Immutable]
public sealed record MaintenanceView(
    [property: Id(0)] string MaintenanceId,
    [property: Id(1)] Instant Start,
    [property: Id(2)] Instant End,
    [property: Id(3)] Instant AnnouncedAt,
    [property: Id(4)] string Description)
{
    /// <summary>The domain's window (with its announcement instant).</summary>
    public MaintenanceWindow Window => new(Start, End, AnnouncedAt);
}

/// <summary>A monitor's configuration and current state.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Settings">Its configuration.</param>
/// <param name="IsDown">Whether an outage is confirmed now.</param>
/// <param name="OpenIncident">The open incident, if any.</param>
/// <param name="LastResultAt">The newest check result or heartbeat; null when none yet.</param>
/// <param name="HeartbeatDueAt">When the next heartbeat is due (a failure is recorded then); null when none is awaited.</param>
/// <param name="FiringAlerts">Names of the burn-rate alerts firing at the last evaluation.</param>
/// <param name="AsOf">When this view was taken.</param>
/// <param name="LatestProbes">For an http monitor, the newest probe of each region it probes from, by region.</param>
/// <param name="Health">What the monitor tells its customer: up, down, under maintenance, or unknown (no data).</param>
/// <param name="UnknownSince">Since when it has had no data (status unknown); null while it has data.</param>
/// <param name="CertificateExpiresAt">For a tls monitor, when the certificate its probes saw last expires (kept while a probe sees none); else null.</param>
[GenerateSerializer]
[Alias("slagrains.monitor-view")]
[Immutable]
public sealed record MonitorView(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] MonitorSettings Settings,
    [property: Id(2)] bool IsDown,
    [property: Id(3)] IncidentView? OpenIncident,
    [property: Id(4)] Instant? LastResultAt,
    [property: Id(5)] Instant? HeartbeatDueAt,
    [property: Id(6)] ImmutableArray<string> FiringAlerts,
    [property: Id(7)] Instant AsOf,
    [property: Id(8)] ImmutableArray<ProbeReport> LatestProbes = default,
    [property: Id(9)] ComponentHealth Health = ComponentHealth.Up,
    [property: Id(10)] Instant? UnknownSince = null,
    [property: Id(30)] Instant? CertificateExpiresAt = null);

/// <summary>A monitor's availability over one calendar month in a time zone, with its error budget against the SLO.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Month">The calendar month.</param>
/// <param name="TimeZoneId">The IANA zone the month is taken in.</param>
/// <param name="Period">The month as instants, <c>[local 1st 00:00, next 1st 00:00)</c>.</param>
/// <param name="UptimePercent">Availability, percent, 4 decimals rounded down.</param>
/// <param name="Downtime">Counted downtime (outside excluded maintenance).</param>
/// <param name="Excluded">Excluded (announced-in-time) maintenance.</param>
/// <param name="DowntimeIntervals">The counted downtime, clipped to the month.</param>
/// <param name="SloPercent">The internal SLO.</param>
/// <param name="Budget">The downtime the SLO allows this month.</param>
/// <param name="BudgetRemaining">Budget − downtime; negative once overspent.</param>
/// <param name="BudgetPercentRemaining">Remaining as a percentage of the budget, 4 decimals; null for a zero budget.</param>
/// <param name="SloMet">Whether the month meets the SLO (exact, not on the rounded figure).</param>
/// <param name="Unknown">Time without data in the month so far (neither up nor down).</param>
/// <param name="CoveragePercent">The share of the month so far (up to the view's instant) with data, percent, 2 decimals
/// rounded down; null before the month started.</param>
[GenerateSerializer]
[Alias("slagrains.monitor-month-view")]
[Immutable]
public sealed record MonitorMonthView(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] YearMonth Month,
    [property: Id(2)] string TimeZoneId,
    [property: Id(3)] Interval Period,
    [property: Id(4)] decimal UptimePercent,
    [property: Id(5)] Duration Downtime,
    [property: Id(6)] Duration Excluded,
    [property: Id(7)] ImmutableArray<Interval> DowntimeIntervals,
    [property: Id(8)] decimal SloPercent,
    [property: Id(9)] Duration Budget,
    [property: Id(10)] Duration BudgetRemaining,
    [property: Id(11)] decimal? BudgetPercentRemaining,
    [property: Id(12)] bool SloMet,
    [property: Id(13)] Duration Unknown = default,
    [property: Id(14)] decimal? CoveragePercent = null);

/// <summary>The evidence a monitor gives for a period: its down intervals and maintenance windows overlapping it.</summary>
/// <param name="MonitorId">The monitor.</param>
/// <param name="Configured">False when the monitor was never configured (then both lists are empty).</param>
/// <param name="DownIntervals">Outages overlapping the period, unclipped; an ongoing one has no end.</param>
/// <param name="Maintenance">Maintenance windows overlapping the period, with their announcement instants.</param>
/// <param name="UnknownIntervals">Times without data (no result for longer than the monitor expects), overlapping the period,
/// unclipped; neither up nor down. Default (or empty): data throughout.</param>
[GenerateSerializer]
[Alias("slagrains.monitor-downtime")]
[Immutable]
public sealed record MonitorDowntime(
    [property: Id(0)] string MonitorId,
    [property: Id(1)] bool Configured,
    [property: Id(2)] ImmutableArray<Interval> DownIntervals,
    [property: Id(3)] ImmutableArray<MaintenanceView> Maintenance,
    [property: Id(4)] ImmutableArray<Interval> UnknownIntervals = default);

/// <summary>One evaluated multi-window burn-rate alert.</summary>
/// <param name="Name">The rule's name, e.g. <c>page-fast</c>.</param>
/// <param name="Severity">Page or ticket.</param>
/// <param name="Factor">The burn rate both windows must reach.</param>
/// <param name="LongWindow">The long window.</param>
/// <param name="ShortWindow">The short window.</param>
/// <param name="LongWindowBurnRate">Measured over the long window, 4 decimals.</param>
/// <param name="ShortWindowBurnRate">Measured over the short window, 4 decimals.</param>
/// <param name="IsFiring">Whether both windows reach the factor.</param>
[GenerateSerializer]
[Alias("slagrains.burn-rate-view")]
[Immutable]
public sealed record BurnRateView(
    [property: Id(0)] string Name,
    [property: Id(1)] AlertSeverity Severity,
    [property: Id(2)] decimal Factor,
    [property: Id(3)] Duration LongWindow,
    [property: Id(4)] Duration ShortWindow,
    [property: Id(5)] decimal LongWindowBurnRate,
    [property: Id(6)] decimal ShortWindowBurnRate,
    [property: Id(7)] bool IsFiring)
{
    /// <summary>The view of a domain status.</summary>
    public static BurnRateView From(BurnRateAlertStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var a = status.Alert;
        return new(a.Name, a.Severity, a.Factor, a.LongWindow, a.ShortWindow, status.LongWindowBurnRate, status.ShortWindowBurnRate, status.IsFiring);
    }
}

/// <summary>The answer to a monitor command: the monitor after it, or why nothing changed.</summary>
[GenerateSerializer]
[Alias("slagrains.monitor-result")]
[Immutable]
public sealed record MonitorResult([property: Id(0)] MonitorView? Monitor, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when the command was accepted (and is durable).</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>The answer to a maintenance command.</summary>
[GenerateSerializer]
[Alias("slagrains.maintenance-result")]
[Immutable]
public sealed record MaintenanceResult([property: Id(0)] MaintenanceView? Maintenance, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when the command was accepted (and is durable).</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>The answer to an incident command.</summary>
[GenerateSerializer]
[Alias("slagrains.incident-result")]
[Immutable]
public sealed record IncidentResult([property: Id(0)] IncidentView? Incident, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when the command was accepted (and is durable).</summary>
    public bool Accepted => Rejection is null;
}
