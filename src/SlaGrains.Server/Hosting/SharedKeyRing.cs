using System.Security.Cryptography.X509Certificates;
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
/// The keys are encrypted at rest with a certificate (<c>DataProtection:Certificate:Path</c> and <c>:Password</c>, a
/// PKCS#12 file) or else a key-encryption secret (<c>DataProtection:KeyEncryptionSecret</c>, see
/// <see cref="SecretKeyEncryption"/>); with neither they are stored unencrypted, as the framework does on Linux by
/// default — whoever can read the database or the key folder can forge cookies — and the start says so in one warning.
/// Keys written before encryption was turned on stay readable; new ones are encrypted. A key that cannot be decrypted
/// (a different secret or certificate) stops the start with a message naming the setting, rather than silently
/// signing everyone out. On SQLite the key folder is 0700 and its files 0600 (<see cref="PrivateFiles"/>). The
/// application name is fixed because the framework otherwise isolates key use by content root, which differs between
/// hosts started from different directories.
/// </remarks>
internal static partial class SharedKeyRing
{
    public const string ApplicationName = "SlaGrains";

    /// <summary>Serializes the first key's creation between silos starting at once (see <see cref="FirstKey"/>).</summary>
    private const long AdvisoryLockKey = 0x534C_4147_4B45_5953; // "SLAGKEYS"

    public static IServiceCollection AddSlaGrainsDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        var protection = ProtectKeys(dataProtection, configuration);
        var storage = configuration.GetSection(SlaGrains.Storage.SlaGrainsStorage.SectionName);
        var provider = (storage["Provider"] ?? "sqlite").Trim().ToLowerInvariant();
        if (provider is "postgresql" or "postgres")
        {
            var connectionString = storage["ConnectionString"];
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                return services; // The silo's storage set-up reports the missing connection string.
            }

            // The check first, then the first key inserted before it: the key exists (and the schema) when it is checked.
            AddKeyRingCheck(services, protection);
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
            var keys = Path.Combine(directory, "dataprotection-keys");
            PrivateKeyFolder(keys);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
            AddKeyRingCheck(services, protection);
        }

        return services;
    }

    /// <summary>The stored keys checked first of all hosted services (see <see cref="KeyRingCheck"/>).</summary>
    private static void AddKeyRingCheck(IServiceCollection services, string? protection)
        => services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(resolver => new KeyRingCheck(
            protection, resolver.GetRequiredService<IKeyManager>(), resolver.GetRequiredService<ILogger<KeyRingCheck>>())));

    /// <summary>How the keys are protected at rest: a certificate, a secret, or (null) not at all.</summary>
    private static string? ProtectKeys(IDataProtectionBuilder dataProtection, IConfiguration configuration)
    {
        var section = configuration.GetSection("DataProtection");
        if (section["Certificate:Path"] is { Length: > 0 } path)
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"DataProtection:Certificate:Path names no file: '{path}'.");
            }

            // The framework's certificate decryptor also finds this certificate, so no certificate store is needed.
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["Certificate:Password"]);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"The certificate in DataProtection:Certificate:Path ('{path}') has no private key.");
            }

            dataProtection.ProtectKeysWithCertificate(certificate);
            return "DataProtection:Certificate";
        }

        if (section["KeyEncryptionSecret"] is { Length: > 0 } secret)
        {
            var encryption = new SecretKeyEncryption(secret);
            dataProtection.Services.AddSingleton(encryption);
            dataProtection.Services.Configure<KeyManagementOptions>(options => options.XmlEncryptor = new SecretXmlEncryptor(encryption));
            return SecretKeyEncryption.SettingName;
        }

        return null;
    }

    /// <summary>The key folder 0700 and its key files 0600 on Unix, tightening what an earlier version left readable.</summary>
    private static void PrivateKeyFolder(string keys)
    {
        PrivateFiles.CreateFolder(keys);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(keys, PrivateFiles.FolderMode);
        foreach (var file in Directory.EnumerateFiles(keys, "*.xml"))
        {
            PrivateFiles.Tighten(file);
        }
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
    /// At start, before anything reads the key ring: warns once when the stored keys are not encrypted, and fails
    /// clearly when a stored key cannot be decrypted (a different secret or certificate than it was written with).
    /// </summary>
    /// <remarks>
    /// appsettings.json raises the framework's <c>XmlKeyManager</c> to errors: its own "No XML encryptor configured"
    /// (with a key id) would say the same again on every start that makes a key, and a key it cannot decrypt stops
    /// the start here anyway.
    /// </remarks>
    private sealed partial class KeyRingCheck(string? protection, IKeyManager keys, ILogger<KeyRingCheck> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (protection is null)
            {
                LogUnprotected(logger);
            }

            foreach (var key in keys.GetAllKeys().Where(k => !k.IsRevoked))
            {
                try
                {
                    _ = key.Descriptor;
                }
                catch (Exception error) when (error is System.Security.Cryptography.CryptographicException or InvalidOperationException)
                {
                    throw new InvalidOperationException(
                        $"Data protection key {key.KeyId} cannot be decrypted with the configured {protection ?? "settings (no key encryption is configured)"}: "
                        + "start with the secret or certificate it was written with, or delete the key (everyone signs in again).", error);
                }
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "Data protection keys (they sign the sign-in cookies) are stored unencrypted: whoever can read them can forge a sign-in. Set DataProtection:KeyEncryptionSecret (a long random value) or DataProtection:Certificate:Path and :Password.")]
        private static partial void LogUnprotected(ILogger logger);
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
