using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Storage.ReadModels;

/// <summary>What a writer runs for a whole <see cref="ReadModelBatch"/>, and to empty every read-model table, on either store.</summary>
internal static class ReadModelSql
{
    /// <summary>Empties <c>tickets</c>, <c>clock_transitions</c> and <c>escalations</c> (grain state is untouched).</summary>
    public static readonly IReadOnlyList<SqlStatement> Clear = [.. TicketRowsSql.Clear, .. EscalationRowsSql.Clear];

    /// <summary>
    /// The statements that write every row of <paramref name="batch"/> (<see cref="TicketRowsSql.Statements"/>, then
    /// <see cref="EscalationRowsSql.Statements"/>), all converted before any is queued: a batch that cannot be stored
    /// fails its caller with nothing written.
    /// </summary>
    /// <exception cref="ArgumentException">A row cannot be stored (see the two methods).</exception>
    public static IReadOnlyList<SqlStatement> Statements(ReadModelBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var tickets = TicketRowsSql.Statements(batch);
        return batch.Escalations.Count == 0 ? tickets : [.. tickets, .. EscalationRowsSql.Statements(batch.Escalations)];
    }
}
