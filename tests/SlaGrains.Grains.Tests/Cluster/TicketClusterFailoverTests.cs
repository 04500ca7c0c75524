using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Cluster;

/// <summary>
/// Three silos on one PostgreSQL; 1,000 tickets spread over them; one silo is killed abruptly. Every ticket still
/// answers with its state from a survivor, and the deadlines of tickets that lived on the dead silo still fire —
/// exactly once.
/// </summary>
public sealed class TicketClusterFailoverTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private const int Tickets = 1_000;
    private const int Customers = 10;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private static readonly Duration FirstResponse = Duration.FromSeconds(30);

    [SkippableFact]
    public async Task Killing_a_silo_loses_no_ticket_and_fires_each_deadline_exactly_once()
    {
        Skip.If(postgres.Unavailable is not null, postgres.Unavailable);
        await using var cluster = await StartClusterAsync(await postgres.CreateDatabaseAsync($"failover_{Guid.NewGuid():N}"[..30]));
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, Tickets).Select(i => $"t-{run}-{i}").ToArray();
        var targets = new PriorityTargets(FirstResponse, Duration.FromHours(4), coverage: CoverageHours.AroundTheClock).For(BusinessCalendar.AlwaysOpen);
        await Task.WhenAll(Enumerable.Range(0, Customers).Select(c => cluster.GrainFactory.GetGrain<IEscalationGrain>(Customer(run, c))
            .SetRules([new EscalationRule("breach", SlaMetric.FirstResponse, 100, EscalationActionKind.Notify, "managers")])));

        var created = await Task.WhenAll(ids.Select((id, i) => cluster.GrainFactory.GetGrain<ITicketGrain>(id)
            .Create(new NewTicket(Customer(run, i % Customers), TicketPriority.P2, $"Subject {i}", "requester@example.com", null, null, targets))));
        Assert.All(created, c => Assert.True(c.Accepted, c.Rejection?.Message));

        var (doomed, survivors) = (cluster.Silos[2], cluster.Silos.Take(2).ToArray());
        await using var recorder = new NotificationRecorder(survivors.Select(Hub));
        await cluster.KillAndAwaitDeathAsync(doomed, survivors[0], Bound);

        // Every breach, including those of tickets whose timers died with the silo, reaches the survivors.
        var pending = ids.ToHashSet();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (pending.Count > 0)
        {
            var left = Bound - waited.Elapsed;
            var alert = await recorder.WaitFor<TicketAlerted>(a => a.Alert.IsBreach && pending.Contains(a.Alert.TicketId), left > TimeSpan.Zero ? left : TimeSpan.Zero);
            pending.Remove(alert.Alert.TicketId);
        }

        var views = await Task.WhenAll(ids.Select(id => cluster.GrainFactory.GetGrain<ITicketGrain>(id).Get()));
        for (var i = 0; i < Tickets; i++)
        {
            var view = views[i]!;
            Assert.Equal($"Subject {i}", view.Subject);
            Assert.Single(view.Audit, a => a.Kind == nameof(ClockBreached) && a.Metric == SlaMetric.FirstResponse);
            Assert.Single(view.Audit, a => a.Kind == nameof(ClockWarned) && a.Metric == SlaMetric.FirstResponse);
            Assert.Equal(view.CreatedAt + FirstResponse, view.Audit.Single(a => a.Kind == nameof(ClockBreached)).At);
        }

        var logs = await Task.WhenAll(Enumerable.Range(0, Customers).Select(c => cluster.GrainFactory.GetGrain<IEscalationGrain>(Customer(run, c)).GetLog(10_000)));
        var escalated = logs.SelectMany(l => l).Where(e => e.Alert.Metric == SlaMetric.FirstResponse && e.Alert.IsBreach).Select(e => e.Alert.TicketId).ToList();
        Assert.Equal(ids.Order(), escalated.Order());
    }

    private static string Customer(string run, int index) => $"customer-{run}-{index}";

    private static ISlaNotifications Hub(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<ISlaNotifications>();

    private static Task<TestCluster> StartClusterAsync(string connectionString)
        => PostgresTestCluster.StartAsync(connectionString, 3, "slagrains-failover-tests", builder => builder.AddSiloBuilderConfigurator<WithGrains>());

    private sealed class WithGrains : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddSlaGrains();
    }
}
