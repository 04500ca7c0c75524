using NodaTime;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Domain.Customers;

/// <summary>Something asked of a customer; decided by <see cref="CustomerRules.Decide"/>.</summary>
public abstract record CustomerCommand;

/// <summary>Sets the contract; it must be the customer's own.</summary>
public sealed record SetAgreement(ServiceAgreement Agreement) : CustomerCommand;

/// <summary>Sets the business calendar; open tickets are re-targeted.</summary>
public sealed record SetCalendar(BusinessCalendar Calendar) : CustomerCommand;

/// <summary>Sets the tier and the clock options new tickets get; open tickets are re-targeted.</summary>
public sealed record SetTier(SlaPolicy Tier, SlaClockOptions? Options) : CustomerCommand;

/// <summary>A bespoke override of one priority's targets; open tickets are re-targeted.</summary>
public sealed record SetOverride(TicketPriority Priority, PriorityTargets Targets) : CustomerCommand;

/// <summary>Removes one priority's override (nothing happens when there is none).</summary>
public sealed record ClearOverride(TicketPriority Priority) : CustomerCommand;

/// <summary>Sets the components; each needs an id and appears once.</summary>
public sealed record SetComponents(IReadOnlyList<Component> Components) : CustomerCommand;

/// <summary>A monitor tells its component's health as of <paramref name="At"/>.</summary>
public sealed record ReportComponentHealth(string ComponentId, ComponentHealth Health, Instant At) : CustomerCommand;

/// <summary>
/// Closes <paramref name="Month"/> with the evidence the monitors hold for it. A closed month is never recomputed:
/// closing it again decides nothing (the stored close stands).
/// </summary>
/// <param name="Month">The month, in the customer's zone.</param>
/// <param name="Evidence">Each component's downtime and unknown time over the month.</param>
/// <param name="Maintenance">Maintenance windows of the critical components (excluded under the contract's notice).</param>
/// <param name="Latency">The month's latency checks over the components with a latency SLO (null: none); they earn a
/// credit only when the contract names a latency commitment.</param>
/// <param name="TicketClocks">The month's decided ticket clocks by metric and priority (null: none); they earn a credit only
/// under the contract's ticket-SLA clauses.</param>
public sealed record CloseMonth(YearMonth Month, IReadOnlyList<ComponentDowntime> Evidence, IReadOnlyList<MaintenanceWindow> Maintenance, Credits.LatencyTally? Latency = null, IReadOnlyList<Credits.TicketClockCount>? TicketClocks = null) : CustomerCommand;

/// <summary>Tracks an open ticket so a policy or calendar change re-targets it.</summary>
public sealed record TrackTicket(string TicketId, TicketPriority Priority) : CustomerCommand;

/// <summary>Stops tracking a ticket (resolved, closed, gone).</summary>
public sealed record UntrackTicket(string TicketId) : CustomerCommand;
