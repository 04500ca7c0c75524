using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SlaGrains.Testing;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) for monitors to probe. Its answer — status, body, delay — can
/// be switched at any time, for all probe regions or for one (probes name their region in a header), and it counts the
/// requests it got per region.
/// </summary>
public sealed class ProbeTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Reply> _byRegion = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly List<(string Region, int Count, TaskCompletionSource Reached)> _waiters = [];
    private Reply _answer = new(200, "status: ok", TimeSpan.Zero);

    private ProbeTarget(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The URL to probe (<c>/health</c>).</summary>
    public Uri Url { get; }

    /// <summary>Starts a target answering 200 with the body <c>status: ok</c> at once.</summary>
    public static async Task<ProbeTarget> StartAsync(string regionHeader = "X-SlaGrains-Probe-Region")
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var target = new ProbeTarget(app, new Uri($"http://127.0.0.1:{port}/health"));
        app.MapGet("/health", async (HttpContext context) =>
        {
            var region = context.Request.Headers[regionHeader].ToString();
            var answer = target._byRegion.TryGetValue(region, out var own) ? own : target._answer;

            // Counted once the answer is chosen: a test that waited for this request may change the answer now.
            target.Count(region);
            if (answer.Delay > TimeSpan.Zero)
            {
                // Until the probe gives up (it closes the connection) or the delay ends.
                try
                {
                    await Task.Delay(answer.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            context.Response.StatusCode = answer.Status;
            await context.Response.WriteAsync(answer.Body);
        });
        await app.StartAsync();
        return target;
    }

    /// <summary>Every region (without its own answer) now gets <paramref name="status"/> with <paramref name="body"/> after <paramref name="delay"/>.</summary>
    public void Answer(int status, string body = "status: ok", TimeSpan delay = default) => _answer = new(status, body, delay);

    /// <summary>Probes from <paramref name="region"/> now get this answer.</summary>
    public void AnswerRegion(string region, int status, string body = "status: ok", TimeSpan delay = default) => _byRegion[region] = new(status, body, delay);

    /// <summary>Every region answers as set by <see cref="Answer"/> again.</summary>
    public void ClearRegionAnswers() => _byRegion.Clear();

    /// <summary>Requests received from <paramref name="region"/> so far.</summary>
    public int RequestsFrom(string region) => _requests.GetValueOrDefault(region);

    /// <summary>Completes once <paramref name="count"/> requests came from <paramref name="region"/> (fails after <paramref name="bound"/>).</summary>
    public Task WaitForRequestsAsync(string region, int count, TimeSpan bound)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (RequestsFrom(region) >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((region, count, reached));
        }

        return reached.Task.WaitAsync(bound);
    }

    private void Count(string region)
    {
        var now = _requests.AddOrUpdate(region, 1, (_, n) => n + 1);
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => w.Region == region && now >= w.Count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed record Reply(int Status, string Body, TimeSpan Delay);
}
