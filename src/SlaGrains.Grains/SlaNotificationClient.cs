using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Grains;

/// <summary>
/// A front-end's <see cref="ISlaNotifications"/> when it joins the cluster as an Orleans client rather than hosting a
/// silo: it registers a client-side observer with <see cref="INotificationBroadcastGrain"/> exactly as each silo's
/// <see cref="SlaNotificationHub"/> does, renews it every <see cref="Renewal"/> (well within the grain's 90-second
/// registration lifetime) and at once whenever the client's set of gateways changes (a silo left or came back, so the
/// broadcast grain may have been re-activated empty elsewhere), and hands each batch to
/// <see cref="LocalNotificationFanOut"/>.
/// </summary>
/// <remarks>
/// Grains publish on their silos; a front-end normally publishes nothing. Should it, each notification goes straight
/// to the broadcast grain as a batch of one (fire-and-forget; a failure is logged and the notification dropped).
/// </remarks>
public sealed class SlaNotificationClient(IServiceProvider services, ILogger<SlaNotificationClient> logger)
    : ISlaNotifications, INotificationObserver, IHostedService, IDisposable
{
    /// <summary>How often the registration is renewed.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(20);

    private readonly LocalNotificationFanOut _local = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _renewNow = new(0, 1);
    private INotificationObserver? _self;
    private Task _renewing = Task.CompletedTask;

    // Resolved when first used: the Orleans client resolves its connection observers (this) while it is being built.
    private IGrainFactory Grains => field ??= services.GetRequiredService<IGrainFactory>();

    private INotificationBroadcastGrain Broadcast => Grains.GetGrain<INotificationBroadcastGrain>(0);

    /// <inheritdoc />
    public void Publish(SlaNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        _ = PublishAsync(notification);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<SlaNotification> Subscribe(CancellationToken cancellationToken) => _local.Subscribe(cancellationToken);

    /// <inheritdoc />
    public Task Deliver(ImmutableArray<SlaNotification> batch)
    {
        _local.Deliver(batch);
        return Task.CompletedTask;
    }

    /// <summary>Registers the observer (the Orleans client has connected by now: its hosted service starts first).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _self = Grains.CreateObjectReference<INotificationObserver>(this);
        await Broadcast.Subscribe(_self).WaitAsync(cancellationToken);
        _renewing = RenewAsync(_stopping.Token);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _renewing.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_self is not null)
        {
            Grains.DeleteObjectReference<INotificationObserver>(_self);
            _self = null;
        }
    }

    /// <summary>Renews the registration now (the client's gateways changed: the broadcast grain may have moved).</summary>
    public void RenewSoon()
    {
        try
        {
            _renewNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // A renewal is already due.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        _renewNow.Dispose();
    }

    private async Task RenewAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                // Whichever comes first: the period, or a change of gateways.
                await _renewNow.WaitAsync(Renewal, stopping);
                try
                {
                    await Broadcast.Subscribe(_self!);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning(error, "Renewing this front-end's notification subscription failed; will retry");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(SlaNotification notification)
    {
        try
        {
            await Broadcast.Publish([notification]);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "A live notification published by this front-end could not be broadcast and was dropped");
        }
    }
}
