using System.Data;
using System.Text;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// The SQL of the ticket queries, for either store: filters, order, keyset, aggregates. The stores differ only in how a
/// list of customers is bound (<see cref="CustomersAsArray"/>).
/// </summary>
/// <remarks>
/// The standings (at risk, breached, paused) are <see cref="ClockStandings.At"/> written in SQL over the clock columns
/// at a given instant <c>@now</c>: a running clock is breached once its <c>breach_at</c> has passed and at risk from its
/// <c>at_risk_at</c> until then; a clock whose state says breached is breached whatever the time.
/// </remarks>
/// <param name="customersAsArray">How two or more customers are bound. True on PostgreSQL: one <c>text[]</c> parameter
/// (<c>= ANY(@customers)</c>) keeps one statement text, hence one prepared statement, for any number of customers. False on
/// SQLite: <c>IN (@customer0, …)</c>. One customer is plain equality on both.</param>
internal sealed class TicketQueries(bool customersAsArray)
{
    /// <summary>The largest page a list returns.</summary>
    public const int MaxPageSize = 500;

    private const string DeadlineOrder = "deadline_key, created_at, ticket_id";

    private static readonly string Open = $"status NOT IN ({(int)TicketStatus.Resolved}, {(int)TicketStatus.Closed})";

    private static readonly string BreachedStates =
        $"{(int)ClockState.BreachedRunning}, {(int)ClockState.BreachedPaused}, {(int)ClockState.BreachedStopped}";

    private static readonly string AtRiskNow = AnyClock(p =>
        $"{p}state = {(int)ClockState.Running} AND {p}at_risk_at <= @now AND ({p}breach_at IS NULL OR {p}breach_at > @now)");

    private static readonly string BreachedNow = AnyClock(p =>
        $"{p}state IN ({BreachedStates}) OR ({p}state = {(int)ClockState.Running} AND {p}breach_at <= @now)");

    private static readonly string PausedNow = AnyClock(p => $"{p}state IN ({(int)ClockState.Paused}, {(int)ClockState.BreachedPaused})");

    private static readonly string StatsColumns =
        "customer_id, priority, COUNT(*), "
        + $"SUM(CASE WHEN {Open} THEN 1 ELSE 0 END), "
        + $"SUM(CASE WHEN fr_state = {(int)ClockState.Met} THEN 1 ELSE 0 END), "
        + $"SUM(CASE WHEN fr_state IN ({BreachedStates}) THEN 1 ELSE 0 END), "
        + $"SUM(CASE WHEN res_state = {(int)ClockState.Met} THEN 1 ELSE 0 END), "
        + $"SUM(CASE WHEN res_state IN ({BreachedStates}) THEN 1 ELSE 0 END), "
        + $"SUM(CASE WHEN {Open} AND {AtRiskNow} THEN 1 ELSE 0 END), "
        + $"SUM(CASE WHEN {Open} AND {BreachedNow} THEN 1 ELSE 0 END), "
        // Issue 20 — incidents linked to tickets: the SLA-related tickets.
        + "SUM(CASE WHEN incident_id IS NOT NULL THEN 1 ELSE 0 END)";

    /// <summary>For PostgreSQL.</summary>
    public static TicketQueries Postgres { get; } = new(customersAsArray: true);

    /// <summary>For SQLite.</summary>
    public static TicketQueries Sqlite { get; } = new(customersAsArray: false);

    /// <summary>Whether a list of customers is bound as one array parameter.</summary>
    public bool CustomersAsArray { get; } = customersAsArray;

    /// <summary>The page size actually used: 1–<see cref="MaxPageSize"/>.</summary>
    public static int PageSize(TicketListQuery query) => Math.Clamp(query.PageSize, 1, MaxPageSize);

    /// <summary>One page of rows plus one (to tell whether another page follows), after the query's cursor.</summary>
    public SqlStatement List(TicketListQuery query)
    {
        var (where, arguments) = ListFilter(query);
        if (query.After is { } after)
        {
            where.Add(After(query.Order));
            arguments.Add(new("@after_deadline", DbType.Int64, TicketRowsSql.DeadlineKey(after.NextDeadline)));
            arguments.Add(new("@after_created", DbType.Int64, ReadModelTime.Nanoseconds(after.CreatedAt)));
            arguments.Add(new("@after_id", DbType.String, after.TicketId));
        }

        arguments.Add(new("@limit", DbType.Int32, PageSize(query) + 1));
        return new($"SELECT {TicketRowsSql.SelectTicketColumns} FROM tickets{SqlFilters.Where(where)} ORDER BY {OrderBy(query.Order)} LIMIT @limit", arguments);
    }

    /// <summary>The ORDER BY of a list order; each ends in the ticket id, which is unique, so the order is total.</summary>
    private static string OrderBy(TicketListOrder order) => order switch
    {
        TicketListOrder.Newest => "created_at DESC, ticket_id",
        TicketListOrder.Priority => $"priority, {DeadlineOrder}",
        TicketListOrder.Customer => $"customer_id, {DeadlineOrder}",
        _ => DeadlineOrder,
    };

    /// <summary>
    /// The rows after the cursor in <paramref name="order"/>. The priority or customer of the cursor's row is read from
    /// the row itself (the cursor carries the deadline, creation and id): a row that changed priority since the page
    /// was read continues the list from where it now sorts.
    /// </summary>
    private static string After(TicketListOrder order) => order switch
    {
        TicketListOrder.Newest => "(created_at < @after_created OR (created_at = @after_created AND ticket_id > @after_id))",
        TicketListOrder.Priority => $"(priority, {DeadlineOrder}) > ((SELECT c.priority FROM tickets c WHERE c.ticket_id = @after_id), @after_deadline, @after_created, @after_id)",
        TicketListOrder.Customer => $"(customer_id, {DeadlineOrder}) > ((SELECT c.customer_id FROM tickets c WHERE c.ticket_id = @after_id), @after_deadline, @after_created, @after_id)",
        _ => $"({DeadlineOrder}) > (@after_deadline, @after_created, @after_id)",
    };

    /// <summary>How many rows match the query's filters, whatever the cursor, counting at most one past the cap.</summary>
    public SqlStatement Count(TicketListQuery query)
    {
        var (where, arguments) = ListFilter(query);
        arguments.Add(new("@count_limit", DbType.Int32, Math.Max(0, query.TotalCap) + 1));
        return new($"SELECT COUNT(*) FROM (SELECT 1 FROM tickets{SqlFilters.Where(where)} LIMIT @count_limit) AS counted", arguments);
    }

    /// <summary>One ticket's row.</summary>
    public static SqlStatement Find(string ticketId)
        => new($"SELECT {TicketRowsSql.SelectTicketColumns} FROM tickets WHERE ticket_id = @ticket_id", [new("@ticket_id", DbType.String, ticketId)]);

    /// <summary>One ticket's audit trail.</summary>
    public static SqlStatement Transitions(string ticketId)
        => new(TicketRowsSql.SelectTransitions, [new("@ticket_id", DbType.String, ticketId)]);

    /// <summary>A customer's tickets that are not closed: id and priority, by id.</summary>
    public static SqlStatement NotClosed(string customerId)
        => new(
            $"SELECT ticket_id, priority FROM tickets WHERE customer_id = @customer AND status <> {(int)TicketStatus.Closed} ORDER BY ticket_id",
            [new("@customer", DbType.String, customerId)]);

    /// <summary>Open clocks by metric and state: (metric, state, count) rows.</summary>
    public static SqlStatement OpenClocks()
    {
        var open = $"{(int)ClockState.Running}, {(int)ClockState.Paused}, {(int)ClockState.BreachedRunning}, {(int)ClockState.BreachedPaused}";
        string Part(SlaMetric metric, string column)
            => $"SELECT {(int)metric} AS metric, {column} AS state, COUNT(*) AS n FROM tickets WHERE {column} IN ({open}) GROUP BY {column}";
        return new(
            $"{Part(SlaMetric.FirstResponse, "fr_state")} UNION ALL {Part(SlaMetric.Resolution, "res_state")} UNION ALL {Part(SlaMetric.NextReply, "nr_state")}",
            []);
    }

    /// <summary>Counts per customer and priority, read in the order of <see cref="TicketSlaStats"/>.</summary>
    public SqlStatement Stats(TicketStatsQuery query)
    {
        var where = new List<string>();
        var arguments = new List<SqlArgument> { new("@now", DbType.Int64, ReadModelTime.Nanoseconds(query.Now)) };
        if (query.Customers is { } customers)
        {
            where.Add(CustomersFilter(customers, arguments));
        }

        if (query.CreatedIn is { } createdIn)
        {
            CreatedIn(createdIn, where, arguments);
        }

        if (query.OpenOnly)
        {
            where.Add(Open);
        }

        return new($"SELECT {StatsColumns} FROM tickets{SqlFilters.Where(where)} GROUP BY customer_id, priority ORDER BY customer_id, priority", arguments);
    }

    /// <summary>One row per breached clock of the customer's tickets created in the interval: id, priority, metric, time over target.</summary>
    public static SqlStatement Breaches(string customerId, Interval createdIn)
    {
        var where = new List<string> { "customer_id = @customer" };
        var arguments = new List<SqlArgument> { new("@customer", DbType.String, customerId) };
        CreatedIn(createdIn, where, arguments);
        var filter = string.Join(" AND ", where);
        var parts = TicketRowsSql.Metrics.Select(m =>
            $"SELECT ticket_id, priority, {(int)m.Metric} AS metric, {m.Prefix}elapsed - {m.Prefix}target AS over_target "
            + $"FROM tickets WHERE {filter} AND {m.Prefix}state IN ({BreachedStates})");
        return new($"{string.Join(" UNION ALL ", parts)} ORDER BY ticket_id, metric", arguments);
    }

    // Issue 20 — ticket-SLA credits
    /// <summary>
    /// The customer's first-response and resolution clocks decided in <paramref name="decidedIn"/> (half-open), read as
    /// (metric, priority, met, breached) rows: met when the row's clock is met and its last <c>ClockStopped</c> of that
    /// metric lies in the interval; breached when the row's clock is breached and its last <c>ClockBreached</c> lies in it,
    /// or the row still says running and its <c>breach_at</c> lies in it (a breach not yet recorded). The last transition
    /// is the current cycle's (a reopened clock's earlier cycles are not counted again). A clock decided before the
    /// interval's end was created before it, which the index on (customer, created_at) narrows to.
    /// </summary>
    public static SqlStatement DecidedClocks(string customerId, Interval decidedIn)
    {
        var arguments = new List<SqlArgument>
        {
            new("@customer", DbType.String, customerId),
            new("@decided_from", DbType.Int64, ReadModelTime.Nanoseconds(decidedIn.Start)),
            new("@decided_to", DbType.Int64, ReadModelTime.Nanoseconds(decidedIn.End)),
        };
        static string Last(SlaMetric metric, string kind)
            => $"(SELECT MAX(x.at) FROM clock_transitions x WHERE x.ticket_id = t.ticket_id AND x.metric = {(int)metric} AND x.kind = '{kind}')";
        const string In = "BETWEEN @decided_from AND @decided_to - 1";
        var parts = TicketRowsSql.Metrics.Where(m => m.Metric is SlaMetric.FirstResponse or SlaMetric.Resolution).Select(m =>
            $"SELECT {(int)m.Metric} AS metric, t.priority AS priority, "
            + $"CASE WHEN t.{m.Prefix}state = {(int)ClockState.Met} THEN 1 ELSE 0 END AS met, "
            + $"CASE WHEN t.{m.Prefix}state = {(int)ClockState.Met} THEN 0 ELSE 1 END AS breached "
            + "FROM tickets t WHERE t.customer_id = @customer AND t.created_at < @decided_to AND ("
            + $"(t.{m.Prefix}state = {(int)ClockState.Met} AND {Last(m.Metric, "ClockStopped")} {In}) "
            + $"OR (t.{m.Prefix}state IN ({BreachedStates}) AND {Last(m.Metric, "ClockBreached")} {In}) "
            + $"OR (t.{m.Prefix}state = {(int)ClockState.Running} AND t.{m.Prefix}breach_at {In}))");
        return new(
            $"SELECT metric, priority, SUM(met), SUM(breached) FROM ({string.Join(" UNION ALL ", parts)}) decided GROUP BY metric, priority ORDER BY metric, priority",
            arguments);
    }

    /// <summary>
    /// A <c>LIKE</c> pattern for "contains <paramref name="text"/>", ASCII letters folded to lower case (the column side
    /// is <c>lower()</c>, which folds ASCII only on both stores) and <c>%</c>, <c>_</c> and the escape character
    /// <c>\</c> matched literally.
    /// </summary>
    public static string ContainsPattern(string text)
    {
        var pattern = new StringBuilder(text.Length + 2).Append('%');
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c);
        }

        return pattern.Append('%').ToString();
    }

    private static string AnyClock(Func<string, string> predicate)
        => "(" + string.Join(" OR ", TicketRowsSql.Metrics.Select(m => $"({predicate(m.Prefix)})")) + ")";

    private static void CreatedIn(Interval interval, List<string> where, List<SqlArgument> arguments)
    {
        // Half-open [start, end); an interval without a start or an end is unbounded on that side.
        if (interval.HasStart)
        {
            where.Add("created_at >= @created_from");
            arguments.Add(new("@created_from", DbType.Int64, ReadModelTime.Nanoseconds(interval.Start)));
        }

        if (interval.HasEnd)
        {
            where.Add("created_at < @created_to");
            arguments.Add(new("@created_to", DbType.Int64, ReadModelTime.Nanoseconds(interval.End)));
        }
    }

    private (List<string> Where, List<SqlArgument> Arguments) ListFilter(TicketListQuery query)
    {
        var where = new List<string>();
        var arguments = new List<SqlArgument>();
        if (query.Customers is { } customers)
        {
            where.Add(CustomersFilter(customers, arguments));
        }

        if (query.Team is { } team)
        {
            where.Add("team = @team");
            arguments.Add(new("@team", DbType.String, team));
        }

        if (query.Assignee is { } assignee)
        {
            where.Add("assignee = @assignee");
            arguments.Add(new("@assignee", DbType.String, assignee));
        }

        if (query.MineOrTeam is { } mine)
        {
            arguments.Add(new("@mine", DbType.String, mine.Assignee));
            if (mine.Team is { } myTeam)
            {
                where.Add("(assignee = @mine OR team = @my_team)");
                arguments.Add(new("@my_team", DbType.String, myTeam));
            }
            else
            {
                where.Add("assignee = @mine");
            }
        }

        if (query.Priority is { } priority)
        {
            where.Add("priority = @priority");
            arguments.Add(new("@priority", DbType.Int32, (int)priority));
        }

        if (query.IncidentId is { } incident)
        {
            where.Add("incident_id = @incident");
            arguments.Add(new("@incident", DbType.String, incident));
        }

        if (!string.IsNullOrEmpty(query.Text))
        {
            where.Add(@"(lower(ticket_id) LIKE @text ESCAPE '\' OR lower(subject) LIKE @text ESCAPE '\')");
            arguments.Add(new("@text", DbType.String, ContainsPattern(query.Text)));
        }

        var state = query.State switch
        {
            TicketListState.All => null,
            TicketListState.Open => Open,
            TicketListState.Resolved => $"status = {(int)TicketStatus.Resolved}",
            TicketListState.Closed => $"status = {(int)TicketStatus.Closed}",
            TicketListState.Paused => PausedNow,
            TicketListState.AtRisk => AtRiskNow,
            TicketListState.Breached => BreachedNow,
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.State, "Unknown ticket list state."),
        };
        if (state is not null)
        {
            where.Add(state);
            if (query.State is TicketListState.AtRisk or TicketListState.Breached)
            {
                arguments.Add(new("@now", DbType.Int64, ReadModelTime.Nanoseconds(query.Now)));
            }
        }

        return (where, arguments);
    }

    private string CustomersFilter(IReadOnlyCollection<string> customers, List<SqlArgument> arguments)
        => SqlFilters.Customers(customers, CustomersAsArray, arguments);
}
