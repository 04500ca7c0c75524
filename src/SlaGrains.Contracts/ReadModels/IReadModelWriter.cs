using SlaGrains.Contracts.Tickets;

namespace SlaGrains.Contracts.ReadModels;

/// <summary>
/// Writes read-model rows into the configured store (the SQLite file or the cluster's PostgreSQL) after a grain's
/// state write. At least once and idempotent: a ticket row is replaced only by one of a higher
/// <see cref="TicketSummary.Version"/>, a transition is inserted once by (ticket, sequence), so a replay or an
/// out-of-order delivery never moves a row backwards.
/// </summary>
public interface IReadModelWriter
{
    /// <summary>Upserts the rows; completes once they are committed.</summary>
    Task WriteAsync(ReadModelBatch batch, CancellationToken cancellationToken = default);
}

/// <summary>Rows to upsert together.</summary>
/// <param name="Tickets">Ticket rows (each replaces a row of a lower version, or is new).</param>
/// <param name="Transitions">Audit rows (each inserted once by ticket and sequence).</param>
public sealed record ReadModelBatch(IReadOnlyList<TicketSummary> Tickets, IReadOnlyList<ClockTransition> Transitions)
{
    /// <summary>Escalation rows (each replaces a row of a lower version, or is new).</summary>
    public IReadOnlyList<EscalationRow> Escalations { get; init; } = [];

    /// <summary>Nothing to write.</summary>
    public bool IsEmpty => Tickets.Count == 0 && Transitions.Count == 0 && Escalations.Count == 0;
}

/// <summary>One row of the <c>clock_transitions</c> read model: the <paramref name="Sequence"/>-th entry (from 0) of a ticket's audit trail.</summary>
public sealed record ClockTransition(string TicketId, string CustomerId, int Sequence, AuditEntry Entry);

/// <summary>Keeps the read models in step with grain state: finds rows that lag and empties the tables for a rebuild.</summary>
public interface IReadModelMaintenance
{
    /// <summary>
    /// Ids of tickets whose durable grain state is newer than their row (or that have none), at most
    /// <paramref name="limit"/>, in id order after <paramref name="after"/> (null: from the start).
    /// </summary>
    Task<IReadOnlyList<string>> StaleTicketsAsync(string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ids of escalations whose durable grain state (<c>IEscalationRecordGrain</c>, state name <c>escalation</c>) is
    /// newer than their row (or that have none), at most <paramref name="limit"/>, in id order after <paramref name="after"/>.
    /// </summary>
    Task<IReadOnlyList<string>> StaleEscalationsAsync(string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes every read-model row (grain state is untouched); a rebuild then writes them again.</summary>
    Task ClearAsync(CancellationToken cancellationToken = default);
}
