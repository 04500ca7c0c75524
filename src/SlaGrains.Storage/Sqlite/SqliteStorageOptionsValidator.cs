using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace SlaGrains.Storage.Sqlite;

/// <summary>Checks a SQLite provider's options when the silo starts, so a bad setting fails start-up with the provider's name.</summary>
internal sealed class SqliteStorageOptionsValidator(SqliteStorageOptions options, string providerName) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString) && string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            throw new BadProviderConfigException($"SQLite provider '{providerName}': set DatabasePath or ConnectionString.");
        }

        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            try
            {
                _ = new SqliteConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException exception)
            {
                throw new BadProviderConfigException($"SQLite provider '{providerName}': the connection string is not valid.", exception);
            }
        }

        if (options.MaxWriteBatchSize < 1)
        {
            throw new BadProviderConfigException($"SQLite provider '{providerName}': MaxWriteBatchSize must be at least 1 (got {options.MaxWriteBatchSize}).");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            throw new BadProviderConfigException($"SQLite provider '{providerName}': Synchronous must be Normal or Full (got {options.Synchronous}).");
        }
    }
}
