using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;

namespace SlaGrains.Application.ReadModels;

/// <summary>
/// Brings the read-model tables in step with grain state: every ticket whose durable state is newer than its row (a
/// crash between the state write and the row write, rows deleted for a rebuild) writes its rows again from its state.
/// </summary>
public sealed class ReadModelRepair(IGrainFactory grains, IReadModelMaintenance maintenance)
{
    private const int Page = 1_000;
    private const int Parallelism = 32;

    /// <summary>Repairs every lagging ticket row; returns how many tickets wrote their rows again.</summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken = default)
    {
        var repaired = 0;
        string? after = null;
        while (true)
        {
            var stale = await maintenance.StaleTicketsAsync(after, Page, cancellationToken);
            if (stale.Count == 0)
            {
                return repaired;
            }

            await Parallel.ForEachAsync(
                stale,
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (ticketId, _) =>
                {
                    if (await grains.GetGrain<ITicketGrain>(ticketId).RefreshReadModel())
                    {
                        Interlocked.Increment(ref repaired);
                    }
                });
            after = stale[^1];
        }
    }

    /// <summary>Deletes every read-model row and writes them again from grain state; returns the tickets written.</summary>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await maintenance.ClearAsync(cancellationToken);
        return await RepairAsync(cancellationToken);
    }
}
