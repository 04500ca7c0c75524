using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace SlaGrains.Bench.Live;

/// <summary>
/// An external Orleans client (<c>Microsoft.Orleans.Client</c>) on the servers' gateways at 127.0.0.1: for the
/// grain-level parts — where ticket grains are activated, forcing idle activations to be collected.
/// </summary>
internal sealed class OrleansProbe : IAsyncDisposable
{
    private readonly IHost _host;

    private OrleansProbe(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public IManagementGrain Management => Client.GetGrain<IManagementGrain>(0);

    public static async Task<OrleansProbe> ConnectAsync(IEnumerable<int> gatewayPorts, string clusterId, string serviceId, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering([.. gatewayPorts.Select(p => new IPEndPoint(IPAddress.Loopback, p))]);
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
        });
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
