using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// What a writer runs for a whole <see cref="ReadModelBatch"/>, to empty the read-model tables a rebuild writes again,
/// and to prune the monitor history, on either store.
/// </summary>
internal static class ReadModelSql
{
    /// <summary>
    /// Empties <c>tickets</c>, <c>clock_transitions</c>, <c>escalations</c>, <c>monitors</c>, <c>incidents</c> and
    /// <c>maintenance</c> (grain state is untouched). <c>check_results</c> and <c>check_rollups</c> are kept: the monitor
    /// grains hold only two days of results, so a rebuild could not write that history again.
    /// </summary>
    public static readonly IReadOnlyList<SqlStatement> Clear = [.. TicketRowsSql.Clear, .. EscalationRowsSql.Clear, .. MonitorRowsSql.Clear];

    /// <summary>
    /// The statements that write every row of <paramref name="batch"/> (<see cref="TicketRowsSql.Statements"/>, then
    /// <see cref="EscalationRowsSql.Statements"/>, then <see cref="MonitorRowsSql.Statements"/>, then
    /// <see cref="IncidentRowsSql.Statements"/>), all converted before any
    /// is queued: a batch that cannot be stored fails its caller with nothing written.
    /// </summary>
    /// <exception cref="ArgumentException">A row cannot be stored (see the three methods).</exception>
    public static IReadOnlyList<SqlStatement> Statements(ReadModelBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var tickets = TicketRowsSql.Statements(batch);
        var escalations = EscalationRowsSql.Statements(batch.Escalations);
        var monitors = MonitorRowsSql.Statements(batch);
        var incidents = IncidentRowsSql.Statements(batch);
        return escalations.Count == 0 && monitors.Count == 0 && incidents.Count == 0 ? tickets : [.. tickets, .. escalations, .. monitors, .. incidents];
    }

    /// <summary>
    /// A retention pass (<see cref="IReadModelMaintenance.PruneAsync"/>): runs each of <see cref="MonitorRowsSql.Prune"/>'s
    /// statements with <paramref name="run"/>, again and again until a run deletes fewer than
    /// <see cref="MonitorRowsSql.PruneStep"/> rows, and returns how many rows went.
    /// </summary>
    /// <param name="checkResultsBefore">Check results before this go.</param>
    /// <param name="rollupsBefore">Rollups whose bucket starts before this go.</param>
    /// <param name="run">Runs one statement in a transaction of its own and returns how many rows it deleted.</param>
    /// <param name="cancellationToken">Stops between steps; the steps already run stay committed.</param>
    public static async Task<long> PruneAsync(
        Instant checkResultsBefore, Instant rollupsBefore, Func<SqlStatement, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        long deleted = 0;
        foreach (var statement in MonitorRowsSql.Prune(checkResultsBefore, rollupsBefore))
        {
            int step;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                step = await run(statement, cancellationToken).ConfigureAwait(false);
                deleted += step;
            }
            while (step >= MonitorRowsSql.PruneStep);
        }

        return deleted;
    }
}
