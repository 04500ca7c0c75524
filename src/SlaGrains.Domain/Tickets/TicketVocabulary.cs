namespace SlaGrains.Domain.Tickets;

/// <summary>How urgent a ticket is; P1 is the most urgent.</summary>
public enum TicketPriority
{
    /// <summary>Critical: service down for many users.</summary>
    P1 = 1,

    /// <summary>High: major function impaired.</summary>
    P2 = 2,

    /// <summary>Normal.</summary>
    P3 = 3,

    /// <summary>Low: questions and requests.</summary>
    P4 = 4,
}

/// <summary>Where a ticket is in its life; some statuses pause the SLA clocks (see <see cref="SlaClockOptions.PauseStatuses"/>).</summary>
public enum TicketStatus
{
    /// <summary>Just created, nobody has looked at it yet.</summary>
    New,

    /// <summary>Acknowledged and waiting for work.</summary>
    Open,

    /// <summary>Someone is working on it.</summary>
    InProgress,

    /// <summary>The next move is the customer's (pauses the clocks by default).</summary>
    WaitingOnCustomer,

    /// <summary>Parked, e.g. waiting on a third party (pauses the clocks by default).</summary>
    OnHold,

    /// <summary>A solution was given; the ticket can still be reopened.</summary>
    Resolved,

    /// <summary>Final: no further changes.</summary>
    Closed,
}

/// <summary>The SLA metrics measured on a ticket.</summary>
public enum SlaMetric
{
    /// <summary>Creation to the first public agent reply (or resolution).</summary>
    FirstResponse,

    /// <summary>Creation to resolution, across reopenings.</summary>
    Resolution,

    /// <summary>Each customer message to the next public agent reply, after the first response.</summary>
    NextReply,
}

/// <summary>What an SLA clock is doing.</summary>
public enum ClockState
{
    /// <summary>Counting business time, target not yet reached.</summary>
    Running,

    /// <summary>Stopped by a pause status, target not yet reached.</summary>
    Paused,

    /// <summary>Stopped within its target.</summary>
    Met,

    /// <summary>Past its target and still counting (time over target grows).</summary>
    BreachedRunning,

    /// <summary>Past its target and paused.</summary>
    BreachedPaused,

    /// <summary>Past its target and stopped for good (met late).</summary>
    BreachedStopped,
}

/// <summary>What reopening a resolved ticket does to its resolution clock.</summary>
public enum ReopenBehavior
{
    /// <summary>The resolution clock resumes with the business time it had (default).</summary>
    Resume,

    /// <summary>A new resolution cycle starts from zero with its thresholds armed again.</summary>
    NewCycle,
}

/// <summary>Which hours a metric's target counts in.</summary>
public enum CoverageHours
{
    /// <summary>The customer's business calendar.</summary>
    BusinessHours,

    /// <summary>Around the clock (24×7).</summary>
    AroundTheClock,
}
