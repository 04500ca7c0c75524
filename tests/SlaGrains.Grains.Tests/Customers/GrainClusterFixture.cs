namespace SlaGrains.Grains.Tests.Customers;

/// <summary>One two-silo SQLite cluster shared by the tests of a class (each test uses its own grain ids).</summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-customers-").FullName;

    public SqliteCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await SqliteCluster.StartAsync(Path.Combine(_directory, "sla.db"));

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
