using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using Xunit.Abstractions;

namespace SlaGrains.Grains.Tests.Escalations;

/// <summary>
/// Storage writes per breach, counted on the real SQLite grain storage: a breach whose rule escalates to management,
/// reassigns and notifies costs the ticket one write; the figure is printed per grain type.
/// </summary>
public sealed class BreachWriteCountTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 23, 10, 0);
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-writes-").FullName;
    private CountedCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await CountedCluster.StartAsync(Path.Combine(_directory, "sla.db"), silos: 1);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_breach_that_escalates_to_management_reassigns_and_notifies_costs_one_ticket_write()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        await _cluster.Grains.GetGrain<IEscalationGrain>(customer).SetRules([
            new EscalationRule("mgmt", SlaMetric.Resolution, 100, EscalationActionKind.EscalateToManagement, "managers"),
            new EscalationRule("move", SlaMetric.Resolution, 100, EscalationActionKind.Reassign, "team:tier2/user:erin"),
            new EscalationRule("tell", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "role:manager"),
        ]);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>($"ticket-{Guid.NewGuid():N}");
        _cluster.Clock.Set(Start);
        var created = await ticket.Create(new NewTicket(customer, TicketPriority.P1, "Mail server down", "ana@example.com", "network", "otto",
            new PriorityTargets(Duration.FromHours(4), Duration.FromHours(1), coverage: CoverageHours.AroundTheClock).For(BusinessCalendar.AlwaysOpen)));
        Assert.True(created.Accepted, created.Rejection?.Message);

        // The warning (75 %, no rule) first, so the breach is counted alone.
        _cluster.Clock.Set(Start + Duration.FromMinutes(50));
        await ticket.ChangeStatus(TicketStatus.New);
        await recorder.WaitFor<TicketAlerted>(a => a.Alert.Percent == 75, Bound);
        await ticket.Get();
        var before = _cluster.Writes.All.Count;

        // Same status: nothing but the deadlines that fell due, i.e. the breach.
        _cluster.Clock.Set(Start + Duration.FromMinutes(61));
        await ticket.ChangeStatus(TicketStatus.New);
        var raised = await recorder.WaitFor<EscalationRaised>(e => e.Escalation.Alert.IsBreach, Bound);
        var view = (await ticket.Get())!;
        var writes = _cluster.Writes.ByGrainType(before);

        output.WriteLine("storage writes per breach (escalate to management + reassign + notify), by grain type:");
        foreach (var (type, count) in writes.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {type}: {count}");
        }

        Assert.Equal(("tier2", "erin", true), (view.Team, view.Assignee, view.EscalatedToManagement));
        Assert.Equal(3, raised.Escalation.Actions.Length);
        Assert.Equal(1, writes.GetValueOrDefault("ticket"));
    }
}
