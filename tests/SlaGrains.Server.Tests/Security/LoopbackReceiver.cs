using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// A real Kestrel server listening on 127.0.0.1 and [::1] at the same port, recording every request (which loopback
/// address it came in on, method, path) so a test can show that an address the policy refuses was never contacted
/// although something was listening there. Any method, any path:
/// <c>/status/{code}</c> answers that code; <c>/hang</c> answers only when the client gives up;
/// <c>/chain/{id}/{n}</c> redirects (302) to <c>/chain/{id}/{n-1}</c> and answers 200 at 0;
/// <c>/to?location=...</c> redirects (302) to that location; anything else is 204.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<(IPAddress Local, string Method, string Path)> _requests = [];

    private LoopbackReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Every request so far: the loopback address it reached, the method and the path.</summary>
    public IReadOnlyList<(IPAddress Local, string Method, string Path)> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port);
            o.Listen(IPAddress.IPv6Loopback, port);
        });
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app, port);
        app.Run(receiver.Answer);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>A URL on this receiver at 127.0.0.1.</summary>
    public string Url(string pathAndQuery) => $"http://127.0.0.1:{Port}/{pathAndQuery.TrimStart('/')}";

    /// <summary>How many requests reached <paramref name="path"/> (on any address).</summary>
    public int Count(string path) => Requests.Count(r => r.Path == path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task Answer(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        lock (_lock)
        {
            _requests.Add((context.Connection.LocalIpAddress ?? IPAddress.None, context.Request.Method, path));
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["status", var code]:
                context.Response.StatusCode = int.Parse(code, CultureInfo.InvariantCulture);
                break;
            case ["hang"]:
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                break;
            case ["chain", var id, var n] when int.Parse(n, CultureInfo.InvariantCulture) > 0:
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = $"/chain/{id}/{int.Parse(n, CultureInfo.InvariantCulture) - 1}";
                break;
            case ["chain", _, _]:
                await context.Response.WriteAsync("ok");
                break;
            case ["to"]:
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = context.Request.Query["location"].ToString();
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
        }
    }
}
