using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Escalations;

/// <summary>
/// Two silos on one SQLite file. A breach is committed by a ticket on the second silo, whose hand-over to the
/// escalation is held at the storage; that silo is killed before the escalation is recorded. The ticket, reactivated
/// on the survivor, delivers its outbox again: exactly one escalation is recorded and the ticket is flagged once.
/// </summary>
public sealed class BreachFailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 23, 10, 0);
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-failover-").FullName;
    private CountedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await CountedCluster.StartAsync(Path.Combine(_directory, "sla.db"), silos: 2);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_silo_killed_between_a_breach_and_its_escalation_still_escalates_once_and_flags_the_ticket_once()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        await _cluster.Grains.GetGrain<IEscalationGrain>(customer).SetRules([
            new EscalationRule("mgmt", SlaMetric.Resolution, 100, EscalationActionKind.EscalateToManagement, "managers"),
            new EscalationRule("move", SlaMetric.Resolution, 100, EscalationActionKind.Reassign, "user:erin"),
        ]);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        _cluster.Clock.Set(Start);
        var (primary, doomed) = (_cluster.Cluster.Primary!, _cluster.Cluster.SecondarySilos[0]);
        var (ticketId, ticket) = await TicketOn(doomed.SiloAddress, customer);

        // The breach: the ticket commits it (with the reassignment and the flag), then its hand-over is held.
        var held = _cluster.Writes.Hold("escalationrecord");
        var before = _cluster.Writes.All.Count;
        _cluster.Clock.Set(Start + Duration.FromMinutes(61));
        var breach = ticket.ChangeStatus(TicketStatus.New);
        _ = breach.ContinueWith(t => t.Exception, TaskScheduler.Default); // answered by a silo that dies: its outcome is not the point
        await held.WaitAsync(Bound);
        var committed = _cluster.Writes.All.Skip(before).Where(w => w.Grain == GrainId.Create("ticket", ticketId)).ToList();
        Assert.Equal([doomed.SiloAddress], committed.Select(w => w.Silo));

        // The silo dies before the escalation is recorded; the held write never commits, on whichever silo it ran.
        _cluster.Writes.Killed(doomed.SiloAddress);
        await _cluster.Cluster.KillAndAwaitDeathAsync(doomed, primary, Bound);
        _cluster.Writes.Release("escalationrecord", commit: false);

        // The ticket comes back on the survivor and delivers its outbox again.
        var view = (await ticket.Get().WaitAsync(Bound))!;
        var raised = await recorder.WaitFor<EscalationRaised>(e => e.Escalation.Alert.TicketId == ticketId && e.Escalation.Alert.IsBreach, Bound);

        var log = await _cluster.Grains.GetGrain<IEscalationGrain>(customer).GetLog(100);
        Assert.Equal([raised.Escalation.EscalationId], log.Where(e => e.Alert.IsBreach).Select(e => e.EscalationId));
        Assert.Equal(["escalate to management (managers)", "reassign to user:erin"], raised.Escalation.Actions.ToArray());
        Assert.Equal(("erin", true), (view.Assignee, view.EscalatedToManagement));
        Assert.Single(view.Audit, a => a.Kind == "EscalatedToManagement");
        Assert.Single(view.Audit, a => a.Kind == "Reassigned");
        Assert.Single(view.Audit, a => a.Kind == nameof(ClockBreached) && a.Metric == SlaMetric.Resolution);
    }

    /// <summary>A new ticket whose activation is on <paramref name="silo"/> (placement is random: a few tries).</summary>
    private async Task<(string Id, ITicketGrain Ticket)> TicketOn(SiloAddress silo, string customer)
    {
        var targets = new PriorityTargets(Duration.FromHours(4), Duration.FromHours(1), coverage: CoverageHours.AroundTheClock).For(BusinessCalendar.AlwaysOpen);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var id = $"ticket-{Guid.NewGuid():N}";
            var ticket = _cluster.Grains.GetGrain<ITicketGrain>(id);
            var created = await ticket.Create(new NewTicket(customer, TicketPriority.P1, "Mail server down", "ana@example.com", "network", "otto", targets));
            Assert.True(created.Accepted, created.Rejection?.Message);
            if (_cluster.Writes.All.Last(w => w.Grain == GrainId.Create("ticket", id)).Silo.Equals(silo))
            {
                return (id, ticket);
            }
        }

        throw new InvalidOperationException($"No ticket was placed on {silo} in 40 tries.");
    }
}
