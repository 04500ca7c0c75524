using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SlaGrains.Storage;

namespace SlaGrains.Testing;

/// <summary>
/// A real single silo configured the way the product configures one — <c>UseSlaGrainsStorage</c> over
/// command-line style settings such as <c>--Storage:Provider=sqlite</c> — on free loopback ports.
/// </summary>
public static class ConfiguredSilo
{
    /// <summary>Builds and starts the silo host; the caller stops and disposes it.</summary>
    public static Task<IHost> StartAsync(params string[] settings) => StartAsync(settings, configure: null);

    /// <summary>As <see cref="StartAsync(string[])"/>, with more silo configuration (e.g. the grains) applied after the storage.</summary>
    public static async Task<IHost> StartAsync(string[] settings, Action<ISiloBuilder>? configure)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            .. settings,
        ]).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseSlaGrainsStorage(configuration);
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
