using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Grains;

/// <summary>
/// The local half of the cluster-wide notification feed, shared by a silo's <see cref="SlaNotificationHub"/> and a
/// front-end's <see cref="SlaNotificationClient"/>: each local subscriber has its own bounded queue (10,000; the oldest
/// dropped when it falls behind — a live view catches up with a refetch), and a delivered batch is copied into every
/// queue without waiting.
/// </summary>
public sealed class LocalNotificationFanOut
{
    private const int SubscriberCapacity = 10_000;

    private readonly Lock _gate = new();
    private readonly List<Channel<SlaNotification>> _subscribers = [];

    /// <summary>Notifications delivered from now on, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async IAsyncEnumerable<SlaNotification> Subscribe([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<SlaNotification>(new BoundedChannelOptions(SubscriberCapacity)
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

    /// <summary>Copies <paramref name="batch"/> into every current subscriber's queue.</summary>
    public void Deliver(ImmutableArray<SlaNotification> batch)
    {
        Channel<SlaNotification>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            foreach (var notification in batch)
            {
                subscriber.Writer.TryWrite(notification);
            }
        }
    }
}
