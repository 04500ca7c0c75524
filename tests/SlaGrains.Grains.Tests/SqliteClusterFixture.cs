namespace SlaGrains.Grains.Tests;

/// <summary>
/// One SQLite cluster in a temporary folder shared by the tests of a class (each test uses its own grain ids; xunit
/// runs a class's tests one after another, so a test that clears a table does so between the others).
/// </summary>
public abstract class SqliteClusterFixture(int silos, string folderPrefix, bool shiftedClock = false) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory(folderPrefix).FullName;

    /// <summary>The running cluster.</summary>
    public SqliteCluster Cluster { get; private set; } = null!;

    /// <summary>The cluster's database file; with a shifted clock, <c>ShiftedClock.For(DatabasePath)</c> sets its time.</summary>
    public string DatabasePath => Path.Combine(_directory, "sla.db");

    /// <inheritdoc />
    public async Task InitializeAsync() => Cluster = await SqliteCluster.StartAsync(DatabasePath, silos, shiftedClock);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>A one-silo cluster per test class, for tests of one grain's rules and storage.</summary>
public sealed class OneSiloClusterFixture() : SqliteClusterFixture(1, "slagrains-one-silo-");

/// <summary>A one-silo cluster whose clock the tests set (<c>ShiftedClock.For(DatabasePath).Set(…)</c>), per test class.</summary>
public sealed class ShiftedClockClusterFixture() : SqliteClusterFixture(1, "slagrains-shifted-", shiftedClock: true);
