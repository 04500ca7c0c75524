namespace SlaGrains.Domain.Tickets;

/// <summary>Something a person or the system asks of a ticket's SLA; <see cref="TicketSla.Decide"/> accepts or rejects it.</summary>
public abstract record TicketSlaCommand;

/// <summary>Open a ticket: starts the first-response and resolution clocks.</summary>
public sealed record OpenTicket(TicketPriority Priority, TicketTargets Targets, TicketStatus Status = TicketStatus.New, SlaClockOptions? Options = null) : TicketSlaCommand;

/// <summary>Change the status (not to Resolved or Closed: use <see cref="ResolveTicket"/>, <see cref="CloseTicket"/>).</summary>
public sealed record ChangeStatus(TicketStatus Status) : TicketSlaCommand;

/// <summary>Change the priority; running clocks are re-targeted to <paramref name="Targets"/> keeping elapsed time.</summary>
public sealed record ChangePriority(TicketPriority Priority, TicketTargets Targets) : TicketSlaCommand;

/// <summary>Change the targets without a priority change: a new tier, a bespoke override or a new calendar.</summary>
public sealed record ChangeTargets(TicketTargets Targets, string Reason) : TicketSlaCommand;

/// <summary>A public agent reply: meets first response and the pending next reply.</summary>
public sealed record RecordAgentReply : TicketSlaCommand;

/// <summary>A customer message: starts a next-reply cycle and ends a wait on the customer.</summary>
public sealed record RecordCustomerReply : TicketSlaCommand;

/// <summary>Resolve: stops every clock (a resolution also counts as the first response).</summary>
public sealed record ResolveTicket : TicketSlaCommand;

/// <summary>Reopen a resolved ticket: the resolution clock resumes or starts a new cycle (see <see cref="SlaClockOptions.Reopen"/>).</summary>
public sealed record ReopenTicket : TicketSlaCommand;

/// <summary>Close for good; stops every clock still counting.</summary>
public sealed record CloseTicket : TicketSlaCommand;

/// <summary>Fire whatever warnings and breaches have fallen due by now (the deadline timer's command).</summary>
public sealed record CheckDeadlines : TicketSlaCommand;

/// <summary>The outcome of a command: the events to apply, or why nothing changed.</summary>
public sealed record TicketSlaDecision
{
    private TicketSlaDecision(IReadOnlyList<TicketSlaEvent> events, TicketSla? state, Rejection? rejection)
    {
        Events = events;
        State = state;
        Rejection = rejection;
    }

    /// <summary>The events, in order; empty when rejected or when there was nothing to do.</summary>
    public IReadOnlyList<TicketSlaEvent> Events { get; }

    /// <summary>
    /// The state after the events (the same as folding <see cref="Events"/> into the state decided on);
    /// the unchanged state when rejected.
    /// </summary>
    public TicketSla? State { get; }

    /// <summary>Why the command was refused; null when accepted.</summary>
    public Rejection? Rejection { get; }

    /// <summary>True when accepted.</summary>
    public bool IsAccepted => Rejection is null;

    internal static TicketSlaDecision Accept(IReadOnlyList<TicketSlaEvent> events, TicketSla state) => new(events, state, null);

    internal static TicketSlaDecision Reject(TicketSla? state, string code, string message) => new([], state, new Rejection(code, message));
}

/// <summary>The next warning or breach a ticket is waiting for.</summary>
/// <param name="Metric">Which clock.</param>
/// <param name="Percent">The threshold in percent of the target; 100 is the breach.</param>
/// <param name="At">When it falls due.</param>
public sealed record SlaDeadline(SlaMetric Metric, int Percent, NodaTime.Instant At)
{
    /// <summary>True for the breach threshold.</summary>
    public bool IsBreach => Percent >= 100;
}
