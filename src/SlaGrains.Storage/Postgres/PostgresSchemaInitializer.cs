using Microsoft.Extensions.Logging;

namespace SlaGrains.Storage.Postgres;

/// <summary>
/// Ensures the PostgreSQL schema at the very first silo lifecycle stage, before Orleans' ADO.NET providers read
/// their queries (membership joins at a later stage, grain storage initialises later still).
/// </summary>
internal sealed partial class PostgresSchemaInitializer(string connectionString, ILogger<PostgresSchemaInitializer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The connection string whose database this participant ensures.</summary>
    public string ConnectionString { get; } = connectionString;

    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(PostgresSchemaInitializer), ServiceLifecycleStage.First, EnsureAsync);

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var result = await PostgresSchema.EnsureAsync(ConnectionString, cancellationToken);
        if (result.Changed)
        {
            LogApplied(result.PreviousVersion, result.CurrentVersion);
        }
        else
        {
            LogCurrent(result.CurrentVersion);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema upgraded from version {PreviousVersion} to {CurrentVersion}.")]
    private partial void LogApplied(int previousVersion, int currentVersion);

    [LoggerMessage(Level = LogLevel.Debug, Message = "PostgreSQL schema already at version {CurrentVersion}.")]
    private partial void LogCurrent(int currentVersion);
}
