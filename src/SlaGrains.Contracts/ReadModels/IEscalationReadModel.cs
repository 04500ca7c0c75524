using SlaGrains.Contracts.Escalations;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.ReadModels;

/// <summary>Queries over the <c>escalations</c> table: every escalation (an alert that matched a rule), with its actions and acknowledgement.</summary>
public interface IEscalationReadModel
{
    /// <summary>One page of escalations, newest first (raised at, then id, both descending); keyset-paginated.</summary>
    Task<EscalationListPage> ListAsync(EscalationListQuery query, CancellationToken cancellationToken = default);

    /// <summary>One escalation; null when there is no row.</summary>
    Task<EscalationView?> FindAsync(string escalationId, CancellationToken cancellationToken = default);
}

/// <summary>An escalation row: the view and the version of the escalation grain's state it was made from.</summary>
public sealed record EscalationRow(EscalationView Escalation, long Version);

/// <summary>An inbox query. Filters combine with AND; null means no filter.</summary>
public sealed record EscalationListQuery
{
    /// <summary>The customers whose escalations may be listed; null: every customer; empty: none.</summary>
    public IReadOnlyCollection<string>? Customers { get; init; }

    /// <summary>Only acknowledged (true) or unacknowledged (false) ones.</summary>
    public bool? Acknowledged { get; init; }

    /// <summary>Only this metric's.</summary>
    public SlaMetric? Metric { get; init; }

    /// <summary>Only this ticket's.</summary>
    public string? TicketId { get; init; }

    /// <summary>The page after this cursor; null: the first page.</summary>
    public EscalationCursor? After { get; init; }

    /// <summary>At most this many (1–500).</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Whether to count the matches as well (up to <see cref="TotalCap"/>).</summary>
    public bool IncludeTotal { get; init; }

    /// <summary>Counting stops here (a count costs a scan of what it counts).</summary>
    public int TotalCap { get; init; } = 1_000;
}

/// <summary>A page of escalations; <paramref name="Total"/> is at most the query's cap, <paramref name="TotalIsExact"/> false when more match.</summary>
public sealed record EscalationListPage(IReadOnlyList<EscalationView> Items, EscalationCursor? NextCursor, long? Total, bool TotalIsExact = true);

/// <summary>Where a page of the inbox ends: the last row's (raised at, id). Opaque to callers as text.</summary>
public sealed record EscalationCursor(Instant RaisedAt, string EscalationId)
{
    /// <summary>The cursor after <paramref name="escalation"/>.</summary>
    public static EscalationCursor After(EscalationView escalation)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        return new(escalation.RaisedAt, escalation.EscalationId);
    }

    /// <summary>As URL-safe text.</summary>
    public override string ToString() => CursorText.Encode(EscalationId, RaisedAt);

    /// <summary>Reads a cursor made by <see cref="ToString"/>; false for anything else.</summary>
    public static bool TryParse(string? text, out EscalationCursor? cursor)
    {
        cursor = CursorText.TryDecode(text, 1, 200, out var instants, out var id) && instants[0] is { } raised
            ? new EscalationCursor(raised, id)
            : null;
        return cursor is not null;
    }
}
