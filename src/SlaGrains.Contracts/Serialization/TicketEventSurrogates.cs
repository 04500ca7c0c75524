using Orleans.Serialization.Configuration;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

[assembly: TypeManifestProvider(typeof(SlaGrains.Contracts.Serialization.TicketDeskEventAliases))]

namespace SlaGrains.Contracts.Serialization;

// One surrogate and converter per concrete TicketSlaEvent: a field typed as the abstract base (or a
// List<TicketSlaEvent>) writes each event's concrete type and finds its converter through it.
// Enums are stored as their numeric values.

/// <summary><see cref="TicketOpened"/>: the ticket was opened.</summary>
[GenerateSerializer, Alias("slagrains.ticket-opened")]
internal readonly record struct TicketOpenedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int Priority { get; init; }

    [Id(2)] public int Status { get; init; }

    [Id(3)] public TicketTargets Targets { get; init; }

    [Id(4)] public SlaClockOptions Options { get; init; }
}

[RegisterConverter]
internal sealed class TicketOpenedConverter : IConverter<TicketOpened, TicketOpenedSurrogate>
{
    public TicketOpened ConvertFromSurrogate(in TicketOpenedSurrogate surrogate)
        => new(surrogate.At, (TicketPriority)surrogate.Priority, (TicketStatus)surrogate.Status, surrogate.Targets, surrogate.Options);

    public TicketOpenedSurrogate ConvertToSurrogate(in TicketOpened value) => new()
    {
        At = value.At,
        Priority = (int)value.Priority,
        Status = (int)value.Status,
        Targets = value.Targets,
        Options = value.Options,
    };
}

/// <summary><see cref="StatusChanged"/>: the status changed.</summary>
[GenerateSerializer, Alias("slagrains.status-changed")]
internal readonly record struct StatusChangedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int From { get; init; }

    [Id(2)] public int To { get; init; }

    [Id(3)] public string Reason { get; init; }
}

[RegisterConverter]
internal sealed class StatusChangedConverter : IConverter<StatusChanged, StatusChangedSurrogate>
{
    public StatusChanged ConvertFromSurrogate(in StatusChangedSurrogate surrogate)
        => new(surrogate.At, (TicketStatus)surrogate.From, (TicketStatus)surrogate.To, surrogate.Reason);

    public StatusChangedSurrogate ConvertToSurrogate(in StatusChanged value) => new()
    {
        At = value.At,
        From = (int)value.From,
        To = (int)value.To,
        Reason = value.Reason,
    };
}

/// <summary><see cref="PriorityChanged"/>: the priority changed.</summary>
[GenerateSerializer, Alias("slagrains.priority-changed")]
internal readonly record struct PriorityChangedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int From { get; init; }

    [Id(2)] public int To { get; init; }
}

[RegisterConverter]
internal sealed class PriorityChangedConverter : IConverter<PriorityChanged, PriorityChangedSurrogate>
{
    public PriorityChanged ConvertFromSurrogate(in PriorityChangedSurrogate surrogate)
        => new(surrogate.At, (TicketPriority)surrogate.From, (TicketPriority)surrogate.To);

    public PriorityChangedSurrogate ConvertToSurrogate(in PriorityChanged value) => new()
    {
        At = value.At,
        From = (int)value.From,
        To = (int)value.To,
    };
}

/// <summary><see cref="TargetsChanged"/>: the targets changed.</summary>
[GenerateSerializer, Alias("slagrains.targets-changed")]
internal readonly record struct TargetsChangedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public TicketTargets Targets { get; init; }

    [Id(2)] public string Reason { get; init; }
}

[RegisterConverter]
internal sealed class TargetsChangedConverter : IConverter<TargetsChanged, TargetsChangedSurrogate>
{
    public TargetsChanged ConvertFromSurrogate(in TargetsChangedSurrogate surrogate)
        => new(surrogate.At, surrogate.Targets, surrogate.Reason);

    public TargetsChangedSurrogate ConvertToSurrogate(in TargetsChanged value) => new()
    {
        At = value.At,
        Targets = value.Targets,
        Reason = value.Reason,
    };
}

/// <summary><see cref="ClockStarted"/>: a clock started.</summary>
[GenerateSerializer, Alias("slagrains.clock-started")]
internal readonly record struct ClockStartedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int Metric { get; init; }

    [Id(2)] public int Cycle { get; init; }

    [Id(3)] public Duration Target { get; init; }

    [Id(4)] public BusinessCalendar Calendar { get; init; }
}

[RegisterConverter]
internal sealed class ClockStartedConverter : IConverter<ClockStarted, ClockStartedSurrogate>
{
    public ClockStarted ConvertFromSurrogate(in ClockStartedSurrogate surrogate)
        => new(surrogate.At, (SlaMetric)surrogate.Metric, surrogate.Cycle, surrogate.Target, surrogate.Calendar);

    public ClockStartedSurrogate ConvertToSurrogate(in ClockStarted value) => new()
    {
        At = value.At,
        Metric = (int)value.Metric,
        Cycle = value.Cycle,
        Target = value.Target,
        Calendar = value.Calendar,
    };
}

/// <summary><see cref="ClockPaused"/>: a clock paused.</summary>
[GenerateSerializer, Alias("slagrains.clock-paused")]
internal readonly record struct ClockPausedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int Metric { get; init; }

    [Id(2)] public Duration Elapsed { get; init; }

    [Id(3)] public int Status { get; init; }
}

[RegisterConverter]
internal sealed class ClockPausedConverter : IConverter<ClockPaused, ClockPausedSurrogate>
{
    public ClockPaused ConvertFromSurrogate(in ClockPausedSurrogate surrogate)
        => new(surrogate.At, (SlaMetric)surrogate.Metric, surrogate.Elapsed, (TicketStatus)surrogate.Status);

    public ClockPausedSurrogate ConvertToSurrogate(in ClockPaused value) => new()
    {
        At = value.At,
        Metric = (int)value.Metric,
        Elapsed = value.Elapsed,
        Status = (int)value.Status,
    };
}

/// <summary><see cref="ClockResumed"/>: a clock resumed.</summary>
[GenerateSerializer, Alias("slagrains.clock-resumed")]
internal readonly record struct ClockResumedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int Metric { get; init; }

    [Id(2)] public Duration Elapsed { get; init; }

    [Id(3)] public string Reason { get; init; }
}

[RegisterConverter]
internal sealed class ClockResumedConverter : IConverter<ClockResumed, ClockResumedSurrogate>
{
    public ClockResumed ConvertFromSurrogate(in ClockResumedSurrogate surrogate)
        => new(surrogate.At, (SlaMetric)surrogate.Metric, surrogate.Elapsed, surrogate.Reason);

    public ClockResumedSurrogate ConvertToSurrogate(in ClockResumed value) => new()
    {
        At = value.At,
        Metric = (int)value.Metric,
        Elapsed = value.Elapsed,
        Reason = value.Reason,
    };
}

/// <summary><see cref="ClockRetargeted"/>: a clock was re-targeted.</summary>
[GenerateSerializer, Alias("slagrains.clock-retargeted")]
internal readonly record struct ClockRetargetedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int Metric { get; init; }

    [Id(2)] public Duration Elapsed { get; init; }

    [Id(3)] public Duration PreviousTarget { get; init; }

    [Id(4)] public Duration Target { get; init; }

    [Id(5)] public BusinessCalendar Calendar { get; init; }

    [Id(6)] public string Reason { get; init; }
}

[RegisterConverter]
internal sealed class ClockRetargetedConverter : IConverter<ClockRetargeted, ClockRetargetedSurrogate>
{
    public ClockRetargeted ConvertFromSurrogate(in ClockRetargetedSurrogate surrogate)
        => new(surrogate.At, (SlaMetric)surrogate.Metric, surrogate.Elapsed, surrogate.PreviousTarget, surrogate.Target, surrogate.Calendar, surrogate.Reason);

    public ClockRetargetedSurrogate ConvertToSurrogate(in ClockRetargeted value) => new()
    {
        At = value.At,
        Metric = (int)value.Metric,
        Elapsed = value.Elapsed,
        PreviousTarget = value.PreviousTarget,
        Target = value.Target,
        Calendar = value.Calendar,
        Reason = value.Reason,
    };
}

/// <summary><see cref="ClockWarned"/>: a clock reached a warning threshold.</summary>
[GenerateSerializer, Alias("slagrains.clock-warned")]
internal readonly record struct ClockWarnedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int Metric { get; init; }

    [Id(2)] public int Cycle { get; init; }

    [Id(3)] public int Percent { get; init; }
}

[RegisterConverter]
internal sealed class ClockWarnedConverter : IConverter<ClockWarned, ClockWarnedSurrogate>
{
    public ClockWarned ConvertFromSurrogate(in ClockWarnedSurrogate surrogate)
        => new(surrogate.At, (SlaMetric)surrogate.Metric, surrogate.Cycle, surrogate.Percent);

    public ClockWarnedSurrogate ConvertToSurrogate(in ClockWarned value) => new()
    {
        At = value.At,
        Metric = (int)value.Metric,
        Cycle = value.Cycle,
        Percent = value.Percent,
    };
}

/// <summary><see cref="ClockBreached"/>: a clock breached.</summary>
[GenerateSerializer, Alias("slagrains.clock-breached")]
internal readonly record struct ClockBreachedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int Metric { get; init; }

    [Id(2)] public int Cycle { get; init; }

    [Id(3)] public Duration Target { get; init; }
}

[RegisterConverter]
internal sealed class ClockBreachedConverter : IConverter<ClockBreached, ClockBreachedSurrogate>
{
    public ClockBreached ConvertFromSurrogate(in ClockBreachedSurrogate surrogate)
        => new(surrogate.At, (SlaMetric)surrogate.Metric, surrogate.Cycle, surrogate.Target);

    public ClockBreachedSurrogate ConvertToSurrogate(in ClockBreached value) => new()
    {
        At = value.At,
        Metric = (int)value.Metric,
        Cycle = value.Cycle,
        Target = value.Target,
    };
}

/// <summary><see cref="ClockStopped"/>: a clock stopped for good.</summary>
[GenerateSerializer, Alias("slagrains.clock-stopped")]
internal readonly record struct ClockStoppedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int Metric { get; init; }

    [Id(2)] public int Cycle { get; init; }

    [Id(3)] public Duration Elapsed { get; init; }

    [Id(4)] public Duration OverTarget { get; init; }

    [Id(5)] public string Reason { get; init; }
}

[RegisterConverter]
internal sealed class ClockStoppedConverter : IConverter<ClockStopped, ClockStoppedSurrogate>
{
    public ClockStopped ConvertFromSurrogate(in ClockStoppedSurrogate surrogate)
        => new(surrogate.At, (SlaMetric)surrogate.Metric, surrogate.Cycle, surrogate.Elapsed, surrogate.OverTarget, surrogate.Reason);

    public ClockStoppedSurrogate ConvertToSurrogate(in ClockStopped value) => new()
    {
        At = value.At,
        Metric = (int)value.Metric,
        Cycle = value.Cycle,
        Elapsed = value.Elapsed,
        OverTarget = value.OverTarget,
        Reason = value.Reason,
    };
}

/// <summary>Stable names for the ticket desk's events, which are stored behind their base type in the ticket's history.</summary>
internal sealed class TicketDeskEventAliases : TypeManifestProviderBase
{
    public override object Key => typeof(TicketDeskEventAliases);

    protected override void ConfigureInner(TypeManifestOptions options)
    {
        options.WellKnownTypeAliases["slagrains.domain.ticket-desk-event"] = typeof(TicketDeskEvent);
        options.WellKnownTypeAliases["slagrains.domain.ticket-reassigned"] = typeof(TicketReassigned);
        options.WellKnownTypeAliases["slagrains.domain.ticket-escalated-to-management"] = typeof(TicketEscalatedToManagement);

        // Issue 20 — incidents linked to tickets
        options.WellKnownTypeAliases["slagrains.domain.ticket-incident-linked"] = typeof(TicketIncidentLinked);
    }
}

/// <summary><see cref="TicketReassigned"/>: the ticket went to another team and/or person.</summary>
[GenerateSerializer, Alias("slagrains.ticket-reassigned")]
internal readonly record struct TicketReassignedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public string? FromTeam { get; init; }

    [Id(2)] public string? FromAssignee { get; init; }

    [Id(3)] public string? Team { get; init; }

    [Id(4)] public string? Assignee { get; init; }

    [Id(5)] public string Reason { get; init; }

    [Id(6)] public string? RuleId { get; init; }
}

[RegisterConverter]
internal sealed class TicketReassignedConverter : IConverter<TicketReassigned, TicketReassignedSurrogate>
{
    public TicketReassigned ConvertFromSurrogate(in TicketReassignedSurrogate s)
        => new(s.At, s.FromTeam, s.FromAssignee, s.Team, s.Assignee, s.Reason, s.RuleId);

    public TicketReassignedSurrogate ConvertToSurrogate(in TicketReassigned v) => new()
    {
        At = v.At,
        FromTeam = v.FromTeam,
        FromAssignee = v.FromAssignee,
        Team = v.Team,
        Assignee = v.Assignee,
        Reason = v.Reason,
        RuleId = v.RuleId,
    };
}

/// <summary><see cref="TicketEscalatedToManagement"/>: an escalation rule escalated the ticket to management.</summary>
[GenerateSerializer, Alias("slagrains.ticket-escalated-to-management")]
internal readonly record struct TicketEscalatedToManagementSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public string Target { get; init; }

    [Id(2)] public string Reason { get; init; }

    [Id(3)] public string RuleId { get; init; }
}

[RegisterConverter]
internal sealed class TicketEscalatedToManagementConverter : IConverter<TicketEscalatedToManagement, TicketEscalatedToManagementSurrogate>
{
    public TicketEscalatedToManagement ConvertFromSurrogate(in TicketEscalatedToManagementSurrogate s) => new(s.At, s.Target, s.Reason, s.RuleId);

    public TicketEscalatedToManagementSurrogate ConvertToSurrogate(in TicketEscalatedToManagement v) => new() { At = v.At, Target = v.Target, Reason = v.Reason, RuleId = v.RuleId };
}

// Issue 20 — incidents linked to tickets

/// <summary><see cref="TicketIncidentLinked"/>: the ticket was linked to an incident, or unlinked.</summary>
[GenerateSerializer, Alias("slagrains.ticket-incident-linked")]
internal readonly record struct TicketIncidentLinkedSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public string? FromIncidentId { get; init; }

    [Id(2)] public string? IncidentId { get; init; }

    [Id(3)] public string Reason { get; init; }
}

[RegisterConverter]
internal sealed class TicketIncidentLinkedConverter : IConverter<TicketIncidentLinked, TicketIncidentLinkedSurrogate>
{
    public TicketIncidentLinked ConvertFromSurrogate(in TicketIncidentLinkedSurrogate s) => new(s.At, s.FromIncidentId, s.IncidentId, s.Reason);

    public TicketIncidentLinkedSurrogate ConvertToSurrogate(in TicketIncidentLinked v) => new() { At = v.At, FromIncidentId = v.FromIncidentId, IncidentId = v.IncidentId, Reason = v.Reason };
}
