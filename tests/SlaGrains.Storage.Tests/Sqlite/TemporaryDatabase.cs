namespace SlaGrains.Storage.Tests.Sqlite;

/// <summary>A database file path in a fresh temporary directory, deleted (with its WAL and shared-memory files) on dispose.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "slagrains-sqlite-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The database file; its directory does not exist yet, so the provider must create it.</summary>
    public string Path => System.IO.Path.Combine(_directory, "data", "slagrains.db");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
