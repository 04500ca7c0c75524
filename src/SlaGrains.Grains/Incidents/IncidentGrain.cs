using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Incidents;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Subscribers;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Monitors;
using SlaGrains.Grains.Shell;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Incidents;

/// <summary>
/// One incident's timeline: a thin shell around the domain's <see cref="IncidentTimeline"/>. Each command: the timeline
/// from state → <see cref="IncidentTimeline.Decide"/> at now → store it with the <c>incident.updated</c> webhook in the
/// outbox, in one write → its rows (<c>incident_updates</c>, <c>manual_incidents</c>) → publish
/// <see cref="IncidentUpdated"/> → hand the webhook over → reply.
/// </summary>
/// <remarks>
/// The rows are written before the reply, so a 2xx means the update is in the state and in the table. A row write that
/// fails is retried shortly and at the next activation (idempotent: updates are inserted once, the manual incident's row
/// replaced only by a higher version); a crash between the state write and the rows is repaired when the grain next
/// activates.
/// </remarks>
public sealed class IncidentGrain(
    [PersistentState("incident")] IPersistentState<IncidentState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ISlaNotifications notifications,
    IReadModelWriter readModel,
    ILogger<IncidentGrain> logger) : Grain, IIncidentGrain
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);

    private readonly Outbox<WebhookEvent> _outbox = new(e => e.EventId);
    private readonly Outbox<SubscriberNotice> _notices = new(n => n.NoticeId);
    private RetrySoon? _retryRows;
    private RetrySoon? _retryWebhooks;
    private RetrySoon? _notifySubscribers;
    private bool _rowsPending;

    private string IncidentId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.CustomerId is not null)
        {
            // Rows a crash may have lost after the state write, and webhooks not yet handed over.
            _rowsPending = true;
            await WriteRowsAsync();
            await DeliverAsync();
            NotifySubscribersSoon(TimeSpan.Zero);
        }
    }

    /// <inheritdoc />
    public Task<IncidentTimelineResult> OpenManual(ManualIncidentOpening opening)
    {
        ArgumentNullException.ThrowIfNull(opening);
        return Run(new OpenManualIncident(opening.CustomerId, opening.Title, opening.Components.IsDefault ? [] : opening.Components, opening.Impact, opening.Status, opening.Message, opening.By));
    }

    /// <inheritdoc />
    public Task<IncidentTimelineResult> PostUpdate(IncidentUpdatePosting posting)
    {
        ArgumentNullException.ThrowIfNull(posting);
        return Run(new PostIncidentUpdate(posting.CustomerId, posting.MonitorId, posting.Status, posting.Message, posting.By));
    }

    /// <inheritdoc />
    public Task<IncidentTimelineView?> Get() => Task.FromResult(state.State.View(IncidentId));

    private async Task<IncidentTimelineResult> Run(IncidentTimelineCommand command)
    {
        var now = time.Now();
        var decision = IncidentTimeline.Decide(state.State.ToDomain(), command, now);
        if (!decision.IsAccepted)
        {
            return new IncidentTimelineResult(state.State.View(IncidentId), decision.Rejection);
        }

        await GrainShell.CommitAsync(this, state, s =>
        {
            _outbox.DropDelivered(s.WebhooksPending);
            _notices.DropDelivered(s.SubscribersPending);
            s.Store(IncidentId, decision.State!);
            s.WebhooksPending.AddRange(decision.Events.OfType<IncidentUpdatePosted>().Select(p => Webhook(s, p.Update)));
            s.SubscribersPending.AddRange(decision.Events.OfType<IncidentUpdatePosted>().Select(p => Notice(s, p.Update)));
        });

        _rowsPending = true;
        await WriteRowsAsync();
        foreach (var posted in decision.Events.OfType<IncidentUpdatePosted>())
        {
            notifications.Publish(new IncidentUpdated(posted.Update.At, IncidentUpdateView.From(IncidentId, state.State.CustomerId!, posted.Update), state.State.MonitorId, state.State.Manual));
        }

        await DeliverAsync();

        // The fan-out to thousands of subscribers runs after the reply (a grain timer turn), not in the staff's request.
        NotifySubscribersSoon(TimeSpan.Zero);
        return new IncidentTimelineResult(state.State.View(IncidentId), null);
    }

    private void NotifySubscribersSoon(TimeSpan delay)
    {
        if (_notices.HasPending(state.State.SubscribersPending))
        {
            (_notifySubscribers ??= new(this, NotifySubscribersAsync)).After(delay);
        }
    }

    /// <summary>Hands the pending notices to the customer's subscribers grain (idempotent by message id); on failure retried shortly.</summary>
    private Task NotifySubscribersAsync()
        => _notices.DeliverAsync(
            state.State.SubscribersPending,
            n => GrainFactory.GetGrain<IStatusSubscribersGrain>(n.CustomerId).Notify(n),
            (n, error) =>
            {
                logger.LogWarning(error, "Subscriber notice {Notice} not queued yet; will retry", n.NoticeId);
                NotifySubscribersSoon(Retry);
            });

    /// <summary>What the page's subscribers are told: <c>incident-update:{incident}/{sequence}</c> for the incident's components.</summary>
    private SubscriberNotice Notice(IncidentState s, IncidentUpdate update) => new(
        $"incident-update:{IncidentId}/{update.Sequence}",
        SubscriberNoticeKind.IncidentUpdate,
        s.CustomerId!,
        s.Manual is { } manual ? manual.Components : s.MonitorId is { } monitor ? [monitor] : [],
        s.Manual?.Title,
        JsonNamingPolicy.CamelCase.ConvertName(update.Status.ToString()),
        update.Message,
        update.At);

    /// <summary>Every row the state gives, at its version (idempotent); on failure retried shortly.</summary>
    private async Task WriteRowsAsync()
    {
        if (!_rowsPending || state.Etag is null || state.State.CustomerId is null)
        {
            return;
        }

        var version = StateVersion.Of(state, $"Incident '{IncidentId}'");
        var batch = new ReadModelBatch([], [])
        {
            IncidentUpdates = [.. state.State.Updates],
            ManualIncidents = state.State.Manual is { } manual ? [new ManualIncidentRow(manual, version)] : [],
        };
        try
        {
            await readModel.WriteAsync(batch);
            _rowsPending = false;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Incident {Incident}: rows not written yet; will retry", IncidentId);
            (_retryRows ??= new(this, WriteRowsAsync)).After(Retry);
        }
    }

    /// <summary>Hands the pending webhook events to the customer's webhook grain (it de-duplicates by event id).</summary>
    private async Task DeliverAsync()
    {
        if (!_outbox.HasPending(state.State.WebhooksPending))
        {
            return;
        }

        await _outbox.DeliverAsync(
            state.State.WebhooksPending,
            e => GrainFactory.GetGrain<IWebhookGrain>(e.CustomerId).Publish(e),
            (e, error) =>
            {
                logger.LogWarning(error, "Webhook event {Event} not queued yet; will retry", e.EventId);
                (_retryWebhooks ??= new(this, DeliverAsync)).After(Retry);
            });
    }

    /// <summary><c>incident.updated</c>: the update with its incident (the manual incident's title, impact and components).</summary>
    private WebhookEvent Webhook(IncidentState s, IncidentUpdate update)
    {
        var data = new JsonObject
        {
            ["incidentId"] = IncidentId,
            ["kind"] = s.Manual is null ? "monitor" : "manual",
            ["monitorId"] = s.MonitorId,
            ["sequence"] = update.Sequence,
            ["status"] = JsonNamingPolicy.CamelCase.ConvertName(update.Status.ToString()),
            ["message"] = update.Message,
            ["postedAt"] = WebhookPayloads.Time(update.At),
        };
        if (s.Manual is { } manual)
        {
            data["title"] = manual.Title;
            data["impact"] = JsonNamingPolicy.CamelCase.ConvertName(manual.Impact.ToString());
            data["components"] = new JsonArray([.. manual.Components.Select(c => (JsonNode?)JsonValue.Create(c))]);
            data["resolvedAt"] = manual.ResolvedAt is { } resolved ? WebhookPayloads.Time(resolved) : null;
        }

        return new WebhookEvent($"{WebhookEventTypes.IncidentUpdated}/{IncidentId}/{update.Sequence}", WebhookEventTypes.IncidentUpdated, s.CustomerId!, update.At, data.ToJsonString());
    }
}
