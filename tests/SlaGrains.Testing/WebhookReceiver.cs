using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SlaGrains.Testing;

/// <summary>
/// A customer's webhook endpoint: a real Kestrel server on a loopback port that checks each request's signature the
/// way the README tells customers to (recompute the HMAC itself; it does not use the product's code), and answers
/// 500 to the first N requests of a path (<see cref="Fail"/>) and 204 after.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly List<(Func<ReceivedWebhook, bool> Match, TaskCompletionSource<ReceivedWebhook> Done)> _waiters = [];
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts a receiver on <paramref name="port"/> (default: a free one).</summary>
    public static async Task<WebhookReceiver> StartAsync(int? port = null)
    {
        var chosen = port ?? FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, chosen));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, chosen);
        app.MapPost("/{**path}", receiver.Receive);
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The URL of <paramref name="path"/> on this receiver.</summary>
    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    /// <summary>The secret requests to <paramref name="path"/> must be signed with.</summary>
    public void Expect(string path, string secret)
    {
        lock (_lock)
        {
            _secrets[path] = secret;
        }
    }

    /// <summary>Answers 500 to the next <paramref name="count"/> requests to <paramref name="path"/> (<see cref="int.MaxValue"/>: until told otherwise).</summary>
    public void Fail(string path, int count)
    {
        lock (_lock)
        {
            _failures[path] = count;
        }
    }

    /// <summary>Everything received so far, in order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The first request (received before or after the call) that matches, within <paramref name="bound"/>.</summary>
    public Task<ReceivedWebhook> WaitFor(Func<ReceivedWebhook, bool> match, TimeSpan bound)
    {
        lock (_lock)
        {
            if (_received.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<ReceivedWebhook>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(bound);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task Receive(HttpContext context, string path)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        string timestamp = headers["X-SlaGrains-Timestamp"].ToString(), delivery = headers["X-SlaGrains-Delivery"].ToString(), signature = headers["X-SlaGrains-Signature"].ToString();
        List<TaskCompletionSource<ReceivedWebhook>> done = [];
        ReceivedWebhook received;
        lock (_lock)
        {
            var valid = _secrets.TryGetValue(path, out var secret) && Verify(secret, timestamp, delivery, body, signature);
            var fail = _failures.TryGetValue(path, out var left) && left > 0;
            if (fail && left != int.MaxValue)
            {
                _failures[path] = left - 1;
            }

            received = new ReceivedWebhook(
                _received.Count(r => r.Path == path) + 1, path, headers["X-SlaGrains-Event"].ToString(), delivery, timestamp, signature, body,
                headers.ContentType.ToString(), valid, fail ? 500 : 204);
            _received.Add(received);
            foreach (var waiter in _waiters.Where(w => w.Match(received)).ToList())
            {
                _waiters.Remove(waiter);
                done.Add(waiter.Done);
            }
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult(received);
        }

        context.Response.StatusCode = received.AnsweredStatus;
    }

    /// <summary>What a customer's endpoint does: HMAC-SHA256 keyed with the secret over "timestamp.delivery.body".</summary>
    public static bool Verify(string secret, string timestamp, string delivery, string body, string signature)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{delivery}.{body}"));
        var expected = Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexStringLower(mac));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}

/// <summary>One request as received: the how-manieth to its path, its headers, raw body, whether the signature checked out, and what was answered.</summary>
public sealed record ReceivedWebhook(
    int NumberOnPath, string Path, string Event, string Delivery, string Timestamp, string Signature, string Body, string ContentType, bool SignatureValid, int AnsweredStatus)
{
    /// <summary>The body as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
