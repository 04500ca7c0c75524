namespace SlaGrains.Grains.Tests.Webhooks;

/// <summary>
/// One single-silo SQLite cluster with webhook retries shrunk to milliseconds (50 ms doubling to at most 200 ms,
/// three attempts) and a receiver, shared by a test class; each test uses its own customer and receiver paths.
/// </summary>
public sealed class WebhookCluster : IAsyncLifetime
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static IReadOnlyDictionary<string, string> FastRetries { get; } = new Dictionary<string, string>
    {
        ["Webhooks:FirstRetryDelay"] = "00:00:00.050",
        ["Webhooks:MaxRetryDelay"] = "00:00:00.200",
        ["Webhooks:MaxAttempts"] = "3",
        ["Webhooks:Timeout"] = "00:00:10",
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-webhooks-").FullName;

    public SqliteCluster Cluster { get; private set; } = null!;

    public SlaGrains.Testing.WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await SqliteCluster.StartAsync(Path.Combine(_directory, "sla.db"), silos: 1, settings: FastRetries);
        Receiver = await SlaGrains.Testing.WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
