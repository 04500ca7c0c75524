using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using SlaGrains.Storage.Postgres;
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
    private const string ConnectionStringKey = "SlaGrains:Tests:PostgresConnectionString";
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
        await KillAndAwaitDeath(cluster, doomed, survivors[0]);

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

    private static async Task<TestCluster> StartClusterAsync(string connectionString)
    {
        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = "slagrains-failover-tests";
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { [ConnectionStringKey] = connectionString }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Kills <paramref name="doomed"/> abruptly and waits until the survivors' membership declares it dead.</summary>
    private static async Task KillAndAwaitDeath(TestCluster cluster, SiloHandle doomed, SiloHandle survivor)
    {
        var membership = ((InProcessSiloHandle)survivor).SiloHost.Services.GetRequiredService<IClusterMembershipService>();
        await cluster.KillSiloAsync(doomed).WaitAsync(Bound);
        using var timeout = new CancellationTokenSource(Bound);
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(timeout.Token))
        {
            if (snapshot.GetSiloStatus(doomed.SiloAddress) == SiloStatus.Dead)
            {
                return;
            }
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.UseSlaGrainsPostgreSql(silo.Configuration[ConnectionStringKey]!)
                .AddSlaGrains()
                .Configure<ClusterMembershipOptions>(o =>
                {
                    // Declare a killed silo dead within seconds, not the production default of about a minute.
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
            => client.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresSiloBuilderExtensions.Invariant;
                o.ConnectionString = configuration[ConnectionStringKey];
            });
    }
}
