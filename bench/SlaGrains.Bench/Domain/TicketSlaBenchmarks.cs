using BenchmarkDotNet.Attributes;
using NodaTime;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Bench.Domain;

/// <summary>
/// The ticket SLA clock's per-event cost: <see cref="TicketSla.Decide"/>, which validates the command, fires
/// what fell due and applies the events, returning the new state, on a P2 ticket counted in the Berlin business calendar. Every invocation starts
/// from the same state, so nothing drifts towards a threshold as the benchmark runs.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory(DomainGoals.ClockEvent)]
public class TicketSlaBenchmarks
{
    private static readonly ChangeStatus WaitOnCustomer = new(TicketStatus.WaitingOnCustomer);
    private static readonly ChangeStatus BackToWork = new(TicketStatus.InProgress);
    private static readonly CheckDeadlines Check = new();

    private TicketSla _inProgress = null!;
    private Instant _pauseAt;
    private Instant _resumeAt;

    [GlobalSetup]
    public void Setup()
    {
        var targets = new PriorityTargets(
            firstResponse: Duration.FromHours(4),
            resolution: Duration.FromHours(16),
            nextReply: Duration.FromHours(8)).For(DomainFixtures.Calendar);
        var openedAt = DomainFixtures.Berlin(2025, 3, 4, 9, 30); // a Tuesday
        _pauseAt = DomainFixtures.Berlin(2025, 3, 4, 10, 45);
        _resumeAt = DomainFixtures.Berlin(2025, 3, 4, 14, 5); // across the lunch break

        var opened = TicketSla.Decide(null, new OpenTicket(TicketPriority.P2, targets, TicketStatus.InProgress), openedAt);
        _inProgress = TicketSla.Fold(null, Require(opened, "open").Events)!;

        // Each step must be one accepted batch with clock events, and the check must find nothing due.
        var pause = Require(TicketSla.Decide(_inProgress, WaitOnCustomer, _pauseAt), "pause");
        var paused = TicketSla.Fold(_inProgress, pause.Events)!;
        var resume = Require(TicketSla.Decide(paused, BackToWork, _resumeAt), "resume");
        var check = Require(TicketSla.Decide(_inProgress, Check, _pauseAt), "check");
        if (pause.Events.Count < 2 || resume.Events.Count < 2 || check.Events.Count != 0)
        {
            throw new InvalidOperationException(
                $"Unexpected events: pause {pause.Events.Count}, resume {resume.Events.Count}, check {check.Events.Count}.");
        }
    }

    /// <summary>
    /// InProgress → WaitingOnCustomer (pauses both clocks) then → InProgress (resumes them): two decisions, each
    /// one accepted batch of three events, folded. Reported per decision.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public TicketSla ChangeStatusPauseResume()
    {
        var paused = Step(_inProgress, WaitOnCustomer, _pauseAt);
        return Step(paused, BackToWork, _resumeAt);
    }

    /// <summary>The deadline timer's command when no warning or breach is due: no events.</summary>
    [Benchmark]
    public TicketSla CheckDeadlinesNothingDue() => Step(_inProgress, Check, _pauseAt);

    /// <summary>One clock event as a grain handles it: decide, and take the state the events lead to.</summary>
    private static TicketSla Step(TicketSla state, TicketSlaCommand command, Instant now)
        => TicketSla.Decide(state, command, now).State!;

    private static TicketSlaDecision Require(TicketSlaDecision decision, string what)
        => decision.IsAccepted
            ? decision
            : throw new InvalidOperationException($"The {what} command was rejected: {decision.Rejection}.");
}
