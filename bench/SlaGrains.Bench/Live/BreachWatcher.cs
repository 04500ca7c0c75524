using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace SlaGrains.Bench.Live;

/// <summary>
/// One live-feed connection that records every <c>TicketBreached</c> of a first-response clock for the tickets
/// <paramref name="wanted"/> selects: when it fell due, when the server recorded it, when it arrived here.
/// </summary>
internal sealed class BreachWatcher(HubConnection connection, Func<string, bool> wanted, int expected) : IAsyncDisposable
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentDictionary<string, Breach> Breaches { get; } = new(StringComparer.Ordinal);

    /// <summary>Completes when <c>expected</c> distinct tickets have breached.</summary>
    public Task All => _all.Task;

    /// <summary>Connects, retrying every 50 ms until the hub answers or the bound passes (a restarting server).</summary>
    public static async Task<BreachWatcher> ConnectAsync(SlaApi api, Func<string, bool> wanted, int expected, TimeSpan bound, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var watcher = new BreachWatcher(api.Hub(), wanted, expected);
            try
            {
                await watcher.StartAsync(cancellationToken);
                return watcher;
            }
            catch (Exception error) when (error is HttpRequestException or System.Net.WebSockets.WebSocketException or IOException && started.Elapsed < bound)
            {
                await watcher.DisposeAsync();
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        connection.On<JsonElement>("TicketBreached", alert =>
        {
            var received = LiveRun.Now();
            var ticket = alert.GetProperty("ticketId").GetString()!;
            if (alert.GetProperty("metric").GetString() != "firstResponse" || !wanted(ticket))
            {
                return;
            }

            Breaches.TryAdd(ticket, new Breach(alert.GetProperty("dueAt").GetDateTimeOffset(), alert.GetProperty("recordedAt").GetDateTimeOffset(), received));
            if (Breaches.Count >= expected)
            {
                _all.TrySetResult();
            }
        });
        await connection.StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();

    /// <summary>A breach: due, recorded by the server, received here.</summary>
    public sealed record Breach(DateTimeOffset DueAt, DateTimeOffset RecordedAt, DateTimeOffset ReceivedAt)
    {
        public double DeliveredMs => (ReceivedAt - DueAt).TotalMilliseconds;

        public double RecordedMs => (RecordedAt - DueAt).TotalMilliseconds;
    }
}
