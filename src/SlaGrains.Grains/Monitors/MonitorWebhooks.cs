using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Grains.Shell;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Monitors;

/// <summary>
/// A monitor's webhook events (<c>incident.opened</c>, <c>incident.resolved</c>, <c>maintenance.announced</c>, <c>budget.burn</c>), at
/// least once: they are added to <see cref="MonitorState.WebhooksPending"/> in the monitor's write and handed to the
/// customer's <see cref="IWebhookGrain"/> after it through the shared <see cref="Outbox{T}"/>; a failure keeps them
/// pending and is retried shortly, at the next command and at activation. Handed events cost no write of their own:
/// the monitor's next write drops them (<see cref="DropDelivered"/>); after a restart the events still stored are
/// handed again and the webhook grain de-duplicates them by event id.
/// </summary>
internal sealed class MonitorWebhooks(Grain grain, IGrainFactory grains, IPersistentState<MonitorState> state, ILogger logger)
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);
    private readonly Outbox<WebhookEvent> _outbox = new(e => e.EventId);
    private RetrySoon? _retry;

    /// <summary>Queues the incidents that opened and resolved (call before the write).</summary>
    public void Incidents(IReadOnlyList<IncidentView> opened, IReadOnlyList<IncidentView> resolved)
    {
        var component = state.State.Settings?.ComponentName ?? string.Empty;
        state.State.WebhooksPending.AddRange(opened.Select(i => WebhookPayloads.Incident(i, component, resolved: false)));
        state.State.WebhooksPending.AddRange(resolved.Select(i => WebhookPayloads.Incident(i, component, resolved: true)));
    }

    /// <summary>Queues an announced maintenance window (call before the write).</summary>
    public void Announced(MaintenanceView window, string monitorId)
    {
        var settings = state.State.Settings!;
        state.State.WebhooksPending.Add(WebhookPayloads.MaintenanceAnnounced(window, monitorId, settings.CustomerId, settings.ComponentName));
    }

    /// <summary>Queues a burn-rate alert's start or stop as <c>budget.burn</c> (call before the write).</summary>
    public void BudgetBurn(BudgetAlertView alert) => state.State.WebhooksPending.Add(WebhookPayloads.BudgetBurn(alert));

    /// <summary>Hands what is pending to the webhook grain (call after the write); no write of its own.</summary>
    public async Task DeliverAsync()
    {
        if (!_outbox.HasPending(state.State.WebhooksPending))
        {
            return;
        }

        await _outbox.DeliverAsync(
            state.State.WebhooksPending,
            Hand,
            (e, error) =>
            {
                logger.LogWarning(error, "Webhook event {Event} not queued yet; will retry", e.EventId);
                DeliverSoon(Retry);
            });
    }

    /// <summary>
    /// Hands one event to the customer's webhooks; an announced window also to the status page's subscribers of its
    /// component (<c>maintenance-announced:{monitor}/{maintenance}</c>) and to the customer's contacts. Every mail id is
    /// derived from the window and the recipient, so a retry after a failed hand-over queues nothing twice and the
    /// announcement mail rides on this outbox's retries. A window cancelled meanwhile is not mailed to contacts.
    /// </summary>
    private async Task Hand(WebhookEvent e)
    {
        if (e.Type == WebhookEventTypes.IncidentOpened)
        {
            // Issue 20 — incidents linked to tickets: the outage's P1 ticket, when the component asks for one, rides on this
            // outbox's retries (its id is the incident's, so a retry opens nothing twice), before the webhook is handed over.
            var data = System.Text.Json.Nodes.JsonNode.Parse(e.Data)!;
            await Tickets.OutageTicketOpener.OpenAsync(
                grains, e.CustomerId, data["monitorId"]!.GetValue<string>(), data["incidentId"]!.GetValue<string>(), data["component"]?.GetValue<string>(), logger);
        }

        var prefix = WebhookEventTypes.MaintenanceAnnounced + "/";
        if (e.Type == WebhookEventTypes.MaintenanceAnnounced)
        {
            var data = System.Text.Json.Nodes.JsonNode.Parse(e.Data)!;
            var monitorId = data["monitorId"]!.GetValue<string>();
            var description = data["description"]?.GetValue<string>() ?? string.Empty;
            await grains.GetGrain<SlaGrains.Contracts.Subscribers.IStatusSubscribersGrain>(e.CustomerId).Notify(new SlaGrains.Contracts.Subscribers.SubscriberNotice(
                $"maintenance-announced:{monitorId}/{data["maintenanceId"]!.GetValue<string>()}",
                SlaGrains.Contracts.Subscribers.SubscriberNoticeKind.MaintenanceAnnounced,
                e.CustomerId,
                [monitorId],
                null,
                null,
                description.Length > 0 ? description : "Maintenance is planned.",
                e.OccurredAt,
                NodaTime.Text.InstantPattern.ExtendedIso.Parse(data["start"]!.GetValue<string>()).GetValueOrThrow(),
                NodaTime.Text.InstantPattern.ExtendedIso.Parse(data["end"]!.GetValue<string>()).GetValueOrThrow()));
        }

        await grains.GetGrain<IWebhookGrain>(e.CustomerId).Publish(e);
        if (e.Type == WebhookEventTypes.MaintenanceAnnounced && e.EventId.StartsWith(prefix, StringComparison.Ordinal)
            && state.State.Maintenance.Find(m => m.MaintenanceId == e.EventId[prefix.Length..]) is { } window)
        {
            var monitorId = grain.GetPrimaryKeyString();
            var component = state.State.Settings?.ComponentName is { Length: > 0 } name ? name : monitorId;
            await grains.GetGrain<ICustomerContactsGrain>(e.CustomerId).AnnounceMaintenance(new MaintenanceAnnouncement(monitorId, component, window));
        }
    }

    /// <summary>Drops the events already handed over from <paramref name="monitor"/>; called inside every monitor write.</summary>
    public void DropDelivered(MonitorState monitor) => _outbox.DropDelivered(monitor.WebhooksPending);

    /// <summary>Delivers what is pending after <paramref name="delay"/> (none pending: nothing).</summary>
    public void DeliverSoon(TimeSpan delay)
    {
        if (_outbox.HasPending(state.State.WebhooksPending))
        {
            (_retry ??= new(grain, DeliverAsync)).After(delay);
        }
    }
}
