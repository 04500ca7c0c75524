using Microsoft.Data.Sqlite;

namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// The schema of a SlaGrains SQLite database and the migrations that build it. Each migration runs once,
/// in order, inside one transaction together with the <c>schema_version</c> row that records it, so starting
/// again on an up-to-date file changes nothing.
/// </summary>
/// <remarks>
/// <para><c>grain_state</c>: one row per (service id, grain type, grain key, state name); <c>payload</c> is the
/// serialized state (NULL once cleared) and <c>version</c> the row's write count, which is the ETag. Rows are
/// found by their full key, never by a hash, so distinct grains cannot collide.</para>
/// <para><c>reminder</c>: one row per (service id, grain id, reminder name); <c>start_time</c> and <c>period</c>
/// are .NET ticks (UTC for the start), <c>grain_hash</c> is <c>GrainId.GetUniformHashCode()</c> (0 to 2^32 − 1,
/// an INTEGER holds it without sign games) and <c>version</c> comes from a database-wide counter, so an ETag is
/// never reused even after a reminder is removed and registered again.</para>
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The schema version a database reaches after start-up.</summary>
    public const int CurrentVersion = 1;

    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE grain_state (
                service_id TEXT NOT NULL,
                grain_type TEXT NOT NULL,
                grain_key TEXT NOT NULL,
                state_name TEXT NOT NULL,
                version INTEGER NOT NULL,
                payload BLOB NULL
            );
            CREATE UNIQUE INDEX grain_state_key ON grain_state (service_id, grain_type, grain_key, state_name);

            CREATE TABLE reminder (
                service_id TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                reminder_name TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                period INTEGER NOT NULL,
                grain_hash INTEGER NOT NULL CHECK (grain_hash BETWEEN 0 AND 4294967295),
                version INTEGER NOT NULL,
                PRIMARY KEY (service_id, grain_id, reminder_name)
            ) WITHOUT ROWID;
            CREATE INDEX reminder_by_hash ON reminder (service_id, grain_hash);

            CREATE TABLE counter (
                name TEXT NOT NULL PRIMARY KEY,
                value INTEGER NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO counter (name, value) VALUES ('reminder_version', 0);
            """),
    ];

    /// <summary>
    /// Brings the database up to <see cref="CurrentVersion"/>, recording each applied migration with the instant it ran.
    /// </summary>
    /// <param name="connection">An open connection with no transaction in progress.</param>
    /// <param name="now">The instant recorded for applied migrations.</param>
    /// <returns>The versions applied now (empty when the file was already up to date).</returns>
    public static IReadOnlyList<int> Migrate(SqliteConnection connection, DateTimeOffset now)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER NOT NULL PRIMARY KEY,
                applied_utc TEXT NOT NULL
            );
            """);
        var current = ReadVersion(connection, transaction);
        if (current > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The SQLite database '{connection.DataSource}' has schema version {current}, newer than this build's {CurrentVersion}.");
        }

        var applied = new List<int>();
        foreach (var (version, sql) in Migrations)
        {
            if (version <= current)
            {
                continue;
            }

            Execute(connection, transaction, sql);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_utc) VALUES ($version, $applied);";
            record.Parameters.AddWithValue("$version", version);
            record.Parameters.AddWithValue("$applied", now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
            applied.Add(version);
        }

        transaction.Commit();
        return applied;
    }

    /// <summary>The highest schema version recorded in the database, 0 when none.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The transaction in progress on <paramref name="connection"/>, if any.</param>
    /// <returns>The recorded version.</returns>
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
