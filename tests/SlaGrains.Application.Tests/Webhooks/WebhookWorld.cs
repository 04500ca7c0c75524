using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SlaGrains.Application.Webhooks;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Network;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Grains;
using SlaGrains.Grains.Webhooks;
using SlaGrains.Testing;

namespace SlaGrains.Application.Tests.Webhooks;

/// <summary>
/// The application layer on a real silo (as <see cref="ApplicationWorld"/>) whose webhook retries are shrunk to
/// milliseconds with <see cref="MaxAttempts"/> attempts, and a real receiver on loopback that verifies signatures.
/// </summary>
public sealed class WebhookWorld : IAsyncLifetime
{
    /// <summary>Attempts before a delivery is dead-lettered.</summary>
    public const int MaxAttempts = 2;

    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-app-hooks-").FullName;
    private IHost _silo = null!;

    public IGrainFactory Grains => _silo.Services.GetRequiredService<IGrainFactory>();

    public WebhookReceiver Receiver { get; private set; } = null!;

    public Caller Manager { get; } = new("mia", UserRole.Manager, null, null, IngestionOnly: false);

    public Caller Technician { get; } = new("tom", UserRole.Technician, null, "desk", IngestionOnly: false);

    public WebhookCommands Commands => _silo.Services.GetRequiredService<WebhookCommands>();

    public WebhookQueries Queries => _silo.Services.GetRequiredService<WebhookQueries>();

    public async Task InitializeAsync()
    {
        _silo = await ConfiguredSilo.StartAsync(
            [$"--Storage:SqlitePath={Path.Combine(_directory, "sla.db")}"],
            silo =>
            {
                // The receiver is on loopback: allowed as Network:AllowedPrivateTargets would (this silo's configuration is not the settings above).
                silo.Services.AddSingleton(OutboundTargets.Parse(LoopbackTargets.Settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
                silo.AddSlaGrains();
                silo.Services.Configure<WebhookOptions>(options =>
                {
                    options.FirstRetryDelay = TimeSpan.FromMilliseconds(50);
                    options.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
                    options.MaxAttempts = MaxAttempts;
                });
                silo.Services.AddSingleton<ISlaNow, SystemNow>();
                silo.Services.AddSlaGrainsApplication();
            });
        Receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await _silo.StopAsync();
        _silo.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A customer in the directory.</summary>
    public async Task<string> CustomerAsync()
    {
        var id = $"c-{Guid.NewGuid():N}"[..20];
        Assert.True(await Grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Register(new CustomerEntry(id, $"Customer {id}", SystemClock.Instance.GetCurrentInstant(), null)));
        return id;
    }

    /// <summary>A subscription of the customer to a fresh path of the receiver, made by <paramref name="by"/>, its secret given to the receiver.</summary>
    public async Task<(string Path, WebhookSubscriptionView Webhook)> SubscribeAsync(Caller by, string customer, params string[] eventTypes)
    {
        var path = $"hooks/{Guid.NewGuid():N}";
        var created = await Commands.Subscribe(by, customer, new NewWebhookInput(Receiver.Url(path), eventTypes));
        Assert.True(created.Succeeded, created.Failure?.Message);
        Receiver.Expect(path, created.Value.Secret);
        return (path, created.Value.Webhook);
    }

    /// <summary>Publishes an event of <paramref name="type"/> to the customer's webhooks (as the grains that raise it do).</summary>
    public Task PublishAsync(string customer, string type)
        => Grains.GetGrain<IWebhookGrain>(customer).Publish(new WebhookEvent($"{type}/{Guid.NewGuid():N}", type, customer, SystemClock.Instance.GetCurrentInstant(), "{}"));

    private sealed class SystemNow : ISlaNow
    {
        public Instant Now => SystemClock.Instance.GetCurrentInstant();
    }
}
