using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Npgsql;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Demo;
using SlaGrains.Server.Security;
using SlaGrains.Storage;
using SlaGrains.Storage.Sqlite;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// At start (after the silo): on a database without users, creates the first admin — <c>Admin:UserName</c>
/// (default <c>admin</c>) with <c>Admin:Password</c>, or a generated password; with <c>Demo=true</c> on a database
/// without customers, fills in the demo MSP. Once listening it prints one short banner (<see cref="Banner"/>): the
/// product and version, the URLs, how to sign in (the generated password on the first start only), the demo users,
/// the data folder and how to stop. <c>Console:Banner=false</c> leaves the banner out (the command-line verbs).
/// </summary>
internal sealed class FirstRun(
    IGrainFactory grains,
    SignInService signIn,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    IServer server,
    DemoSeeder demo,
    ILogger<FirstRun> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var banner = new Banner(Product(), DataFolder(configuration));
        var accounts = grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);
        if ((await accounts.ListUsers()).IsEmpty)
        {
            var name = configuration["Admin:UserName"] ?? "admin";
            var configured = configuration["Admin:Password"];
            var generated = string.IsNullOrEmpty(configured);
            var password = generated ? Generate() : configured!;

            // Silos starting together on an empty database race for this; the one that lost must not print a
            // password that was never stored. An empty Admin:Password (e.g. an unset variable in a compose file)
            // generates one, so say so.
            banner.SignIn = !await accounts.AddFirstUser(signIn.NewUser(name, password, UserRole.Admin, null, null))
                ? ["New database, first run: another silo of this cluster created the first admin (its start printed the password)."]
                : generated
                    ? [$"New database, first run: created admin '{name}' with password '{password}'",
                       "(shown only this once: note it now; set Admin:Password to choose it yourself)."]
                    : [$"New database, first run: created admin '{name}' with the password from configuration (Admin:Password)."];
        }
        else
        {
            banner.SignIn =
            [
                "Sign in with an existing user. The first admin's password was printed by the first start",
                "(or came from Admin:Password). Forgotten? Stop the server and run, with the same settings:",
                "  dotnet run --project src/SlaGrains.Server -- reset-password <user>",
            ];
        }

        if (configuration.GetValue<bool>("Demo"))
        {
            if ((await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).List()).IsEmpty)
            {
                banner.Demo = [.. (await demo.SeedAsync(cancellationToken)).Select(u => (u.User, u.Password, u.Role))];
                banner.DemoCreated = true;
            }
            else
            {
                // Restarted with --demo: the demo users still have their fixed passwords unless someone changed them.
                var existing = new List<(string, string, string)>();
                foreach (var user in DemoData.Users)
                {
                    if (await accounts.FindUser(user.UserName) is not null)
                    {
                        existing.Add((user.UserName, user.Password, Caller.RoleName(user.Role)));
                    }
                }

                banner.Demo = existing;
                logger.LogInformation("Demo requested but the database already has customers: left as it is.");
            }
        }

        if (!configuration.GetValue("Console:Banner", defaultValue: true))
        {
            return;
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            banner.Urls = [.. server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
            Console.Write(banner.Text());
        });
        lifetime.ApplicationStopping.Register(() => Console.WriteLine("SlaGrains: stopping (grains write their state, the silo leaves the cluster)..."));
        lifetime.ApplicationStopped.Register(() => Console.WriteLine("SlaGrains: stopped."));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>"SlaGrains 1.0.0 (b5eed4f)": the informational version with the commit shortened.</summary>
    internal static string Product()
    {
        var version = typeof(FirstRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown version";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? $"SlaGrains {version}" : $"SlaGrains {version[..plus]} ({version[(plus + 1)..Math.Min(version.Length, plus + 8)]})";
    }

    /// <summary>
    /// Where the data is, in words: the SQLite database's folder (absolute: a relative <c>Storage:SqlitePath</c> counts
    /// from the working directory) or the PostgreSQL database (host and name, never the password).
    /// </summary>
    internal static string DataFolder(IConfiguration configuration)
    {
        var storage = configuration.GetSection(SlaGrainsStorage.SectionName);
        var provider = (storage["Provider"] ?? "sqlite").Trim().ToLowerInvariant();
        if (provider is "postgresql" or "postgres")
        {
            var postgres = new NpgsqlConnectionStringBuilder(storage["ConnectionString"]);
            return $"PostgreSQL database '{postgres.Database}' on {postgres.Host}:{postgres.Port} (Storage:ConnectionString)";
        }

        var path = storage["ConnectionString"] is { Length: > 0 } connectionString
            ? new SqliteConnectionStringBuilder(connectionString).DataSource
            : storage["SqlitePath"] ?? SqliteStorageOptions.DefaultDatabasePath;
        if (string.IsNullOrWhiteSpace(path) || path.Contains(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            return "in memory (lost when the server stops)";
        }

        var file = Path.GetFullPath(path);
        return $"{Path.GetDirectoryName(file)} (database {Path.GetFileName(file)} and the sign-in keys: back up this folder; Storage:SqlitePath moves it)";
    }

    /// <summary>A new random password: 20 characters from 15 random bytes (letters and digits).</summary>
    internal static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');

    /// <summary>The start-up banner, written once the server listens.</summary>
    internal sealed class Banner(string product, string data)
    {
        /// <summary>How to sign in: the first admin's credentials on the first start, where they were shown later.</summary>
        public IReadOnlyList<string> SignIn { get; set; } = [];

        /// <summary>The demo users (user, password, role) with <c>--demo</c>; empty without.</summary>
        public IReadOnlyList<(string User, string Password, string Role)> Demo { get; set; } = [];

        /// <summary>True when this start created the demo data (rather than finding it).</summary>
        public bool DemoCreated { get; set; }

        /// <summary>The addresses the server listens on.</summary>
        public IReadOnlyList<string> Urls { get; set; } = [];

        public string Text()
        {
            var text = new System.Text.StringBuilder();
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{product}: real-time SLA tracker, ready.");
            foreach (var url in Urls)
            {
                // 0.0.0.0 and [::] are where it listens, not addresses a browser can open.
                var open = url.Replace("//0.0.0.0:", "//localhost:", StringComparison.Ordinal).Replace("//[::]:", "//localhost:", StringComparison.Ordinal).Replace("//+:", "//localhost:", StringComparison.Ordinal).Replace("//*:", "//localhost:", StringComparison.Ordinal);
                text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  Open {open} in a browser; the API is under /api/v1 (OpenAPI at /openapi/v1.json).");
            }

            foreach (var line in SignIn)
            {
                text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  {line}");
            }

            if (Demo.Count > 0)
            {
                text.AppendLine(DemoCreated ? "  Demo data created. Demo users (user / password / role):" : "  Demo data found. Demo users (user / password / role):");
                var width = Demo.Max(u => u.User.Length);
                foreach (var (user, password, role) in Demo)
                {
                    text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"    {user.PadRight(width)} / {password} / {role}");
                }
            }

            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  Data folder: {data}.");
            text.AppendLine("  Press Ctrl+C to stop.");
            return text.ToString();
        }
    }
}
