using System.Runtime.CompilerServices;
using System.Threading.Channels;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Grains;

/// <summary>
/// The in-silo <see cref="ISlaNotifications"/>: one bounded channel per subscriber; when a subscriber falls
/// 10,000 notifications behind, its oldest are dropped (a live view catches up from a refetch, grains never wait).
/// </summary>
public sealed class SlaNotificationHub : ISlaNotifications
{
    private const int Capacity = 10_000;
    private readonly Lock _gate = new();
    private readonly List<Channel<SlaNotification>> _subscribers = [];

    /// <inheritdoc />
    public void Publish(SlaNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Channel<SlaNotification>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Writer.TryWrite(notification);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SlaNotification> Subscribe([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<SlaNotification>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var notification in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return notification;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
