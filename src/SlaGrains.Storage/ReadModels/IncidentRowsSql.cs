using System.Data;
using System.Data.Common;
using System.Globalization;
using SlaGrains.Contracts.Incidents;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The rows of the incident timeline tables — <c>incident_updates</c> and <c>manual_incidents</c> — and the statements
/// that write and read them, the same on SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// Enums are their integer values; instants nanoseconds since the Unix epoch (<see cref="ReadModelTime"/>). A manual
/// incident's components are its monitor ids joined by single spaces (an id has none). An update is inserted once by
/// (incident, sequence): a replay changes nothing, and an update is never edited. A manual incident's row is replaced
/// only by a higher <c>version</c> (the incident grain's state ETag), so a late write never reopens a resolved incident.
/// </remarks>
internal static class IncidentRowsSql
{
    private static readonly string[] UpdateColumns = ["incident_id", "sequence", "customer_id", "status", "message", "posted_by", "at"];

    private static readonly string[] ManualColumns =
        ["incident_id", "customer_id", "title", "components", "impact", "opened_at", "opened_by", "resolved_at", "version"];

    /// <summary>The columns <see cref="ReadUpdate"/> reads, in its order.</summary>
    public static readonly string SelectUpdateColumns = string.Join(", ", UpdateColumns);

    /// <summary>The columns <see cref="ReadManual"/> reads, in its order.</summary>
    public static readonly string SelectManualColumns = string.Join(", ", ManualColumns);

    /// <summary>Inserts an update unless its (incident, sequence) is there already.</summary>
    public static readonly string InsertUpdate =
        $"INSERT INTO incident_updates ({SelectUpdateColumns}) VALUES ({Placeholders(UpdateColumns)}) ON CONFLICT (incident_id, sequence) DO NOTHING";

    /// <summary>Inserts a manual incident's row, or replaces the stored one if it has a lower version.</summary>
    public static readonly string UpsertManual =
        $"INSERT INTO manual_incidents ({SelectManualColumns}) VALUES ({Placeholders(ManualColumns)}) "
        + $"ON CONFLICT (incident_id) DO UPDATE SET {string.Join(", ", ManualColumns.Skip(1).Select(c => $"{c} = excluded.{c}"))} "
        + "WHERE manual_incidents.version < excluded.version";

    /// <summary>The statements that write the incident rows of <paramref name="batch"/>, every value converted first.</summary>
    /// <exception cref="ArgumentException">A row is null.</exception>
    public static IReadOnlyList<SqlStatement> Statements(ReadModelBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var statements = new List<SqlStatement>();
        foreach (var update in batch.IncidentUpdates ?? [])
        {
            ArgumentNullException.ThrowIfNull(update, nameof(batch));
            statements.Add(new SqlStatement(
                InsertUpdate,
                [
                    Text("@incident_id", update.IncidentId),
                    Int("@sequence", update.Sequence),
                    Text("@customer_id", update.CustomerId),
                    Int("@status", (int)update.Status),
                    Text("@message", update.Message),
                    Text("@posted_by", update.By),
                    Long("@at", ReadModelTime.Nanoseconds(update.At)),
                ],
                string.Create(CultureInfo.InvariantCulture, $"{update.IncidentId}\u0000{update.Sequence:D10}")));
        }

        foreach (var row in batch.ManualIncidents ?? [])
        {
            ArgumentNullException.ThrowIfNull(row, nameof(batch));
            ArgumentNullException.ThrowIfNull(row.Incident, nameof(batch));
            var incident = row.Incident;
            statements.Add(new SqlStatement(
                UpsertManual,
                [
                    Text("@incident_id", incident.IncidentId),
                    Text("@customer_id", incident.CustomerId),
                    Text("@title", incident.Title),
                    Text("@components", string.Join(' ', incident.Components.IsDefault ? [] : incident.Components)),
                    Int("@impact", (int)incident.Impact),
                    Long("@opened_at", ReadModelTime.Nanoseconds(incident.OpenedAt)),
                    Text("@opened_by", incident.OpenedBy),
                    Long("@resolved_at", incident.ResolvedAt is { } resolved ? ReadModelTime.Nanoseconds(resolved) : null),
                    Long("@version", row.Version),
                ],
                incident.IncidentId));
        }

        return statements;
    }

    /// <summary>Reads a row selected with <see cref="SelectUpdateColumns"/>.</summary>
    public static IncidentUpdateView ReadUpdate(DbDataReader reader) => new(
        IncidentId: reader.GetString(0),
        CustomerId: reader.GetString(2),
        Sequence: reader.GetInt32(1),
        Status: (IncidentUpdateStatus)reader.GetInt32(3),
        Message: reader.GetString(4),
        By: reader.GetString(5),
        At: ReadModelTime.Instant(reader.GetInt64(6)));

    /// <summary>Reads a row selected with <see cref="SelectManualColumns"/>.</summary>
    public static ManualIncidentRow ReadManual(DbDataReader reader) => new(
        new ManualIncidentView(
            IncidentId: reader.GetString(0),
            CustomerId: reader.GetString(1),
            Title: reader.GetString(2),
            Components: [.. reader.GetString(3).Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            Impact: (IncidentImpact)reader.GetInt32(4),
            OpenedAt: ReadModelTime.Instant(reader.GetInt64(5)),
            OpenedBy: reader.GetString(6),
            ResolvedAt: reader.IsDBNull(7) ? null : ReadModelTime.Instant(reader.GetInt64(7))),
        reader.GetInt64(8));

    private static string Placeholders(string[] columns) => string.Join(", ", columns.Select(c => "@" + c));

    private static SqlArgument Text(string name, string? value) => new(name, DbType.String, value);

    private static SqlArgument Int(string name, int? value) => new(name, DbType.Int32, value);

    private static SqlArgument Long(string name, long? value) => new(name, DbType.Int64, value);
}

/// <summary>The SQL of the incident timeline queries (<see cref="IIncidentReadModel"/>), for either store.</summary>
/// <param name="asArray">True on PostgreSQL (one <c>text[]</c> parameter), false on SQLite; see <see cref="SqlFilters.AnyOf"/>.</param>
internal sealed class IncidentQueries(bool asArray)
{
    /// <summary>For PostgreSQL.</summary>
    public static IncidentQueries Postgres { get; } = new(asArray: true);

    /// <summary>For SQLite.</summary>
    public static IncidentQueries Sqlite { get; } = new(asArray: false);

    /// <summary>The updates of the incidents (not empty), newest first, at most <paramref name="limit"/>.</summary>
    public SqlStatement Updates(IReadOnlyCollection<string> incidentIds, int limit)
    {
        var arguments = new List<SqlArgument>();
        var where = new List<string> { SqlFilters.AnyOf("incident_id", "incident", incidentIds, asArray, arguments) };
        arguments.Add(new("@limit", DbType.Int32, limit));
        return new(
            $"SELECT {IncidentRowsSql.SelectUpdateColumns} FROM incident_updates{SqlFilters.Where(where)} ORDER BY at DESC, sequence DESC, incident_id DESC LIMIT @limit",
            arguments);
    }

    /// <summary>
    /// The customers' manual incidents (null: all; not empty) open at <paramref name="since"/> or later — open, or
    /// resolved after it — newest opening first (one instant: by id descending), at most <paramref name="limit"/>.
    /// </summary>
    public SqlStatement Manual(IReadOnlyCollection<string>? customers, Instant since, int limit)
    {
        var arguments = new List<SqlArgument> { new("@since", DbType.Int64, SqlFilters.Bound(since)) };
        var where = new List<string>();
        if (customers is not null)
        {
            where.Add(SqlFilters.Customers(customers, asArray, arguments));
        }

        where.Add("(resolved_at IS NULL OR resolved_at > @since)");
        arguments.Add(new("@limit", DbType.Int32, limit));
        return new(
            $"SELECT {IncidentRowsSql.SelectManualColumns} FROM manual_incidents{SqlFilters.Where(where)} ORDER BY opened_at DESC, incident_id DESC LIMIT @limit",
            arguments);
    }
}
