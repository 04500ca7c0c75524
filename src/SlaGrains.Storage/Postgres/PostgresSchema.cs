using Npgsql;

namespace SlaGrains.Storage.Postgres;

/// <summary>
/// Creates and upgrades the PostgreSQL schema SlaGrains' clusters use: the tables behind Orleans' ADO.NET grain
/// storage, reminder table and membership table, and the <c>OrleansQuery</c> texts those providers run.
/// </summary>
/// <remarks>
/// Applying is idempotent and safe when several silos start at once: the whole check-and-apply runs in one
/// transaction holding a transaction-level advisory lock, and each applied migration is recorded in
/// <c>slagrains_schema_version</c>. The database itself must exist; the connecting role needs the right to create
/// tables and functions in the first schema of its <c>search_path</c> (normally <c>public</c>).
/// </remarks>
public static class PostgresSchema
{
    /// <summary>The advisory lock key every SlaGrains silo takes while it checks or applies the schema.</summary>
    public const long AdvisoryLockKey = 0x534C_4147_5241_494E; // "SLAGRAIN"

    /// <summary>The schema version this build of SlaGrains writes and expects.</summary>
    public static int LatestVersion => PostgresMigrations.All[^1].Version;

    /// <summary>
    /// Brings the database behind <paramref name="connectionString"/> to <see cref="LatestVersion"/>, applying only
    /// the migrations it lacks; a database already at the latest version is left unchanged.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string to an existing database.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock and the migration; a cancelled migration is rolled back.</param>
    /// <returns>The version found and the version left, and which migrations were applied.</returns>
    /// <exception cref="InvalidOperationException">The database holds a newer schema than this build knows.</exception>
    public static async Task<PostgresSchemaResult> EnsureAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS slagrains_schema_version
            (
                Version     integer     NOT NULL PRIMARY KEY,
                Description text        NOT NULL,
                AppliedOn   timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        var found = await ReadVersionAsync(connection, transaction, cancellationToken);
        if (found > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {found}, newer than the latest this build knows ({LatestVersion}). Upgrade SlaGrains before connecting it to this database.");
        }

        var applied = new List<int>();
        foreach (var migration in PostgresMigrations.All.Where(m => m.Version > found))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand(
                "INSERT INTO slagrains_schema_version (Version, Description) VALUES (@version, @description)",
                connection,
                transaction);
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("description", migration.Description);
            await record.ExecuteNonQueryAsync(cancellationToken);
            applied.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PostgresSchemaResult(found, applied.Count > 0 ? applied[^1] : found, applied);
    }

    /// <summary>Reads the schema version recorded in the database: 0 when SlaGrains' schema was never applied.</summary>
    /// <param name="connectionString">An Npgsql connection string to an existing database.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The highest applied migration version, or 0.</returns>
    public static async Task<int> ReadVersionAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('slagrains_schema_version') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }

        return await ReadVersionAsync(connection, null, cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(Version), 0) FROM slagrains_schema_version", connection, transaction);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>What <see cref="PostgresSchema.EnsureAsync"/> found and did.</summary>
/// <param name="PreviousVersion">The schema version before the call (0 for an empty database).</param>
/// <param name="CurrentVersion">The schema version after the call.</param>
/// <param name="AppliedVersions">The migrations this call applied, in order; empty when the schema was already current.</param>
public sealed record PostgresSchemaResult(int PreviousVersion, int CurrentVersion, IReadOnlyList<int> AppliedVersions)
{
    /// <summary>True when this call changed the database.</summary>
    public bool Changed => AppliedVersions.Count > 0;
}
