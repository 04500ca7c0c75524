using System.Data;
using System.Data.Common;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The rows of the <c>escalations</c> table and the statement that writes them, the same on SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// <para>A row holds the <see cref="EscalationView"/> with its <see cref="SlaAlert"/> flattened into columns. Enums are
/// their integer values; instants are nanoseconds since the Unix epoch (<see cref="ReadModelTime"/>). <c>actions</c> is
/// the action texts joined with <see cref="ActionSeparator"/>: an escalation has at least one action and no action
/// text holds the separator, so the column splits back into exactly the texts written.</para>
/// <para>A row is replaced only by a higher <c>version</c> (the escalation grain's state ETag): a replay (same
/// version) or an older version arriving late changes nothing, so an acknowledgement is never undone by a late
/// write of the unacknowledged state.</para>
/// </remarks>
internal static class EscalationRowsSql
{
    /// <summary>Joins the action texts in the <c>actions</c> column.</summary>
    public const char ActionSeparator = '\n';

    private static readonly string[] Columns =
    [
        "escalation_id", "customer_id", "ticket_id", "metric", "percent", "cycle", "priority", "team", "assignee",
        "due_at", "recorded_at", "raised_at", "actions", "acknowledged_by", "acknowledged_at", "version",
    ];

    /// <summary>The columns <see cref="ReadEscalation"/> reads, in its order.</summary>
    public static readonly string SelectColumns = string.Join(", ", Columns);

    /// <summary>Inserts an escalation row, or replaces the stored one if it has a lower version.</summary>
    public static readonly string Upsert =
        $"INSERT INTO escalations ({SelectColumns}) "
        + $"VALUES ({string.Join(", ", Columns.Select(c => "@" + c))}) "
        + $"ON CONFLICT (escalation_id) DO UPDATE SET {string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}"))} "
        + "WHERE escalations.version < excluded.version";

    /// <summary>Empties the table (grain state is untouched).</summary>
    public static readonly IReadOnlyList<SqlStatement> Clear = [new("DELETE FROM escalations", [])];

    /// <summary>
    /// The statements that write <paramref name="escalations"/>, with every value converted, so a batch that cannot
    /// be stored fails its caller before it is queued.
    /// </summary>
    /// <exception cref="ArgumentException">An escalation has no action, or an action text holds a line feed.</exception>
    public static IReadOnlyList<SqlStatement> Statements(IReadOnlyList<EscalationRow> escalations)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        var statements = new List<SqlStatement>(escalations.Count);
        foreach (var row in escalations)
        {
            ArgumentNullException.ThrowIfNull(row);
            statements.Add(new SqlStatement(Upsert, Arguments(row), row.Escalation.EscalationId));
        }

        return statements;
    }

    /// <summary>Reads a row selected with <see cref="SelectColumns"/>.</summary>
    public static EscalationView ReadEscalation(DbDataReader reader)
    {
        var alert = new SlaAlert(
            TicketId: reader.GetString(2),
            CustomerId: reader.GetString(1),
            Metric: (SlaMetric)reader.GetInt32(3),
            Percent: reader.GetInt32(4),
            Cycle: reader.GetInt32(5),
            DueAt: ReadModelTime.Instant(reader.GetInt64(9)),
            RecordedAt: ReadModelTime.Instant(reader.GetInt64(10)),
            Priority: (TicketPriority)reader.GetInt32(6),
            Team: reader.IsDBNull(7) ? null : reader.GetString(7),
            Assignee: reader.IsDBNull(8) ? null : reader.GetString(8));
        return new EscalationView(
            EscalationId: reader.GetString(0),
            Alert: alert,
            Actions: [.. reader.GetString(12).Split(ActionSeparator)],
            RaisedAt: ReadModelTime.Instant(reader.GetInt64(11)),
            AcknowledgedBy: reader.IsDBNull(13) ? null : reader.GetString(13),
            AcknowledgedAt: reader.IsDBNull(14) ? null : ReadModelTime.Instant(reader.GetInt64(14)));
    }

    private static SqlArgument[] Arguments(EscalationRow row)
    {
        var escalation = row.Escalation;
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(escalation.Alert);
        if (escalation.Actions.IsDefaultOrEmpty)
        {
            throw new ArgumentException($"Escalation '{escalation.EscalationId}' has no action; only an alert that matched a rule has a row.", nameof(row));
        }

        if (escalation.Actions.Any(a => a is null || a.Contains(ActionSeparator, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"Escalation '{escalation.EscalationId}' has an action that is null or holds a line feed, which separates actions in a row.", nameof(row));
        }

        var alert = escalation.Alert;
        return
        [
            Text("@escalation_id", escalation.EscalationId),
            Text("@customer_id", alert.CustomerId),
            Text("@ticket_id", alert.TicketId),
            Int("@metric", (int)alert.Metric),
            Int("@percent", alert.Percent),
            Int("@cycle", alert.Cycle),
            Int("@priority", (int)alert.Priority),
            Text("@team", alert.Team),
            Text("@assignee", alert.Assignee),
            Long("@due_at", ReadModelTime.Nanoseconds(alert.DueAt)),
            Long("@recorded_at", ReadModelTime.Nanoseconds(alert.RecordedAt)),
            Long("@raised_at", ReadModelTime.Nanoseconds(escalation.RaisedAt)),
            Text("@actions", string.Join(ActionSeparator, escalation.Actions)),
            Text("@acknowledged_by", escalation.AcknowledgedBy),
            Long("@acknowledged_at", escalation.AcknowledgedAt is { } at ? ReadModelTime.Nanoseconds(at) : null),
            Long("@version", row.Version),
        ];
    }

    private static SqlArgument Text(string name, string? value) => new(name, DbType.String, value);

    private static SqlArgument Int(string name, int? value) => new(name, DbType.Int32, value);

    private static SqlArgument Long(string name, long? value) => new(name, DbType.Int64, value);
}
