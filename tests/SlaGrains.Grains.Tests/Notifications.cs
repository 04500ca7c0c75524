using System.Threading.Channels;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Grains.Tests;

/// <summary>Collects notifications from several silos' hubs so a test can wait on them with a bound, never sleeping.</summary>
public sealed class NotificationRecorder : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SlaNotification> _received = Channel.CreateUnbounded<SlaNotification>();
    private readonly List<SlaNotification> _all = [];
    private readonly List<Task> _readers;

    public NotificationRecorder(IEnumerable<ISlaNotifications> hubs)
    {
        _readers = [.. hubs.Select(hub => Task.Run(async () =>
        {
            try
            {
                await foreach (var n in hub.Subscribe(_stop.Token))
                {
                    _received.Writer.TryWrite(n);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }))];
    }

    /// <summary>Everything received so far (including what <see cref="WaitFor{T}"/> consumed).</summary>
    public IReadOnlyList<SlaNotification> All
    {
        get
        {
            while (_received.Reader.TryRead(out var n))
            {
                _all.Add(n);
            }

            return _all;
        }
    }

    /// <summary>Waits until a notification of type <typeparamref name="T"/> matching <paramref name="match"/> arrives.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool> match, TimeSpan bound)
        where T : SlaNotification
    {
        var seen = All.OfType<T>().FirstOrDefault(match);
        if (seen is not null)
        {
            return seen;
        }

        using var timeout = new CancellationTokenSource(bound);
        try
        {
            while (true)
            {
                var n = await _received.Reader.ReadAsync(timeout.Token);
                _all.Add(n);
                if (n is T t && match(t))
                {
                    return t;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {typeof(T).Name} within {bound}; received: {string.Join(", ", _all.Select(a => a.GetType().Name))}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);
        _stop.Dispose();
    }
}
