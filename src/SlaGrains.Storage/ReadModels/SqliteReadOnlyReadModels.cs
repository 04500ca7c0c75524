using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The ticket, escalation and monitor queries on a SQLite file that another process (the silo) owns and writes: read-only
/// connections, no writer, no migration. Queries fail until a silo has created the file and its schema.
/// </summary>
internal sealed class SqliteReadOnlyReadModels : SqlReadModels
{
    private readonly string _connectionString;

    internal SqliteReadOnlyReadModels(string connectionString)
        : base(TicketQueries.Sqlite, EscalationQueries.Sqlite, MonitorQueries.Sqlite)
        => _connectionString = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
        => await Sqlite.SqliteDatabase.OpenAsync(_connectionString, cancellationToken).ConfigureAwait(false);
}
