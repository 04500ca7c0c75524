using SlaGrains.Contracts.Webhooks;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Webhooks;

/// <summary>
/// Deliveries are durable: an event queued while its receiver is down stays queued when the silo stops, and after a
/// restart on the same SQLite file the reminder wakes the webhook grain (nobody calls it) and delivers it.
/// </summary>
public sealed class WebhookRestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-webhook-restart-").FullName;

    [Fact]
    public async Task A_delivery_pending_when_the_silo_stopped_is_delivered_after_the_restart_without_anyone_calling()
    {
        var database = Path.Combine(_directory, "sla.db");
        var settings = new Dictionary<string, string>
        {
            ["Webhooks:FirstRetryDelay"] = "00:00:01",
            ["Webhooks:MaxRetryDelay"] = "00:00:02",
            ["Webhooks:MaxAttempts"] = "1000",
        };
        var port = FreePort.Next();
        var customer = $"customer-{Guid.NewGuid():N}";
        var e = new WebhookEvent($"incident.opened/{Guid.NewGuid():N}", WebhookEventTypes.IncidentOpened, customer, Instant.FromUtc(2026, 11, 23, 10, 0), """{"incidentId": "api-1"}""");
        string secret;

        await using (var before = await SqliteCluster.StartAsync(database, silos: 1, settings: settings))
        {
            var hooks = before.Grains.GetGrain<IWebhookGrain>(customer);
            secret = (await hooks.Subscribe($"http://127.0.0.1:{port}/hooks/restart", [WebhookEventTypes.IncidentOpened], null)).Secret;
            await hooks.Publish(e);

            // Nothing listens on the port yet: the delivery stays queued however many attempts were made.
            Assert.Single(await hooks.GetPending());
        }

        await using var receiver = await WebhookReceiver.StartAsync(port);
        receiver.Expect("hooks/restart", secret);
        await using var after = await SqliteCluster.StartAsync(database, silos: 1, settings: settings);
        var received = await receiver.WaitFor(_ => true, TimeSpan.FromSeconds(90));

        Assert.True(received.SignatureValid);
        Assert.Equal(e.EventId, received.Json.GetProperty("id").GetString());
        var hooksAfter = after.Grains.GetGrain<IWebhookGrain>(customer);
        Assert.Empty(await hooksAfter.GetPending());
        var log = (await hooksAfter.GetAttempts(0, 1000)).Items;
        Assert.Equal(WebhookDeliveryState.Delivered, log[0].Result);
        Assert.All(log.Skip(1), a => Assert.Null(a.StatusCode));
        Assert.Single(receiver.Received);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
