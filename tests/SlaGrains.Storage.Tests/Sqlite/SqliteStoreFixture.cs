using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SlaGrains.Storage.Tests.Conformance;

namespace SlaGrains.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite store under the conformance suite: a real silo on a temporary database file, the providers resolved
/// from the silo's own services.
/// </summary>
/// <remarks>
/// The SQLite grain storage keys rows by the full grain id (type and key strings), not by a hash, so there is no
/// hash that could collide. <see cref="StoreFixture.CollidingGrainStorage"/> is therefore a second provider
/// instance on the same file: the collision test then checks that ids stay apart under the same table and writer.
/// </remarks>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly TemporaryDatabase _database = new();

    public SqliteSilo Silo { get; private set; } = null!;

    public string DatabasePath => _database.Path;

    public override async Task InitializeAsync()
    {
        Silo = await SqliteSilo.StartAsync(_database.Path);
        GrainStorage = Silo.Services.GetRequiredKeyedService<IGrainStorage>(SqliteSilo.StorageName);
        CollidingGrainStorage = Silo.Services.GetRequiredKeyedService<IGrainStorage>(SqliteSilo.CollidingStorageName);
        ReminderTable = Silo.Services.GetRequiredService<IReminderTable>();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            if (Silo is not null)
            {
                await Silo.DisposeAsync();
            }
        }
        finally
        {
            _database.Dispose();
        }
    }
}
