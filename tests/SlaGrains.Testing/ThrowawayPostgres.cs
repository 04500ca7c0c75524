using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;
using Xunit;

namespace SlaGrains.Testing;

/// <summary>
/// A private PostgreSQL server for one test class or collection: a fresh cluster (<c>initdb</c>) in a temporary
/// directory, started with <c>pg_ctl</c> on a free loopback port, stopped and deleted at dispose. Needs the
/// <c>postgresql</c> package's binaries; as root it runs them as the <c>postgres</c> system user, because initdb
/// refuses root.
/// </summary>
/// <remarks>
/// When the binaries are missing the fixture does not start: with <c>CI=true</c> that is an error (CI must run the
/// PostgreSQL tests); elsewhere <see cref="Unavailable"/> says what is missing and the tests skip.
/// <see cref="BinDirectoryVariable"/> picks a bin directory explicitly (e.g. another PostgreSQL version).
/// </remarks>
public sealed partial class ThrowawayPostgres : IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private const string InstallHint = "install it with `apt-get install postgresql` (Debian/Ubuntu)";

    /// <summary>Names a PostgreSQL bin directory to use instead of the one found on this machine.</summary>
    public const string BinDirectoryVariable = "SLAGRAINS_POSTGRES_BINDIR";

    private string? _root;
    private string? _binDirectory;
    private bool _runAsPostgresUser;
    private bool _started;

    /// <summary>Why no server could be started here; null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>
    /// Keep PostgreSQL's durability settings (fsync, synchronous commit, full-page writes) on, as in production.
    /// Off by default: a throwaway test server does not need to survive power loss, and tests run faster.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>How long initdb + start + creating the first database took.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>A connection string to the database created at start (<c>slagrains</c>).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Starts the server, unless binaries are missing (see <see cref="Unavailable"/>).</summary>
    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var chosen = Environment.GetEnvironmentVariable(BinDirectoryVariable);
        _binDirectory = string.IsNullOrEmpty(chosen) ? FindBinDirectory() : (HasServer(chosen) ? chosen : null);
        if (_binDirectory is null)
        {
            NotAvailable(string.IsNullOrEmpty(chosen)
                ? $"PostgreSQL server binaries (initdb, pg_ctl) were not found via `pg_config --bindir` or /usr/lib/postgresql/*/bin: {InstallHint}."
                : $"{BinDirectoryVariable}={chosen} holds no initdb and pg_ctl: point it at a PostgreSQL bin directory or unset it, or {InstallHint}.");
            return;
        }

        _runAsPostgresUser = OperatingSystem.IsLinux() && geteuid() == 0;
        if (_runAsPostgresUser && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser") && !File.Exists("/usr/bin/runuser"))
        {
            NotAvailable("Running as root needs `runuser` to start PostgreSQL as the `postgres` user (initdb refuses root); install util-linux.");
            return;
        }

        if (_runAsPostgresUser && (await RunAsync("id", ["-u", SuperUser], asPostgres: false, throwOnError: false)).ExitCode != 0)
        {
            NotAvailable($"Running as root needs the `postgres` system user to run PostgreSQL (initdb refuses root): {InstallHint}, which creates it.");
            return;
        }

        _root = Path.Combine(Path.GetTempPath(), "slagrains-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        if (_runAsPostgresUser)
        {
            await RunAsync("chown", [$"{SuperUser}:", _root], asPostgres: false);
        }

        var data = Path.Combine(_root, "data");
        await RunAsync(Path.Combine(_binDirectory, "initdb"),
            ["-D", data, "-A", "trust", "-U", SuperUser, "-E", "UTF8", "--no-locale", "--no-sync"], asPostgres: _runAsPostgresUser);

        Port = SlaGrains.Testing.FreePort.Next();
        // Tests trade durability for speed (the server is thrown away); benchmarks ask for the real thing.
        var durability = Durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var serverOptions = $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=200{durability}";
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(_root, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"], asPostgres: _runAsPostgresUser);
        _started = true;

        ConnectionString = await CreateDatabaseAsync("slagrains");
        StartupTime = stopwatch.Elapsed;
    }

    /// <summary>Creates a new empty database on this server and returns a connection string to it.</summary>
    /// <param name="name">The database name: lower-case letters, digits and underscores.</param>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"Database name '{name}' must be lower-case letters, digits and underscores.", nameof(name));
        }

        await using (var connection = new NpgsqlConnection(ConnectionStringFor("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server at once and deletes its directory.</summary>
    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_started && _binDirectory is not null && _root is not null)
        {
            await RunAsync(Path.Combine(_binDirectory, "pg_ctl"),
                ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"], asPostgres: _runAsPostgresUser, throwOnError: false);
        }

        if (_root is not null && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        MaxPoolSize = 50,
    }.ConnectionString;

    private void NotAvailable(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"CI must run the PostgreSQL tests, but: {reason}");
        }

        Unavailable = $"SKIPPED — no PostgreSQL here. {reason}";
    }

    private static bool HasServer(string? dir) => dir is not null
        && File.Exists(Path.Combine(dir, "initdb"))
        && File.Exists(Path.Combine(dir, "pg_ctl"));

    private static string? FindBinDirectory()
    {
        try
        {
            using var pgConfig = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (pgConfig is not null)
            {
                var dir = pgConfig.StandardOutput.ReadToEnd().Trim();
                pgConfig.WaitForExit();
                if (pgConfig.ExitCode == 0 && HasServer(dir))
                {
                    return dir;
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config is not on PATH: look in Debian's versioned directories below.
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.GetDirectories(debianRoot)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(d => HasServer(d.Dir))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Dir)
            .FirstOrDefault();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres, bool throwOnError = true)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", ["-u", SuperUser, "--", file, .. arguments])
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Path.GetTempPath();

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        var output = (await stdout) + (await stderr);
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{file} {string.Join(' ', arguments)}` exited with {process.ExitCode}:\n{output}");
        }

        return (process.ExitCode, output);
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint geteuid();

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex DatabaseName();
}
