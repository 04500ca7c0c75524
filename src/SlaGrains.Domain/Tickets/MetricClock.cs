using System.Collections.Immutable;
using NodaTime;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Domain.Tickets;

/// <summary>
/// One SLA metric's clock on a ticket: its target, the calendar it counts in, the business time it
/// has accumulated and the thresholds it has already fired. Immutable; changed only by
/// <see cref="TicketSla.Apply"/>.
/// </summary>
/// <remarks>
/// Elapsed business time is <see cref="ElapsedBeforeRun"/> plus, while running, the business time since
/// <see cref="RunningSince"/> in <see cref="Calendar"/>. A re-target or a pause folds the running part
/// into <see cref="ElapsedBeforeRun"/>, so a change of target or calendar never loses elapsed time.
/// </remarks>
public sealed record MetricClock
{
    /// <summary>The metric this clock measures.</summary>
    public required SlaMetric Metric { get; init; }

    /// <summary>Which cycle of the metric: resolution cycles start again on a reopen with <see cref="ReopenBehavior.NewCycle"/>; next-reply cycles start with each customer message. Starts at 1.</summary>
    public required int Cycle { get; init; }

    /// <summary>Business time allowed.</summary>
    public required Duration Target { get; init; }

    /// <summary>The calendar business time is counted in.</summary>
    public required BusinessCalendar Calendar { get; init; }

    /// <summary>Thresholds in percent of the target, ascending, the last being the breach at 100.</summary>
    public required ImmutableArray<int> Thresholds { get; init; }

    /// <summary>How many of <see cref="Thresholds"/> have fired (the breach is the last).</summary>
    public int ThresholdsFired { get; init; }

    /// <summary>Business time accumulated before <see cref="RunningSince"/>.</summary>
    public Duration ElapsedBeforeRun { get; init; }

    /// <summary>When the clock last started counting; null while paused or stopped.</summary>
    public Instant? RunningSince { get; init; }

    /// <summary>True once stopped for good (met, or met late after a breach).</summary>
    public bool Stopped { get; init; }

    /// <summary>When the clock started.</summary>
    public required Instant StartedAt { get; init; }

    /// <summary>When the clock was last started, paused, re-targeted or stopped.</summary>
    public required Instant ChangedAt { get; init; }

    /// <summary>True once the breach threshold has fired.</summary>
    public bool Breached => ThresholdsFired >= Thresholds.Length;

    /// <summary>The clock's state, derived from its fields.</summary>
    public ClockState State => (Stopped, Breached, RunningSince.HasValue) switch
    {
        (true, false, _) => ClockState.Met,
        (true, true, _) => ClockState.BreachedStopped,
        (false, false, true) => ClockState.Running,
        (false, false, false) => ClockState.Paused,
        (false, true, true) => ClockState.BreachedRunning,
        (false, true, false) => ClockState.BreachedPaused,
    };

    /// <summary>Business time elapsed at <paramref name="now"/> (an instant before the run started counts nothing more).</summary>
    public Duration ElapsedAt(Instant now)
        => RunningSince is { } since && now > since ? ElapsedBeforeRun + Calendar.Between(since, now) : ElapsedBeforeRun;

    /// <summary>Target minus elapsed at <paramref name="now"/>; negative once breached (the time over target).</summary>
    public Duration RemainingAt(Instant now) => Target - ElapsedAt(now);

    /// <summary>Business time past the target at <paramref name="now"/>; zero within target.</summary>
    public Duration OverTargetAt(Instant now) => Duration.Max(Duration.Zero, -RemainingAt(now));

    /// <summary>
    /// The instant the target is used up if the clock keeps running (the breach deadline); null while
    /// paused or stopped. In the past once breached.
    /// </summary>
    public Instant? BreachAt()
    {
        if (Stopped || RunningSince is not { } since)
        {
            return null;
        }

        var need = Target - ElapsedBeforeRun;
        return need <= Duration.Zero ? since : Calendar.TryAdd(since, need, out var due) ? due : null;
    }

    /// <summary>
    /// The next threshold not yet fired and the instant it falls due, or null when none is pending or the
    /// clock is not running. A threshold already reached by a re-target falls due at the re-target.
    /// </summary>
    public (int Percent, Instant At)? NextThreshold()
    {
        if (Stopped || ThresholdsFired >= Thresholds.Length)
        {
            return null;
        }

        var percent = Thresholds[ThresholdsFired];
        var need = Share(Target, percent) - ElapsedBeforeRun;
        if (need <= Duration.Zero)
        {
            return (percent, ChangedAt);
        }

        return RunningSince is { } since && Calendar.TryAdd(since, need, out var due) ? (percent, due) : null;
    }

    /// <summary>
    /// The instant the clock reaches its first warning threshold (the policy's lowest warning percent): the
    /// re-target or run start when already past it, null when the clock is not running or has no warning threshold.
    /// From then until the breach the clock is at risk (<see cref="ClockStandings"/>).
    /// </summary>
    public Instant? AtRiskAt()
    {
        if (Stopped || Breached || Thresholds.Length < 2 || RunningSince is not { } since)
        {
            return null;
        }

        var need = Share(Target, Thresholds[0]) - ElapsedBeforeRun;
        if (need <= Duration.Zero)
        {
            return ChangedAt < since ? ChangedAt : since;
        }

        return Calendar.TryAdd(since, need, out var at) ? at : null;
    }

    /// <summary>The standing at <paramref name="now"/>: on track, at risk (past the first warning threshold), breached, paused or met.</summary>
    public ClockStanding StandingAt(Instant now) => ClockStandings.At(State, AtRiskAt(), BreachAt(), now);

    /// <summary>
    /// A cheap test that rules out a threshold falling due by <paramref name="now"/> without calendar
    /// arithmetic: business time never runs faster than real time, so a threshold needing more business
    /// time than has elapsed in real time since <see cref="RunningSince"/> cannot be due yet.
    /// </summary>
    internal bool MayHaveThresholdDueBy(Instant now)
    {
        if (Stopped || ThresholdsFired >= Thresholds.Length)
        {
            return false;
        }

        var need = Share(Target, Thresholds[ThresholdsFired]) - ElapsedBeforeRun;
        return need <= Duration.Zero || (RunningSince is { } since && now - since >= need);
    }

    /// <summary>
    /// This clock with new <paramref name="thresholds"/> (warnings ascending, then 100), re-armed when its target,
    /// calendar or warnings change with <paramref name="elapsed"/> business time behind it. Measured against the target
    /// in force until now, a warning the clock has already passed (or fired) counts as fired, silently: a new
    /// threshold never fires for time that elapsed before it existed. Warnings still ahead are armed. A breach stays
    /// fired; a threshold that only the new, shorter target puts behind the clock is not passed and fires at once.
    /// </summary>
    internal MetricClock Rearmed(ImmutableArray<int> thresholds, Duration elapsed)
    {
        if (thresholds.SequenceEqual(Thresholds))
        {
            return this;
        }

        if (Breached)
        {
            return this with { Thresholds = thresholds, ThresholdsFired = thresholds.Length };
        }

        // Fired thresholds are a prefix of ascending percents, so "passed" is a prefix of the new warnings too.
        var lastFired = ThresholdsFired > 0 ? Thresholds[ThresholdsFired - 1] : 0;
        var passed = 0;
        while (passed < thresholds.Length - 1 && (thresholds[passed] <= lastFired || Share(Target, thresholds[passed]) <= elapsed))
        {
            passed++;
        }

        return this with { Thresholds = thresholds, ThresholdsFired = passed };
    }

    /// <summary><paramref name="percent"/> % of <paramref name="target"/>, exact to the nanosecond (rounded down).</summary>
    public static Duration Share(Duration target, int percent)
        => Duration.FromNanoseconds((long)((Int128)target.ToInt64Nanoseconds() * percent / 100));
}
