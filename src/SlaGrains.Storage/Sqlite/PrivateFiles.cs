namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// The database holds password hashes, API key hashes and every customer's data, so on Unix only the server's own
/// user may read it: the database file (and SQLite's <c>-wal</c>, <c>-shm</c> and <c>-journal</c> beside it) 0600,
/// a folder the server creates 0700. Nothing on Windows, where files inherit the folder's access list.
/// </summary>
/// <remarks>
/// Modes are set when the file or folder is created, not by a chmod after: SQLite would create the file 0644 (minus
/// the umask), and for a moment anyone could open it. So the empty database file is created here first, with mode
/// 0600 (an empty file is a valid empty SQLite database), and SQLite gives its <c>-wal</c> and <c>-shm</c> files the
/// database file's mode. A file left 0644 by an earlier version is tightened at start. A folder that already exists
/// is left as it is: it may be shared, such as <c>/tmp</c> or the working directory.
/// </remarks>
public static class PrivateFiles
{
    /// <summary>Owner read/write (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read/write/search (0700).</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly string[] SqliteSidecars = ["-wal", "-shm", "-journal"];

    /// <summary>Creates the database's folder (0700) and an empty database file (0600) when missing; tightens existing ones.</summary>
    public static void PrepareDatabase(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        var directory = Path.GetDirectoryName(databasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            CreateFolder(directory);
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        CreateFile(databasePath);
        foreach (var sidecar in SqliteSidecars)
        {
            Tighten(databasePath + sidecar);
        }
    }

    /// <summary>Creates the folder and its missing parents 0700 on Unix; an existing folder keeps its mode.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            // The mode applies to the folder named, not to parents created on the way: create those one by one.
            var parent = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(parent))
            {
                CreateFolder(parent);
            }

            Directory.CreateDirectory(path, FolderMode);
        }
    }

    /// <summary>Creates an empty file 0600 when missing (Unix only); an existing one is tightened to 0600.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void CreateFile(string path)
    {
        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(path))
        {
            Tighten(path);
        }
    }

    /// <summary>Takes group and other bits off an existing file (Unix only); a missing file is no error.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void Tighten(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & ~FileMode) != 0)
            {
                File.SetUnixFileMode(path, mode & FileMode);
            }
        }
        catch (FileNotFoundException)
        {
            // Not there (SQLite makes -wal and -shm on first open): nothing to tighten.
        }
    }
}
