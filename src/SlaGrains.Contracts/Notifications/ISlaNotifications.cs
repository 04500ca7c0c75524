namespace SlaGrains.Contracts.Notifications;

/// <summary>
/// Where grains publish what people should see, and where the host listens. Publishing never blocks a grain on a
/// slow listener: each subscriber has its own bounded queue.
/// </summary>
public interface ISlaNotifications
{
    /// <summary>Hands <paramref name="notification"/> to every current subscriber.</summary>
    void Publish(SlaNotification notification);

    /// <summary>Notifications published from now on, until <paramref name="cancellationToken"/> is cancelled.</summary>
    IAsyncEnumerable<SlaNotification> Subscribe(CancellationToken cancellationToken);
}
