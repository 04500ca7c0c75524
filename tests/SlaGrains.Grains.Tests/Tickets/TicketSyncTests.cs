using System.Collections.Immutable;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Tests.Tickets;

/// <summary>
/// Tickets imported from another system with their history (<see cref="ITicketGrain.Sync"/>) in a real cluster on
/// SQLite, on a clock the test sets: the clocks come out as if each event had arrived live at its instant.
/// </summary>
public sealed class TicketSyncTests(ShiftedClockClusterFixture fixture) : IClassFixture<ShiftedClockClusterFixture>
{
    private static readonly Instant T0 = Instant.FromUtc(2031, 3, 4, 9, 0);
    private static readonly Instant Now = T0 + Duration.FromHours(7);
    private static readonly TicketTargets Targets = new PriorityTargets(Duration.FromHours(1), Duration.FromHours(4), coverage: CoverageHours.AroundTheClock).For(BusinessCalendar.AlwaysOpen);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    /// <summary>
    /// Created; an agent's reply after the first response breached (due at +1h); a wait on the customer from +2h30 to
    /// +3h30 (the resolution clock pauses); resolved at +6h, after the resolution warning (+4h) and breach (+5h).
    /// </summary>
    private static ImmutableArray<SyncedTicketEvent> History(string customer) =>
    [
        new("e1", "f1", "created", T0, customer, "Printer on fire", TicketStatus.New, TicketPriority.P2, Targets),
        new("e2", "f2", "agentReply", T0 + Duration.FromHours(2)),
        new("e3", "f3", "status", T0 + Duration.FromMinutes(150), Status: TicketStatus.WaitingOnCustomer),
        new("e4", "f4", "customerReply", T0 + Duration.FromMinutes(210)),
        new("e5", "f5", "resolved", T0 + Duration.FromHours(6)),
    ];

    [Fact]
    public async Task An_imported_history_gives_the_clocks_and_audit_of_the_same_ticket_driven_live_and_its_past_breaches_are_not_escalated()
    {
        var (liveCustomer, importedCustomer) = (Id("live"), Id("imported"));
        await RulesFor(liveCustomer);
        await RulesFor(importedCustomer);
        var clock = ShiftedClock.For(fixture.DatabasePath);
        var live = _cluster.Grains.GetGrain<ITicketGrain>(Id("t"));
        clock.Set(T0);
        await live.Create(new NewTicket(liveCustomer, TicketPriority.P2, "Printer on fire", "ana", null, null, Targets));
        clock.Set(T0 + Duration.FromHours(2));
        await live.RecordAgentReply();
        clock.Set(T0 + Duration.FromMinutes(150));
        await live.ChangeStatus(TicketStatus.WaitingOnCustomer);
        clock.Set(T0 + Duration.FromMinutes(210));
        await live.RecordCustomerReply();
        clock.Set(T0 + Duration.FromHours(6));
        await live.Resolve();
        clock.Set(Now);
        var imported = _cluster.Grains.GetGrain<ITicketGrain>(Id("t"));

        var outcomes = await imported.Sync(new TicketSyncBatch("generic", History(importedCustomer), Now, EscalatePast: false));
        var (liveView, importedView) = (await live.Get(), await imported.Get());
        var liveLog = await LogOf(liveCustomer, 4);
        var importedLog = await _cluster.Grains.GetGrain<IEscalationGrain>(importedCustomer).GetLog(20);

        Assert.All(outcomes, o => Assert.Equal(SyncOutcomes.Applied, o.Outcome));
        // The live ticket's clock moves on by milliseconds between the test's steps: compared to the nearest second.
        Assert.Equal(liveView!.Clocks.Select(ToTheSecond), importedView!.Clocks.Select(ToTheSecond));
        Assert.Equal(Transitions(liveView).Select(t => t with { Item1 = Second(t.Item1) }), Transitions(importedView));
        Assert.Equal(T0, importedView.CreatedAt);
        Assert.Equal(TicketStatus.Resolved, importedView.Status);
        var resolution = importedView.Clocks.Single(c => c.Metric == SlaMetric.Resolution);
        Assert.Equal((ClockState.BreachedStopped, T0 + Duration.FromHours(5), T0 + Duration.FromHours(5), (Instant?)null), (resolution.State, resolution.BreachedAt, resolution.DueAt, resolution.MetAt));
        Assert.Contains(importedView.Audit, a => a.Kind == nameof(ClockBreached) && a.Metric == SlaMetric.FirstResponse && a.At == T0 + Duration.FromHours(1));
        Assert.Equal(4, liveLog.Length);
        Assert.Empty(importedLog);
    }

    [Fact]
    public async Task Past_warnings_and_breaches_are_escalated_when_the_source_says_escalatePast()
    {
        var customer = Id("past");
        await RulesFor(customer);
        ShiftedClock.For(fixture.DatabasePath).Set(Now);
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>(Id("t"));

        await ticket.Sync(new TicketSyncBatch("generic", History(customer), Now, EscalatePast: true));
        var log = await LogOf(customer, 4);

        Assert.Equal(
            [(SlaMetric.FirstResponse, 75), (SlaMetric.FirstResponse, 100), (SlaMetric.Resolution, 75), (SlaMetric.Resolution, 100)],
            log.Select(e => (e.Alert.Metric, e.Alert.Percent)).Order());
        Assert.Contains(log, e => e.Alert.Metric == SlaMetric.Resolution && e.Alert.IsBreach && e.Alert.DueAt == T0 + Duration.FromHours(5));
    }

    [Fact]
    public async Task Events_arriving_out_of_order_give_the_ticket_they_give_in_order()
    {
        var customer = Id("order");
        ShiftedClock.For(fixture.DatabasePath).Set(Now);
        var history = History(customer);
        var inOrder = _cluster.Grains.GetGrain<ITicketGrain>(Id("t"));
        var outOfOrder = _cluster.Grains.GetGrain<ITicketGrain>(Id("t"));

        await inOrder.Sync(new TicketSyncBatch("generic", history, Now, false));
        var first = await outOfOrder.Sync(new TicketSyncBatch("generic", [history[4], history[1], history[0]], Now, false));
        var late = await outOfOrder.Sync(new TicketSyncBatch("generic", [history[3], history[2]], Now, false));
        var (expected, actual) = (await inOrder.Get(), await outOfOrder.Get());
        var (expectedThen, actualThen) = (await inOrder.GetAt(T0 + Duration.FromMinutes(200)), await outOfOrder.GetAt(T0 + Duration.FromMinutes(200)));

        Assert.All(first.Concat(late), o => Assert.Equal(SyncOutcomes.Applied, o.Outcome));
        Assert.Equal(expected!.Clocks.ToArray(), actual!.Clocks.ToArray());
        Assert.Equal(Transitions(expected), Transitions(actual));
        Assert.Equal(expectedThen.Ticket!.Clocks.ToArray(), actualThen.Ticket!.Clocks.ToArray());
        Assert.Equal(ClockState.Paused, actualThen.Ticket.Clocks.Single(c => c.Metric == SlaMetric.Resolution).State);
    }

    [Fact]
    public async Task A_replayed_event_changes_nothing_and_an_event_id_reused_for_other_content_is_a_conflict()
    {
        var customer = Id("replay");
        ShiftedClock.For(fixture.DatabasePath).Set(Now);
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>(Id("t"));
        await ticket.Sync(new TicketSyncBatch("generic", History(customer), Now, false));
        var before = await ticket.Get();

        var replayed = await ticket.Sync(new TicketSyncBatch("generic", History(customer), Now, false));
        var reused = await ticket.Sync(new TicketSyncBatch("generic", [new("e2", "other", "agentReply", T0 + Duration.FromMinutes(30))], Now, false));
        var otherSource = await ticket.Sync(new TicketSyncBatch("zendesk", [new("z1", "z", "agentReply", T0 + Duration.FromHours(6))], Now, false));
        var after = await ticket.Get();

        Assert.All(replayed, o => Assert.Equal(SyncOutcomes.Replayed, o.Outcome));
        Assert.Equal(SyncOutcomes.Conflict, Assert.Single(reused).Outcome);
        Assert.Equal(SyncOutcomes.Conflict, Assert.Single(otherSource).Outcome);
        Assert.Equal(before!.Clocks.ToArray(), after!.Clocks.ToArray());
        Assert.Equal(before.Audit.ToArray(), after.Audit.ToArray());
    }

    [Fact]
    public async Task A_ticket_opened_here_is_not_taken_over_by_a_source()
    {
        ShiftedClock.For(fixture.DatabasePath).Set(Now);
        var ticket = _cluster.Grains.GetGrain<ITicketGrain>(Id("t"));
        await ticket.Create(new NewTicket(Id("own"), TicketPriority.P2, "Ours", "ana", null, null, Targets));

        var outcomes = await ticket.Sync(new TicketSyncBatch("generic", History(Id("other")), Now, false));

        Assert.All(outcomes, o => Assert.Equal(SyncOutcomes.Conflict, o.Outcome));
        Assert.Equal("Ours", (await ticket.Get())!.Subject);
    }

    /// <summary>A rule for every warning and breach, so each alert that reaches the escalation grain is in its log.</summary>
    private async Task RulesFor(string customer) => await _cluster.Grains.GetGrain<IEscalationGrain>(customer).SetRules([
        new EscalationRule("fr-warn", SlaMetric.FirstResponse, 75, EscalationActionKind.Notify, "team-lead"),
        new EscalationRule("fr-breach", SlaMetric.FirstResponse, 100, EscalationActionKind.Notify, "team-lead"),
        new EscalationRule("res-warn", SlaMetric.Resolution, 75, EscalationActionKind.Notify, "team-lead"),
        new EscalationRule("res-breach", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "team-lead")]);

    /// <summary>The customer's escalation log once it has <paramref name="count"/> entries (its rows are written just after each is raised), or as it is after ten seconds.</summary>
    private async Task<ImmutableArray<EscalationView>> LogOf(string customer, int count)
    {
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var log = await escalations.GetLog(20);
            if (log.Length >= count || DateTime.UtcNow > deadline)
            {
                return log;
            }

            await Task.Delay(100);
        }
    }

    private static Instant Second(Instant at) => Instant.FromUnixTimeSeconds((long)Math.Round(at.ToUnixTimeTicks() / (double)NodaConstants.TicksPerSecond));

    private static Instant? Second(Instant? at) => at is { } value ? Second(value) : null;

    private static ClockView ToTheSecond(ClockView c) => c with
    {
        Elapsed = Duration.FromSeconds(Math.Round(c.Elapsed.TotalSeconds)),
        Remaining = Duration.FromSeconds(Math.Round(c.Remaining.TotalSeconds)),
        DueAt = Second(c.DueAt),
        BreachedAt = Second(c.BreachedAt),
        MetAt = Second(c.MetAt),
    };

    private static string Id(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static IEnumerable<(Instant, string, SlaMetric?, int?)> Transitions(TicketView view) => view.Audit.Select(a => (a.At, a.Kind, a.Metric, a.Threshold));
}
