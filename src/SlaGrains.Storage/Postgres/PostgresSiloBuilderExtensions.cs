using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;
using SlaGrains.Storage.ReadModels;

namespace SlaGrains.Storage.Postgres;

/// <summary>
/// Runs a silo on PostgreSQL: Orleans' own ADO.NET clustering, grain storage and reminder table (invariant
/// <see cref="Invariant"/>) on the schema SlaGrains owns, which is created or upgraded before Orleans touches the
/// database.
/// </summary>
public static class PostgresSiloBuilderExtensions
{
    /// <summary>The ADO.NET invariant name Orleans uses for Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Uses PostgreSQL for membership, reminders, grain state and the read-model tables: ensures SlaGrains' schema at
    /// the first silo lifecycle stage, then configures <c>UseAdoNetClustering</c>, <c>UseAdoNetReminderService</c> and
    /// <c>AddAdoNetGrainStorage(<paramref name="grainStorageName"/>)</c>, which is also the default storage, and the
    /// read models (<c>AddPostgresReadModels</c>) for the silo's service id.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="connectionString">An Npgsql connection string to an existing database.</param>
    /// <param name="grainStorageName">The grain storage's name; it also serves grains that name no storage. Defaults to Orleans' default name, <c>"Default"</c>.</param>
    /// <param name="configureGrainStorage">Adjusts the grain storage options after SlaGrains sets invariant and connection string (e.g. <see cref="AdoNetGrainStorageOptions.HashPicker"/>); optional.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder UseSlaGrainsPostgreSql(
        this ISiloBuilder builder,
        string connectionString,
        string grainStorageName = ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
        Action<AdoNetGrainStorageOptions>? configureGrainStorage = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(grainStorageName);

        builder.AddSlaGrainsPostgreSqlSchema(connectionString);
        connectionString = PostgresConnectionTuning.Apply(connectionString);
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        builder.AddSlaGrainsPostgreSqlGrainStorage(grainStorageName, connectionString, configureGrainStorage);
        builder.Services.AddPostgresReadModels(connectionString);
        if (grainStorageName != ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
        {
            builder.Services.AddKeyedSingleton<IGrainStorage>(
                ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                (services, _) => services.GetRequiredKeyedService<IGrainStorage>(grainStorageName));
        }

        return builder;
    }

    /// <summary>
    /// Adds a named grain storage on PostgreSQL (Orleans' ADO.NET grain storage on SlaGrains' schema), ensuring the
    /// schema first. Use it for storages beside the one <see cref="UseSlaGrainsPostgreSql"/> adds.
    /// </summary>
    /// <remarks>
    /// Rows are keyed by the full grain id (type and key), not by the key alone as Orleans' provider does on its
    /// own: grains of different types with the same key never share state.
    /// </remarks>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The grain storage's name, as grains give it in <c>[PersistentState(stateName, storageName)]</c>.</param>
    /// <param name="connectionString">An Npgsql connection string to an existing database.</param>
    /// <param name="configure">Adjusts the options after SlaGrains sets invariant and connection string; optional.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddSlaGrainsPostgreSqlGrainStorage(
        this ISiloBuilder builder,
        string name,
        string connectionString,
        Action<AdoNetGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        builder.AddSlaGrainsPostgreSqlSchema(connectionString);

        // Before Orleans' own configurator, which would otherwise pick the JSON serializer from DI.
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Transient<IPostConfigureOptions<AdoNetGrainStorageOptions>, BinaryGrainStorageSerializerConfigurator<AdoNetGrainStorageOptions>>());
        builder.AddAdoNetGrainStorage(name, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = PostgresConnectionTuning.Apply(connectionString);
            configure?.Invoke(options);
        });

        // Orleans keys ADO.NET rows by the grain key alone; wrap its provider so the key carries the grain type
        // (see FullIdentityGrainStorage). Its lifecycle registration resolves this keyed service, so it gets the wrapper.
        var registration = builder.Services.LastOrDefault(d =>
            d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name) && d.KeyedImplementationFactory is not null)
            ?? throw new InvalidOperationException($"Orleans did not register the ADO.NET grain storage '{name}' as expected.");
        var createOrleansStorage = registration.KeyedImplementationFactory!;
        builder.Services.Remove(registration);
        builder.Services.AddKeyedSingleton<IGrainStorage>(
            name,
            (services, key) => new FullIdentityGrainStorage((IGrainStorage)createOrleansStorage(services, key)));
        return builder;
    }

    /// <summary>
    /// Ensures SlaGrains' PostgreSQL schema on <paramref name="connectionString"/> at the first silo lifecycle stage
    /// (<see cref="ServiceLifecycleStage.First"/>). Adding the same connection string twice ensures it once.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="connectionString">An Npgsql connection string to an existing database.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddSlaGrainsPostgreSqlSchema(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        var registered = builder.Services.Any(d =>
            d.ServiceType == typeof(PostgresSchemaRegistration)
            && d.ImplementationInstance is PostgresSchemaRegistration r
            && r.ConnectionString == connectionString);
        if (!registered)
        {
            builder.Services.AddSingleton(new PostgresSchemaRegistration(connectionString));
            builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services =>
                new PostgresSchemaInitializer(connectionString, services.GetRequiredService<ILogger<PostgresSchemaInitializer>>()));
        }

        return builder;
    }
}

/// <summary>Marks a connection string whose schema a silo already ensures, so it is ensured once.</summary>
internal sealed record PostgresSchemaRegistration(string ConnectionString);
