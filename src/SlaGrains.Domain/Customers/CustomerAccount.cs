using System.Collections.Immutable;
using NodaTime;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Customers;

/// <summary>
/// A customer's rules-relevant state: contract, calendar, tier with overrides, components and what their monitors last
/// reported, open tickets, and which months are closed. Changed only through <see cref="CustomerRules.Decide"/> and
/// <see cref="CustomerRules.Apply"/>; immutable.
/// </summary>
/// <remarks>
/// A component whose monitor never reported counts as up: a monitor tells its customer when its health changes, and it
/// is the monitor that says <see cref="ComponentHealth.Unknown"/> when its data stops (or has not started).
/// </remarks>
public sealed record CustomerAccount
{
    /// <summary>The customer's id (not blank).</summary>
    public required string CustomerId { get; init; }

    /// <summary>The contract; null until set.</summary>
    public ServiceAgreement? Agreement { get; init; }

    /// <summary>The business calendar (its zone is the customer's zone); null until set.</summary>
    public BusinessCalendar? Calendar { get; init; }

    /// <summary>The SLA tier as agreed; null until set.</summary>
    public SlaPolicy? Tier { get; init; }

    /// <summary>The clock options new tickets get; null means <see cref="SlaClockOptions.Default"/>.</summary>
    public SlaClockOptions? ClockOptions { get; init; }

    /// <summary>Bespoke per-priority overrides of the tier.</summary>
    public ImmutableSortedDictionary<TicketPriority, PriorityTargets> Overrides { get; init; } = ImmutableSortedDictionary<TicketPriority, PriorityTargets>.Empty;

    /// <summary>The components, in the order they were set; ids are distinct.</summary>
    public ImmutableArray<Component> Components { get; init; } = [];

    /// <summary>What each monitor last reported, by monitor id (a component's id); absent means up (see remarks).</summary>
    public ImmutableDictionary<string, ComponentHealth> Health { get; init; } = ImmutableDictionary<string, ComponentHealth>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Open tickets tracked for re-targeting, with their priority.</summary>
    public ImmutableDictionary<string, TicketPriority> OpenTickets { get; init; } = ImmutableDictionary<string, TicketPriority>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The months closed (each exactly once, never recomputed).</summary>
    public ImmutableSortedSet<YearMonth> ClosedMonths { get; init; } = [];

    /// <summary>The month the month-end deadline closes next; null until contract and calendar are set.</summary>
    public YearMonth? NextMonthToClose { get; init; }

    /// <summary>A customer with nothing set.</summary>
    public static CustomerAccount Empty(string customerId) => new() { CustomerId = customerId };

    /// <summary>The tier with the bespoke overrides applied (<see cref="SlaPolicy.WithOverride"/>); null without a tier.</summary>
    public SlaPolicy? Policy()
    {
        if (Tier is not { } tier || Overrides.Count == 0)
        {
            return Tier;
        }

        var custom = Overrides.Aggregate(tier, (policy, o) => policy.WithOverride(o.Key, o.Value));
        return new SlaPolicy($"{tier.Name} (custom)", custom.Targets);
    }

    /// <summary>The health of <paramref name="componentId"/>: what its monitor last reported, up when it never did.</summary>
    public ComponentHealth HealthOf(string componentId) => Health.GetValueOrDefault(componentId, ComponentHealth.Up);

    /// <summary>The status rolled up from the components (<see cref="CustomerStatus.Summarize(IEnumerable{ComponentReading})"/>).</summary>
    /// <param name="names">Names shown to people, by component id; missing names show the id.</param>
    public StatusSummary Status(IReadOnlyDictionary<string, string>? names = null)
        => CustomerStatus.Summarize(Components.Select(c => new ComponentReading(c, HealthOf(c.Id), names?.GetValueOrDefault(c.Id))));

    /// <summary>The instant the next month to close ends (local midnight of the next 1st in the customer's zone); null when none is pending.</summary>
    public Instant? NextCloseAt()
        => NextMonthToClose is { } month && Calendar is { } calendar ? ReportingPeriod.Month(month, calendar.Zone).End : null;

    // Issue 20 — remedies over rolling windows
    /// <summary>The closed months whose SLA verdict was missed (insufficient-data months are not misses).</summary>
    public ImmutableSortedSet<YearMonth> MissedMonths { get; init; } = [];

    /// <summary>The month each remedy rule last fired, by <see cref="RemedyRule.Key"/>: a firing never repeats over the months it counted.</summary>
    public ImmutableDictionary<string, YearMonth> RemediesLastFired { get; init; } = ImmutableDictionary<string, YearMonth>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>True when contract and calendar are set: months can be closed.</summary>
    public bool CanCloseMonths => Agreement is not null && Calendar is not null;
}
