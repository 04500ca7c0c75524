using System.Data;
using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The SQL of the escalation inbox, for either store: filters, order (newest first), keyset. The stores differ only in
/// how a list of customers is bound, as for <see cref="TicketQueries"/>.
/// </summary>
/// <param name="customersAsArray">True on PostgreSQL (one <c>text[]</c> parameter), false on SQLite; see <see cref="SqlFilters.Customers"/>.</param>
internal sealed class EscalationQueries(bool customersAsArray)
{
    /// <summary>The largest page a list returns.</summary>
    public const int MaxPageSize = 500;

    private const string ListOrder = "ORDER BY raised_at DESC, escalation_id DESC";

    /// <summary>For PostgreSQL.</summary>
    public static EscalationQueries Postgres { get; } = new(customersAsArray: true);

    /// <summary>For SQLite.</summary>
    public static EscalationQueries Sqlite { get; } = new(customersAsArray: false);

    /// <summary>Whether a list of customers is bound as one array parameter.</summary>
    public bool CustomersAsArray { get; } = customersAsArray;

    /// <summary>The page size actually used: 1–<see cref="MaxPageSize"/>.</summary>
    public static int PageSize(EscalationListQuery query) => Math.Clamp(query.PageSize, 1, MaxPageSize);

    /// <summary>One page of rows plus one (to tell whether another page follows), after the query's cursor.</summary>
    public SqlStatement List(EscalationListQuery query)
    {
        var (where, arguments) = ListFilter(query);
        if (query.After is { } after)
        {
            // Newest first: the next page holds what sorts before the cursor's row.
            where.Add("(raised_at, escalation_id) < (@after_raised, @after_id)");
            arguments.Add(new("@after_raised", DbType.Int64, ReadModelTime.Nanoseconds(after.RaisedAt)));
            arguments.Add(new("@after_id", DbType.String, after.EscalationId));
        }

        arguments.Add(new("@limit", DbType.Int32, PageSize(query) + 1));
        return new($"SELECT {EscalationRowsSql.SelectColumns} FROM escalations{SqlFilters.Where(where)} {ListOrder} LIMIT @limit", arguments);
    }

    /// <summary>How many rows match the query's filters, whatever the cursor, counting at most one past the cap.</summary>
    public SqlStatement Count(EscalationListQuery query)
    {
        var (where, arguments) = ListFilter(query);
        arguments.Add(new("@count_limit", DbType.Int32, Math.Max(0, query.TotalCap) + 1));
        return new($"SELECT COUNT(*) FROM (SELECT 1 FROM escalations{SqlFilters.Where(where)} LIMIT @count_limit) AS counted", arguments);
    }

    /// <summary>One escalation's row.</summary>
    public static SqlStatement Find(string escalationId)
        => new(
            $"SELECT {EscalationRowsSql.SelectColumns} FROM escalations WHERE escalation_id = @escalation_id",
            [new("@escalation_id", DbType.String, escalationId)]);

    private (List<string> Where, List<SqlArgument> Arguments) ListFilter(EscalationListQuery query)
    {
        var where = new List<string>();
        var arguments = new List<SqlArgument>();
        if (query.Customers is { } customers)
        {
            where.Add(SqlFilters.Customers(customers, CustomersAsArray, arguments));
        }

        if (query.Acknowledged is { } acknowledged)
        {
            // Written exactly as the partial indexes' predicate, so both stores can use them for the unacknowledged.
            where.Add(acknowledged ? "acknowledged_by IS NOT NULL" : "acknowledged_by IS NULL");
        }

        if (query.Metric is { } metric)
        {
            where.Add("metric = @metric");
            arguments.Add(new("@metric", DbType.Int32, (int)metric));
        }

        if (query.TicketId is { } ticketId)
        {
            where.Add("ticket_id = @ticket_id");
            arguments.Add(new("@ticket_id", DbType.String, ticketId));
        }

        return (where, arguments);
    }
}
