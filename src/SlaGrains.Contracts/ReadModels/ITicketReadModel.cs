using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.ReadModels;

/// <summary>Queries over the <c>tickets</c> and <c>clock_transitions</c> tables: lists, the audit and SLA aggregates, in SQL.</summary>
public interface ITicketReadModel
{
    /// <summary>One page of tickets in the query's <see cref="TicketListQuery.Order"/> (by default next deadline, none last, then creation, then id); keyset-paginated.</summary>
    Task<TicketListPage> ListAsync(TicketListQuery query, CancellationToken cancellationToken = default);

    /// <summary>The row of one ticket; null when there is none.</summary>
    Task<TicketSummary?> FindAsync(string ticketId, CancellationToken cancellationToken = default);

    /// <summary>A ticket's audit trail, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> TransitionsAsync(string ticketId, CancellationToken cancellationToken = default);

    /// <summary>Counts and compliance per customer and priority of the tickets matching <paramref name="query"/>.</summary>
    Task<IReadOnlyList<TicketSlaStats>> StatsAsync(TicketStatsQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every breached clock of the customer's tickets created in <paramref name="createdIn"/>, by ticket id then metric.</summary>
    Task<IReadOnlyList<TicketBreach>> BreachesAsync(string customerId, Interval createdIn, CancellationToken cancellationToken = default);

    /// <summary>The customer's tickets that are not closed, with their priority (what a policy change re-targets).</summary>
    Task<IReadOnlyList<(string TicketId, TicketPriority Priority)>> NotClosedAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many clocks of all tickets are open (running, paused, breached and running, breached and paused), by metric
    /// and state as of their rows; combinations with none are left out. One scan of the table, for the metrics gauge.
    /// </summary>
    Task<IReadOnlyList<(SlaMetric Metric, ClockState State, long Count)>> OpenClocksAsync(CancellationToken cancellationToken = default);

    // Issue 20 — ticket-SLA credits
    /// <summary>
    /// The customer's first-response and resolution clocks <b>decided</b> in <paramref name="decidedIn"/> (half-open), by
    /// metric and priority: met when the clock stopped within target in it, breached when its target ran out in it (as its
    /// <c>ClockStopped</c> / <c>ClockBreached</c> transition says; a clock still recorded as running whose target ran out in
    /// the interval counts as breached then). Each clock counts with its current outcome, in the month it was decided, so
    /// it counts once; a clock running within target is not decided. Combinations with none are left out.
    /// </summary>
    Task<IReadOnlyList<Domain.Credits.TicketClockCount>> DecidedClocksAsync(string customerId, Interval decidedIn, CancellationToken cancellationToken = default);
}

/// <summary>Which tickets a list shows, judged at <see cref="TicketListQuery.Now"/>.</summary>
public enum TicketListState
{
    /// <summary>Every ticket.</summary>
    All,

    /// <summary>Neither resolved nor closed.</summary>
    Open,

    /// <summary>A clock is paused.</summary>
    Paused,

    /// <summary>A running clock is past its first warning threshold and within its target.</summary>
    AtRisk,

    /// <summary>A clock is past its target.</summary>
    Breached,

    /// <summary>Resolved (not yet closed).</summary>
    Resolved,

    /// <summary>Closed.</summary>
    Closed,
}

/// <summary>The order a ticket list is read in; every order ends in the ticket id, so pages never overlap.</summary>
public enum TicketListOrder
{
    /// <summary>Next deadline first (none last), then creation, then id.</summary>
    Deadline,

    /// <summary>Newest first, then id.</summary>
    Newest,

    /// <summary>P1 first, then as <see cref="Deadline"/>.</summary>
    Priority,

    /// <summary>By customer id, then as <see cref="Deadline"/>.</summary>
    Customer,
}

/// <summary>A ticket list query. Filters combine with AND; null means no filter.</summary>
public sealed record TicketListQuery
{
    /// <summary>The order of the list (and of its pages: a cursor belongs to the order it was made in).</summary>
    public TicketListOrder Order { get; init; } = TicketListOrder.Deadline;

    /// <summary>The customers whose tickets may be listed (the caller's visibility); null: every customer.</summary>
    public IReadOnlyCollection<string>? Customers { get; init; }

    /// <summary>Only this team's tickets.</summary>
    public string? Team { get; init; }

    /// <summary>Only this person's tickets.</summary>
    public string? Assignee { get; init; }

    /// <summary>Only tickets assigned to this person or to this team (a technician's "mine and my team's").</summary>
    public (string Assignee, string? Team)? MineOrTeam { get; init; }

    /// <summary>Only this priority.</summary>
    public TicketPriority? Priority { get; init; }

    /// <summary>Only tickets in this state at <see cref="Now"/>.</summary>
    public TicketListState State { get; init; } = TicketListState.All;

    /// <summary>Only tickets whose id or subject contains this text (case-insensitive for ASCII letters).</summary>
    public string? Text { get; init; }

    // Issue 20 — incidents linked to tickets
    /// <summary>Only tickets linked to this incident.</summary>
    public string? IncidentId { get; init; }

    /// <summary>The instant at-risk and breached are judged at.</summary>
    public Instant Now { get; init; }

    /// <summary>The page after this cursor (from <see cref="TicketListPage.NextCursor"/>); null: the first page.</summary>
    public TicketCursor? After { get; init; }

    /// <summary>At most this many tickets (1–500).</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Whether to count the matching tickets as well (up to <see cref="TotalCap"/>).</summary>
    public bool IncludeTotal { get; init; }

    /// <summary>
    /// Counting stops here: a count costs a scan of what it counts, so a list of a million tickets says "1,000 or
    /// more" instead of reading them all for every page.
    /// </summary>
    public int TotalCap { get; init; } = 1_000;

    /// <summary>
    /// Whether <paramref name="ticket"/> passes the filters (not the cursor) at <see cref="Now"/>: the rule the SQL
    /// applies, for live pages that place a pushed row without asking the database again.
    /// </summary>
    public bool Matches(TicketSummary ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return (Customers is null || Customers.Contains(ticket.CustomerId))
            && (Team is null || ticket.Team == Team)
            && (Assignee is null || ticket.Assignee == Assignee)
            && (MineOrTeam is not var (me, team) || ticket.Assignee == me || (team is not null && ticket.Team == team))
            && (Priority is null || ticket.Priority == Priority)
            && (Text is null || ticket.TicketId.Contains(Text, StringComparison.OrdinalIgnoreCase) || ticket.Subject.Contains(Text, StringComparison.OrdinalIgnoreCase))
            && (IncidentId is null || ticket.IncidentId == IncidentId)
            && InState(ticket, State, Now);
    }

    /// <summary>Whether <paramref name="ticket"/> is in <paramref name="state"/> at <paramref name="now"/>.</summary>
    public static bool InState(TicketSummary ticket, TicketListState state, Instant now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return state switch
        {
            TicketListState.Open => ticket.IsOpen,
            TicketListState.Resolved => ticket.Status == TicketStatus.Resolved,
            TicketListState.Closed => ticket.Status == TicketStatus.Closed,
            TicketListState.Paused => ticket.Clocks.Any(c => c.State is ClockState.Paused or ClockState.BreachedPaused),
            TicketListState.AtRisk => ticket.Clocks.Any(c => c.StandingAt(now) == ClockStanding.AtRisk),
            TicketListState.Breached => ticket.Clocks.Any(c => c.StandingAt(now) == ClockStanding.Breached),
            _ => true,
        };
    }
}

/// <summary>A page of tickets.</summary>
/// <param name="Items">The tickets, in list order.</param>
/// <param name="NextCursor">The cursor of the next page; null on the last page.</param>
/// <param name="Total">The matching tickets when asked for, at most the query's cap.</param>
/// <param name="TotalIsExact">False when more tickets match than <paramref name="Total"/> (the cap was reached).</param>
public sealed record TicketListPage(IReadOnlyList<TicketSummary> Items, TicketCursor? NextCursor, long? Total, bool TotalIsExact = true);

/// <summary>
/// Where a page of the ticket list ends: the last row's sort key (next deadline, creation, id; the priority or customer
/// of an order by them is that row's, read again by the query). Opaque to callers as text (<see cref="ToString"/>,
/// <see cref="TryParse"/>).
/// </summary>
public sealed record TicketCursor(Instant? NextDeadline, Instant CreatedAt, string TicketId)
{
    /// <summary>The cursor after <paramref name="ticket"/>.</summary>
    public static TicketCursor After(TicketSummary ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new(ticket.NextDeadline, ticket.CreatedAt, ticket.TicketId);
    }

    /// <summary>As URL-safe text.</summary>
    public override string ToString() => CursorText.Encode(TicketId, NextDeadline, CreatedAt);

    /// <summary>Reads a cursor made by <see cref="ToString"/>; false for anything else.</summary>
    public static bool TryParse(string? text, out TicketCursor? cursor)
    {
        cursor = CursorText.TryDecode(text, 2, 64, out var instants, out var id) && instants[1] is { } created
            ? new TicketCursor(instants[0], created, id)
            : null;
        return cursor is not null;
    }
}

/// <summary>Which tickets an aggregate covers.</summary>
public sealed record TicketStatsQuery
{
    /// <summary>The customers counted; null: every customer.</summary>
    public IReadOnlyCollection<string>? Customers { get; init; }

    /// <summary>Only tickets created in this interval; null: all.</summary>
    public Interval? CreatedIn { get; init; }

    /// <summary>Only open tickets (neither resolved nor closed).</summary>
    public bool OpenOnly { get; init; }

    /// <summary>The instant at-risk and breached-now are judged at.</summary>
    public Instant Now { get; init; }
}

/// <summary>
/// Aggregates of one customer's tickets of one priority: how many, how their first-response and resolution clocks
/// were decided (met, or breached: running, paused or stopped late — <see cref="ClockCompliance"/>), and how many
/// are at risk or breached at the query's instant, and (issue 20) how many are linked to an incident as of their rows:
/// the SLA-related tickets.
/// </summary>
public sealed record TicketSlaStats(
    string CustomerId,
    TicketPriority Priority,
    int Tickets,
    int OpenTickets,
    ClockCompliance FirstResponse,
    ClockCompliance Resolution,
    int AtRiskNow,
    int BreachedNow,
    int LinkedToIncidents = 0);

/// <summary>A breached clock: its ticket, metric and business time over target as of the row.</summary>
public sealed record TicketBreach(string TicketId, TicketPriority Priority, SlaMetric Metric, Duration OverTarget);
