using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Grains.Outbound;
using SlaGrains.Grains.Probes;
using SlaGrains.Grains.Tickets;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains;

/// <summary>Registers what the SlaGrains grains need in a silo (storage is configured separately).</summary>
public static class SiloBuilderExtensions
{
    /// <summary>The configuration key that makes a silo a probe location, e.g. <c>Probes:Region=eu-west</c>.</summary>
    public const string ProbeRegionKey = "Probes:Region";

    /// <summary>
    /// Adds the notification hub and the SLA clock (keyed <see cref="SlaTime.Key"/>; by default the silo's
    /// <see cref="TimeProvider"/>, itself the system clock unless one is registered), webhook delivery
    /// (<see cref="WebhookOptions"/> from the configuration section <c>Webhooks</c>), the outbound address policy for
    /// webhooks and probes (<c>Network:AllowedPrivateTargets</c>, see <see cref="OutboundHttp"/>); the silo is a probe
    /// location when its configuration has <see cref="ProbeRegionKey"/>; the channel outboxes (<c>Channels:*</c>, the SMTP
    /// relay from <c>Email:*</c>, see <see cref="Channels.EmailOptions"/>).
    /// </summary>
    public static ISiloBuilder AddSlaGrains(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.AddSlaGrains(silo.Configuration[ProbeRegionKey]);
    }

    /// <summary>As <see cref="AddSlaGrains(ISiloBuilder)"/>, the probe region given (null or empty: no probe location).</summary>
    /// <exception cref="ArgumentException"><paramref name="probeRegion"/> is not a region name (letters, digits, '-', '_', '.').</exception>
    public static ISiloBuilder AddSlaGrains(this ISiloBuilder silo, string? probeRegion)
    {
        ArgumentNullException.ThrowIfNull(silo);
        probeRegion = string.IsNullOrWhiteSpace(probeRegion) ? null : probeRegion.Trim();
        if (probeRegion is not null && !ProbeKeys.IsRegionName(probeRegion))
        {
            throw new ArgumentException($"{ProbeRegionKey} has 1–64 letters, digits, '-', '_' or '.'; got '{probeRegion}'.", nameof(probeRegion));
        }

        // Every silo publishes metadata (possibly none) so that each one's cache knows which silos are probe locations.
        silo.UseSiloMetadata(probeRegion is null ? [] : new Dictionary<string, string> { [ProbeLocations.MetadataKey] = probeRegion });
        silo.Services.TryAddSingleton<ProbeLocations>();
        silo.Services.AddPlacementDirector<ProbeRegionPlacement, ProbeRegionPlacementDirector>();
        OutboundHttp.AddOutboundTargets(silo.Services, silo.Configuration);
        silo.Services.TryAddSingleton(services => HttpProber.Create(services.GetRequiredService<OutboundHttp>()));
        silo.Services.TryAddSingleton<TcpProber>();
        silo.Services.TryAddSingleton<PingProber>();
        silo.Services.TryAddSingleton<DnsProber>();
        silo.Services.TryAddSingleton(TlsProbeTrust.From(silo.Configuration));
        silo.Services.TryAddSingleton<TlsProber>();
        silo.Services.TryAddSingleton<Probers>();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddKeyedSingleton<TimeProvider>(SlaTime.Key, (services, _) => services.GetRequiredService<TimeProvider>());

        // Ticket reminders are a backstop that ticks only once a deadline has passed; a short period bounds how
        // late a deadline that passed while its silo was down is noticed after a restart.
        silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TicketGrain.ReminderPeriod);
        silo.Services.TryAddSingleton<SlaNotificationHub>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<SlaNotificationHub>());
        silo.Services.TryAddSingleton(services => WebhookHttp.Create(services.GetRequiredService<OutboundHttp>()));
        silo.Services.AddOptions<WebhookOptions>().Bind(silo.Configuration.GetSection("Webhooks"));
        silo.Services.TryAddSingleton<ISlaNotifications>(services => services.GetRequiredService<SlaNotificationHub>());

        // People-facing channels: the outbox's retry policy, the operator's SMTP relay (read and checked now, so a bad
        // setting fails the start), and a plain renderer unless the host registers its templates.
        silo.Services.AddOptions<Channels.ChannelOptions>().Bind(silo.Configuration.GetSection("Channels"));
        var email = Channels.EmailOptions.Read(silo.Configuration);
        silo.Services.TryAddSingleton(email);
        silo.Services.TryAddSingleton(services => new Channels.SmtpSender(
            services.GetRequiredService<Channels.EmailOptions>(), services.GetRequiredKeyedService<TimeProvider>(SlaTime.Key)));
        silo.Services.TryAddSingleton<SlaGrains.Contracts.Channels.IMessageRenderer, Channels.PlainMessageRenderer>();
        return silo;
    }
}
