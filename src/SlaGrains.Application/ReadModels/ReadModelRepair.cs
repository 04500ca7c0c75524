using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;

namespace SlaGrains.Application.ReadModels;

/// <summary>
/// Brings the read-model tables in step with grain state: every ticket, escalation and monitor whose durable state is newer
/// than its row (a crash between the state write and the row write, rows deleted for a rebuild) writes its rows again
/// from its state.
/// </summary>
[ApplicationService]
public sealed class ReadModelRepair(IGrainFactory grains, IReadModelMaintenance maintenance, ISlaNow clock)
{
    private const int Page = 1_000;
    private const int Parallelism = 32;

    /// <summary>Repairs every lagging row; returns how many grains wrote their rows again.</summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken = default)
        => await RepairAsync(maintenance.StaleTicketsAsync, id => grains.GetGrain<ITicketGrain>(id).RefreshReadModel(), cancellationToken)
            + await RepairAsync(maintenance.StaleEscalationsAsync, id => grains.GetGrain<IEscalationRecordGrain>(id).RefreshReadModel(), cancellationToken)
            + await RepairAsync(maintenance.StaleMonitorsAsync, id => grains.GetGrain<IMonitorGrain>(id).RefreshReadModel(), cancellationToken);

    /// <summary>Deletes every read-model row and writes them again from grain state; returns the grains that wrote theirs.</summary>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await maintenance.ClearAsync(cancellationToken);
        return await RepairAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes raw check results older than <paramref name="keepCheckResults"/> and rollups older than
    /// <see cref="ReadModelRetention.Rollups"/>, on the SLA clock; returns how many rows went.
    /// </summary>
    public Task<long> PruneAsync(Duration keepCheckResults, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(keepCheckResults, Duration.Zero);
        var now = clock.Now;
        return maintenance.PruneAsync(now - keepCheckResults, now - ReadModelRetention.Rollups, cancellationToken);
    }

    private static async Task<int> RepairAsync(
        Func<string?, int, CancellationToken, Task<IReadOnlyList<string>>> stale, Func<string, Task<bool>> refresh, CancellationToken cancellationToken)
    {
        var repaired = 0;
        string? after = null;
        while (true)
        {
            var ids = await stale(after, Page, cancellationToken);
            if (ids.Count == 0)
            {
                return repaired;
            }

            await Parallel.ForEachAsync(
                ids,
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (id, _) =>
                {
                    if (await refresh(id))
                    {
                        Interlocked.Increment(ref repaired);
                    }
                });
            after = ids[^1];
        }
    }
}
