using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Tickets;

/// <summary>
/// The SLA side of one ticket: its priority, status, targets and one clock per measured metric.
/// Changed only through <see cref="Decide"/> (validate a command at an instant, producing events) and
/// <see cref="Apply"/> (fold one event into the state). Both are pure: time is a parameter.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Every decision first fires the warnings and breaches that fell due since the last event, each
/// dated at the instant it fell due, then applies the command at <c>now</c>.</item>
/// <item>Pause statuses stop every clock; leaving them resumes the clocks.</item>
/// <item>A priority or target change re-targets clocks that are still counting, keeping elapsed time;
/// thresholds already fired stay fired, and thresholds the new target puts behind the clock fire at once.
/// A change of warnings re-arms the clock: warnings it had already passed are marked passed without an event
/// (<see cref="MetricClock.Rearmed"/>), those still ahead fire when reached.</item>
/// <item>A met clock stays met; a breached clock keeps counting until stopped (time over target is reported).</item>
/// <item>A resolution also counts as the first response; a customer message ends a wait on the customer.</item>
/// </list>
/// </remarks>
public sealed record TicketSla
{
    /// <summary>The priority now.</summary>
    public required TicketPriority Priority { get; init; }

    /// <summary>The status now.</summary>
    public required TicketStatus Status { get; init; }

    /// <summary>The targets new clocks start with (and running clocks follow).</summary>
    public required TicketTargets Targets { get; init; }

    /// <summary>How the clocks behave.</summary>
    public required SlaClockOptions Options { get; init; }

    /// <summary>The current clock of each metric that has one, in metric order.</summary>
    public required ImmutableArray<MetricClock> Clocks { get; init; }

    /// <summary>When the ticket was opened.</summary>
    public required Instant OpenedAt { get; init; }

    /// <summary>The instant of the last applied event; commands must not come from before it.</summary>
    public required Instant LastEventAt { get; init; }

    /// <summary>The clock of <paramref name="metric"/>, or null when it has none (next reply before any customer message).</summary>
    public MetricClock? Clock(SlaMetric metric) => Clocks.FirstOrDefault(c => c.Metric == metric);

    /// <summary>The earliest pending warning or breach of any clock that is counting; null when none.</summary>
    public SlaDeadline? NextDeadline()
    {
        SlaDeadline? next = null;
        foreach (var clock in Clocks)
        {
            if (clock.NextThreshold() is { } threshold && (next is null || threshold.At < next.At))
            {
                next = new SlaDeadline(clock.Metric, threshold.Percent, threshold.At);
            }
        }

        return next;
    }

    /// <summary>
    /// Decides what <paramref name="command"/> does at <paramref name="now"/> to a ticket in state
    /// <paramref name="state"/> (null before it is opened). Returns the events, due warnings and breaches
    /// first, or a rejection; never throws for expected failures.
    /// </summary>
    public static TicketSlaDecision Decide(TicketSla? state, TicketSlaCommand command, Instant now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (state is null)
        {
            if (command is not OpenTicket open)
            {
                return TicketSlaDecision.Reject(null, "ticket-not-found", "The ticket has not been opened.");
            }

            var opened = Open(open, now);
            return TicketSlaDecision.Accept(opened, Fold(null, opened)!);
        }

        if (now < state.LastEventAt)
        {
            return TicketSlaDecision.Reject(state, "time-before-last-event", $"{command.GetType().Name} at {now} is earlier than the ticket's last event at {state.LastEventAt}.");
        }

        var events = new List<TicketSlaEvent>();
        var current = FireDue(state, now, events);
        var firstCommandEvent = events.Count;
        var rejection = command switch
        {
            OpenTicket => new Rejection("ticket-exists", "The ticket is already open."),
            CheckDeadlines => null,
            ChangeStatus c => ChangeStatusTo(current, c.Status, now, "status changed", events),
            ChangePriority c => Reprioritize(current, c, now, events),
            ChangeTargets c => Retarget(current, c.Targets, c.Reason, now, events),
            RecordAgentReply => AgentReplied(current, now, events),
            RecordCustomerReply => CustomerReplied(current, now, events),
            ResolveTicket => Resolve(current, now, events),
            ReopenTicket => Reopen(current, now, events),
            CloseTicket => Close(current, now, events),
            _ => new Rejection("unknown-command", $"{command.GetType().Name} is not a ticket SLA command."),
        };

        if (rejection is not null)
        {
            return TicketSlaDecision.Reject(state, rejection.Code, rejection.Message);
        }

        var hasRetarget = false;
        for (var i = firstCommandEvent; i < events.Count; i++)
        {
            current = Apply(current, events[i]);
            hasRetarget |= events[i] is ClockRetargeted;
        }

        // Only a re-target can put thresholds behind the clock: they fire now, after the command.
        if (hasRetarget)
        {
            current = FireDue(current, now, events);
        }

        return TicketSlaDecision.Accept(events, current);
    }

    /// <summary>Folds one event into the state (null before <see cref="TicketOpened"/>).</summary>
    /// <exception cref="InvalidOperationException">When the event does not fit the state (a bug, not user input).</exception>
    public static TicketSla Apply(TicketSla? state, TicketSlaEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (@event is TicketOpened opened)
        {
            return new TicketSla
            {
                Priority = opened.Priority,
                Status = opened.Status,
                Targets = opened.Targets,
                Options = opened.Options,
                Clocks = [],
                OpenedAt = opened.At,
                LastEventAt = opened.At,
            };
        }

        if (state is null)
        {
            throw new InvalidOperationException($"{@event.GetType().Name} before the ticket was opened.");
        }

        var at = @event.At > state.LastEventAt ? @event.At : state.LastEventAt;
        return @event switch
        {
            StatusChanged e => state with { Status = e.To, LastEventAt = at },
            PriorityChanged e => state with { Priority = e.To, LastEventAt = at },
            TargetsChanged e => state with { Targets = e.Targets, LastEventAt = at },
            ClockStarted e => state.WithClock(
                new MetricClock
                {
                    Metric = e.Metric,
                    Cycle = e.Cycle,
                    Target = e.Target,
                    Calendar = e.Calendar,
                    Thresholds = state.Options.ThresholdsFor(state.Targets),
                    RunningSince = e.At,
                    StartedAt = e.At,
                    ChangedAt = e.At,
                },
                at),
            ClockPaused e => state.Update(e.Metric, at, c => c with { ElapsedBeforeRun = e.Elapsed, RunningSince = null, ChangedAt = e.At }),
            ClockResumed e => state.Update(e.Metric, at, c => c with { ElapsedBeforeRun = e.Elapsed, RunningSince = e.At, Stopped = false, ChangedAt = e.At }),
            // The TargetsChanged before it carries the new warnings: the clock is re-armed to them, passed ones silently.
            ClockRetargeted e => state.Update(e.Metric, at, c => c.Rearmed(state.Options.ThresholdsFor(state.Targets), e.Elapsed) with
            {
                ElapsedBeforeRun = e.Elapsed,
                RunningSince = c.RunningSince is null ? null : e.At,
                Target = e.Target,
                Calendar = e.Calendar,
                ChangedAt = e.At,
            }),
            ClockWarned e => state.Update(e.Metric, at, c => c with { ThresholdsFired = c.ThresholdsFired + 1 }),
            ClockBreached e => state.Update(e.Metric, at, c => c with { ThresholdsFired = c.Thresholds.Length }),
            ClockStopped e => state.Update(e.Metric, at, c => c with { ElapsedBeforeRun = e.Elapsed, RunningSince = null, Stopped = true, ChangedAt = e.At }),
            _ => throw new InvalidOperationException($"Unknown ticket SLA event {@event.GetType().Name}."),
        };
    }

    /// <summary>Folds a sequence of events, in order.</summary>
    public static TicketSla? Fold(TicketSla? state, IEnumerable<TicketSlaEvent> events)
    {
        foreach (var e in events)
        {
            state = Apply(state, e);
        }

        return state;
    }

    /// <summary>Replaces the clock of the same metric, or inserts it in metric order.</summary>
    private TicketSla WithClock(MetricClock clock, Instant lastEventAt)
    {
        var index = 0;
        while (index < Clocks.Length && Clocks[index].Metric < clock.Metric)
        {
            index++;
        }

        var clocks = index < Clocks.Length && Clocks[index].Metric == clock.Metric
            ? Clocks.SetItem(index, clock)
            : Clocks.Insert(index, clock);
        return this with { Clocks = clocks, LastEventAt = lastEventAt };
    }

    private TicketSla Update(SlaMetric metric, Instant lastEventAt, Func<MetricClock, MetricClock> change)
    {
        var clock = Clock(metric) ?? throw new InvalidOperationException($"The ticket has no {metric} clock.");
        return WithClock(change(clock), lastEventAt);
    }

    private bool IsPauseStatus(TicketStatus status) => Options.PauseStatuses.Contains(status);

    private static List<TicketSlaEvent> Open(OpenTicket open, Instant now)
    {
        var options = open.Options ?? SlaClockOptions.Default;
        var events = new List<TicketSlaEvent>
        {
            new TicketOpened(now, open.Priority, open.Status, open.Targets, options),
            new ClockStarted(now, SlaMetric.FirstResponse, 1, open.Targets.FirstResponse.Target, open.Targets.FirstResponse.Calendar),
            new ClockStarted(now, SlaMetric.Resolution, 1, open.Targets.Resolution.Target, open.Targets.Resolution.Calendar),
        };
        if (options.PauseStatuses.Contains(open.Status))
        {
            events.Add(new ClockPaused(now, SlaMetric.FirstResponse, Duration.Zero, open.Status));
            events.Add(new ClockPaused(now, SlaMetric.Resolution, Duration.Zero, open.Status));
        }

        return events;
    }

    /// <summary>Adds, in time order, every warning and breach due by <paramref name="now"/>; returns the state after them.</summary>
    private static TicketSla FireDue(TicketSla state, Instant now, List<TicketSlaEvent> events)
    {
        List<TicketSlaEvent>? due = null;
        foreach (var clock in state.Clocks)
        {
            var c = clock;
            while (c.MayHaveThresholdDueBy(now) && c.NextThreshold() is { } threshold && threshold.At <= now)
            {
                (due ??= []).Add(threshold.Percent >= 100
                    ? new ClockBreached(threshold.At, c.Metric, c.Cycle, c.Target)
                    : new ClockWarned(threshold.At, c.Metric, c.Cycle, threshold.Percent));
                c = c with { ThresholdsFired = c.ThresholdsFired + 1 };
            }
        }

        if (due is null)
        {
            return state;
        }

        due.Sort((a, b) => a.At.CompareTo(b.At));
        events.AddRange(due);
        return Fold((TicketSla?)state, due)!;
    }

    private static Rejection? ChangeStatusTo(TicketSla state, TicketStatus status, Instant now, string reason, List<TicketSlaEvent> events)
    {
        if (status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            return new Rejection("use-resolve-or-close", $"Set {status} by resolving or closing the ticket, not by a status change.");
        }

        if (state.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            return new Rejection("ticket-not-active", $"The ticket is {state.Status}: reopen it before changing its status.");
        }

        if (status == state.Status)
        {
            return null;
        }

        events.Add(new StatusChanged(now, state.Status, status, reason));
        var wasPaused = state.IsPauseStatus(state.Status);
        var pauses = state.IsPauseStatus(status);
        foreach (var clock in state.Clocks)
        {
            if (clock.Stopped)
            {
                continue;
            }

            if (pauses && !wasPaused && clock.RunningSince is not null)
            {
                events.Add(new ClockPaused(now, clock.Metric, clock.ElapsedAt(now), status));
            }
            else if (!pauses && wasPaused && clock.RunningSince is null)
            {
                events.Add(new ClockResumed(now, clock.Metric, clock.ElapsedBeforeRun, $"ticket left {state.Status}"));
            }
        }

        return null;
    }

    private static Rejection? Reprioritize(TicketSla state, ChangePriority command, Instant now, List<TicketSlaEvent> events)
    {
        if (state.Status == TicketStatus.Closed)
        {
            return new Rejection("ticket-closed", "The ticket is closed: its priority can no longer change.");
        }

        if (command.Priority == state.Priority && command.Targets == state.Targets)
        {
            return null;
        }

        events.Add(new PriorityChanged(now, state.Priority, command.Priority));
        return Retarget(state, command.Targets, $"priority {state.Priority} → {command.Priority}", now, events);
    }

    private static Rejection? Retarget(TicketSla state, TicketTargets targets, string reason, Instant now, List<TicketSlaEvent> events)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (state.Status == TicketStatus.Closed)
        {
            return new Rejection("ticket-closed", "The ticket is closed: its targets can no longer change.");
        }

        if (targets == state.Targets)
        {
            return null;
        }

        events.Add(new TargetsChanged(now, targets, reason));
        foreach (var clock in state.Clocks.Where(c => !c.Stopped))
        {
            var target = targets.Of(clock.Metric);
            if (target is null || (target.Target == clock.Target && target.Calendar.Equals(clock.Calendar) && clock.Thresholds.SequenceEqual(state.Options.ThresholdsFor(targets))))
            {
                continue;
            }

            events.Add(new ClockRetargeted(now, clock.Metric, clock.ElapsedAt(now), clock.Target, target.Target, target.Calendar, reason));
        }

        return null;
    }

    private static Rejection? AgentReplied(TicketSla state, Instant now, List<TicketSlaEvent> events)
    {
        if (state.Status == TicketStatus.Closed)
        {
            return new Rejection("ticket-closed", "The ticket is closed.");
        }

        foreach (var metric in new[] { SlaMetric.FirstResponse, SlaMetric.NextReply })
        {
            if (state.Clock(metric) is { Stopped: false } clock)
            {
                events.Add(Stop(clock, now, "agent replied"));
            }
        }

        return null;
    }

    private static Rejection? CustomerReplied(TicketSla state, Instant now, List<TicketSlaEvent> events)
    {
        if (state.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            return new Rejection("ticket-not-active", $"The ticket is {state.Status}: reopen it to take the customer's message.");
        }

        if (state.Status == TicketStatus.WaitingOnCustomer)
        {
            // The customer answered: the wait is over and the clocks count again.
            var rejection = ChangeStatusTo(state, TicketStatus.Open, now, "customer replied", events);
            if (rejection is not null)
            {
                return rejection;
            }
        }

        var firstResponseMet = state.Clock(SlaMetric.FirstResponse) is { Stopped: true };
        var nextReply = state.Clock(SlaMetric.NextReply);
        if (state.Targets.NextReply is { } target && firstResponseMet && nextReply is null or { Stopped: true })
        {
            events.Add(new ClockStarted(now, SlaMetric.NextReply, (nextReply?.Cycle ?? 0) + 1, target.Target, target.Calendar));
            if (state.IsPauseStatus(state.Status) && state.Status != TicketStatus.WaitingOnCustomer)
            {
                events.Add(new ClockPaused(now, SlaMetric.NextReply, Duration.Zero, state.Status));
            }
        }

        return null;
    }

    private static Rejection? Resolve(TicketSla state, Instant now, List<TicketSlaEvent> events)
    {
        if (state.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            return new Rejection("ticket-not-active", $"The ticket is already {state.Status}.");
        }

        events.Add(new StatusChanged(now, state.Status, TicketStatus.Resolved, "resolved"));
        StopAll(state, now, "ticket resolved", events);
        return null;
    }

    private static Rejection? Reopen(TicketSla state, Instant now, List<TicketSlaEvent> events)
    {
        if (state.Status != TicketStatus.Resolved)
        {
            return new Rejection("ticket-not-resolved", $"Only a resolved ticket can be reopened; this one is {state.Status}.");
        }

        events.Add(new StatusChanged(now, TicketStatus.Resolved, TicketStatus.Open, "reopened"));
        var resolution = state.Clock(SlaMetric.Resolution)!;
        if (state.Options.Reopen == ReopenBehavior.NewCycle)
        {
            var target = state.Targets.Resolution;
            events.Add(new ClockStarted(now, SlaMetric.Resolution, resolution.Cycle + 1, target.Target, target.Calendar));
        }
        else
        {
            events.Add(new ClockResumed(now, SlaMetric.Resolution, resolution.ElapsedBeforeRun, "ticket reopened"));
        }

        return null;
    }

    private static Rejection? Close(TicketSla state, Instant now, List<TicketSlaEvent> events)
    {
        if (state.Status == TicketStatus.Closed)
        {
            return new Rejection("ticket-closed", "The ticket is already closed.");
        }

        events.Add(new StatusChanged(now, state.Status, TicketStatus.Closed, "closed"));
        StopAll(state, now, "ticket closed", events);
        return null;
    }

    private static void StopAll(TicketSla state, Instant now, string reason, List<TicketSlaEvent> events)
    {
        foreach (var clock in state.Clocks.Where(c => !c.Stopped))
        {
            events.Add(Stop(clock, now, reason));
        }
    }

    private static ClockStopped Stop(MetricClock clock, Instant now, string reason)
    {
        var elapsed = clock.ElapsedAt(now);
        var over = clock.Breached ? Duration.Max(Duration.Zero, elapsed - clock.Target) : Duration.Zero;
        return new ClockStopped(now, clock.Metric, clock.Cycle, elapsed, over, reason);
    }
}
