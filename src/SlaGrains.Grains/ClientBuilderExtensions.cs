using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Grains;

/// <summary>Registers what a web front-end joining the cluster as an Orleans client needs (clustering is configured separately).</summary>
public static class ClientBuilderExtensions
{
    /// <summary>
    /// Adds the client-side <see cref="ISlaNotifications"/> (<see cref="SlaNotificationClient"/>, started after the
    /// Orleans client) and the SLA clock keyed <see cref="SlaTime.Key"/> (the registered <see cref="TimeProvider"/>,
    /// by default the system clock): the grains' clock lives on the silos, this one only shows "now" to the pages.
    /// </summary>
    public static IClientBuilder AddSlaGrainsClient(this IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Services.TryAddSingleton(TimeProvider.System);
        client.Services.TryAddKeyedSingleton<TimeProvider>(SlaTime.Key, (services, _) => services.GetRequiredService<TimeProvider>());
        client.Services.TryAddSingleton<SlaNotificationClient>();
        client.Services.TryAddSingleton<ISlaNotifications>(services => services.GetRequiredService<SlaNotificationClient>());
        client.AddGatewayCountChangedHandler(services => (_, _) => services.GetRequiredService<SlaNotificationClient>().RenewSoon());
        client.Services.AddHostedService(services => services.GetRequiredService<SlaNotificationClient>());
        return client;
    }
}
