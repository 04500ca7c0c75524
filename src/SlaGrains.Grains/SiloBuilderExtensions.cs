using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Grains;

/// <summary>Registers what the SlaGrains grains need in a silo (storage is configured separately).</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Adds the notification hub and the system <see cref="TimeProvider"/> unless one is registered.</summary>
    public static ISiloBuilder AddSlaGrains(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton<SlaNotificationHub>();
        silo.Services.TryAddSingleton<ISlaNotifications>(services => services.GetRequiredService<SlaNotificationHub>());
        return silo;
    }
}
