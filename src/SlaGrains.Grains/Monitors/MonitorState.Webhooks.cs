using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Grains.Monitors;

/// <summary>The monitor's webhook outbox (see <see cref="MonitorWebhooks"/>).</summary>
public sealed partial class MonitorState
{
    /// <summary>
    /// Webhook events written with the change that caused them and not yet queued by the webhook grain. Its id is
    /// far from the others' so that fields added to the monitor elsewhere do not collide with it.
    /// </summary>
    [Id(50)]
    public List<WebhookEvent> WebhooksPending { get; set; } = [];
}
