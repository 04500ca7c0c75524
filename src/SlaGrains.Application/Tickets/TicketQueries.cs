using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;

namespace SlaGrains.Application.Tickets;

/// <summary>
/// Reading tickets, limited to what the caller may see: lists and aggregates from the read-model tables (SQL, keyset
/// pages), one ticket with its clocks at now from its grain, its audit from the <c>clock_transitions</c> table.
/// </summary>
[ApplicationService]
public sealed class TicketQueries(IGrainFactory grains, ITicketReadModel tickets, ISlaNow clock)
{
    /// <summary>Most tickets one page holds.</summary>
    public const int MaxPageSize = Bounds.MaxPageSize;

    private static readonly Dictionary<string, TicketListState> States = new(StringComparer.Ordinal)
    {
        ["open"] = TicketListState.Open,
        ["paused"] = TicketListState.Paused,
        ["atRisk"] = TicketListState.AtRisk,
        ["breached"] = TicketListState.Breached,
        ["resolved"] = TicketListState.Resolved,
        ["closed"] = TicketListState.Closed,
    };

    private static readonly Dictionary<string, TicketListOrder> Orders = new(StringComparer.Ordinal)
    {
        ["deadline"] = TicketListOrder.Deadline,
        ["newest"] = TicketListOrder.Newest,
        ["priority"] = TicketListOrder.Priority,
        ["customer"] = TicketListOrder.Customer,
    };

    /// <summary>The state names a list accepts.</summary>
    public static IEnumerable<string> StateNames => States.Keys;

    /// <summary>One page of the tickets the caller may see, by next deadline (none last).</summary>
    public async Task<Result<TicketListPage>> List(Caller caller, TicketListInput input, CancellationToken cancellationToken = default)
    {
        var errors = new InputErrors();
        var query = Query(caller, input, errors);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        return query is null
            ? new TicketListPage([], null, input.IncludeTotal ? 0 : null)
            : await tickets.ListAsync(query, cancellationToken);
    }

    /// <summary>
    /// The query <see cref="List"/> runs for this input at now, for a live page to place pushed rows with
    /// <see cref="TicketListQuery.Matches"/>; null when the input is invalid or the caller sees no tickets.
    /// </summary>
    public TicketListQuery? Filter(Caller caller, TicketListInput input)
    {
        var errors = new InputErrors();
        var query = Query(caller, input, errors);
        return errors.Any ? null : query;
    }

    /// <summary>Whether <paramref name="a"/> comes before <paramref name="b"/> in a list: next deadline (none last), creation, id.</summary>
    public static bool SortsBefore(TicketSummary a, TicketSummary b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var byDeadline = (a.NextDeadline ?? Instant.MaxValue).CompareTo(b.NextDeadline ?? Instant.MaxValue);
        if (byDeadline != 0)
        {
            return byDeadline < 0;
        }

        var byCreation = a.CreatedAt.CompareTo(b.CreatedAt);
        return byCreation != 0 ? byCreation < 0 : string.CompareOrdinal(a.TicketId, b.TicketId) < 0;
    }

    private TicketListQuery? Query(Caller caller, TicketListInput input, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var state = TicketListState.All;
        if (input.State is { } name && !States.TryGetValue(name, out state))
        {
            errors.Add("state", $"'{name}' is not a state: use one of {string.Join(", ", States.Keys)}.");
        }

        var order = TicketListOrder.Deadline;
        if (input.Sort is { } sort && !Orders.TryGetValue(sort, out order))
        {
            errors.Add("sort", $"'{Bounds.Echo(sort, 40)}' is not an order: use one of {string.Join(", ", Orders.Keys)}.");
        }

        if (input.PageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"A page holds 1–{MaxPageSize} tickets.");
        }

        TicketCursor? after = null;
        if (input.Cursor is { } cursor && !TicketCursor.TryParse(cursor, out after))
        {
            errors.Add("cursor", "Not a cursor this list gave: start again without one.");
        }

        if (input.Customer is { } customer && !Bounds.IsId(customer))
        {
            errors.Add("customer", Bounds.IdRule("A customer id"));
        }

        if (input.Incident is { } incident && !Bounds.IsChildId(incident))
        {
            errors.Add("incident", $"An incident id has 1–{2 * Bounds.IdLength} letters, digits, '.', '-' or '_'.");
        }

        if (input.Priority is { } priority && !Enum.IsDefined(priority))
        {
            errors.Add("priority", "A priority is p1, p2, p3 or p4.");
        }

        foreach (var (field, value) in new[] { ("text", input.Text), ("team", input.Team), ("assignee", input.Assignee) })
        {
            Bounds.CheckName(errors, field, value);
        }

        if (errors.Any || (!caller.IsStaff && caller.CustomerId is null))
        {
            return null;
        }

        return new TicketListQuery
        {
            Customers = Visible(caller, input.Customer),
            Team = Bounds.Blank(input.Team),
            Assignee = Bounds.Blank(input.Assignee),
            MineOrTeam = input.MineOrMyTeam && caller.IsStaff ? (caller.Name, caller.Team) : null,
            Priority = input.Priority,
            State = state,
            Text = Bounds.Blank(input.Text),
            IncidentId = input.Incident,
            Now = clock.Now,
            Order = order,
            After = after,
            PageSize = input.PageSize ?? 50,
            IncludeTotal = input.IncludeTotal && after is null,
        };
    }

    /// <summary>A ticket with each clock at now and its audit trail; not found when the caller may not see it.</summary>
    public async Task<Result<TicketView>> Get(Caller caller, string ticketId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Bounds.IsId(ticketId) && await grains.GetGrain<ITicketGrain>(ticketId).Get() is { } view && caller.CanRead(view.CustomerId)
            ? view
            : Failure.NotFound($"Ticket '{ticketId}'");
    }

    /// <summary>
    /// A ticket as it stood at <paramref name="at"/> (an ISO instant; null: now): its clocks replayed from its events and
    /// evaluated at that instant, its audit up to it. Invalid (naming <c>at</c>) when <paramref name="at"/> is not an
    /// instant in range, is after now, or is before the ticket was opened; not found when the caller may not see it.
    /// </summary>
    public async Task<Result<TicketView>> Get(Caller caller, string ticketId, string? at)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (at is null)
        {
            return await Get(caller, ticketId);
        }

        var errors = new InputErrors();
        var instant = ParseAt(errors, at);
        if (instant > clock.Now)
        {
            errors.Add("at", $"at is after now ({clock.Now}): a ticket's clocks can be replayed only to the past.");
        }

        // Visibility first: a caller who may not see the ticket learns nothing from the instant's checks.
        var visible = await Get(caller, ticketId);
        if (!visible.Succeeded || errors.Any)
        {
            return visible.Succeeded ? Failure.Invalid(errors) : visible;
        }

        var replayed = await grains.GetGrain<ITicketGrain>(ticketId).GetAt(instant!.Value);
        return replayed.Rejection switch
        {
            null => replayed.Ticket!,
            { Code: "before-ticket-opened" or "history-not-recorded" } r => Failure.Invalid("at", r.Message),
            { } r => Failure.Rejected(r),
        };
    }

    private static Instant? ParseAt(InputErrors errors, string text)
    {
        var parsed = NodaTime.Text.InstantPattern.ExtendedIso.Parse(text);
        if (parsed.Success && Bounds.IsPrintable(text))
        {
            return Bounds.CheckInstant(errors, "at", parsed.Value) ? parsed.Value : null;
        }

        errors.Add("at", "at is not an ISO instant such as 2026-12-01T09:30:00Z.");
        return null;
    }

    /// <summary>A ticket's audit trail, oldest first, from the <c>clock_transitions</c> table.</summary>
    public async Task<Result<IReadOnlyList<AuditEntry>>> Audit(Caller caller, string ticketId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!Bounds.IsId(ticketId) || await tickets.FindAsync(ticketId, cancellationToken) is not { } row || !caller.CanRead(row.CustomerId))
        {
            return Failure.NotFound($"Ticket '{ticketId}'");
        }

        return Result<IReadOnlyList<AuditEntry>>.Success(await tickets.TransitionsAsync(ticketId, cancellationToken));
    }

    /// <summary>SLA aggregates per customer and priority of the tickets the caller may see.</summary>
    public async Task<IReadOnlyList<TicketSlaStats>> Stats(Caller caller, string? customer = null, Interval? createdIn = null, bool openOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff && caller.CustomerId is null)
        {
            return [];
        }

        return await tickets.StatsAsync(new TicketStatsQuery { Customers = Visible(caller, customer), CreatedIn = createdIn, OpenOnly = openOnly, Now = clock.Now }, cancellationToken);
    }

    /// <summary>Whether the caller may see a live change of this ticket (the same rule as the lists).</summary>
    public static bool MaySee(Caller caller, TicketSummary ticket)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(ticket);
        return caller.CanRead(ticket.CustomerId);
    }

    /// <summary>The customers a list may cover (<see cref="Caller.VisibleCustomers"/>: a customer's user only its own, a restricted key only its listed ones, other staff all or the one asked for).</summary>
    private static IReadOnlyCollection<string>? Visible(Caller caller, string? only) => caller.VisibleCustomers(only);
}
