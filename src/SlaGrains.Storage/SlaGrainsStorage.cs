using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;
using SlaGrains.Storage.Postgres;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Sqlite;

namespace SlaGrains.Storage;

/// <summary>
/// The one switch that puts a silo on its store, read from configuration (appsettings, environment
/// variables such as <c>Storage__Provider</c>, or the command line):
/// <list type="table">
/// <item><term><c>Storage:Provider</c></term><description><c>sqlite</c> (default: one embedded file, one silo, localhost clustering)
/// or <c>postgresql</c> (Orleans' ADO.NET clustering, grain storage and reminders on our schema: a cluster of silos).</description></item>
/// <item><term><c>Storage:ConnectionString</c></term><description>PostgreSQL: required (Npgsql form). SQLite: optional, overrides the path.</description></item>
/// <item><term><c>Storage:SqlitePath</c></term><description>SQLite file; default <c>./data/slagrains.db</c>.</description></item>
/// <item><term><c>Storage:Synchronous</c></term><description>SQLite <c>Full</c> (default) or <c>Normal</c>; see <see cref="SqliteSynchronousMode"/>.</description></item>
/// <item><term><c>Orleans:ClusterId</c>, <c>Orleans:ServiceId</c></term><description>Default <c>slagrains</c> both.</description></item>
/// <item><term><c>Orleans:SiloPort</c>, <c>Orleans:GatewayPort</c></term><description>Default 11111 and 30000.</description></item>
/// <item><term><c>Orleans:AdvertisedIPAddress</c></term><description>PostgreSQL clusters: the address other silos reach this one on, an IP
/// address or a host name resolved to its first IPv4 address at start (a container's own name, e.g. <c>silo1</c>); default loopback.</description></item>
/// <item><term><c>Orleans:Membership:*</c></term><description>Binds Orleans' <see cref="ClusterMembershipOptions"/> (e.g. <c>ProbeTimeout</c>,
/// <c>NumMissedProbesLimit</c>, <c>NumVotesForDeathDeclaration</c>, <c>TableRefreshTimeout</c>): how fast a dead silo is declared dead. Orleans' defaults when absent.</description></item>
/// </list>
/// Grain state goes to the storage named <see cref="GrainStorageName"/>, which is also the default storage (keyed
/// <c>Default</c> and unkeyed, which is what grains naming no storage get). The read models
/// (<see cref="SlaGrains.Contracts.ReadModels.IReadModelWriter"/>, <see cref="SlaGrains.Contracts.ReadModels.ITicketReadModel"/>,
/// <see cref="SlaGrains.Contracts.ReadModels.IEscalationReadModel"/>, <see cref="SlaGrains.Contracts.ReadModels.IMonitorReadModel"/>,
/// <see cref="SlaGrains.Contracts.ReadModels.IReadModelMaintenance"/>)
/// live in the same store.
/// </summary>
public static class SlaGrainsStorage
{
    /// <summary>The name of SlaGrains' grain storage (also registered as Orleans' default storage).</summary>
    public const string GrainStorageName = "sla";

    /// <summary>The configuration section read by <see cref="UseSlaGrainsStorage"/>.</summary>
    public const string SectionName = "Storage";

    /// <summary>Configures clustering, grain storage, reminders and the read models for the store <c>Storage:Provider</c> names.</summary>
    /// <exception cref="InvalidOperationException">When the provider is unknown or PostgreSQL has no connection string.</exception>
    public static ISiloBuilder UseSlaGrainsStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(SectionName);
        var orleans = configuration.GetSection("Orleans");
        var clusterId = orleans["ClusterId"] ?? "slagrains";
        var serviceId = orleans["ServiceId"] ?? "slagrains";
        var siloPort = Port(orleans, "SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = Port(orleans, "GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
        var provider = (storage["Provider"] ?? "sqlite").Trim().ToLowerInvariant();
        var connectionString = storage["ConnectionString"];

        switch (provider)
        {
            case "sqlite":
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
                void ConfigureSqlite(SqliteStorageOptions options) => ConfigureSqliteFile(storage, options);

                silo.AddSqliteGrainStorage(GrainStorageName, ConfigureSqlite);
                silo.UseSqliteReminderService(ConfigureSqlite);
                silo.Services.AddKeyedSingleton<IGrainStorage>(
                    ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                    (services, _) => services.GetRequiredKeyedService<IGrainStorage>(GrainStorageName));

                // Same file, same database object: the read models share the grain storage's writer and group commit.
                silo.Services.AddSqliteReadModels(ConfigureSqlite, serviceId);
                break;

            case "postgresql" or "postgres":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Storage:Provider is postgresql but Storage:ConnectionString is empty: give an Npgsql connection string, e.g. Host=db;Database=slagrains;Username=slagrains;Password=…");
                }

                silo.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
                    options.ServiceId = serviceId;
                });
                var advertised = orleans["AdvertisedIPAddress"] is { Length: > 0 } address ? Advertised(address) : IPAddress.Loopback;
                silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
                silo.UseSlaGrainsPostgreSql(connectionString, GrainStorageName);
                break;

            default:
                throw new InvalidOperationException($"Storage:Provider must be 'sqlite' or 'postgresql'; got '{storage["Provider"]}'.");
        }

        silo.Services.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));

        // Grains that name no storage ([PersistentState("x")]) get the unkeyed IGrainStorage: ours.
        silo.Services.AddSingleton<IGrainStorage>(services => services.GetRequiredKeyedService<IGrainStorage>(GrainStorageName));
        return silo;
    }

    /// <summary>
    /// Joins a web front-end to the cluster of silos on the store <c>Storage:Provider</c> names, as an Orleans client:
    /// on PostgreSQL it reads the gateways from the ADO.NET membership table (the silos' own); on SQLite, whose
    /// single silo uses localhost clustering, it connects to that silo's gateway on loopback, <c>Orleans:GatewayPort</c>.
    /// <c>Orleans:ClusterId</c> and <c>Orleans:ServiceId</c> must match the silos'.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the provider is unknown or PostgreSQL has no connection string.</exception>
    public static IClientBuilder UseSlaGrainsClustering(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(SectionName);
        var orleans = configuration.GetSection("Orleans");
        var clusterId = orleans["ClusterId"] ?? "slagrains";
        var serviceId = orleans["ServiceId"] ?? "slagrains";
        var provider = (storage["Provider"] ?? "sqlite").Trim().ToLowerInvariant();
        var connectionString = storage["ConnectionString"];
        switch (provider)
        {
            case "sqlite":
                client.UseLocalhostClustering(Port(orleans, "GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT), serviceId, clusterId);
                break;

            case "postgresql" or "postgres":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Storage:Provider is postgresql but Storage:ConnectionString is empty: give the silos' Npgsql connection string, e.g. Host=db;Database=slagrains;Username=slagrains;Password=…");
                }

                client.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
                    options.ServiceId = serviceId;
                });
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = PostgresSiloBuilderExtensions.Invariant;
                    options.ConnectionString = PostgresConnectionTuning.Apply(connectionString);
                });
                break;

            default:
                throw new InvalidOperationException($"Storage:Provider must be 'sqlite' or 'postgresql'; got '{storage["Provider"]}'.");
        }

        return client;
    }

    /// <summary>
    /// Lets a process that is not a silo — a web front-end joined as an Orleans client — query the read models
    /// (<see cref="SlaGrains.Contracts.ReadModels.ITicketReadModel"/>, <see cref="SlaGrains.Contracts.ReadModels.IEscalationReadModel"/>,
    /// <see cref="SlaGrains.Contracts.ReadModels.IMonitorReadModel"/>)
    /// in the store the silos write, read from the same <c>Storage:*</c> keys as <see cref="UseSlaGrainsStorage"/>.
    /// On SQLite it opens the silo's file read-only (no
    /// writer, no migration); on PostgreSQL it connects to the cluster's database, whose schema the silos ensure at
    /// start-up. Queries fail until a silo has created the schema. Writing and maintenance stay with the silos, so only
    /// the queries are registered; in a process that also hosts a silo (<see cref="UseSlaGrainsStorage"/>), that
    /// silo's read models are used and this call changes nothing.
    /// </summary>
    /// <param name="services">The front-end's services.</param>
    /// <param name="configuration">The same configuration the silos read.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">When the provider is unknown or PostgreSQL has no connection string.</exception>
    public static IServiceCollection AddSlaGrainsReadModels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(SectionName);
        var serviceId = configuration.GetSection("Orleans")["ServiceId"] ?? "slagrains";
        var provider = (storage["Provider"] ?? "sqlite").Trim().ToLowerInvariant();
        var connectionString = storage["ConnectionString"];
        switch (provider)
        {
            case "sqlite":
                var options = new SqliteStorageOptions();
                ConfigureSqliteFile(storage, options);
                return services.AddSqliteQueries(options.ResolveConnectionString());

            case "postgresql" or "postgres":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Storage:Provider is postgresql but Storage:ConnectionString is empty: give the silos' Npgsql connection string, e.g. Host=db;Database=slagrains;Username=slagrains;Password=…");
                }

                return services.AddPostgresQueries(connectionString, serviceId);

            default:
                throw new InvalidOperationException($"Storage:Provider must be 'sqlite' or 'postgresql'; got '{storage["Provider"]}'.");
        }
    }

    /// <summary>The SQLite file and its settings from <c>Storage:SqlitePath</c>, <c>Storage:ConnectionString</c> and <c>Storage:Synchronous</c>.</summary>
    private static void ConfigureSqliteFile(IConfigurationSection storage, SqliteStorageOptions options)
    {
        var connectionString = storage["ConnectionString"];
        options.DatabasePath = storage["SqlitePath"] ?? options.DatabasePath;
        options.ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? null : connectionString;
        if (storage["Synchronous"] is { } synchronous)
        {
            options.Synchronous = Enum.Parse<SqliteSynchronousMode>(synchronous, ignoreCase: true);
        }
    }

    /// <summary>
    /// An IP address as given, or a host name resolved once: in a container the other silos reach this one on the
    /// container's address, which is known only once it runs, while its name is known when the deployment is written.
    /// </summary>
    private static IPAddress Advertised(string address)
    {
        if (IPAddress.TryParse(address, out var ip))
        {
            return ip;
        }

        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(address);
        }
        catch (System.Net.Sockets.SocketException error)
        {
            throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{address}' is neither an IP address nor a host name that resolves here.", error);
        }

        return resolved.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{address}' resolves to no IPv4 address.");
    }

    private static int Port(IConfigurationSection section, string key, int fallback)
        => section[key] is { Length: > 0 } text
            ? int.TryParse(text, out var port) && port is > 0 and < 65536
                ? port
                : throw new InvalidOperationException($"Orleans:{key} must be a TCP port (1–65535); got '{text}'.")
            : fallback;
}
