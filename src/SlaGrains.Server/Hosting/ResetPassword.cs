using Microsoft.AspNetCore.Identity;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// <c>dotnet run --project src/SlaGrains.Server -- reset-password &lt;user&gt; [settings]</c>: for a forgotten password
/// (above all the only admin's, which nobody else can set): starts the silo on the configured store without serving
/// HTTP, gives the user a new generated password, prints it once, clears their failed sign-ins, and stops. The user's
/// sessions end (the security stamp rotates). Run it with the server stopped (on SQLite the silo's ports would be taken
/// anyway), with the same storage settings as the server.
/// </summary>
internal static class ResetPassword
{
    /// <summary>The command-line verb.</summary>
    public const string Verb = "reset-password";

    /// <summary>Resets the password; returns the process exit code (0 done, 1 no such user, 2 no user name given).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (userName, settings) = Split(args);
        if (userName is null)
        {
            Console.Error.WriteLine($"Usage: dotnet run --project src/SlaGrains.Server -- {Verb} <user name> [settings such as --Storage:SqlitePath=...], with the server stopped.");
            return 2;
        }

        // No web server: a free loopback port keeps Kestrel out of the way of a server's own URL; no banner.
        var app = SlaGrainsServer.Build([.. settings, "--urls=http://127.0.0.1:0", "--ReadModels:RepairOnStart=false", "--Console:Banner=false"]);
        await app.StartAsync();
        try
        {
            var accounts = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountsGrain>(IAccountsGrain.Key);
            if (await accounts.FindUser(userName) is not { } user)
            {
                Console.Error.WriteLine($"SlaGrains: there is no user '{userName}' in {FirstRun.DataFolder(app.Configuration)}: nothing changed.");
                return 1;
            }

            var password = FirstRun.Generate();
            var hash = app.Services.GetRequiredService<IPasswordHasher<UserAccount>>().HashPassword(user, password);
            if (!await accounts.SetPassword(user.UserName, hash) || !await accounts.Unlock(user.UserName))
            {
                Console.Error.WriteLine($"SlaGrains: user '{userName}' was removed meanwhile: nothing changed.");
                return 1;
            }

            Console.WriteLine($"SlaGrains: new password for '{user.UserName}': '{password}' (shown only this once; their sessions have ended).");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>The first argument that is neither a <c>--key</c> nor the value of a <c>--key value</c> pair, and the rest.</summary>
    private static (string? UserName, string[] Settings) Split(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith('-'))
            {
                // "--key value": the next argument is the value (not "--key=value" and not a bare "--demo"-like flag).
                if (!args[i].Contains('=', StringComparison.Ordinal) && i + 1 < args.Length && !args[i + 1].StartsWith('-'))
                {
                    i++;
                }

                continue;
            }

            return (args[i], [.. args[..i], .. args[(i + 1)..]]);
        }

        return (null, args);
    }
}
