using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Demo;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// At start (after the silo): on a database without users, creates the first admin — <c>Admin:UserName</c>
/// (default <c>admin</c>) with <c>Admin:Password</c>, or a generated password — and prints the credentials; with
/// <c>Demo=true</c> on a database without customers, fills in the demo MSP; once listening, prints the URLs.
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
        var accounts = grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);
        if ((await accounts.ListUsers()).IsEmpty)
        {
            var name = configuration["Admin:UserName"] ?? "admin";
            var configured = configuration["Admin:Password"];
            var generated = string.IsNullOrEmpty(configured);
            var password = generated ? Generate() : configured!;
            if (await accounts.AddFirstUser(signIn.NewUser(name, password, UserRole.Admin, null, null)))
            {
                // An empty Admin:Password (e.g. an unset variable in a compose file) generates one, so say so.
                Console.WriteLine(generated
                    ? $"SlaGrains: first run: created admin '{name}' with password '{password}' (shown once; set Admin:Password to choose it)."
                    : $"SlaGrains: first run: created admin '{name}' with the password from configuration (Admin:Password).");
            }
            else
            {
                // Silos starting together on an empty database race for this; the one that lost must not print a
                // password that was never stored.
                Console.WriteLine("SlaGrains: first run: another silo of this cluster created the first admin.");
            }
        }

        if (configuration.GetValue<bool>("Demo"))
        {
            if ((await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).List()).IsEmpty)
            {
                var users = await demo.SeedAsync(cancellationToken);
                Console.WriteLine("SlaGrains: demo data created. Demo users (user / password / role):");
                foreach (var (user, password, role) in users)
                {
                    Console.WriteLine($"  {user} / {password} / {role}");
                }
            }
            else
            {
                logger.LogInformation("Demo requested but the database already has customers: left as it is.");
            }
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                Console.WriteLine($"SlaGrains: listening on {address} (API under /api/v1, OpenAPI at /openapi/v1.json, live feed at /hubs/sla)");
            }
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');
}
