using Orleans.Storage;

namespace SlaGrains.Storage.Tests.Conformance;

/// <summary>
/// One store under test, as the conformance suite sees it: the grain storage and reminder table a real
/// silo resolved for it. Each store's fixture starts whatever it needs (a SQLite file, a throwaway
/// PostgreSQL server) and a silo configured the way the product configures it.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    /// <summary>Why this store cannot run here (e.g. PostgreSQL binaries missing on a developer machine); null when it can.</summary>
    public string? Unavailable { get; protected set; }

    /// <summary>The grain storage provider under test.</summary>
    public IGrainStorage GrainStorage { get; protected set; } = null!;

    /// <summary>
    /// The same store, configured so that every grain id hashes to the same value: ids must still be
    /// told apart by their full key.
    /// </summary>
    public IGrainStorage CollidingGrainStorage { get; protected set; } = null!;

    /// <summary>The reminder table under test.</summary>
    public IReminderTable ReminderTable { get; protected set; } = null!;

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}
