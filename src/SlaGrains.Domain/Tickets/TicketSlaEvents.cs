using NodaTime;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Domain.Tickets;

/// <summary>
/// Something that happened to a ticket's SLA clocks, with the instant it happened and why. The list of
/// events is the ticket's audit trail; <see cref="TicketSla.Apply"/> folds them into state.
/// </summary>
/// <param name="At">When it happened (for a warning or breach: the instant it fell due, even if noticed later).</param>
public abstract record TicketSlaEvent(Instant At)
{
    /// <summary>A sentence for the audit trail.</summary>
    public abstract string Describe();
}

/// <summary>The ticket was opened with these targets.</summary>
public sealed record TicketOpened(Instant At, TicketPriority Priority, TicketStatus Status, TicketTargets Targets, SlaClockOptions Options) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"Ticket opened as {Priority}, status {Status}.";
}

/// <summary>The ticket's status changed (pauses and resumes follow as their own events).</summary>
public sealed record StatusChanged(Instant At, TicketStatus From, TicketStatus To, string Reason) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"Status {From} → {To}: {Reason}";
}

/// <summary>The ticket's priority changed; re-targets follow as their own events.</summary>
public sealed record PriorityChanged(Instant At, TicketPriority From, TicketPriority To) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"Priority {From} → {To}.";
}

/// <summary>The targets a ticket's future clocks start with changed (priority, tier or calendar change).</summary>
public sealed record TargetsChanged(Instant At, TicketTargets Targets, string Reason) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"Targets changed: {Reason}";
}

/// <summary>A metric's clock started (cycle 1 at opening, later cycles on reopen or customer messages).</summary>
public sealed record ClockStarted(Instant At, SlaMetric Metric, int Cycle, Duration Target, BusinessCalendar Calendar) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"{Metric} clock started (cycle {Cycle}), target {Target:H:mm:ss} business time.";
}

/// <summary>A running clock stopped counting because the ticket entered a pause status.</summary>
public sealed record ClockPaused(Instant At, SlaMetric Metric, Duration Elapsed, TicketStatus Status) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"{Metric} clock paused at {Elapsed:H:mm:ss} elapsed: ticket is {Status}.";
}

/// <summary>A paused or met clock started counting again (a resume, or a reopen that resumes resolution).</summary>
public sealed record ClockResumed(Instant At, SlaMetric Metric, Duration Elapsed, string Reason) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"{Metric} clock resumed at {Elapsed:H:mm:ss} elapsed: {Reason}";
}

/// <summary>A clock's target or calendar changed; the business time elapsed so far is kept.</summary>
public sealed record ClockRetargeted(Instant At, SlaMetric Metric, Duration Elapsed, Duration PreviousTarget, Duration Target, BusinessCalendar Calendar, string Reason) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => PreviousTarget == Target
        // The same target on a new calendar or with new warning thresholds: "8:00 → 8:00" would read as a mistake.
        ? $"{Metric} target {Target:H:mm:ss} kept at {Elapsed:H:mm:ss} elapsed, re-armed: {Reason}"
        : $"{Metric} target {PreviousTarget:H:mm:ss} → {Target:H:mm:ss} at {Elapsed:H:mm:ss} elapsed: {Reason}";
}

/// <summary>A clock reached a warning threshold.</summary>
public sealed record ClockWarned(Instant At, SlaMetric Metric, int Cycle, int Percent) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"{Metric} reached {Percent} % of its target (warning).";
}

/// <summary>A clock used up its target; it keeps counting time over target.</summary>
public sealed record ClockBreached(Instant At, SlaMetric Metric, int Cycle, Duration Target) : TicketSlaEvent(At)
{
    /// <inheritdoc />
    public override string Describe() => $"{Metric} breached: target {Target:H:mm:ss} used up.";
}

/// <summary>A clock stopped for good: within target (met) or after a breach (met late, with the time over target).</summary>
public sealed record ClockStopped(Instant At, SlaMetric Metric, int Cycle, Duration Elapsed, Duration OverTarget, string Reason) : TicketSlaEvent(At)
{
    /// <summary>True when stopped within the target.</summary>
    public bool Met => OverTarget == Duration.Zero && Elapsed >= Duration.Zero;

    /// <inheritdoc />
    public override string Describe() => Met
        ? $"{Metric} met at {Elapsed:H:mm:ss} elapsed: {Reason}"
        : $"{Metric} met late, {OverTarget:H:mm:ss} over target: {Reason}";
}
