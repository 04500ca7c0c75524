using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Grains.Tickets;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains;

/// <summary>Registers what the SlaGrains grains need in a silo (storage is configured separately).</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds the notification hub and the SLA clock (keyed <see cref="SlaTime.Key"/>; by default the silo's
    /// <see cref="TimeProvider"/>, itself the system clock unless one is registered), and webhook delivery
    /// (<see cref="WebhookOptions"/> from the configuration section <c>Webhooks</c>).
    /// </summary>
    public static ISiloBuilder AddSlaGrains(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddKeyedSingleton<TimeProvider>(SlaTime.Key, (services, _) => services.GetRequiredService<TimeProvider>());

        // Ticket reminders are a backstop that ticks only once a deadline has passed; a short period bounds how
        // late a deadline that passed while its silo was down is noticed after a restart.
        silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TicketGrain.ReminderPeriod);
        silo.Services.TryAddSingleton<SlaNotificationHub>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<SlaNotificationHub>());
        silo.Services.TryAddSingleton(_ => WebhookHttp.Create());
        silo.Services.AddOptions<WebhookOptions>().Bind(silo.Configuration.GetSection("Webhooks"));
        silo.Services.TryAddSingleton<ISlaNotifications>(services => services.GetRequiredService<SlaNotificationHub>());
        return silo;
    }
}
