using System.Net;
using System.Text.Json;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Domain.Tickets;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Escalations;

/// <summary>A webhook rule posts the escalation to a real HTTP listener on loopback, once, and records the outcome.</summary>
public sealed class EscalationWebhookTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-webhook-").FullName;
    private SqliteCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SqliteCluster.StartAsync(Path.Combine(_directory, "sla.db"), silos: 1);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_breach_is_posted_to_the_webhook_once_and_the_delivery_recorded()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}/hooks/sla/";
        using var listener = new HttpListener();
        listener.Prefixes.Add(url);
        listener.Start();
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("hook", SlaMetric.Resolution, 100, EscalationActionKind.Webhook, url)]);
        var now = Instant.FromUtc(2026, 11, 23, 10, 0);
        var alert = new SlaAlert("ticket-42", customer, SlaMetric.Resolution, 100, 1, now, now + Duration.FromMilliseconds(3), TicketPriority.P1, "network", null);

        var request = listener.GetContextAsync();
        var raised = escalations.Raise(alert);
        var context = await request.WaitAsync(TimeSpan.FromSeconds(30));
        using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
        context.Response.StatusCode = 204;
        context.Response.Close();
        var escalation = await raised.WaitAsync(TimeSpan.FromSeconds(30));
        await escalations.Raise(alert); // a redelivery: no second post

        Assert.Equal("POST", context.Request.HttpMethod);
        Assert.Equal("ticket-42", body.RootElement.GetProperty("ticketId").GetString());
        Assert.Equal("breach", body.RootElement.GetProperty("kind").GetString());
        Assert.Equal("2026-11-23T10:00:00Z", body.RootElement.GetProperty("dueAt").GetString());
        Assert.Contains($"webhook {url}: delivered (204)", escalation.Actions);
        Assert.Contains($"webhook {url}: delivered (204)", (await escalations.GetLog(1)).Single().Actions);
        var second = listener.GetContextAsync();
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(500))));
    }

    [Fact]
    public async Task A_webhook_that_is_not_an_http_url_is_recorded_as_failed()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("hook", SlaMetric.FirstResponse, 75, EscalationActionKind.Webhook, "ftp://example.invalid/x")]);
        var now = Instant.FromUtc(2026, 11, 23, 10, 0);

        var escalation = await escalations.Raise(new SlaAlert("ticket-7", customer, SlaMetric.FirstResponse, 75, 1, now, now, TicketPriority.P3, null, null));

        Assert.Contains("webhook ftp://example.invalid/x: failed: not an http(s) URL", escalation.Actions);
    }
}
