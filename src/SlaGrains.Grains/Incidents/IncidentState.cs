using SlaGrains.Contracts.Incidents;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Grains.Incidents;

/// <summary>
/// An incident's durable timeline (see <see cref="IncidentGrain"/>): everything its decisions need — the manual
/// incident, the updates (numbering, resolved or not) — and the webhook outbox. What start-up and a rebuild write again
/// to <c>incident_updates</c> and <c>manual_incidents</c>.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.incident-state")]
public sealed class IncidentState
{
    /// <summary>The incident's customer; null until the first command was accepted.</summary>
    [Id(0)]
    public string? CustomerId { get; set; }

    /// <summary>The monitor whose outage it is; null for a manual incident.</summary>
    [Id(1)]
    public string? MonitorId { get; set; }

    /// <summary>The manual incident; null for a monitor's.</summary>
    [Id(2)]
    public ManualIncidentView? Manual { get; set; }

    /// <summary>The updates, oldest first.</summary>
    [Id(3)]
    public List<IncidentUpdateView> Updates { get; set; } = [];

    /// <summary>Webhook events written with the update that caused them and not yet queued by the webhook grain.</summary>
    [Id(4)]
    public List<WebhookEvent> WebhooksPending { get; set; } = [];

    /// <summary>Notices for the customer's status page subscribers written with the update that caused them and not yet handed over.</summary>
    [Id(5)]
    public List<Contracts.Subscribers.SubscriberNotice> SubscribersPending { get; set; } = [];

    /// <summary>The domain's timeline; null before the first command.</summary>
    public IncidentTimeline? ToDomain() => CustomerId is null
        ? null
        : new IncidentTimeline(CustomerId, MonitorId, Manual?.ToDomain(), [.. Updates.Select(u => u.ToDomain())]);

    /// <summary>Stores the domain's timeline as decided.</summary>
    public void Store(string incidentId, IncidentTimeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        CustomerId = timeline.CustomerId;
        MonitorId = timeline.MonitorId;
        Manual = timeline.Manual is { } manual ? ManualIncidentView.From(incidentId, timeline.CustomerId, manual) : null;
        Updates = [.. timeline.Updates.Select(u => IncidentUpdateView.From(incidentId, timeline.CustomerId, u))];
    }

    /// <summary>The view callers get, updates newest first; null before the first command.</summary>
    public IncidentTimelineView? View(string incidentId)
        => CustomerId is null ? null : new IncidentTimelineView(incidentId, CustomerId, MonitorId, Manual, [.. Updates.AsEnumerable().Reverse()]);
}
