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

    /// <summary>Monitor rows (each replaces a row of a lower version, or is new).</summary>
    public IReadOnlyList<MonitorRow> Monitors { get; init; } = [];

    /// <summary>Raw check results (each inserted once by monitor, region and instant).</summary>
    public IReadOnlyList<CheckResultRow> CheckResults { get; init; } = [];

    /// <summary>Hourly and daily rollups (each replaces a row of a lower version, or is new).</summary>
    public IReadOnlyList<CheckRollupRow> Rollups { get; init; } = [];

    /// <summary>Incident rows (each replaces a row of a lower version, or is new).</summary>
    public IReadOnlyList<IncidentRow> Incidents { get; init; } = [];

    /// <summary>Maintenance rows (each replaces a row of a lower version, or is new).</summary>
    public IReadOnlyList<MaintenanceRow> Maintenance { get; init; } = [];

    /// <summary>Burn-rate alert rows (each replaces a row of a lower version, or is new).</summary>
    public IReadOnlyList<BudgetAlertRow> BudgetAlerts { get; init; } = [];

    /// <summary>Incident updates (each inserted once by incident and sequence).</summary>
    public IReadOnlyList<SlaGrains.Contracts.Incidents.IncidentUpdateView> IncidentUpdates { get; init; } = [];

    /// <summary>Manual incident rows (each replaces a row of a lower version, or is new).</summary>
    public IReadOnlyList<SlaGrains.Contracts.Incidents.ManualIncidentRow> ManualIncidents { get; init; } = [];

    /// <summary>
    /// Tickets whose history was rebuilt: their transitions in this batch replace the stored ones (not inserted once),
    /// and stored transitions from <see cref="TransitionsRewrite.Count"/> on are deleted.
    /// </summary>
    public IReadOnlyList<TransitionsRewrite> TransitionsRewritten { get; init; } = [];

    /// <summary>Nothing to write.</summary>
    public bool IsEmpty => Tickets.Count == 0 && Transitions.Count == 0 && TransitionsRewritten.Count == 0 && Escalations.Count == 0 && Monitors.Count == 0
        && CheckResults.Count == 0 && Rollups.Count == 0 && Incidents.Count == 0 && Maintenance.Count == 0 && BudgetAlerts.Count == 0
        && IncidentUpdates.Count == 0 && ManualIncidents.Count == 0;
}

/// <summary>A ticket whose audit trail was rebuilt: it now has <paramref name="Count"/> transitions.</summary>
public sealed record TransitionsRewrite(string TicketId, int Count);

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

    /// <summary>
    /// Ids of monitors whose durable grain state (<c>MonitorGrain</c>, state name <c>monitor</c>) is newer than their
    /// <c>monitors</c> row (or that have none), at most <paramref name="limit"/>, in id order after <paramref name="after"/>.
    /// </summary>
    Task<IReadOnlyList<string>> StaleMonitorsAsync(string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the rows a rebuild writes again from grain state: tickets, transitions, escalations, monitors, incidents
    /// and maintenance (grain state is untouched). Check results and rollups are kept: they are history the monitor
    /// grains no longer hold (a monitor keeps two days of raw results), so a rebuild re-writes only what grain state has.
    /// </summary>
    Task ClearAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes check results older than <paramref name="checkResultsBefore"/> and rollups whose bucket starts before
    /// <paramref name="rollupsBefore"/>; returns how many rows went.
    /// </summary>
    Task<long> PruneAsync(Instant checkResultsBefore, Instant rollupsBefore, CancellationToken cancellationToken = default);
}
