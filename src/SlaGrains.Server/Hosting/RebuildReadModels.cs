using SlaGrains.Application.ReadModels;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// <c>dotnet run --project src/SlaGrains.Server -- rebuild-read-models [settings]</c>: starts the silo on the configured
/// store without serving HTTP, deletes every read-model row, writes them again from grain state, and stops. Run it with
/// the server stopped (on SQLite the silo's ports would be taken anyway).
/// </summary>
internal static class RebuildReadModels
{
    /// <summary>The command-line verb.</summary>
    public const string Verb = "rebuild-read-models";

    /// <summary>Runs the rebuild; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // No web server: a free loopback port keeps Kestrel out of the way of a server's own URL; no banner (nobody is
        // to open that URL).
        var app = SlaGrainsServer.Build([.. args, "--urls=http://127.0.0.1:0", "--ReadModels:RepairOnStart=false", "--Console:Banner=false"]);
        await app.StartAsync();
        try
        {
            var written = await app.Services.GetRequiredService<ReadModelRepair>().RebuildAsync();
            Console.WriteLine($"Read models rebuilt from grain state: {written} tickets, escalations and monitors.");
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
