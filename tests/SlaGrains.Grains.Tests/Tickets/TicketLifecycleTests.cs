using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Tests.Tickets;

/// <summary>Tickets on a real two-silo cluster with SQLite storage and the real clock: short targets, awaited by signal.</summary>
public sealed class TicketLifecycleTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-grains-").FullName;
    private SqliteCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SqliteCluster.StartAsync(Path.Combine(_directory, "sla.db"));

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_two_second_resolution_target_warns_at_75_percent_and_breaches_at_100_once_each()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        await _cluster.Grains.GetGrain<IEscalationGrain>(customer).SetRules([
            new EscalationRule("warn", SlaMetric.Resolution, 75, EscalationActionKind.Notify, "team-lead"),
            new EscalationRule("breach", SlaMetric.Resolution, 100, EscalationActionKind.EscalateToManagement, "managers"),
        ]);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>($"ticket-{Guid.NewGuid():N}");

        var created = await ticket.Create(NewTicket(customer, resolution: Duration.FromSeconds(2)));
        Assert.True(created.Accepted, created.Rejection?.Message);

        // The ticket publishes an alert once the escalation grain has taken it.
        await recorder.WaitFor<TicketAlerted>(a => a.Alert.Metric == SlaMetric.Resolution && a.Alert.IsBreach, Bound);
        var breach = await recorder.WaitFor<EscalationRaised>(e => e.Escalation.Alert.Metric == SlaMetric.Resolution && e.Escalation.Alert.IsBreach, Bound);
        var view = await ticket.Get();

        var alerts = recorder.All.OfType<TicketAlerted>().Where(a => a.Alert.Metric == SlaMetric.Resolution).Select(a => a.Alert.Percent).ToList();
        Assert.Equal([75, 100], alerts);
        Assert.Equal(["escalate to management (managers)"], breach.Escalation.Actions.ToArray());
        Assert.True(view!.EscalatedToManagement);
        Assert.Equal(ClockState.BreachedRunning, view.Clocks.Single(c => c.Metric == SlaMetric.Resolution).State);
        Assert.Single(view.Audit, a => a.Kind == nameof(ClockBreached) && a.Metric == SlaMetric.Resolution);
        Assert.Single(view.Audit, a => a.Kind == nameof(ClockWarned) && a.Metric == SlaMetric.Resolution);

        var log = await _cluster.Grains.GetGrain<IEscalationGrain>(customer).GetLog(10);
        Assert.Equal(2, log.Count(e => e.Alert.Metric == SlaMetric.Resolution));
        Assert.Equal(["notify team-lead"], log.Single(e => e.Alert.Metric == SlaMetric.Resolution && e.Alert.Percent == 75).Actions.ToArray());
    }

    [Fact]
    public async Task Every_silo_sees_what_grains_on_any_silo_publish()
    {
        // Listen on the second silo only; tickets are placed at random, so about half live on the first one (all 20
        // landing on the second has odds of one in a million).
        var second = ((Orleans.TestingHost.InProcessSiloHandle)_cluster.Cluster.SecondarySilos[0]).SiloHost.Services
            .GetRequiredService<ISlaNotifications>();
        await using var recorder = new NotificationRecorder([second]);
        var ids = Enumerable.Range(0, 20).Select(_ => $"ticket-{Guid.NewGuid():N}").ToList();

        await Task.WhenAll(ids.Select(id => _cluster.Grains.GetGrain<ITicketGrain>(id).Create(NewTicket($"customer-{Guid.NewGuid():N}", Duration.FromHours(8)))));

        foreach (var id in ids)
        {
            await recorder.WaitFor<TicketChanged>(c => c.Ticket.TicketId == id, Bound);
        }
    }

    [Fact]
    public async Task The_same_alert_raised_twice_escalates_once()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("breach", SlaMetric.FirstResponse, 100, EscalationActionKind.Notify, "managers")]);
        var now = Instant.FromUtc(2026, 11, 23, 10, 0);
        var alert = new SlaAlert("ticket-x", customer, SlaMetric.FirstResponse, 100, 1, now, now, TicketPriority.P1, null, null);

        var first = await escalations.Raise(alert);
        var again = await escalations.Raise(alert with { RecordedAt = now + Duration.FromSeconds(5) });

        Assert.Equal((first.EscalationId, first.RaisedAt), (again.EscalationId, again.RaisedAt));
        Assert.Single(await escalations.GetLog(10));
    }

    [Fact]
    public async Task An_alert_redelivered_after_the_escalation_grain_was_deactivated_escalates_once()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("breach", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "managers")]);
        var now = Instant.FromUtc(2026, 11, 23, 10, 0);
        var alert = new SlaAlert("ticket-y", customer, SlaMetric.Resolution, 100, 2, now, now, TicketPriority.P2, null, null);
        var first = await escalations.Raise(alert);

        await escalations.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var again = await escalations.Raise(alert);

        Assert.Equal((first.EscalationId, first.RaisedAt), (again.EscalationId, again.RaisedAt));
        Assert.Single(await escalations.GetLog(10));
    }

    [Fact]
    public async Task Pausing_a_ticket_stops_its_clocks_and_commands_are_durable_when_they_return()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var id = $"ticket-{Guid.NewGuid():N}";
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>(id);
        await ticket.Create(NewTicket(customer, resolution: Duration.FromHours(8)));

        var paused = await ticket.ChangeStatus(TicketStatus.WaitingOnCustomer);

        Assert.True(paused.Accepted);
        Assert.All(paused.Ticket!.Clocks, c => Assert.Equal(ClockState.Paused, c.State));
        var rejected = await ticket.Reopen();
        Assert.Equal("ticket-not-resolved", rejected.Rejection!.Code);
        Assert.Equal(TicketStatus.WaitingOnCustomer, (await ticket.Get())!.Status);
    }

    [Fact]
    public async Task Commands_on_a_ticket_that_does_not_exist_are_rejected()
    {
        var result = await _cluster.Grains.GetGrain<ITicketGrain>($"ticket-{Guid.NewGuid():N}").Resolve();

        Assert.Equal("ticket-not-found", result.Rejection!.Code);
        Assert.Null(result.Ticket);
    }

    [Fact]
    public async Task An_idle_ticket_collected_before_its_deadline_is_woken_by_its_reminder_breaches_once_and_is_escalated()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        await _cluster.Grains.GetGrain<IEscalationGrain>(customer).SetRules([
            new EscalationRule("breach", SlaMetric.Resolution, 100, EscalationActionKind.EscalateToManagement, "managers")]);
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var id = $"ticket-{Guid.NewGuid():N}";
        await _cluster.Grains.GetGrain<ITicketGrain>(id).Create(NewTicket(customer, resolution: Duration.FromSeconds(4)));

        // What the five-minute age limit does to an idle ticket, now: every idle activation is collected.
        await _cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // The reminder activates the ticket; the breach's escalation rule calls back into it (flag for management).
        await recorder.WaitFor<TicketAlerted>(a => a.Alert.TicketId == id && a.Alert.Metric == SlaMetric.Resolution && a.Alert.IsBreach, Bound);
        var view = await _cluster.Grains.GetGrain<ITicketGrain>(id).Get();
        Assert.Single(view!.Audit, a => a.Kind == nameof(ClockBreached) && a.Metric == SlaMetric.Resolution);
        Assert.True(view.EscalatedToManagement);
    }

    [Fact]
    public async Task A_committed_change_is_in_the_tickets_table_at_its_state_version_with_its_transitions_as_rows()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var id = $"ticket-{Guid.NewGuid():N}";
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>(id);
        var rows = _cluster.Service<ITicketReadModel>();

        await ticket.Create(NewTicket(customer, resolution: Duration.FromHours(8)));
        var listed = await rows.FindAsync(id);
        await ticket.ChangeStatus(TicketStatus.InProgress);
        var afterChange = await rows.FindAsync(id);
        var audit = await rows.TransitionsAsync(id);
        var view = await ticket.Get();

        Assert.Equal((id, customer, TicketStatus.New), (listed!.TicketId, listed.CustomerId, listed.Status));
        Assert.Equal(TicketStatus.InProgress, afterChange!.Status);
        Assert.True(afterChange.Version > listed.Version);
        Assert.Equal(view!.Audit.Select(a => (a.Kind, a.Metric, a.Description)), audit.Select(a => (a.Kind, a.Metric, a.Description)));
    }

    [Fact]
    public async Task A_ticket_rewrites_its_rows_from_state_after_they_are_deleted()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var id = $"ticket-{Guid.NewGuid():N}";
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>(id);
        var rows = _cluster.Service<ITicketReadModel>();
        await ticket.Create(NewTicket(customer, resolution: Duration.FromHours(8)));
        await ticket.RecordAgentReply();
        var before = await rows.FindAsync(id);
        var auditBefore = await rows.TransitionsAsync(id);

        await _cluster.Service<IReadModelMaintenance>().ClearAsync();
        Assert.Null(await rows.FindAsync(id));
        Assert.Contains(id, await _cluster.Service<IReadModelMaintenance>().StaleTicketsAsync(null, 1_000));
        Assert.True(await ticket.RefreshReadModel());

        var after = await rows.FindAsync(id);
        Assert.Equal(before!.Version, after!.Version);
        Assert.Equal(before.Clocks.Select(c => (c.Metric, c.State, c.Target, c.BreachAt)), after.Clocks.Select(c => (c.Metric, c.State, c.Target, c.BreachAt)));
        Assert.Equal(auditBefore, await rows.TransitionsAsync(id));
        Assert.DoesNotContain(id, await _cluster.Service<IReadModelMaintenance>().StaleTicketsAsync(null, 1_000));
    }

    private static NewTicket NewTicket(string customer, Duration resolution)
        => new(customer, TicketPriority.P1, "Mail server down", "ana@example.com", "network", null,
            new PriorityTargets(Duration.FromHours(1), resolution, coverage: CoverageHours.AroundTheClock).For(BusinessCalendar.AlwaysOpen));
}
