using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using SlaGrains.Storage.Postgres;

namespace SlaGrains.Testing;

/// <summary>
/// An in-process <see cref="TestCluster"/> whose silos share one PostgreSQL database through our registration
/// (membership, grain state, reminders), with failure detection tuned to declare a killed silo dead in seconds.
/// </summary>
public static class PostgresTestCluster
{
    /// <summary>The configuration key the silos and the client read the connection string from.</summary>
    public const string ConnectionStringKey = "SlaGrains:Tests:PostgresConnectionString";

    /// <summary>
    /// Deploys <paramref name="silos"/> silos on <paramref name="connectionString"/>; <paramref name="configure"/> may add
    /// silo configurators (e.g. the grains, reminder options).
    /// </summary>
    public static async Task<TestCluster> StartAsync(string connectionString, short silos, string serviceId, Action<TestClusterBuilder>? configure = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = serviceId;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { [ConnectionStringKey] = connectionString }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        configure?.Invoke(builder);
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Kills <paramref name="doomed"/> abruptly and waits until <paramref name="survivor"/>'s membership declares it dead.</summary>
    public static async Task KillAndAwaitDeathAsync(this TestCluster cluster, SiloHandle doomed, SiloHandle survivor, TimeSpan bound)
    {
        var membership = ((InProcessSiloHandle)survivor).SiloHost.Services.GetRequiredService<IClusterMembershipService>();
        await cluster.KillSiloAsync(doomed).WaitAsync(bound);
        using var timeout = new CancellationTokenSource(bound);
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
            => silo.UseSlaGrainsPostgreSql(silo.Configuration[ConnectionStringKey]
                    ?? throw new InvalidOperationException($"{ConnectionStringKey} is not configured."))
                .Configure<ClusterMembershipOptions>(o =>
                {
                    // Declare a killed silo dead within seconds, not the production default of about a minute.
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                });
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
