using System.Collections.Immutable;
using SlaGrains.Domain;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Serialization;

// Enums are stored as their numeric values (the domain pins them: P1 = 1 …), so renaming a member never breaks data.

/// <summary><see cref="PriorityTargets"/>: durations per metric (next reply optional) and the coverage.</summary>
[GenerateSerializer, Alias("slagrains.priority-targets")]
internal readonly record struct PriorityTargetsSurrogate
{
    [Id(0)] public Duration FirstResponse { get; init; }

    [Id(1)] public Duration Resolution { get; init; }

    [Id(2)] public Duration? NextReply { get; init; }

    [Id(3)] public int Coverage { get; init; }

    /// <summary>The warning percents; null in targets stored before policies carried warnings (read as the default, 75 %).</summary>
    [Id(4)] public int[]? Warnings { get; init; }
}

[RegisterConverter]
internal sealed class PriorityTargetsConverter : IConverter<PriorityTargets, PriorityTargetsSurrogate>
{
    public PriorityTargets ConvertFromSurrogate(in PriorityTargetsSurrogate surrogate)
        => new(surrogate.FirstResponse, surrogate.Resolution, surrogate.NextReply, (CoverageHours)surrogate.Coverage, surrogate.Warnings is { } w ? new WarningThresholds(w) : null);

    public PriorityTargetsSurrogate ConvertToSurrogate(in PriorityTargets value) => new()
    {
        FirstResponse = value.FirstResponse,
        Resolution = value.Resolution,
        NextReply = value.NextReply,
        Coverage = (int)value.Coverage,
        Warnings = [.. value.Warnings.Percents],
    };
}

/// <summary><see cref="MetricTarget"/>: a business duration and its calendar.</summary>
[GenerateSerializer, Alias("slagrains.metric-target")]
internal readonly record struct MetricTargetSurrogate
{
    [Id(0)] public Duration Target { get; init; }

    [Id(1)] public BusinessCalendar Calendar { get; init; }
}

[RegisterConverter]
internal sealed class MetricTargetConverter : IConverter<MetricTarget, MetricTargetSurrogate>
{
    public MetricTarget ConvertFromSurrogate(in MetricTargetSurrogate surrogate) => new(surrogate.Target, surrogate.Calendar);

    public MetricTargetSurrogate ConvertToSurrogate(in MetricTarget value) => new() { Target = value.Target, Calendar = value.Calendar };
}

/// <summary><see cref="TicketTargets"/>: one target per metric, next reply optional.</summary>
[GenerateSerializer, Alias("slagrains.ticket-targets")]
internal readonly record struct TicketTargetsSurrogate
{
    [Id(0)] public MetricTarget FirstResponse { get; init; }

    [Id(1)] public MetricTarget Resolution { get; init; }

    [Id(2)] public MetricTarget? NextReply { get; init; }

    /// <summary>The warning percents; null when the targets carry none (stored before policies had warnings: the options' percents apply).</summary>
    [Id(3)] public int[]? Warnings { get; init; }
}

[RegisterConverter]
internal sealed class TicketTargetsConverter : IConverter<TicketTargets, TicketTargetsSurrogate>
{
    public TicketTargets ConvertFromSurrogate(in TicketTargetsSurrogate surrogate)
        => new(surrogate.FirstResponse, surrogate.Resolution, surrogate.NextReply) { Warnings = surrogate.Warnings is { } w ? new WarningThresholds(w) : null };

    public TicketTargetsSurrogate ConvertToSurrogate(in TicketTargets value)
        => new() { FirstResponse = value.FirstResponse, Resolution = value.Resolution, NextReply = value.NextReply, Warnings = value.Warnings is { } w ? [.. w.Percents] : null };
}

/// <summary><see cref="SlaClockOptions"/>: what is given to its constructor; the thresholds are derived again.</summary>
[GenerateSerializer, Alias("slagrains.sla-clock-options")]
internal readonly record struct SlaClockOptionsSurrogate
{
    [Id(0)] public ImmutableArray<int> PauseStatuses { get; init; }

    [Id(1)] public int Reopen { get; init; }

    [Id(2)] public ImmutableArray<int> WarningPercents { get; init; }
}

[RegisterConverter]
internal sealed class SlaClockOptionsConverter : IConverter<SlaClockOptions, SlaClockOptionsSurrogate>
{
    public SlaClockOptions ConvertFromSurrogate(in SlaClockOptionsSurrogate surrogate)
        => new(
            (surrogate.PauseStatuses.IsDefault ? [] : surrogate.PauseStatuses).Select(s => (TicketStatus)s),
            (ReopenBehavior)surrogate.Reopen,
            surrogate.WarningPercents.IsDefault ? [] : surrogate.WarningPercents);

    public SlaClockOptionsSurrogate ConvertToSurrogate(in SlaClockOptions value) => new()
    {
        PauseStatuses = [.. value.PauseStatuses.Select(s => (int)s)],
        Reopen = (int)value.Reopen,
        WarningPercents = value.WarningPercents,
    };
}

/// <summary>
/// A <see cref="MetricClock"/>, field for field; its thresholds are stored (they were fixed when the clock
/// started and may differ from the ticket's options now).
/// </summary>
[GenerateSerializer, Alias("slagrains.metric-clock")]
internal readonly record struct MetricClockSurrogate
{
    [Id(0)] public int Metric { get; init; }

    [Id(1)] public int Cycle { get; init; }

    [Id(2)] public Duration Target { get; init; }

    [Id(3)] public BusinessCalendar Calendar { get; init; }

    [Id(4)] public ImmutableArray<int> Thresholds { get; init; }

    [Id(5)] public int ThresholdsFired { get; init; }

    [Id(6)] public Duration ElapsedBeforeRun { get; init; }

    [Id(7)] public Instant? RunningSince { get; init; }

    [Id(8)] public bool Stopped { get; init; }

    [Id(9)] public Instant StartedAt { get; init; }

    [Id(10)] public Instant ChangedAt { get; init; }
}

[RegisterConverter]
internal sealed class MetricClockConverter : IConverter<MetricClock, MetricClockSurrogate>
{
    public MetricClock ConvertFromSurrogate(in MetricClockSurrogate surrogate) => new()
    {
        Metric = (SlaMetric)surrogate.Metric,
        Cycle = surrogate.Cycle,
        Target = surrogate.Target,
        Calendar = surrogate.Calendar,
        Thresholds = surrogate.Thresholds.IsDefault ? [] : surrogate.Thresholds,
        ThresholdsFired = surrogate.ThresholdsFired,
        ElapsedBeforeRun = surrogate.ElapsedBeforeRun,
        RunningSince = surrogate.RunningSince,
        Stopped = surrogate.Stopped,
        StartedAt = surrogate.StartedAt,
        ChangedAt = surrogate.ChangedAt,
    };

    public MetricClockSurrogate ConvertToSurrogate(in MetricClock value) => new()
    {
        Metric = (int)value.Metric,
        Cycle = value.Cycle,
        Target = value.Target,
        Calendar = value.Calendar,
        Thresholds = value.Thresholds,
        ThresholdsFired = value.ThresholdsFired,
        ElapsedBeforeRun = value.ElapsedBeforeRun,
        RunningSince = value.RunningSince,
        Stopped = value.Stopped,
        StartedAt = value.StartedAt,
        ChangedAt = value.ChangedAt,
    };
}

/// <summary>A <see cref="TicketSla"/>: priority, status, targets, options and the clocks in metric order.</summary>
[GenerateSerializer, Alias("slagrains.ticket-sla")]
internal readonly record struct TicketSlaSurrogate
{
    [Id(0)] public int Priority { get; init; }

    [Id(1)] public int Status { get; init; }

    [Id(2)] public TicketTargets Targets { get; init; }

    [Id(3)] public SlaClockOptions Options { get; init; }

    [Id(4)] public ImmutableArray<MetricClock> Clocks { get; init; }

    [Id(5)] public Instant OpenedAt { get; init; }

    [Id(6)] public Instant LastEventAt { get; init; }
}

[RegisterConverter]
internal sealed class TicketSlaConverter : IConverter<TicketSla, TicketSlaSurrogate>
{
    public TicketSla ConvertFromSurrogate(in TicketSlaSurrogate surrogate) => new()
    {
        Priority = (TicketPriority)surrogate.Priority,
        Status = (TicketStatus)surrogate.Status,
        Targets = surrogate.Targets,
        Options = surrogate.Options,
        Clocks = surrogate.Clocks.IsDefault ? [] : surrogate.Clocks,
        OpenedAt = surrogate.OpenedAt,
        LastEventAt = surrogate.LastEventAt,
    };

    public TicketSlaSurrogate ConvertToSurrogate(in TicketSla value) => new()
    {
        Priority = (int)value.Priority,
        Status = (int)value.Status,
        Targets = value.Targets,
        Options = value.Options,
        Clocks = value.Clocks,
        OpenedAt = value.OpenedAt,
        LastEventAt = value.LastEventAt,
    };
}

/// <summary>An <see cref="SlaPolicy"/>: its name and the targets keyed by priority number (1 = P1).</summary>
[GenerateSerializer, Alias("slagrains.sla-policy")]
internal readonly record struct SlaPolicySurrogate
{
    [Id(0)] public string Name { get; init; }

    [Id(1)] public ImmutableSortedDictionary<int, PriorityTargets> Targets { get; init; }
}

[RegisterConverter]
internal sealed class SlaPolicyConverter : IConverter<SlaPolicy, SlaPolicySurrogate>
{
    public SlaPolicy ConvertFromSurrogate(in SlaPolicySurrogate surrogate)
        => new(surrogate.Name, (surrogate.Targets ?? ImmutableSortedDictionary<int, PriorityTargets>.Empty).ToDictionary(t => (TicketPriority)t.Key, t => t.Value));

    public SlaPolicySurrogate ConvertToSurrogate(in SlaPolicy value)
        => new() { Name = value.Name, Targets = value.Targets.ToImmutableSortedDictionary(t => (int)t.Key, t => t.Value) };
}

/// <summary>An <see cref="SlaDeadline"/>: metric, threshold percent and when it falls due.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.sla-deadline")]
internal readonly record struct SlaDeadlineSurrogate
{
    [Id(0)] public int Metric { get; init; }

    [Id(1)] public int Percent { get; init; }

    [Id(2)] public Instant At { get; init; }
}

[RegisterConverter]
internal sealed class SlaDeadlineConverter : IConverter<SlaDeadline, SlaDeadlineSurrogate>
{
    public SlaDeadline ConvertFromSurrogate(in SlaDeadlineSurrogate surrogate) => new((SlaMetric)surrogate.Metric, surrogate.Percent, surrogate.At);

    public SlaDeadlineSurrogate ConvertToSurrogate(in SlaDeadline value) => new() { Metric = (int)value.Metric, Percent = value.Percent, At = value.At };
}

/// <summary>A <see cref="Rejection"/>: its stable code and message.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.rejection")]
internal readonly record struct RejectionSurrogate
{
    [Id(0)] public string Code { get; init; }

    [Id(1)] public string Message { get; init; }
}

[RegisterConverter]
internal sealed class RejectionConverter : IConverter<Rejection, RejectionSurrogate>
{
    public Rejection ConvertFromSurrogate(in RejectionSurrogate surrogate) => new(surrogate.Code, surrogate.Message);

    public RejectionSurrogate ConvertToSurrogate(in Rejection value) => new() { Code = value.Code, Message = value.Message };
}
