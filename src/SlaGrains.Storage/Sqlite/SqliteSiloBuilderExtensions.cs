using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// Registers SlaGrains' SQLite grain storage and reminder table on a silo, the way Orleans' own providers are
/// registered: named options (bindable from configuration), a startup validator, options logged at start-up.
/// Providers configured with the same database file share one database and one writer.
/// </summary>
public static class SqliteSiloBuilderExtensions
{
    /// <summary>Adds a SQLite grain storage provider named <paramref name="name"/>.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider name grains use in <c>[PersistentState(stateName, name)]</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteStorageOptions> configure)
        => builder.AddSqliteGrainStorage(name, options => options.Configure(configure));

    /// <summary>Adds a SQLite grain storage provider named <paramref name="name"/>; e.g. <c>ob =&gt; ob.Bind(configuration.GetSection("Storage"))</c>.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider name grains use in <c>[PersistentState(stateName, name)]</c>.</param>
    /// <param name="configure">Configures the named options builder; null keeps the defaults (<c>./data/slagrains.db</c>).</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<SqliteStorageOptions>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.ConfigureServices(services =>
        {
            configure?.Invoke(services.AddOptions<SqliteStorageOptions>(name));
            AddShared(services, name);
            services.AddGrainStorage(name, SqliteGrainStorage.Create);
        });
    }

    /// <summary>Adds a SQLite grain storage provider as the silo's default grain storage.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteStorageOptions> configure)
        => builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds a SQLite grain storage provider as the silo's default grain storage.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Configures the options builder; null keeps the defaults (<c>./data/slagrains.db</c>).</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<SqliteStorageOptions>>? configure = null)
        => builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Uses a SQLite reminder table for the silo's reminder service (and adds the reminder service).</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets the options (the serializer is not used).</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<SqliteStorageOptions> configure)
        => builder.UseSqliteReminderService(options => options.Configure(configure));

    /// <summary>
    /// Uses a SQLite reminder table for the silo's reminder service (and adds the reminder service). The options
    /// are the named instance <see cref="SqliteReminderTable.OptionsName"/>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Configures the options builder; null keeps the defaults (<c>./data/slagrains.db</c>).</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<OptionsBuilder<SqliteStorageOptions>>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddReminders();
        return builder.ConfigureServices(services =>
        {
            configure?.Invoke(services.AddOptions<SqliteStorageOptions>(SqliteReminderTable.OptionsName));
            AddShared(services, SqliteReminderTable.OptionsName);
            services.AddSingleton<IReminderTable>(SqliteReminderTable.Create);
        });
    }

    private static void AddShared(IServiceCollection services, string name)
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPostConfigureOptions<SqliteStorageOptions>, BinaryGrainStorageSerializerConfigurator<SqliteStorageOptions>>());
        services.ConfigureNamedOptionForLogging<SqliteStorageOptions>(name);
        services.AddTransient<IConfigurationValidator>(sp => new SqliteStorageOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(name), name));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDatabaseRegistry>();
    }
}
