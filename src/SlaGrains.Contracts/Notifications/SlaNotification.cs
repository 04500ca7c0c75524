using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Tickets;

namespace SlaGrains.Contracts.Notifications;

/// <summary>
/// Something a person watching should see now: published by grains after the change is durable, consumed by the
/// web host (SignalR, the live UI). Each carries enough to render without a refetch.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.notification")]
[Immutable]
public abstract record SlaNotification([property: Id(0)] Instant At);

/// <summary>A ticket or its clocks changed (created, status, priority, assignment, a clock paused or met): the row lists show, never the audit trail.</summary>
[GenerateSerializer]
[Alias("slagrains.notification.ticket-changed")]
[Immutable]
public sealed record TicketChanged(Instant At, [property: Id(0)] TicketSummary Ticket) : SlaNotification(At);

/// <summary>A ticket clock reached a warning threshold or breached (already written into the ticket).</summary>
[GenerateSerializer]
[Alias("slagrains.notification.ticket-alert")]
[Immutable]
public sealed record TicketAlerted(Instant At, [property: Id(0)] SlaAlert Alert) : SlaNotification(At);

/// <summary>An escalation was raised.</summary>
[GenerateSerializer]
[Alias("slagrains.notification.escalation-raised")]
[Immutable]
public sealed record EscalationRaised(Instant At, [property: Id(0)] EscalationView Escalation) : SlaNotification(At);

/// <summary>An escalation was acknowledged.</summary>
[GenerateSerializer]
[Alias("slagrains.notification.escalation-acknowledged")]
[Immutable]
public sealed record EscalationAcknowledged(Instant At, [property: Id(0)] EscalationView Escalation) : SlaNotification(At);
