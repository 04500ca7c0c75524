using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using SlaGrains.Storage.Postgres;
using SlaGrains.Storage.Sqlite;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// ASP.NET Core data protection (sign-in cookies, anti-forgery tokens, Blazor circuits) with its keys in the
/// configured store instead of the machine's <c>~/.aspnet</c>: on PostgreSQL every silo of a cluster shares one key
/// ring, so a cookie issued by one silo's web host is accepted by every other; on SQLite the keys sit in
/// <c>dataprotection-keys/</c> beside the database file, so they move with the data.
/// </summary>
/// <remarks>
/// The keys are stored unencrypted, as the framework does on Linux by default: whoever can read the database can
/// forge cookies. The application name is fixed because the framework otherwise isolates key use by content root,
/// which differs between hosts started from different directories.
/// </remarks>
internal static class SharedKeyRing
{
    public const string ApplicationName = "SlaGrains";

    /// <summary>Serializes the first key's creation between silos starting at once (see <see cref="FirstKey"/>).</summary>
    private const long AdvisoryLockKey = 0x534C_4147_4B45_5953; // "SLAGKEYS"

    public static IServiceCollection AddSlaGrainsDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        var storage = configuration.GetSection(SlaGrains.Storage.SlaGrainsStorage.SectionName);
        var provider = (storage["Provider"] ?? "sqlite").Trim().ToLowerInvariant();
        if (provider is "postgresql" or "postgres")
        {
            var connectionString = storage["ConnectionString"];
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                return services; // The silo's storage set-up reports the missing connection string.
            }

            services.Configure<KeyManagementOptions>(options => options.XmlRepository = new PostgresXmlRepository(connectionString));

            // First of all hosted services: before the framework's own warm-up reads the key ring, and before the
            // silo, which does not need it.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(resolver => new FirstKey(
                connectionString,
                resolver.GetRequiredService<IKeyManager>(),
                resolver.GetRequiredService<IOptions<KeyManagementOptions>>(),
                resolver.GetService<TimeProvider>() ?? TimeProvider.System)));
        }
        else if (SqliteDirectory(storage) is { } directory)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "dataprotection-keys")));
        }

        return services;
    }

    /// <summary>The SQLite database's directory, or null for an in-memory database (the framework's default then).</summary>
    private static string? SqliteDirectory(IConfiguration storage)
    {
        var path = storage["ConnectionString"] is { Length: > 0 } connectionString
            ? new SqliteConnectionStringBuilder(connectionString).DataSource
            : storage["SqlitePath"] ?? SqliteStorageOptions.DefaultDatabasePath;
        if (string.IsNullOrWhiteSpace(path) || path.Contains(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.GetDirectoryName(Path.GetFullPath(path));
    }

    /// <summary>
    /// Creates the cluster's first key exactly once. Left to the framework, silos starting together on an empty key
    /// table would each create a key and cache a key ring without the others' for a day, so a cookie from one silo
    /// would be refused by another. Later keys are no race: the framework creates them days before they activate,
    /// and every silo reloads its key ring long before that.
    /// </summary>
    private sealed class FirstKey(string connectionString, IKeyManager keys, IOptions<KeyManagementOptions> options, TimeProvider time) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await PostgresSchema.EnsureAsync(connectionString, cancellationToken);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLockKey})", connection))
            {
                await take.ExecuteNonQueryAsync(cancellationToken);
            }

            try
            {
                var now = time.GetUtcNow();
                if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
                {
                    keys.CreateNewKey(now, now + options.Value.NewKeyLifetime);
                }
            }
            finally
            {
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLockKey})", connection);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
