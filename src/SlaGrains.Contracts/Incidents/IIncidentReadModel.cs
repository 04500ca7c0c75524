namespace SlaGrains.Contracts.Incidents;

/// <summary>
/// Queries over the incident timeline tables: <c>incident_updates</c> (one row per update of any incident, inserted once
/// by incident and sequence) and <c>manual_incidents</c> (one row per manual incident, replaced only by a higher version).
/// Both are written by the incident grains through <see cref="ReadModels.IReadModelWriter"/>.
/// </summary>
public interface IIncidentReadModel
{
    /// <summary>
    /// The updates of the listed incidents (none listed: none), newest first (by instant, then sequence, then incident id,
    /// all descending), at most <paramref name="limit"/> (1–10,000).
    /// </summary>
    Task<IReadOnlyList<IncidentUpdateView>> UpdatesAsync(IReadOnlyCollection<string> incidentIds, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Manual incidents of the listed customers (null: every customer; empty: none) open at some point at or after
    /// <paramref name="since"/> (open, or resolved after it), newest opening first, at most <paramref name="limit"/> (1–10,000).
    /// </summary>
    Task<IReadOnlyList<ManualIncidentRow>> ManualIncidentsAsync(IReadOnlyCollection<string>? customers, Instant since, int limit, CancellationToken cancellationToken = default);
}

/// <summary>One row of <c>manual_incidents</c>: replaced only by a higher <paramref name="Version"/>.</summary>
/// <param name="Incident">The manual incident.</param>
/// <param name="Version">The incident grain's state version.</param>
public sealed record ManualIncidentRow(ManualIncidentView Incident, long Version);
