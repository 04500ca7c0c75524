using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SlaGrains.Storage;

namespace SlaGrains.Testing;

/// <summary>
/// An external Orleans client of servers started with the given command-line settings, joined the way the product's
/// own front-end joins (<see cref="SlaGrainsStorage.UseSlaGrainsClustering"/>): for the grain-level parts of tests and
/// benchmarks — where ticket grains are activated, forcing idle activations to be collected.
/// </summary>
public sealed class OrleansProbe : IAsyncDisposable
{
    private readonly IHost _host;

    private OrleansProbe(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public IManagementGrain Management => Client.GetGrain<IManagementGrain>(0);

    /// <summary>Connects with the servers' settings (<c>--Storage:*</c>, <c>--Orleans:ClusterId</c>, <c>--Orleans:ServiceId</c>; on SQLite <c>--Orleans:GatewayPort</c>).</summary>
    public static async Task<OrleansProbe> ConnectAsync(IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([.. settings]).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseSlaGrainsClustering(configuration));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new OrleansProbe(host);
    }

    /// <summary>The ticket grains active on each silo, by silo port.</summary>
    public async Task<Dictionary<int, HashSet<string>>> TicketsBySiloAsync()
    {
        var statistics = await Management.GetDetailedGrainStatistics();
        return statistics
            .Where(s => s.GrainId.Type.ToString() == "ticket")
            .GroupBy(s => s.SiloAddress.Endpoint.Port)
            .ToDictionary(g => g.Key, g => g.Select(s => s.GrainId.Key.ToString()!).ToHashSet(StringComparer.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
