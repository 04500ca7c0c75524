using System.Collections.Immutable;
using System.Data;
using System.Data.Common;
using System.Globalization;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The rows of the <c>tickets</c> and <c>clock_transitions</c> tables and the statements that write them, the same on
/// SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// <para>A ticket row holds the <see cref="TicketSummary"/> fields, then one group of columns per metric (prefix
/// <c>fr_</c> first response, <c>res_</c> resolution, <c>nr_</c> next reply), all NULL when the ticket has no clock of
/// that metric, so filters and aggregates read plain columns. Enums are their integer values; instants are
/// nanoseconds since the Unix epoch and durations nanoseconds (<see cref="ReadModelTime"/>).</para>
/// <para><c>deadline_key</c> is <see cref="TicketSummary.NextDeadline"/>, or <see cref="long.MaxValue"/> when nothing is
/// pending: the list sorts by it, so tickets without a deadline come last and the keyset comparison needs no NULL case.</para>
/// <para>A row is replaced only by a higher <c>version</c>: a replay (same version) or an older version arriving late
/// changes nothing. A transition is inserted once by (ticket, sequence).</para>
/// </remarks>
internal static class TicketRowsSql
{
    /// <summary>The <c>deadline_key</c> of a ticket with nothing pending: after every real deadline.</summary>
    public const long NoDeadline = long.MaxValue;

    /// <summary>Column prefixes by <see cref="SlaMetric"/> value; a row's clocks read back in this order.</summary>
    public static readonly IReadOnlyList<(SlaMetric Metric, string Prefix)> Metrics =
    [
        (SlaMetric.FirstResponse, "fr_"),
        (SlaMetric.Resolution, "res_"),
        (SlaMetric.NextReply, "nr_"),
    ];

    private static readonly string[] ClockColumns =
        ["state", "cycle", "target", "elapsed", "remaining", "breach_at", "next_at", "next_percent", "at_risk_at"];

    private static readonly string[] TicketColumns =
    [
        "ticket_id", "customer_id", "subject", "requester", "priority", "status", "team", "assignee", "escalated",
        "created_at", "resolved_at", "closed_at", "as_of", "version",
        .. Metrics.SelectMany(m => ClockColumns.Select(c => m.Prefix + c)),

        // Issue 20 — incidents linked to tickets (SQLite migration 11, PostgreSQL 12): after the clocks, so their ordinals stay.
        "incident_id",
    ];

    /// <summary>The ordinal of <c>incident_id</c> in <see cref="SelectTicketColumns"/>.</summary>
    private static readonly int IncidentOrdinal = 14 + (Metrics.Count * ClockColumns.Length);

    private static readonly string[] WrittenTicketColumns = [.. TicketColumns, "next_deadline", "deadline_key"];

    /// <summary>The columns <see cref="ReadTicket"/> reads, in its order.</summary>
    public static readonly string SelectTicketColumns = string.Join(", ", TicketColumns);

    /// <summary>Inserts a ticket row, or replaces the stored one if it has a lower version.</summary>
    public static readonly string UpsertTicket =
        $"INSERT INTO tickets ({string.Join(", ", WrittenTicketColumns)}) "
        + $"VALUES ({string.Join(", ", WrittenTicketColumns.Select(c => "@" + c))}) "
        + $"ON CONFLICT (ticket_id) DO UPDATE SET {string.Join(", ", WrittenTicketColumns.Skip(1).Select(c => $"{c} = excluded.{c}"))} "
        + "WHERE tickets.version < excluded.version";

    /// <summary>Inserts an audit entry unless its (ticket, sequence) is there already.</summary>
    public const string InsertTransition =
        "INSERT INTO clock_transitions (ticket_id, sequence, customer_id, at, kind, metric, threshold, description, recorded_at, caused_by) "
        + "VALUES (@ticket_id, @sequence, @customer_id, @at, @kind, @metric, @threshold, @description, @recorded_at, @caused_by) "
        + "ON CONFLICT (ticket_id, sequence) DO NOTHING";

    /// <summary>Inserts an audit entry or replaces the stored one: a rebuilt history rewrites its transitions.</summary>
    public const string ReplaceTransition =
        "INSERT INTO clock_transitions (ticket_id, sequence, customer_id, at, kind, metric, threshold, description, recorded_at, caused_by) "
        + "VALUES (@ticket_id, @sequence, @customer_id, @at, @kind, @metric, @threshold, @description, @recorded_at, @caused_by) "
        + "ON CONFLICT (ticket_id, sequence) DO UPDATE SET customer_id = excluded.customer_id, at = excluded.at, kind = excluded.kind, "
        + "metric = excluded.metric, threshold = excluded.threshold, description = excluded.description, recorded_at = excluded.recorded_at, "
        + "caused_by = excluded.caused_by";

    /// <summary>Deletes a rebuilt ticket's transitions past its new history (they touch no row the replacements write).</summary>
    public const string DeleteTransitionsFrom = "DELETE FROM clock_transitions WHERE ticket_id = @ticket_id AND sequence >= @sequence";

    /// <summary>A ticket's audit trail, oldest first; read by <see cref="ReadTransition"/>.</summary>
    public const string SelectTransitions =
        "SELECT at, kind, metric, description, recorded_at, threshold, caused_by FROM clock_transitions WHERE ticket_id = @ticket_id ORDER BY sequence";

    /// <summary>Empties both tables (grain state is untouched).</summary>
    public static readonly IReadOnlyList<SqlStatement> Clear =
    [
        new("DELETE FROM tickets", []),
        new("DELETE FROM clock_transitions", []),
    ];

    /// <summary>
    /// The statements that write <paramref name="batch"/>, with every value converted, so a batch that cannot be
    /// stored fails its caller before it is queued.
    /// </summary>
    /// <exception cref="ArgumentException">A ticket has two clocks of one metric or a clock of an unknown metric, or a transition has a negative sequence.</exception>
    public static IReadOnlyList<SqlStatement> Statements(ReadModelBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var statements = new List<SqlStatement>(batch.Tickets.Count + batch.Transitions.Count);
        foreach (var ticket in batch.Tickets)
        {
            statements.Add(new SqlStatement(UpsertTicket, TicketArguments(ticket), ticket.TicketId));
        }

        var rewritten = batch.TransitionsRewritten.Select(r => r.TicketId).ToHashSet(StringComparer.Ordinal);
        foreach (var rewrite in batch.TransitionsRewritten)
        {
            statements.Add(new SqlStatement(
                DeleteTransitionsFrom,
                [new SqlArgument("@ticket_id", DbType.String, rewrite.TicketId), new SqlArgument("@sequence", DbType.Int32, rewrite.Count)],
                rewrite.TicketId));
        }

        foreach (var transition in batch.Transitions)
        {
            statements.Add(new SqlStatement(
                rewritten.Contains(transition.TicketId) ? ReplaceTransition : InsertTransition,
                TransitionArguments(transition),
                string.Create(CultureInfo.InvariantCulture, $"{transition.TicketId}\u0000{transition.Sequence:D10}")));
        }

        return statements;
    }

    /// <summary>Reads a row selected with <see cref="SelectTicketColumns"/>.</summary>
    public static TicketSummary ReadTicket(DbDataReader reader)
    {
        var clocks = ImmutableArray.CreateBuilder<ClockView>(Metrics.Count);
        for (var m = 0; m < Metrics.Count; m++)
        {
            var at = 14 + (m * ClockColumns.Length);
            if (reader.IsDBNull(at))
            {
                continue;
            }

            clocks.Add(new ClockView(
                Metrics[m].Metric,
                reader.GetInt32(at + 1),
                (ClockState)reader.GetInt32(at),
                ReadModelTime.Duration(reader.GetInt64(at + 2)),
                ReadModelTime.Duration(reader.GetInt64(at + 3)),
                ReadModelTime.Duration(reader.GetInt64(at + 4)),
                NullableInstant(reader, at + 5),
                NullableInstant(reader, at + 6),
                reader.IsDBNull(at + 7) ? null : reader.GetInt32(at + 7),
                NullableInstant(reader, at + 8)));
        }

        return new TicketSummary(
            TicketId: reader.GetString(0),
            CustomerId: reader.GetString(1),
            Priority: (TicketPriority)reader.GetInt32(4),
            Status: (TicketStatus)reader.GetInt32(5),
            Subject: reader.GetString(2),
            Requester: reader.GetString(3),
            Team: reader.IsDBNull(6) ? null : reader.GetString(6),
            Assignee: reader.IsDBNull(7) ? null : reader.GetString(7),
            EscalatedToManagement: reader.GetBoolean(8),
            CreatedAt: ReadModelTime.Instant(reader.GetInt64(9)),
            ResolvedAt: NullableInstant(reader, 10),
            ClosedAt: NullableInstant(reader, 11),
            Clocks: clocks.DrainToImmutable(),
            AsOf: ReadModelTime.Instant(reader.GetInt64(12)),
            Version: reader.GetInt64(13),
            IncidentId: reader.IsDBNull(IncidentOrdinal) ? null : reader.GetString(IncidentOrdinal));
    }

    /// <summary>Reads a row selected with <see cref="SelectTransitions"/>.</summary>
    public static AuditEntry ReadTransition(DbDataReader reader) => new(
        At: ReadModelTime.Instant(reader.GetInt64(0)),
        Kind: reader.GetString(1),
        Metric: reader.IsDBNull(2) ? null : (SlaMetric)reader.GetInt32(2),
        Description: reader.GetString(3),
        RecordedAt: ReadModelTime.Instant(reader.GetInt64(4)),
        Threshold: reader.IsDBNull(5) ? null : reader.GetInt32(5),
        By: reader.IsDBNull(6) ? null : reader.GetString(6));

    /// <summary>The <c>deadline_key</c> a cursor or row sorts by.</summary>
    public static long DeadlineKey(Instant? nextDeadline) => nextDeadline is { } deadline ? ReadModelTime.Nanoseconds(deadline) : NoDeadline;

    /// <summary>A ticket's next deadline; none when it has no clocks (a default array counts as none).</summary>
    public static Instant? NextDeadline(TicketSummary ticket) => ticket.Clocks.IsDefaultOrEmpty ? null : ticket.NextDeadline;

    private static Instant? NullableInstant(DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : ReadModelTime.Instant(reader.GetInt64(ordinal));

    private static SqlArgument[] TicketArguments(TicketSummary ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var nextDeadline = NextDeadline(ticket);
        var arguments = new List<SqlArgument>(WrittenTicketColumns.Length)
        {
            Text("@ticket_id", ticket.TicketId),
            Text("@customer_id", ticket.CustomerId),
            Text("@subject", ticket.Subject),
            Text("@requester", ticket.Requester),
            Int("@priority", (int)ticket.Priority),
            Int("@status", (int)ticket.Status),
            Text("@team", ticket.Team),
            Text("@assignee", ticket.Assignee),
            new("@escalated", DbType.Boolean, ticket.EscalatedToManagement),
            Long("@created_at", ReadModelTime.Nanoseconds(ticket.CreatedAt)),
            Long("@resolved_at", Nanoseconds(ticket.ResolvedAt)),
            Long("@closed_at", Nanoseconds(ticket.ClosedAt)),
            Long("@as_of", ReadModelTime.Nanoseconds(ticket.AsOf)),
            Long("@version", ticket.Version),
        };

        var clocks = ticket.Clocks.IsDefault ? [] : ticket.Clocks;
        foreach (var (metric, prefix) in Metrics)
        {
            var matching = clocks.Where(c => c.Metric == metric).ToList();
            if (matching.Count > 1)
            {
                throw new ArgumentException($"Ticket '{ticket.TicketId}' has {matching.Count} {metric} clocks; a row holds one per metric.", nameof(ticket));
            }

            var clock = matching.SingleOrDefault();
            arguments.Add(Int($"@{prefix}state", clock is null ? null : (int)clock.State));
            arguments.Add(Int($"@{prefix}cycle", clock?.Cycle));
            arguments.Add(Long($"@{prefix}target", clock is null ? null : ReadModelTime.Nanoseconds(clock.Target)));
            arguments.Add(Long($"@{prefix}elapsed", clock is null ? null : ReadModelTime.Nanoseconds(clock.Elapsed)));
            arguments.Add(Long($"@{prefix}remaining", clock is null ? null : ReadModelTime.Nanoseconds(clock.Remaining)));
            arguments.Add(Long($"@{prefix}breach_at", Nanoseconds(clock?.BreachAt)));
            arguments.Add(Long($"@{prefix}next_at", Nanoseconds(clock?.NextThresholdAt)));
            arguments.Add(Int($"@{prefix}next_percent", clock?.NextThresholdPercent));
            arguments.Add(Long($"@{prefix}at_risk_at", Nanoseconds(clock?.AtRiskAt)));
        }

        if (clocks.FirstOrDefault(c => !Metrics.Any(m => m.Metric == c.Metric)) is { } unknown)
        {
            throw new ArgumentException($"Ticket '{ticket.TicketId}' has a clock of unknown metric {(int)unknown.Metric}.", nameof(ticket));
        }

        arguments.Add(Text("@incident_id", ticket.IncidentId));
        arguments.Add(Long("@next_deadline", Nanoseconds(nextDeadline)));
        arguments.Add(Long("@deadline_key", DeadlineKey(nextDeadline)));
        return [.. arguments];
    }

    private static SqlArgument[] TransitionArguments(ClockTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentOutOfRangeException.ThrowIfNegative(transition.Sequence, nameof(transition));
        var entry = transition.Entry;
        return
        [
            Text("@ticket_id", transition.TicketId),
            Int("@sequence", transition.Sequence),
            Text("@customer_id", transition.CustomerId),
            Long("@at", ReadModelTime.Nanoseconds(entry.At)),
            Text("@kind", entry.Kind),
            Int("@metric", entry.Metric is { } metric ? (int)metric : null),
            Int("@threshold", entry.Threshold),
            Text("@description", entry.Description),
            Long("@recorded_at", ReadModelTime.Nanoseconds(entry.RecordedAt)),
            Text("@caused_by", entry.By),
        ];
    }

    private static long? Nanoseconds(Instant? instant) => instant is { } value ? ReadModelTime.Nanoseconds(value) : null;

    private static SqlArgument Text(string name, string? value) => new(name, DbType.String, value);

    private static SqlArgument Int(string name, int? value) => new(name, DbType.Int32, value);

    private static SqlArgument Long(string name, long? value) => new(name, DbType.Int64, value);
}
