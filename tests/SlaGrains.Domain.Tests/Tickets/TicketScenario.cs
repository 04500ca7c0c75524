using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Tests.Tickets;

/// <summary>
/// Drives one ticket through commands at chosen instants, keeping the state and the audit trail the
/// way a grain does: decide, then fold the events.
/// </summary>
internal sealed class TicketScenario
{
    private readonly List<TicketSlaEvent> _trail = [];

    public TicketScenario(Instant openedAt, TicketTargets targets, TicketPriority priority = TicketPriority.P3, SlaClockOptions? options = null, TicketStatus status = TicketStatus.New)
    {
        Now = openedAt;
        Do(new OpenTicket(priority, targets, status, options));
    }

    public TicketSla State { get; private set; } = null!;

    public Instant Now { get; private set; }

    public IReadOnlyList<TicketSlaEvent> Trail => _trail;

    /// <summary>24×7 targets: first response and resolution in hours, next reply optional.</summary>
    public static TicketTargets AroundTheClock(double firstResponseHours, double resolutionHours, double? nextReplyHours = null)
        => new PriorityTargets(
            Duration.FromMinutes(firstResponseHours * 60),
            Duration.FromMinutes(resolutionHours * 60),
            nextReplyHours is { } n ? Duration.FromMinutes(n * 60) : null,
            CoverageHours.AroundTheClock).For(BusinessCalendar.AlwaysOpen);

    public MetricClock Clock(SlaMetric metric) => State.Clock(metric) ?? throw new InvalidOperationException($"no {metric} clock");

    public TicketScenario After(Duration elapsed)
    {
        Now += elapsed;
        return this;
    }

    public TicketScenario AfterHours(double hours) => After(Duration.FromMinutes(hours * 60));

    public TicketScenario At(Instant instant)
    {
        Now = instant;
        return this;
    }

    /// <summary>Decides and applies the command at <see cref="Now"/>; returns only this command's events.</summary>
    public IReadOnlyList<TicketSlaEvent> Do(TicketSlaCommand command)
    {
        var decision = TicketSla.Decide(State, command, Now);
        if (!decision.IsAccepted)
        {
            throw new InvalidOperationException($"{command} was rejected: {decision.Rejection}");
        }

        // The state Decide returns is the fold of its events: a grain may use either.
        var folded = TicketSla.Fold(State, decision.Events)!;
        Assert.Equal(folded.Clocks.ToArray(), decision.State!.Clocks.ToArray());
        Assert.Equal((folded.Status, folded.Priority, folded.Targets, folded.LastEventAt), (decision.State.Status, decision.State.Priority, decision.State.Targets, decision.State.LastEventAt));
        State = decision.State;
        _trail.AddRange(decision.Events);
        return decision.Events;
    }

    public Rejection Rejected(TicketSlaCommand command)
    {
        var before = State;
        var decision = TicketSla.Decide(State, command, Now);
        Assert.False(decision.IsAccepted, $"{command} should have been rejected");
        Assert.Same(before, State);
        return decision.Rejection!;
    }
}
