using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Grains;

/// <summary>A silo's receiving end of the cluster-wide notification fan-out.</summary>
public interface INotificationObserver : IGrainObserver
{
    /// <summary>A batch of notifications published anywhere in the cluster.</summary>
    [OneWay]
    Task Deliver(ImmutableArray<SlaNotification> batch);
}

/// <summary>
/// The cluster-wide fan-out point: every silo's hub registers an observer here and sends its batches here; each batch
/// goes to every registered silo. Registrations expire unless renewed, so a dead silo drops out by itself.
/// </summary>
public interface INotificationBroadcastGrain : IGrainWithIntegerKey
{
    /// <summary>Registers (or renews) a silo's observer.</summary>
    Task Subscribe(INotificationObserver observer);

    /// <summary>Hands a batch to every registered silo (one-way; a slow or dead silo does not hold others up).</summary>
    Task Publish(ImmutableArray<SlaNotification> batch);
}

/// <inheritdoc cref="INotificationBroadcastGrain" />
/// <remarks>Kept alive: its registrations live in memory, so idle collection would silence silos until they renew.</remarks>
[Reentrant]
[KeepAlive]
public sealed class NotificationBroadcastGrain(ILogger<NotificationBroadcastGrain> logger) : Grain, INotificationBroadcastGrain
{
    /// <summary>How long a silo's registration lasts without renewal.</summary>
    internal static readonly TimeSpan RegistrationLifetime = TimeSpan.FromSeconds(90);

    private readonly ObserverManager<INotificationObserver> _silos = new(RegistrationLifetime, logger);

    /// <inheritdoc />
    public Task Subscribe(INotificationObserver observer)
    {
        _silos.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Publish(ImmutableArray<SlaNotification> batch)
    {
        _silos.Notify(silo => silo.Deliver(batch));
        return Task.CompletedTask;
    }
}
