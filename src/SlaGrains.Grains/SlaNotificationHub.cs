using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Grains;

/// <summary>
/// The silo's <see cref="ISlaNotifications"/>, cluster-wide: what grains on any silo publish reaches the subscribers
/// on every silo. Publishing enqueues and returns at once; a pump coalesces bursts (up to 256 notifications or
/// 5 ms) into one batch sent to <see cref="INotificationBroadcastGrain"/>, which hands it to every silo's (and every
/// front-end client's) observer; <see cref="LocalNotificationFanOut"/> copies it to the local subscribers, each with
/// its own bounded queue (grains never wait). Notifications are for watching, not a durable log.
/// </summary>
public sealed class SlaNotificationHub(IGrainFactory grains, IClusterMembershipService membership, ILogger<SlaNotificationHub> logger)
    : ISlaNotifications, INotificationObserver, ILifecycleParticipant<ISiloLifecycle>
{
    private const int BatchLimit = 256;
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(30);

    private readonly LocalNotificationFanOut _local = new();
    private readonly Channel<SlaNotification> _outgoing = Channel.CreateBounded<SlaNotification>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly CancellationTokenSource _stopping = new();
    private INotificationObserver? _self;
    private Task _pump = Task.CompletedTask;
    private Task _renewing = Task.CompletedTask;

    /// <inheritdoc />
    public void Publish(SlaNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        _outgoing.Writer.TryWrite(notification);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<SlaNotification> Subscribe(CancellationToken cancellationToken) => _local.Subscribe(cancellationToken);

    /// <inheritdoc />
    public Task Deliver(ImmutableArray<SlaNotification> batch)
    {
        _local.Deliver(batch);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(SlaNotificationHub), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _self = grains.CreateObjectReference<INotificationObserver>(this);
        await Broadcast.Subscribe(_self);
        _renewing = RenewAsync(_stopping.Token);
        _pump = PumpAsync(_stopping.Token);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_pump, _renewing).ContinueWith(_ => { }, TaskScheduler.Default);
        if (_self is not null)
        {
            grains.DeleteObjectReference<INotificationObserver>(_self);
        }
    }

    private INotificationBroadcastGrain Broadcast => grains.GetGrain<INotificationBroadcastGrain>(0);

    /// <summary>
    /// Renews the registration periodically, and at once whenever the cluster's membership changes: the broadcast
    /// grain may have lived on a silo that just died and come back empty elsewhere.
    /// </summary>
    private async Task RenewAsync(CancellationToken stopping)
    {
        var changes = membership.MembershipUpdates.GetAsyncEnumerator(stopping);
        var nextChange = changes.MoveNextAsync().AsTask();
        using var timer = new PeriodicTimer(Renewal);
        var nextTick = timer.WaitForNextTickAsync(stopping).AsTask();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var fired = await Task.WhenAny(nextChange, nextTick);
                if (fired == nextChange)
                {
                    if (!await nextChange)
                    {
                        return;
                    }

                    nextChange = changes.MoveNextAsync().AsTask();
                }
                else
                {
                    await nextTick;
                    nextTick = timer.WaitForNextTickAsync(stopping).AsTask();
                }

                try
                {
                    await Broadcast.Subscribe(_self!);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Renewing this silo's notification subscription failed; will retry");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await changes.DisposeAsync();
        }
    }

    private async Task PumpAsync(CancellationToken stopping)
    {
        var reader = _outgoing.Reader;
        var batch = ImmutableArray.CreateBuilder<SlaNotification>(BatchLimit);
        while (await reader.WaitToReadAsync(stopping))
        {
            // Coalesce a burst: whatever arrives within the window, up to the limit, travels as one batch.
            using var window = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            window.CancelAfter(BatchWindow);
            try
            {
                while (batch.Count < BatchLimit && await reader.WaitToReadAsync(window.Token))
                {
                    while (batch.Count < BatchLimit && reader.TryRead(out var notification))
                    {
                        batch.Add(notification);
                    }
                }
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
            }

            try
            {
                await Broadcast.Publish(batch.DrainToImmutable());
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "A batch of live notifications could not be broadcast and was dropped");
            }
        }
    }
}
