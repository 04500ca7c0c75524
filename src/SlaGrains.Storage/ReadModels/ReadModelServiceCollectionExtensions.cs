using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Storage.Sqlite;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// Registers the read models (<c>tickets</c>, <c>clock_transitions</c>, <c>escalations</c> and the monitor tables) of a
/// store: one object serves as <see cref="IReadModelWriter"/>, <see cref="ITicketReadModel"/>,
/// <see cref="IEscalationReadModel"/>, <see cref="IMonitorReadModel"/> and <see cref="IReadModelMaintenance"/>, replacing
/// any read models registered before (e.g. a front-end's read-only queries in the same process).
/// </summary>
public static class ReadModelServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="SqliteStorageOptions"/> instance the SQLite read models read.</summary>
    public const string SqliteOptionsName = "SlaGrains.SqliteReadModels";

    /// <summary>
    /// The read models in a SQLite file, written through the same database object — hence the same single writer and
    /// group commit — as every grain storage and reminder table of the process configured with that file.
    /// </summary>
    /// <param name="services">The services (a silo's).</param>
    /// <param name="configure">Sets the options: the file (<see cref="SqliteStorageOptions.DatabasePath"/> or
    /// <see cref="SqliteStorageOptions.ConnectionString"/>) and, as for the grain storage on that file, its synchronous mode.</param>
    /// <param name="serviceId">The Orleans service id whose ticket, escalation and monitor grain states the stale check reads; null: <see cref="ClusterOptions.ServiceId"/>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSqliteReadModels(this IServiceCollection services, Action<SqliteStorageOptions> configure, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqliteStorageOptions>(SqliteOptionsName).Configure(configure);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDatabaseRegistry>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(SqliteOptionsName);
            var database = sp.GetRequiredService<SqliteDatabaseRegistry>().Get(options, "read models");
            return new SqliteReadModels(database, serviceId ?? ServiceId(sp));
        });

        // The channel outbox lives in the same file and goes through the same writer.
        services.RemoveAll<SlaGrains.Contracts.Channels.IChannelOutboxStore>();
        services.AddSingleton<SlaGrains.Contracts.Channels.IChannelOutboxStore>(sp => new Channels.SqliteChannelOutbox(sp.GetRequiredService<SqliteReadModels>().Database));
        services.RemoveAll<SlaGrains.Contracts.Subscribers.IStatusSubscriberStore>();
        services.AddSingleton<SlaGrains.Contracts.Subscribers.IStatusSubscriberStore>(sp => new Subscribers.SqliteStatusSubscribers(sp.GetRequiredService<SqliteReadModels>().Database));
        return services.AddAllReadModels<SqliteReadModels>();
    }

    /// <summary>The read models in the cluster's PostgreSQL database, whose schema the silos ensure at start-up.</summary>
    /// <param name="services">The services (a silo's).</param>
    /// <param name="connectionString">An Npgsql connection string; <see cref="Postgres.PostgresConnectionTuning"/> is applied.</param>
    /// <param name="serviceId">The Orleans service id whose ticket, escalation and monitor grain states the stale check reads; null: <see cref="ClusterOptions.ServiceId"/>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPostgresReadModels(this IServiceCollection services, string connectionString, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddLogging();
        services.AddSingleton(sp => new PostgresReadModels(
            connectionString,
            serviceId ?? ServiceId(sp),
            sp.GetRequiredService<ILogger<PostgresReadModels>>()));
        services.RemoveAll<SlaGrains.Contracts.Channels.IChannelOutboxStore>();
        services.AddSingleton<SlaGrains.Contracts.Channels.IChannelOutboxStore>(_ => new Channels.PostgresChannelOutbox(connectionString));
        services.RemoveAll<SlaGrains.Contracts.Subscribers.IStatusSubscriberStore>();
        services.AddSingleton<SlaGrains.Contracts.Subscribers.IStatusSubscriberStore>(_ => new Subscribers.PostgresStatusSubscribers(connectionString));
        return services.AddAllReadModels<PostgresReadModels>();
    }

    /// <summary>
    /// Only the queries (<see cref="ITicketReadModel"/>, <see cref="IEscalationReadModel"/>, <see cref="IMonitorReadModel"/>,
    /// one object), on a SQLite
    /// file a silo in another process owns: read-only connections, no writer, no migration. Does nothing when read models
    /// are registered already.
    /// </summary>
    internal static IServiceCollection AddSqliteQueries(this IServiceCollection services, string connectionString)
        => services.AddQueries(_ => new SqliteReadOnlyReadModels(connectionString));

    /// <summary>
    /// Only the queries (<see cref="ITicketReadModel"/>, <see cref="IEscalationReadModel"/>, <see cref="IMonitorReadModel"/>,
    /// one object), on the
    /// cluster's PostgreSQL database. Does nothing when read models are registered already.
    /// </summary>
    internal static IServiceCollection AddPostgresQueries(this IServiceCollection services, string connectionString, string serviceId)
    {
        services.AddLogging();
        return services.AddQueries(sp => new PostgresReadModels(connectionString, serviceId, sp.GetRequiredService<ILogger<PostgresReadModels>>()));
    }

    /// <summary>Registers <typeparamref name="T"/> as each query interface that has no registration yet.</summary>
    private static IServiceCollection AddQueries<T>(this IServiceCollection services, Func<IServiceProvider, T> create)
        where T : class, ITicketReadModel, IEscalationReadModel, IMonitorReadModel, SlaGrains.Contracts.Incidents.IIncidentReadModel
    {
        if (services.Any(d => d.ServiceType == typeof(ITicketReadModel))
            && services.Any(d => d.ServiceType == typeof(IEscalationReadModel))
            && services.Any(d => d.ServiceType == typeof(IMonitorReadModel)))
        {
            return services;
        }

        services.TryAddSingleton(create);
        services.TryAddSingleton<ITicketReadModel>(sp => sp.GetRequiredService<T>());
        services.TryAddSingleton<IEscalationReadModel>(sp => sp.GetRequiredService<T>());
        services.TryAddSingleton<IMonitorReadModel>(sp => sp.GetRequiredService<T>());
        services.TryAddSingleton<SlaGrains.Contracts.Incidents.IIncidentReadModel>(sp => sp.GetRequiredService<T>());
        return services;
    }

    private static IServiceCollection AddAllReadModels<T>(this IServiceCollection services)
        where T : class, IReadModelWriter, ITicketReadModel, IEscalationReadModel, IMonitorReadModel, IReadModelMaintenance, SlaGrains.Contracts.Incidents.IIncidentReadModel
    {
        services.RemoveAll<IReadModelWriter>();
        services.RemoveAll<ITicketReadModel>();
        services.RemoveAll<IEscalationReadModel>();
        services.RemoveAll<IMonitorReadModel>();
        services.RemoveAll<IReadModelMaintenance>();
        services.RemoveAll<SlaGrains.Contracts.Incidents.IIncidentReadModel>();
        services.AddSingleton<IReadModelWriter>(sp => sp.GetRequiredService<T>());
        services.AddSingleton<ITicketReadModel>(sp => sp.GetRequiredService<T>());
        services.AddSingleton<IEscalationReadModel>(sp => sp.GetRequiredService<T>());
        services.AddSingleton<IMonitorReadModel>(sp => sp.GetRequiredService<T>());
        services.AddSingleton<IReadModelMaintenance>(sp => sp.GetRequiredService<T>());
        services.AddSingleton<SlaGrains.Contracts.Incidents.IIncidentReadModel>(sp => sp.GetRequiredService<T>());
        return services;
    }

    private static string ServiceId(IServiceProvider services) => services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
}
