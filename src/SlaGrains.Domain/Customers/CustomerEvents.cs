using NodaTime;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Customers;

/// <summary>Something that happened to a customer, folded by <see cref="CustomerRules.Apply"/>.</summary>
/// <param name="At">When it was decided.</param>
public abstract record CustomerEvent(Instant At);

/// <summary>The contract was set.</summary>
public sealed record AgreementSet(Instant At, ServiceAgreement Agreement) : CustomerEvent(At);

/// <summary>The business calendar was set.</summary>
public sealed record CalendarSet(Instant At, BusinessCalendar Calendar) : CustomerEvent(At);

/// <summary>The tier and clock options were set.</summary>
public sealed record TierSet(Instant At, SlaPolicy Tier, SlaClockOptions? Options) : CustomerEvent(At);

/// <summary>One priority's targets were overridden.</summary>
public sealed record OverrideSet(Instant At, TicketPriority Priority, PriorityTargets Targets) : CustomerEvent(At);

/// <summary>One priority's override was removed.</summary>
public sealed record OverrideCleared(Instant At, TicketPriority Priority) : CustomerEvent(At);

/// <summary>The components were set.</summary>
public sealed record ComponentsSet(Instant At, IReadOnlyList<Component> Components) : CustomerEvent(At);

/// <summary>A monitor reported a health different from what it reported last.</summary>
public sealed record ComponentHealthChanged(Instant At, string ComponentId, ComponentHealth Health) : CustomerEvent(At);

/// <summary>The rolled-up status changed (follows the event that changed it); published to the status page.</summary>
public sealed record ServiceStatusChanged(Instant At, StatusSummary Status) : CustomerEvent(At);

/// <summary>Contract and calendar are both set for the first time: the month-end deadline starts with <paramref name="Month"/>.</summary>
public sealed record MonthCloseScheduled(Instant At, YearMonth Month) : CustomerEvent(At);

/// <summary>
/// The open tickets are to get their targets under the new policy or calendar (the shell asks each ticket; the
/// ticket keeps its elapsed time). Changes no state here.
/// </summary>
public sealed record OpenTicketsRetargeted(Instant At, string Reason) : CustomerEvent(At);

/// <summary>A month was closed, once: its figures and its credit (none when data was insufficient).</summary>
public sealed record MonthClosed(Instant At, MonthClose Close) : CustomerEvent(At);

/// <summary>An open ticket is tracked.</summary>
public sealed record TicketTracked(Instant At, string TicketId, TicketPriority Priority) : CustomerEvent(At);

/// <summary>A ticket is no longer tracked.</summary>
public sealed record TicketUntracked(Instant At, string TicketId) : CustomerEvent(At);
