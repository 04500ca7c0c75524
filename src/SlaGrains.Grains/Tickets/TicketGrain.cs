using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain;
using SlaGrains.Domain.Escalations;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains.Shell;

namespace SlaGrains.Grains.Tickets;

/// <summary>
/// A support ticket: a thin shell around <see cref="TicketSla"/> and <see cref="TicketDesk"/>. Each command: decide at
/// now → ask the customer's escalation grain (read-only) for the actions of the rules each new warning or breach
/// matches → apply the SLA events and those actions (reassign, escalate to management) → write the new state (audit
/// entries, alerts in the outbox) once → upsert its read-model rows → reply; then deliver the outbox to the
/// escalation grain (which records and notifies, and never calls back), publish the row, and re-arm the deadline.
/// One warning or breach costs the ticket one write, whatever its rules do.
/// </summary>
/// <remarks>
/// Read model: the <c>tickets</c> row carries the version of the state it was made from (the storage's ETag), and
/// the audit's new entries become <c>clock_transitions</c> rows; both upserts are idempotent, so a failed one is
/// simply retried, and a crash between the state write and the rows is repaired at start-up by
/// <see cref="ITicketGrain.RefreshReadModel"/> for every ticket whose state is newer than its row.
/// </remarks>
/// <remarks>
/// Deadlines: while the next deadline (<see cref="TicketSla.NextDeadline"/>) is within ten minutes a grain timer fires
/// at it (precise to milliseconds while active); while anything is pending an Orleans reminder is kept as the durable
/// backstop, due no later than the next deadline (its tick re-arms the timer for a distant one), so a ticket
/// whose grain was deactivated or whose silo died is woken, fires what passed (dated when it fell due, recorded
/// late) and re-arms. The reminder is re-registered only when the next deadline moves earlier than it, or after it
/// ticked, keeping reminder-table writes rare.
/// Memory: an idle ticket is collected after five minutes (Orleans' default is fifteen); an open ticket that nobody
/// touches costs only its reminder until the reminder wakes it at its next deadline.
/// </remarks>
[CollectionAgeLimit(Minutes = 5)]
public sealed class TicketGrain(
    [PersistentState("ticket")] IPersistentState<TicketState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ISlaNotifications notifications,
    IReadModelWriter readModel,
    ILogger<TicketGrain> logger) : Grain, ITicketGrain, IRemindable
{
    internal const string ReminderName = "sla-deadline";
    /// <summary>
    /// The backstop reminder ticks from the next deadline on, every period, until re-registered. After a restart an
    /// overdue reminder fires at its next tick, so the period bounds how late a passed deadline is noticed.
    /// </summary>
    internal static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan TimerHorizon = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan OutboxRetry = TimeSpan.FromSeconds(5);

    private RetrySoon? _retry;
    private DurableDeadline? _deadline;
    /// <summary>The alerts' hand-over: delivered alerts are dropped by the next write, redelivered after a restart.</summary>
    private readonly Outbox<SlaAlert> _outbox = new(a => a.Key);

    /// <summary>Audit entries up to this count are known to be in <c>clock_transitions</c> (the rest are written with the next rows).</summary>
    private int _transitionsWritten = -1;

    /// <summary>True while the latest committed state's rows have not been written.</summary>
    private bool _rowsPending;

    /// <summary>When (<see cref="System.Diagnostics.Stopwatch"/> ticks) the oldest state write whose rows are not written yet was committed; 0: none.</summary>
    private long _rowsPendingSince;

    /// <summary>True after a rebuild until its rows are written: the stored transitions are replaced, not appended to.</summary>
    private bool _rewriteTransitions;

    private TicketState Ticket => state.State;

    private string TicketId => this.GetPrimaryKeyString();

    private DurableDeadline Deadline => _deadline ??= new(this, ReminderName, ReminderPeriod, () => Execute(new CheckDeadlines()));

    private Instant? NextDeadline => Ticket.Sla?.NextDeadline()?.At;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _transitionsWritten = Ticket.AuditCount;
        if (Ticket.Sla is not null)
        {
            // Whatever fell due while the ticket was not active fires now, marked late (with its escalation's actions
            // applied in the same write). The outbox, including alerts a previous activation delivered but did not
            // drop yet, is delivered again just after activation: the escalation records each alert once, by its key.
            try
            {
                await Execute(new CheckDeadlines(), deliver: false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The escalation grain did not answer: nothing was written; the reminder tries again.
                logger.LogWarning(error, "Ticket {Ticket}: deadlines not checked at activation; will retry", TicketId);
            }

            DeliverSoon(TimeSpan.Zero);
        }
    }

    /// <inheritdoc />
    public Task<TicketResult> Create(NewTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (string.IsNullOrWhiteSpace(ticket.CustomerId) || string.IsNullOrWhiteSpace(ticket.Subject))
        {
            return Task.FromResult(Rejected("invalid-ticket", "A ticket needs a customer and a subject."));
        }

        return Execute(
            new OpenTicket(ticket.Priority, ticket.Targets, TicketStatus.New, ticket.Options),
            s =>
            {
                s.CustomerId = ticket.CustomerId;
                s.Subject = ticket.Subject.Trim();
                s.Requester = ticket.Requester;
                s.Team = ticket.Team;
                s.Assignee = ticket.Assignee;
            },
            // Opened for an incident: the link is the ticket's first desk event, so its audit and replay show it.
            desk: ticket.IncidentId is null ? null
                : (d, now) => TicketDesk.LinkIncident(d, ticket.IncidentId, now, ticket.Requester == OutageTickets.Requester ? OutageTickets.LinkReason : "opened for the incident"));
    }

    /// <inheritdoc />
    public async Task<TicketResult> LinkIncident(string? incidentId)
    {
        if (Ticket.Sla is null)
        {
            return NotFound();
        }

        return await Execute(new CheckDeadlines(), desk: (d, now) => TicketDesk.LinkIncident(d, incidentId, now, incidentId is null ? "unlinked" : "linked"));
    }

    /// <inheritdoc />
    public async Task<TicketResult> Assign(string? team, string? assignee)
    {
        if (Ticket.Sla is null)
        {
            return NotFound();
        }

        return await Execute(new CheckDeadlines(), desk: (d, now) => TicketDesk.Reassign(d, team, assignee, now));
    }

    /// <inheritdoc />
    public Task<TicketResult> ChangePriority(TicketPriority priority, TicketTargets targets) => Execute(new ChangePriority(priority, targets));

    /// <inheritdoc />
    public Task<TicketResult> ChangeTargets(TicketTargets targets, string reason) => Execute(new ChangeTargets(targets, reason));

    /// <inheritdoc />
    public Task<TicketResult> ChangeStatus(TicketStatus status) => Execute(new ChangeStatus(status));

    /// <inheritdoc />
    public Task<TicketResult> RecordAgentReply() => Execute(new RecordAgentReply());

    /// <inheritdoc />
    public Task<TicketResult> RecordCustomerReply() => Execute(new RecordCustomerReply());

    /// <inheritdoc />
    public Task<TicketResult> Resolve() => Execute(new ResolveTicket());

    /// <inheritdoc />
    public Task<TicketResult> Reopen() => Execute(new ReopenTicket());

    /// <inheritdoc />
    public Task<TicketResult> Close() => Execute(new CloseTicket());

    /// <inheritdoc />
    public async Task<ImmutableArray<SyncedEventResult>> Sync(TicketSyncBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if ((Ticket.Sla is not null || Ticket.Synced.Count > 0) && Ticket.Source != batch.Source)
        {
            return [.. batch.Events.Select(e => new SyncedEventResult(e.EventId, SyncOutcomes.Conflict, $"Ticket '{TicketId}' exists and did not come from '{batch.Source}'."))];
        }

        var outcomes = new SyncedEventResult?[batch.Events.Length];
        var known = Ticket.Synced.ToDictionary(e => e.EventId, StringComparer.Ordinal);
        var fresh = new List<SyncedTicketEvent>();
        for (var i = 0; i < batch.Events.Length; i++)
        {
            var e = batch.Events[i];
            if (known.TryGetValue(e.EventId, out var kept))
            {
                outcomes[i] = kept.Fingerprint == e.Fingerprint
                    ? new SyncedEventResult(e.EventId, SyncOutcomes.Replayed)
                    : new SyncedEventResult(e.EventId, SyncOutcomes.Conflict, $"Event '{e.EventId}' was received before with other content.");
            }
            else
            {
                known[e.EventId] = e;
                fresh.Add(e);
            }
        }

        if (fresh.Count == 0 && Ticket.SyncedApplied >= Ticket.Synced.Count)
        {
            return [.. outcomes.Select(o => o!)];
        }

        var applied = new Dictionary<string, SyncedEventResult>(StringComparer.Ordinal);
        try
        {
            // Applied events are never after the ticket's last event: anything earlier than it means replaying the lot.
            if (Ticket.Sla is { } sla && fresh.Any(e => e.At < sla.LastEventAt))
            {
                StartRebuild();
            }

            // A stable sort: the applied prefix (never after the fresh events, unless rebuilding) keeps its place.
            Ticket.Synced = [.. Ticket.Synced.Concat(fresh).OrderBy(e => e.At)];
            Ticket.Source = batch.Source;
            var hasCreated = Ticket.Synced.Any(e => e.Type == "created");

            // True while memory holds a change no write has stored yet (new events, a rebuild, a refused event passed over).
            var unwritten = true;
            while (hasCreated && Ticket.SyncedApplied < Ticket.Synced.Count)
            {
                var e = Ticket.Synced[Ticket.SyncedApplied];
                var etag = state.Etag;
                var rejection = await ApplySynced(e, new SyncStep(e.At, batch.ReceivedAt, batch.EscalatePast, Ticket.SyncedApplied + 1));
                unwritten = rejection is not null || state.Etag == etag;
                applied[e.EventId] = rejection is null
                    ? new SyncedEventResult(e.EventId, SyncOutcomes.Applied)
                    : new SyncedEventResult(e.EventId, SyncOutcomes.Rejected, rejection.Message);
            }

            if (Ticket.Sla is not null)
            {
                // What fell due between the last event and now: past ones recorded, not escalated; the rest fire live later.
                await Execute(new CheckDeadlines(), forceWrite: unwritten, sync: new SyncStep(time.Now(), batch.ReceivedAt, batch.EscalatePast, Ticket.SyncedApplied));
            }
            else if (unwritten)
            {
                // Nothing applied (no created event yet): the events are kept for when it comes.
                await GrainShell.CommitAsync(this, state, _ => { });
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Memory may be ahead of storage (a rebuild started, events added): the next call reads what is stored.
            DeactivateOnIdle();
            throw;
        }

        for (var i = 0; i < outcomes.Length; i++)
        {
            var id = batch.Events[i].EventId;
            outcomes[i] ??= applied.TryGetValue(id, out var result) ? result
                : new SyncedEventResult(id, SyncOutcomes.Pending, "Kept until the ticket's 'created' event arrives.");
        }

        return [.. outcomes.Select(o => o!)];
    }

    /// <summary>
    /// Forgets what the synced events made of the ticket, in memory (the next write stores it): the clocks, history and
    /// desk start again from the first synced event. Alerts already delivered stay delivered (the escalation grain
    /// de-duplicates by key); the read-model rows are rewritten from the new history.
    /// </summary>
    private void StartRebuild()
    {
        Ticket.Sla = null;
        Ticket.Events.Clear();
        Ticket.Audit.Clear();
        Ticket.Outbox.Clear();
        Ticket.Team = null;
        Ticket.Assignee = null;
        Ticket.EscalatedToManagement = false;
        Ticket.ResolvedAt = null;
        Ticket.ClosedAt = null;
        Ticket.SyncedApplied = 0;
        _transitionsWritten = 0;
        _rewriteTransitions = true;
    }

    /// <summary>One synced event as the ticket's command at the event's instant; marks it applied in the same write.</summary>
    private async Task<Rejection?> ApplySynced(SyncedTicketEvent e, SyncStep step)
    {
        void Applied(TicketState s) => s.SyncedApplied = step.AppliedThrough;
        if (Ticket.Sla is null && e.Type != "created")
        {
            Ticket.SyncedApplied = step.AppliedThrough;
            return new Rejection("before-created", $"Event '{e.EventId}' is dated before the ticket's 'created' event.");
        }

        var result = e.Type switch
        {
            "created" => await Execute(
                new OpenTicket(e.Priority ?? TicketPriority.P3, e.Targets!, e.Status ?? TicketStatus.New, e.Options),
                s =>
                {
                    s.CustomerId = e.CustomerId ?? string.Empty;
                    s.Subject = e.Subject ?? string.Empty;
                    s.Requester = Ticket.Source ?? string.Empty;
                    s.Team = e.Team;
                    s.Assignee = e.Assignee;
                    Applied(s);
                },
                sync: step),
            "status" when e.Status == TicketStatus.Resolved => await Execute(new ResolveTicket(), Applied, sync: step),
            "status" when e.Status == TicketStatus.Closed => await Execute(new CloseTicket(), Applied, sync: step),
            "status" when Ticket.Sla?.Status == TicketStatus.Resolved => await Reopened(e.Status!.Value),
            "status" => await Execute(new ChangeStatus(e.Status!.Value), Applied, sync: step),
            "priority" => await Execute(new ChangePriority(e.Priority!.Value, e.Targets!), Applied, sync: step),
            "agentReply" => await Execute(new RecordAgentReply(), Applied, sync: step),
            "customerReply" => await Execute(new RecordCustomerReply(), Applied, sync: step),
            "assigned" => await Execute(new CheckDeadlines(), Applied, (d, at) => TicketDesk.Reassign(d, e.Team, e.Assignee, at), sync: step),
            "resolved" => await Execute(new ResolveTicket(), Applied, sync: step),
            "reopened" => await Execute(new ReopenTicket(), Applied, sync: step),
            "closed" => await Execute(new CloseTicket(), Applied, sync: step),
            _ => new TicketResult(null, new Rejection("unknown-type", $"'{e.Type}' is not a ticket event type.")),
        };

        if (result.Rejection is not null && Ticket.SyncedApplied < step.AppliedThrough)
        {
            // Refused by the ticket's rules (e.g. a reply to a closed ticket): kept, passed over, stored with the next write.
            Ticket.SyncedApplied = step.AppliedThrough;
        }

        return result.Rejection;

        async Task<TicketResult> Reopened(TicketStatus to)
        {
            // A status other than resolved on a resolved ticket reopens it (then takes that status).
            var reopened = await Execute(new ReopenTicket(), Applied, sync: step);
            return reopened.Rejection is null && Ticket.Sla!.Status != to
                ? await Execute(new ChangeStatus(to), sync: step)
                : reopened;
        }
    }

    /// <summary>A synced event's step: decided at <paramref name="At"/>; alerts due before <paramref name="ReceivedAt"/> are past.</summary>
    private sealed record SyncStep(Instant At, Instant ReceivedAt, bool EscalatePast, int AppliedThrough);

    /// <inheritdoc />
    public Task<TicketResult> GetAt(Instant at)
    {
        if (Ticket.Sla is null)
        {
            return Task.FromResult(NotFound());
        }

        // A ticket written by an older version has no typed history from its opening: nothing to replay.
        var history = Ticket.Events;
        if (history.Count == 0 || history[0].Sla is not TicketOpened)
        {
            return Task.FromResult(Rejected("history-not-recorded", $"Ticket '{TicketId}' was recorded by an older version: only its current clocks are known."));
        }

        if (TicketReplay.SlaAt(history.Where(e => e.Sla is not null).Select(e => e.Sla!), at) is not { } sla)
        {
            return Task.FromResult(Rejected("before-ticket-opened", $"Ticket '{TicketId}' was opened at {Ticket.CreatedAt}, after {at}."));
        }

        var desk = TicketReplay.DeskAt(CurrentDesk, [.. history.Where(e => e.Desk is not null).Select(e => e.Desk!)], at);
        var audit = Ticket.AuditTrail.Where(a => a.At <= at);
        return Task.FromResult(new TicketResult(
            new TicketView(TicketId, Ticket.CustomerId, sla.Priority, sla.Status, Ticket.Subject, Ticket.Requester, desk.Team, desk.Assignee,
                desk.EscalatedToManagement, Ticket.CreatedAt, Clocks(sla, at, history.Where(e => e.Sla is not null && e.Sla.At <= at).Select(e => e.Sla!)), [.. audit], at, desk.IncidentId),
            null));
    }

    /// <inheritdoc />
    public Task<TicketView?> Get() => Task.FromResult(Ticket.Sla is null ? null : View(time.Now()));

    /// <inheritdoc />
    public async Task<bool> RefreshReadModel()
    {
        if (Ticket.Sla is null || state.Etag is null)
        {
            return false;
        }

        _transitionsWritten = 0;
        _rowsPending = true;
        await WriteRows(Summary(time.Now()));
        return !_rowsPending;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        // The reminder ticked: until re-registered it ticks again a period from now. Re-register it for the next
        // deadline when that is further away, so an idle ticket is not woken every period.
        Ticket.ReminderDueAt = Deadline.AfterTick(NextDeadline, time.Now());

        await Execute(new CheckDeadlines(), forceWrite: true);
    }

    /// <summary>
    /// One command, one write: decide at now; ask the escalation grain (read-only) for the actions of the rules each new
    /// warning or breach matches; apply the SLA events, those actions (reassign, escalate to management) and
    /// <paramref name="desk"/>'s change as events; write state, audit and outbox once; upsert the rows; deliver.
    /// </summary>
    /// <param name="command">The SLA command.</param>
    /// <param name="change">Sets the ticket's fields at creation (before anything else).</param>
    /// <param name="desk">A person's change to the team or assignee, decided after the escalation's actions.</param>
    /// <param name="forceWrite">Write even when nothing changed (the reminder's due instant moved).</param>
    /// <param name="deliver">Deliver the outbox in this call (false at activation: delivered just after).</param>
    /// <param name="sync">A synced event's step: decide at its instant; alerts due before the request are past (not escalated unless configured).</param>
    private async Task<TicketResult> Execute(
        TicketSlaCommand command,
        Action<TicketState>? change = null,
        Func<TicketDesk, Instant, ImmutableArray<TicketDeskEvent>>? desk = null,
        bool forceWrite = false,
        bool deliver = true,
        SyncStep? sync = null)
    {
        if (Ticket.Sla is null && command is not OpenTicket)
        {
            return NotFound();
        }

        // A synced event is decided at its own instant; the timers and reminders still run on the real clock.
        var clock = time.Now();
        var now = sync?.At ?? clock;
        var decision = TicketSla.Decide(Ticket.Sla, command, now);
        if (!decision.IsAccepted)
        {
            return new TicketResult(Ticket.Sla is null ? null : View(now), decision.Rejection);
        }

        var alerts = Alerts(decision.Events, decision.State!.Priority, now);
        if (sync is { EscalatePast: false })
        {
            // Fell due before the other system told us: recorded (in the history, dated when due), never escalated again.
            alerts.RemoveAll(a => a.DueAt < sync.ReceivedAt);
        }

        // Before anything changes, in memory or stored: a failure here leaves the ticket as it was (the caller, timer
        // or reminder retries). An opening ticket has no alerts yet, so what `change` sets is not needed before its write.
        var planned = await Plan(alerts);
        var deskEvents = DeskEvents(alerts, planned, desk, now);

        var changed = decision.Events.Count > 0 || change is not null || deskEvents.Count > 0 || forceWrite;
        if (changed)
        {
            // The reminder first (it only wakes the ticket, harmlessly if the write then fails), then one write.
            var reminderDue = await Deadline.ArmReminder(decision.State!.NextDeadline()?.At, Ticket.ReminderDueAt, clock);
            await GrainShell.CommitAsync(this, state, ticket =>
            {
                var before = ticket.Sla?.Status;
                change?.Invoke(ticket);
                ticket.Sla = decision.State;
                if (command is OpenTicket)
                {
                    ticket.CreatedAt = decision.State!.OpenedAt;
                }

                RecordStatusTimes(before, decision.State!.Status, now);
                Record(decision.Events, now);
                Record(deskEvents, now);

                // Alerts already handed over are dropped now, in this write, rather than by a write of their own.
                _outbox.DropDelivered(ticket.Outbox);
                ticket.Outbox.AddRange(alerts);
                ticket.ReminderDueAt = reminderDue;
            });
            _rowsPending = true;
            if (_rowsPendingSince == 0)
            {
                _rowsPendingSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            foreach (var alert in alerts)
            {
                SlaMetrics.ClockThreshold(alert);
            }

            var summary = Summary(clock);
            await WriteRows(summary);
            notifications.Publish(new TicketChanged(clock, summary));
        }

        if (deliver)
        {
            await DeliverOutbox();
        }

        var view = View(now);

        // A distant deadline needs no timer: the reminder is due at the deadline itself and its tick re-arms a
        // precise timer. Fewer objects per open ticket; precision where it matters, close to the deadline.
        Deadline.ArmTimer(NextDeadline, clock, TimerHorizon, clampToHorizon: false);
        return new TicketResult(view, null);
    }

    /// <summary>The alerts of the warnings and breaches among <paramref name="events"/>, with the team and assignee before any action.</summary>
    private List<SlaAlert> Alerts(IReadOnlyList<TicketSlaEvent> events, TicketPriority priority, Instant now)
    {
        var alerts = new List<SlaAlert>();
        foreach (var e in events)
        {
            var threshold = e switch
            {
                ClockWarned w => (w.Metric, w.Percent, w.Cycle),
                ClockBreached b => (b.Metric, 100, b.Cycle),
                _ => ((SlaMetric, int, int)?)null,
            };
            if (threshold is var (metric, percent, cycle))
            {
                alerts.Add(new SlaAlert(TicketId, Ticket.CustomerId, metric, percent, cycle, e.At, now, priority, Ticket.Team, Ticket.Assignee));
            }
        }

        return alerts;
    }

    /// <summary>The actions of the customer's rules for each alert (read-only calls; the escalation never calls back).</summary>
    private async Task<List<ImmutableArray<EscalationActionTriggered>>> Plan(List<SlaAlert> alerts)
    {
        var planned = new List<ImmutableArray<EscalationActionTriggered>>(alerts.Count);
        foreach (var alert in alerts)
        {
            planned.Add(await GrainFactory.GetGrain<IEscalationGrain>(alert.CustomerId).Plan(alert));
        }

        return planned;
    }

    /// <summary>The desk events: each alert's actions (dated when it fell due), then a person's change at now.</summary>
    private List<TicketDeskEvent> DeskEvents(List<SlaAlert> alerts, List<ImmutableArray<EscalationActionTriggered>> planned, Func<TicketDesk, Instant, ImmutableArray<TicketDeskEvent>>? change, Instant now)
    {
        var events = new List<TicketDeskEvent>();
        var desk = CurrentDesk;
        for (var i = 0; i < alerts.Count; i++)
        {
            foreach (var e in TicketDesk.Decide(desk, planned[i], alerts[i].DueAt))
            {
                events.Add(e);
                desk = TicketDesk.Apply(desk, e);
            }
        }

        foreach (var e in change?.Invoke(desk, now) ?? [])
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Every SLA event into the typed history (its audit entry is derived from it).</summary>
    private void Record(IReadOnlyList<TicketSlaEvent> events, Instant now)
    {
        foreach (var e in events)
        {
            // A threshold is reached by the clock itself, whoever's call noticed it.
            var by = e is ClockWarned or ClockBreached ? AuditActor.SlaClock : AuditActor.Current();
            Ticket.Events.Add(new RecordedTicketEvent(e, null, now, by));
        }
    }

    /// <summary>Applies the desk events to the ticket's fields, each into the typed history.</summary>
    private void Record(List<TicketDeskEvent> events, Instant now)
    {
        var desk = CurrentDesk;
        foreach (var e in events)
        {
            desk = TicketDesk.Apply(desk, e);
            var by = e is TicketEscalatedToManagement or TicketReassigned { RuleId: not null } ? AuditActor.Current("escalation-rule") : AuditActor.Current();
            Ticket.Events.Add(new RecordedTicketEvent(null, e, now, by));
        }

        (Ticket.Team, Ticket.Assignee, Ticket.EscalatedToManagement, Ticket.IncidentId) = (desk.Team, desk.Assignee, desk.EscalatedToManagement, desk.IncidentId);
    }

    /// <summary>
    /// Hands pending alerts to the customer's escalation grain and marks them delivered in memory; the next write drops
    /// them (no write of its own). Failures stay pending and are retried shortly; after a restart every alert still in
    /// the stored outbox is delivered again, and the escalation records each alert once (by <see cref="SlaAlert.Key"/>).
    /// </summary>
    private async Task DeliverOutbox()
    {
        if (!_outbox.HasPending(Ticket.Outbox))
        {
            return;
        }

        var done = await _outbox.DeliverAsync(
            Ticket.Outbox,
            async alert =>
            {
                await GrainFactory.GetGrain<IEscalationGrain>(alert.CustomerId).Raise(alert);
                notifications.Publish(new TicketAlerted(alert.RecordedAt, alert));
            },
            (alert, error) => logger.LogWarning(error, "Ticket {Ticket}: alert {Alert} not delivered yet; will retry", TicketId, alert.Key));
        if (!done)
        {
            DeliverSoon(OutboxRetry);
        }
    }

    /// <summary>When the ticket was resolved and closed, from the status change the command made.</summary>
    private void RecordStatusTimes(TicketStatus? before, TicketStatus after, Instant now)
    {
        if (after == before)
        {
            return;
        }

        Ticket.ResolvedAt = after switch
        {
            TicketStatus.Resolved => now,
            TicketStatus.Closed => Ticket.ResolvedAt,
            _ => null,
        };
        if (after == TicketStatus.Closed)
        {
            Ticket.ClosedAt = now;
        }
    }

    /// <summary>
    /// Upserts the committed state's rows: the ticket row at its state version and the audit entries not yet written.
    /// At least once: a failure is logged and retried shortly; the upserts are idempotent by version and sequence.
    /// </summary>
    private async Task WriteRows(TicketSummary summary)
    {
        if (!_rowsPending)
        {
            return;
        }

        var from = Math.Max(0, _transitionsWritten);
        var transitions = Ticket.AuditTrail.Skip(from).Select((entry, i) => new ClockTransition(TicketId, Ticket.CustomerId, from + i, entry)).ToList();

        try
        {
            await readModel.WriteAsync(new ReadModelBatch([summary], transitions)
            {
                TransitionsRewritten = _rewriteTransitions ? [new TransitionsRewrite(TicketId, Ticket.AuditCount)] : [],
            });
            _rewriteTransitions = false;
            _transitionsWritten = Ticket.AuditCount;
            _rowsPending = false;
            if (_rowsPendingSince != 0)
            {
                SlaMetrics.RowsWritten("ticket", System.Diagnostics.Stopwatch.GetElapsedTime(_rowsPendingSince));
                _rowsPendingSince = 0;
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Ticket {Ticket}: read-model rows not written yet; will retry", TicketId);
            DeliverSoon(OutboxRetry);
        }
    }

    /// <summary>Every pending delivery (alerts, rows) after <paramref name="delay"/>, on a one-shot timer.</summary>
    private void DeliverSoon(TimeSpan delay)
        => (_retry ??= new(this, async () =>
        {
            await DeliverOutbox();
            if (Ticket.Sla is not null && _rowsPending)
            {
                await WriteRows(Summary(time.Now()));
            }
        })).After(delay);

    /// <summary>The desk as the state holds it: team, assignee, escalation flag, incident link.</summary>
    private TicketDesk CurrentDesk => new(Ticket.Team, Ticket.Assignee, Ticket.EscalatedToManagement, Ticket.IncidentId);

    private TicketView View(Instant now)
    {
        var sla = Ticket.Sla!;
        return new TicketView(
            TicketId, Ticket.CustomerId, sla.Priority, sla.Status, Ticket.Subject, Ticket.Requester, Ticket.Team, Ticket.Assignee,
            Ticket.EscalatedToManagement, Ticket.CreatedAt, Clocks(sla, now, Ticket.Events.Where(e => e.Sla is not null).Select(e => e.Sla!)), [.. Ticket.AuditTrail], now,
            Ticket.IncidentId);
    }

    /// <summary>The row lists show, at the committed state's version.</summary>
    private TicketSummary Summary(Instant now)
    {
        var sla = Ticket.Sla!;
        return new TicketSummary(
            TicketId, Ticket.CustomerId, sla.Priority, sla.Status, Ticket.Subject, Ticket.Requester, Ticket.Team, Ticket.Assignee,
            Ticket.EscalatedToManagement, Ticket.CreatedAt, Ticket.ResolvedAt, Ticket.ClosedAt, Clocks(sla, now), now, StateVersion.Of(state, $"Ticket '{TicketId}'"),
            Ticket.IncidentId);
    }

    /// <summary>Each clock of <paramref name="sla"/> at <paramref name="now"/>, in metric order (with its milestones when <paramref name="history"/> is given).</summary>
    private static ImmutableArray<ClockView> Clocks(TicketSla sla, Instant now, IEnumerable<TicketSlaEvent>? history = null)
    {
        var events = history?.ToList();
        return [.. sla.Clocks.OrderBy(c => c.Metric).Select(c =>
        {
            var next = c.NextThreshold();
            var milestones = events is null ? null : ClockMilestones.Of(c, events);
            return new ClockView(c.Metric, c.Cycle, c.State, c.Target, c.ElapsedAt(now), c.RemainingAt(now), c.BreachAt(), next?.At, next?.Percent, c.AtRiskAt(),
                milestones?.DueAt, milestones?.MetAt, milestones?.BreachedAt);
        })];
    }

    private TicketResult NotFound() => Rejected("ticket-not-found", $"Ticket '{TicketId}' does not exist.");

    private static TicketResult Rejected(string code, string message) => new(null, new Rejection(code, message));
}
