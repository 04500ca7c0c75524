using Orleans.Serialization.Configuration;
using SlaGrains.Domain.Tickets;

[assembly: TypeManifestProvider(typeof(SlaGrains.Contracts.Serialization.DomainTypeAliases))]

namespace SlaGrains.Contracts.Serialization;

/// <summary>
/// Stable names for domain types that travel behind a base type (events in a <c>List&lt;TicketSlaEvent&gt;</c>):
/// Orleans writes the concrete type's name there, and the domain cannot carry <c>[Alias]</c> itself.
/// </summary>
internal sealed class DomainTypeAliases : TypeManifestProviderBase
{
    public override object Key => typeof(DomainTypeAliases);

    protected override void ConfigureInner(TypeManifestOptions options)
    {
        options.WellKnownTypeAliases["slagrains.domain.ticket-sla-event"] = typeof(TicketSlaEvent);
        options.WellKnownTypeAliases["slagrains.domain.ticket-opened"] = typeof(TicketOpened);
        options.WellKnownTypeAliases["slagrains.domain.status-changed"] = typeof(StatusChanged);
        options.WellKnownTypeAliases["slagrains.domain.priority-changed"] = typeof(PriorityChanged);
        options.WellKnownTypeAliases["slagrains.domain.targets-changed"] = typeof(TargetsChanged);
        options.WellKnownTypeAliases["slagrains.domain.clock-started"] = typeof(ClockStarted);
        options.WellKnownTypeAliases["slagrains.domain.clock-paused"] = typeof(ClockPaused);
        options.WellKnownTypeAliases["slagrains.domain.clock-resumed"] = typeof(ClockResumed);
        options.WellKnownTypeAliases["slagrains.domain.clock-retargeted"] = typeof(ClockRetargeted);
        options.WellKnownTypeAliases["slagrains.domain.clock-warned"] = typeof(ClockWarned);
        options.WellKnownTypeAliases["slagrains.domain.clock-breached"] = typeof(ClockBreached);
        options.WellKnownTypeAliases["slagrains.domain.clock-stopped"] = typeof(ClockStopped);
    }
}
