using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;

namespace SlaGrains.Storage.Tests.Sqlite;

/// <summary>The database holds every customer's data and the password hashes: on Unix only the server's user may read it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;
    private const UnixFileMode WorldReadable = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode WorldReadableFolder = PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [SkippableFact]
    public async Task A_new_database_and_its_wal_and_shm_files_are_0600_in_a_new_0700_folder()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using var file = new TemporaryDatabase();

        await using var silo = await SqliteSilo.StartAsync(file.Path);

        Assert.Equal(PrivateFolder, File.GetUnixFileMode(Path.GetDirectoryName(file.Path)!));
        Assert.Equal(Private, File.GetUnixFileMode(file.Path));
        Assert.Equal(Private, File.GetUnixFileMode(file.Path + "-wal"));
        Assert.Equal(Private, File.GetUnixFileMode(file.Path + "-shm"));
    }

    [SkippableFact]
    public async Task A_database_left_world_readable_is_tightened_at_start_and_an_existing_folder_is_left_as_it_is()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        using var file = new TemporaryDatabase();
        var folder = Path.GetDirectoryName(file.Path)!;
        Directory.CreateDirectory(folder, WorldReadableFolder);
        using (var earlier = new SqliteConnection($"Data Source={file.Path};Pooling=False"))
        {
            earlier.Open();
            using var command = earlier.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE earlier (id INTEGER);";
            command.ExecuteNonQuery();
        }

        File.SetUnixFileMode(file.Path, WorldReadable);

        await using var silo = await SqliteSilo.StartAsync(file.Path);

        Assert.Equal(Private, File.GetUnixFileMode(file.Path));
        Assert.Equal(Private, File.GetUnixFileMode(file.Path + "-wal"));
        Assert.Equal(WorldReadableFolder, File.GetUnixFileMode(folder));
    }
}
