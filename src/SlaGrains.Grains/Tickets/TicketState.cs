using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Tickets;

/// <summary>
/// A ticket's durable state: its fields, its SLA (the domain's state machine), the audit trail, and the outbox. The
/// read-model rows (<c>tickets</c>, <c>clock_transitions</c>) are made from it, so they can always be rebuilt.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.ticket-state")]
public sealed class TicketState
{
    /// <summary>The customer the ticket belongs to.</summary>
    [Id(0)]
    public string CustomerId { get; set; } = string.Empty;

    /// <summary>What the ticket is about.</summary>
    [Id(1)]
    public string Subject { get; set; } = string.Empty;

    /// <summary>Who asked.</summary>
    [Id(2)]
    public string Requester { get; set; } = string.Empty;

    /// <summary>The team it is assigned to, if any.</summary>
    [Id(3)]
    public string? Team { get; set; }

    /// <summary>The person it is assigned to, if any.</summary>
    [Id(4)]
    public string? Assignee { get; set; }

    /// <summary>True once an escalation rule flagged it for management.</summary>
    [Id(5)]
    public bool EscalatedToManagement { get; set; }

    /// <summary>When it was created.</summary>
    [Id(6)]
    public Instant CreatedAt { get; set; }

    /// <summary>The SLA clocks; null until the ticket is created.</summary>
    [Id(7)]
    public TicketSla? Sla { get; set; }

    /// <summary>
    /// The audit trail as sentences, kept by versions before the typed history (<see cref="Events"/>); read as the first
    /// part of the audit, never appended to any more.
    /// </summary>
    [Id(8)]
    public List<AuditEntry> Audit { get; set; } = [];

    /// <summary>Warnings and breaches written but not yet taken by the escalation grain (delivered at least once; it de-duplicates).</summary>
    [Id(9)]
    public List<SlaAlert> Outbox { get; set; } = [];

    /// <summary>When the durable reminder will next wake the ticket; null when none is registered.</summary>
    [Id(10)]
    public Instant? ReminderDueAt { get; set; }

    // Id 11 was the ticket index's pending flag; the read model is kept in step by version instead.

    /// <summary>When it was last resolved; null while it is not (a reopen clears it).</summary>
    [Id(12)]
    public Instant? ResolvedAt { get; set; }

    /// <summary>When it was closed; null while it is not.</summary>
    [Id(13)]
    public Instant? ClosedAt { get; set; }

    /// <summary>
    /// Every event since this version, typed, in recording order: the audit entries are derived from them and the
    /// clocks can be replayed to any instant. Empty for state written by earlier versions until their next change.
    /// </summary>
    [Id(14)]
    public List<RecordedTicketEvent> Events { get; set; } = [];

    /// <summary>The source (<c>generic</c>, <c>zendesk</c>, ...) whose events made this ticket; null for a ticket opened here.</summary>
    [Id(15)]
    public string? Source { get; set; }

    /// <summary>Every event the source sent (<see cref="ITicketGrain.Sync"/>), in <c>at</c> order: what a rebuild replays.</summary>
    [Id(16)]
    public List<SyncedTicketEvent> Synced { get; set; } = [];

    /// <summary>How many of <see cref="Synced"/> (from the first) have been applied; the rest wait to be.</summary>
    [Id(17)]
    public int SyncedApplied { get; set; }

    // Issue 20 — incidents linked to tickets
    /// <summary>The incident the ticket is linked to; null for none. Kept through a rebuild of synced events (it is not theirs).</summary>
    [Id(140)]
    public string? IncidentId { get; set; }

    /// <summary>The audit trail people see: the legacy sentences, then one entry per typed event.</summary>
    public IEnumerable<AuditEntry> AuditTrail => Audit.Concat(Events.Select(e => e.ToAuditEntry()));

    /// <summary>How many audit entries there are (legacy and typed).</summary>
    public int AuditCount => Audit.Count + Events.Count;
}
