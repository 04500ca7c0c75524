using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.Postgres;

/// <summary>
/// Two real silos in one process sharing one PostgreSQL database through our registration (membership, grain state,
/// reminders); one of them is killed and the other carries on from what the database holds.
/// </summary>
public sealed class PostgresClusterTests(ThrowawayPostgres server) : IClassFixture<ThrowawayPostgres>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task A_grains_state_written_through_a_silo_is_read_back_after_that_silo_dies()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        await using var cluster = await StartClusterAsync("state");
        var (survivor, doomed) = (cluster.Silos[0], cluster.Silos[1]);
        var grain = await FirstGrainActivatedOnAsync(cluster, doomed.SiloAddress);

        await grain.Write("written through the silo that dies").WaitAsync(Bound);
        await KillAndAwaitDeathAsync(cluster, doomed, survivor);

        Assert.Equal("written through the silo that dies", await grain.Read().WaitAsync(Bound));
        Assert.Equal(survivor.SiloAddress, await grain.Where().WaitAsync(Bound));
    }

    [SkippableFact]
    public async Task A_reminder_registered_before_a_silo_dies_fires_on_the_survivor()
    {
        Skip.If(server.Unavailable is not null, server.Unavailable);
        await using var cluster = await StartClusterAsync("reminder");
        var (survivor, doomed) = (cluster.Silos[0], cluster.Silos[1]);

        // Each silo's reminder service owns part of the hash ring. With 20 reminders, the doomed silo owns some of
        // them (all 20 landing on one side has odds of 2 in a million); after the kill they fire again only if the
        // survivor reads the doomed silo's range back from PostgreSQL.
        var run = Guid.NewGuid().ToString("N")[..8];
        var grains = Enumerable.Range(0, 20).Select(i => cluster.GrainFactory.GetGrain<IPgReminderGrain>($"ticket-{run}-{i}")).ToArray();
        await Task.WhenAll(grains.Select(g => g.Arm(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))).WaitAsync(Bound);
        await KillAndAwaitDeathAsync(cluster, doomed, survivor);
        var ticks = grains.Select(g => ReminderTicks.For(g.GetPrimaryKeyString())).ToArray();
        foreach (var channel in ticks)
        {
            while (channel.Reader.TryRead(out _))
            {
                // Ticks from before the kill do not count.
            }
        }

        using var timeout = new CancellationTokenSource(Bound);
        var firedOn = await Task.WhenAll(ticks.Select(t => t.Reader.ReadAsync(timeout.Token).AsTask()));

        Assert.All(firedOn, silo => Assert.Equal(survivor.SiloAddress, silo));
        await Task.WhenAll(grains.Select(g => g.Disarm())).WaitAsync(Bound);
    }

    private async Task<TestCluster> StartClusterAsync(string name)
        => await PostgresTestCluster.StartAsync(
            await server.CreateDatabaseAsync($"cluster_{name}_{Guid.NewGuid():N}"[..40]),
            2,
            "slagrains-cluster-tests",
            builder => builder.AddSiloBuilderConfigurator<ShortReminderPeriods>());

    /// <summary>Grains are placed at random: take the first of a fixed list of keys that lands on the wanted silo.</summary>
    private static async Task<IPgNoteGrain> FirstGrainActivatedOnAsync(TestCluster cluster, SiloAddress silo)
    {
        for (var i = 0; i < 64; i++)
        {
            var grain = cluster.GrainFactory.GetGrain<IPgNoteGrain>($"ticket-{i}");
            if (silo.Equals(await grain.Where().WaitAsync(Bound)))
            {
                return grain;
            }
        }

        throw new InvalidOperationException($"None of 64 grains was placed on {silo}.");
    }

    private static Task KillAndAwaitDeathAsync(TestCluster cluster, SiloHandle doomed, SiloHandle survivor)
        => cluster.KillAndAwaitDeathAsync(doomed, survivor, Bound);

    private sealed class ShortReminderPeriods : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
            => siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    }
}
