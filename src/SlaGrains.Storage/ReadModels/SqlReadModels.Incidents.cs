using SlaGrains.Contracts.Incidents;

namespace SlaGrains.Storage.ReadModels;

/// <summary><see cref="IIncidentReadModel"/> over the same connections as the other read models.</summary>
internal abstract partial class SqlReadModels : IIncidentReadModel
{
    private IncidentQueries IncidentSql => this is PostgresReadModels ? IncidentQueries.Postgres : IncidentQueries.Sqlite;

    /// <inheritdoc />
    public async Task<IReadOnlyList<IncidentUpdateView>> UpdatesAsync(IReadOnlyCollection<string> incidentIds, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incidentIds);
        MonitorQueries.CheckLimit(limit);
        if (incidentIds.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, IncidentSql.Updates(incidentIds, limit), IncidentRowsSql.ReadUpdate, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ManualIncidentRow>> ManualIncidentsAsync(IReadOnlyCollection<string>? customers, Instant since, int limit, CancellationToken cancellationToken = default)
    {
        MonitorQueries.CheckLimit(limit);
        if (customers is { Count: 0 })
        {
            return [];
        }

        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, IncidentSql.Manual(customers, since, limit), IncidentRowsSql.ReadManual, cancellationToken).ConfigureAwait(false);
    }
}
